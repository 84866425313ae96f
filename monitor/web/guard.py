"""Security for every response: a strict Content-Security-Policy; off loopback, a token; on
loopback, a ``Host`` that names this machine.

``SecurityHeaders`` adds the policy (no inline script, nothing from other origins) and
related headers to every response. ``TokenGate`` asks for the token on every path but the
open ones (``/healthz``, ``/readyz``, ``/metrics``, for orchestrators and Prometheus, the
feedback paths that check a signature themselves, and the stylesheet and icon under
``/static/`` that the open feedback page loads):
``Authorization: Bearer <token>``, or HTTP Basic with the token as password (so a browser
can log in without JavaScript). The token is compared in constant time and never logged.
``HostGate``, on loopback where no token is asked, refuses the same paths to a request
named for another host (DNS rebinding: a web page whose own name was made to resolve to
127.0.0.1 would read the pages from a reader's browser as its own).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress

from pydantic import SecretStr
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def is_open(path: str) -> bool:
    """Whether ``path`` is served without the token (the feedback paths check a signature
    themselves, ``web/feedback.py``; the files under ``/static/`` are the pages' stylesheet
    and icon, which the signed feedback page, opened without the token, loads too)."""
    return (
        path in OPEN_PATHS or path == "/api/feedback" or path.startswith(("/feedback/", "/static/"))
    )


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(value: str) -> str:
    """The host name of a ``Host`` header (or of an allowed-host entry): lowercase, without
    port, brackets or final dot (``LocalHost.:8080`` -> ``localhost``, ``[::1]:80`` ->
    ``::1``; a bare IPv6 address is taken whole)."""
    value = value.strip().lower()
    if value.startswith("["):
        name = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        name = value.partition(":")[0]
    else:
        name = value
    return name.rstrip(".")


class SecurityHeaders:
    """Adds ``SECURITY_HEADERS`` to every HTTP response of ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def basic_credentials(headers: Headers) -> tuple[str, str] | None:
    """The user name and password of a ``Basic`` Authorization header."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return user, password


def presented_token(headers: Headers, basic: bool = True) -> str | None:
    """The token of a ``Bearer`` or (with ``basic``) ``Basic`` (as password) Authorization
    header."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if not basic:
        return None
    credentials = basic_credentials(headers)
    return credentials[1] if credentials is not None else None


def token_bytes(token: SecretStr | None) -> bytes | None:
    """The token to compare with, or None when there is none (an empty token is no token)."""
    value = token.get_secret_value() if token is not None else ""
    return value.encode() if value else None


def carries_token(headers: Headers, token: bytes | None, *, basic: bool = True) -> bool:
    """Whether ``headers`` present ``token`` (``presented_token``), compared as bytes in
    constant time; never when there is no token. ``basic=False`` takes a ``Bearer`` token
    only: a browser sends a reader's Basic login along with any site's form posted here,
    never a Bearer token."""
    given = presented_token(headers, basic)
    return token is not None and given is not None and hmac.compare_digest(given.encode(), token)


class TokenGate:
    """401 on every path but ``OPEN_PATHS`` unless the request carries ``token``.

    With no token configured (or an empty one) every such request is refused (the daemon
    warns at start).
    """

    def __init__(self, app: ASGIApp, token: SecretStr | None) -> None:
        self.app = app
        self._token = token_bytes(token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        if not carries_token(Headers(scope=scope), self._token):
            refused = PlainTextResponse(
                "token required: send Authorization: Bearer <NEWS_MONITOR_WEB_TOKEN>\n",
                401,
                headers={"WWW-Authenticate": 'Basic realm="news-monitor", charset="UTF-8"'},
            )
            await refused(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def __repr__(self) -> str:
        return f"TokenGate(token={'***' if self._token else None})"


class HostGate:
    """421 on every path but the open ones to a request whose ``Host`` is neither a
    loopback name or address (``localhost``, ``127.0.0.1``, ``[::1]``, any port) nor one of
    ``allowed``, unless it carries ``token``.

    For a site on loopback, which asks no token: a browser always names the host it
    thinks it reaches, so a hostile page rebinding its own name to 127.0.0.1 is refused. A
    request without ``Host`` (an HTTP/1.0 script) is no browser's and passes. The open
    paths answer anyone anywhere (orchestrators probe them by whatever address they have).
    """

    def __init__(self, app: ASGIApp, allowed: frozenset[str], token: SecretStr | None) -> None:
        self.app = app
        self._allowed = frozenset(host_name(name) for name in allowed)
        self._token = token_bytes(token)

    def _local(self, host: str) -> bool:
        name = host_name(host)
        return is_loopback(name) or name in self._allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_open(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host")
        if host is None or self._local(host) or carries_token(headers, self._token):
            await self.app(scope, receive, send)
            return
        refused = PlainTextResponse(
            f"misdirected request: {host_name(host)[:100]!r} is not a name of this server; "
            "open the pages at localhost or 127.0.0.1, or list the name in "
            "NEWS_MONITOR_WEB_ALLOWED_HOSTS\n",
            421,
        )
        await refused(scope, receive, send)

    def __repr__(self) -> str:
        return f"HostGate(allowed={sorted(self._allowed)}, token={'***' if self._token else None})"
