"""Keep secrets out of logs and errors: URLs lose credentials, query values and long tokens;
``SecretRedactor`` removes known secret values from text that came from outside."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from urllib.parse import SplitResult, parse_qsl, quote, urlsplit, urlunsplit

_TOKENISH = re.compile(r"[A-Za-z0-9_\-:]{16,}")  # a whole segment; ":" as in BOT_ID:TOKEN
# words in lower case and numbers, not mixed: uk-politics-68493829, world-news-2024-05-01
_SLUG = re.compile(r"(?:[a-z]+|[0-9]+)(?:[-_](?:[a-z]+|[0-9]+))+")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?")
_WORD = re.compile(r"[A-Za-z0-9_+-]+")  # base64(url) characters: a key is masked whole
_RUN = re.compile(r"[A-Za-z0-9]+")
# Schemes whose host part is an address; in others (Apprise's tgram://, pbul://, ...) the
# "host" may be a token.
ADDRESS_SCHEMES = frozenset({"http", "https", "smtp", "smtps", "postgresql", "postgres"})


def host_secrets(url: SplitResult) -> list[str]:
    """For a scheme whose host part is not an address (``tgram://BOT:TOKEN/CHAT``,
    ``pbul://TOKEN``), that host part and its pieces between ``:`` and ``@``; else none."""
    if not url.netloc or url.scheme.lower() in ADDRESS_SCHEMES:
        return []
    return [url.netloc, *re.split(r"[:@]", url.netloc)]


def _keyish(run: str) -> bool:
    """Whether a run of letters and digits reads as a key, not as a word or a number: six
    characters or more, letters and digits mixed, switching between letters and digits at
    least three times or between digits, lower and upper case at least five times
    (``ab12cd34``, ``3f2b8c1e``, ``Zm9vYmFy``; not ``feed2024``, ``iPhone15``, ``68493829``)."""
    if len(run) < 6 or run.isdigit() or run.isalpha():
        return False
    kinds = ["9" if c.isdigit() else "a" if c.islower() else "A" for c in run]
    changes = [(a, b) for a, b in itertools.pairwise(kinds) if a != b]
    across = sum("9" in change for change in changes)  # between a letter and a digit
    return across >= 3 or len(changes) >= 5


def _masked(text: str) -> str:
    """``text`` (a path segment, a parameter, a query key) with what looks like a secret
    replaced by ``***``: all of it if it is one long token (not a slug of words), else
    each JWT and each word of base64 characters holding a key-like run
    (``a1b2c3d4e5f6a7b8.rss`` -> ``***.rss``)."""
    if _TOKENISH.fullmatch(text) and not _SLUG.fullmatch(text):
        return "***"
    text = _JWT.sub("***", text)
    return _WORD.sub(
        lambda word: "***" if any(map(_keyish, _RUN.findall(word[0]))) else word[0], text
    )


def _parameter(parameter: str) -> str:
    key, equals, _ = parameter.partition("=")
    return f"{_masked(key)}=***" if equals else _masked(parameter)


def _segment(segment: str) -> str:
    """A path segment masked, the values of its parameters (``;jsessionid=...``) always."""
    name, *parameters = segment.split(";")
    return ";".join([_masked(name), *map(_parameter, parameters)])


def redact_url(url: str) -> str:
    """The URL with user info, query values, path parameters' values and secret-looking
    parts of the path (long tokens, JWTs, key-like runs of letters and digits) replaced by
    ``***``; ordinary paths stay readable.

    >>> redact_url("https://user:pw@hooks.example/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?k=1")
    'https://***@hooks.example/services/T000/B000/***?k=***'
    >>> redact_url("https://news.example/feed/a1b2c3d4e5f6a7b8.rss;jsessionid=0AF3?t=x")
    'https://news.example/feed/***.rss;jsessionid=***?t=***'
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
    path = "/".join(map(_segment, parts.path.split("/")))
    query = "&".join(
        f"{_masked(key)}=***" for key, _ in parse_qsl(parts.query, keep_blank_values=True)
    )
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
