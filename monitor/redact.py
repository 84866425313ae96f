"""Keep secrets out of logs and errors: URLs lose credentials, query values and long tokens;
``SecretRedactor`` removes known secret values from text that came from outside."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import SplitResult, parse_qsl, quote, urlsplit, urlunsplit

_TOKENISH = re.compile(r"^[A-Za-z0-9_\-:]{16,}$")  # a ":" as in BOT_ID:TOKEN
# Schemes whose host part is an address; in others (Apprise's tgram://, pbul://, ...) the
# "host" may be a token.
ADDRESS_SCHEMES = frozenset({"http", "https", "smtp", "smtps", "postgresql", "postgres"})


def host_secrets(url: SplitResult) -> list[str]:
    """For a scheme whose host part is not an address (``tgram://BOT:TOKEN/CHAT``,
    ``pbul://TOKEN``), that host part and its pieces between ``:`` and ``@``; else none."""
    if not url.netloc or url.scheme.lower() in ADDRESS_SCHEMES:
        return []
    return [url.netloc, *re.split(r"[:@]", url.netloc)]


def redact_url(url: str) -> str:
    """The URL with user info, query values and token-like path segments replaced by ``***``.

    >>> redact_url("https://user:pw@hooks.example/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?k=1")
    'https://***@hooks.example/services/T000/B000/***?k=***'
    """
    try:
        parts = urlsplit(url)
        if host_secrets(parts):
            netloc = "***"  # e.g. tgram://BOT:TOKEN/CHAT: the "host" is a credential
        else:
            netloc = parts.hostname or ""
            if parts.port:
                netloc = f"{netloc}:{parts.port}"
            if parts.username or parts.password:
                netloc = f"***@{netloc}"
    except ValueError:
        return "***"
    path = "/".join("***" if _TOKENISH.match(seg) else seg for seg in parts.path.split("/"))
    query = "&".join(f"{key}=***" for key, _ in parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit(SplitResult(parts.scheme, netloc, path, query, ""))


_MIN_SECRET = 6  # shorter values would blank ordinary words ("news")
_MIN_PART = 8  # path segments and query values this long are treated as secret too


def _secret_parts(value: str) -> set[str]:
    """What of ``value`` must not appear: the value itself and, for a URL, its path, its
    query, and each long path segment or query value (a receiver may echo any of them)."""
    parts = {value}
    try:
        url = urlsplit(value)
    except ValueError:
        return parts
    if url.scheme and url.netloc:
        if url.path not in ("", "/"):
            parts.add(url.path)
        if url.query:
            parts.update((url.query, f"{url.path}?{url.query}"))
            parts.update(v for _, v in parse_qsl(url.query) if len(v) >= _MIN_PART)
        parts.update(seg for seg in url.path.split("/") if len(seg) >= _MIN_PART)
        if url.password:
            parts.add(url.password)
        if url.username:
            parts.add(url.username)
        host = host_secrets(url)
        parts.update(host[:1])  # the whole host part, and its long pieces
        parts.update(p for p in host[1:] if len(p) >= _MIN_PART)
    return {p for p in parts if len(p) >= _MIN_SECRET}


class SecretRedactor:
    """Replaces every configured secret (and the secret parts of secret URLs) by ``***``.

    Applied to anything about to be stored or logged that came from outside, such as a
    receiver's error page ("Cannot POST /hook/<token>").
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        parts = {part for secret in secrets if secret for part in _secret_parts(secret)}
        variants = parts | {quote(p, safe="") for p in parts} | {quote(p) for p in parts}
        # Longest first, so a URL is replaced whole before its path is.
        self._parts = sorted(variants, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for part in self._parts:
            if part in text:
                text = text.replace(part, "***")
        return text

    def __repr__(self) -> str:
        return f"SecretRedactor({len(self._parts)} values)"
