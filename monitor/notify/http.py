"""One HTTP POST for the HTTP channels (Slack, webhook), with failures made ``DeliveryError``.

2xx is success. 429 and 5xx (and 408) are retryable; 401, 403, 404 and 410 refuse the
channel's address or credentials (``ChannelRefused``, retried until the alert's maximum
age); other 4xx are not retried (the request itself is wrong), nor is a request that cannot
be built (a header HTTP does not allow). ``Retry-After`` is passed on whatever the status
(the outbox honours it within its backoff cap). Network errors and timeouts are
retryable, their reason told (refused, name not resolved, TLS certificate not accepted).
The URL never appears in an error: it is a secret for webhooks. An error answer is passed
on up to ``MAX_DETAIL`` characters, cut only where no URL or token can go on (a space, a
quote, a tag): the outbox redacts the secrets it holds, whole, before cutting it shorter.

A receiver cannot hold a channel (and with it the outbox's drain) with its answer: the
whole exchange has the channel's ``deadline`` (its ``deadline_seconds``, 30 s by default),
at most ``MAX_ANSWER`` bytes of an answer are read, and a 2xx answer's body is read only by
a caller that needs it (the Slack Web API's).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import ssl

import httpx

from monitor.errors import DeliveryError
from monitor.notify.base import DEADLINE_SECONDS, REFUSING_STATUSES, ChannelRefused
from monitor.notify.render import one_line
from monitor.sources.fetch import USER_AGENT, retry_after_seconds

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
MAX_ANSWER = 1024 * 1024  # the Slack Web API echoes the message: ample room for that
MAX_DETAIL = 2000  # characters of an error answer passed on
_BREAK = re.compile(r'[\s"<>{}|\\^`]')  # never in a URL (RFC 3986), nor in a token


def new_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    )


async def _start(response: httpx.Response) -> bytes:
    """The first ``MAX_ANSWER`` bytes of the answer's body (the rest is never read)."""
    content = bytearray()
    async for chunk in response.aiter_bytes():
        content += chunk
        if len(content) >= MAX_ANSWER:
            break
    return bytes(content[:MAX_ANSWER])


def _underlying(exc: BaseException) -> str:
    """Why a request failed, as far as TLS or the system says (never the address): an
    untrusted certificate is not a receiver that is down."""
    causes: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and len(causes) < 10:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not accepted: {cause.verify_message}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS failed: {cause.reason or type(cause).__name__}"
    for cause in reversed(causes):  # the deepest first
        if isinstance(cause, socket.gaierror):
            return f"name not resolved: {cause.strerror}"
        if isinstance(cause, OSError) and isinstance(cause.errno, int) and cause.errno > 0:
            return os.strerror(cause.errno)
    return ""


def _request(
    client: httpx.AsyncClient, channel: str, url: str, body: bytes, headers: dict[str, str]
) -> httpx.Request:
    """The POST request; a permanent ``DeliveryError`` if it cannot be built (it never
    could: a header with a line break or a non-ASCII character)."""
    for name, value in headers.items():
        if not (value.isascii() and value.isprintable()):
            raise DeliveryError(
                channel, f"request not sent: header {name} is not printable ASCII", retryable=False
            )
    try:
        return client.build_request("POST", url, content=body, headers=headers)
    except Exception as exc:  # whatever it is, it would be the same at every retry
        raise DeliveryError(
            channel, f"request could not be built ({type(exc).__name__})", retryable=False
        ) from exc


def _detail(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters, cut only where no URL can go on
    (a space, ``"``, ``<``, ...): no secret URL or token is cut in two, so redaction still
    finds it whole."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    end = max((m.start() for m in _BREAK.finditer(text, 0, limit + 1)), default=0)
    return text[:end].rstrip()


async def post(
    client: httpx.AsyncClient,
    channel: str,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    answer: bool = False,
    deadline: float = DEADLINE_SECONDS,
) -> bytes:
    """POST ``body``; on 2xx return the start of the answer's body (with ``answer``; else
    nothing is read and ``b""`` returned), raise ``DeliveryError`` otherwise, and when the
    whole exchange has not ended within ``deadline`` seconds."""
    request = _request(client, channel, url, body, headers)
    try:
        async with asyncio.timeout(deadline):
            response = await client.send(request, stream=True)
            try:
                status = response.status_code
                ok = 200 <= status < 300
                content = await _start(response) if answer or 400 <= status < 500 else b""
            finally:
                await response.aclose()
            detail = "" if ok else content.decode(response.encoding or "utf-8", "replace")
    except httpx.TimeoutException as exc:
        raise DeliveryError(channel, f"timed out ({type(exc).__name__})", retryable=True) from exc
    except httpx.HTTPError as exc:
        why = _underlying(exc)
        raise DeliveryError(
            channel, f"request failed ({type(exc).__name__}{why and ': ' + why})", retryable=True
        ) from exc
    except TimeoutError as exc:
        raise DeliveryError(
            channel,
            f"timed out (no whole answer within {deadline:g} s, the channel's deadline_seconds)",
            retryable=True,
        ) from exc
    if ok:
        return content
    wait = retry_after_seconds(response.headers.get("Retry-After"))
    detail = _detail(detail, MAX_DETAIL)
    reason = f"HTTP {status}" + (f": {detail}" if detail else "")
    if status in REFUSING_STATUSES:
        raise ChannelRefused(channel, reason, retry_after=wait)
    retryable = status in (408, 429) or status >= 500
    raise DeliveryError(channel, reason, retryable=retryable, retry_after=wait)
