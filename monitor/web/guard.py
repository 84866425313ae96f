"""Security for every response: a strict Content-Security-Policy and, off loopback, a token.

``SecurityHeaders`` adds the policy (no inline script, nothing from other origins) and
related headers to every response. ``TokenGate`` asks for the token on every path but the
open ones (``/healthz``, ``/readyz``, ``/metrics``, for orchestrators and Prometheus, the
feedback paths that check a signature themselves, and the stylesheet and icon under
``/static/`` that the open feedback page loads):
``Authorization: Bearer <token>``, or HTTP Basic with the token as password (so a browser
can log in without JavaScript). The token is compared in constant time and never logged.
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
