"""One HTTP POST for the HTTP channels (Slack, webhook), with failures made ``DeliveryError``.

2xx is success. 429 and 5xx (and 408) are retryable; other 4xx are not (the request itself
is wrong). ``Retry-After`` is passed on whatever the status (the outbox honours it within
its backoff cap). Network errors and timeouts are retryable, their reason told (refused,
name not resolved, TLS certificate not accepted). The URL never appears in an error: it
is a secret for webhooks.

A receiver cannot hold a channel (and with it the outbox's drain) with its answer: the
whole exchange has ``TOTAL_SECONDS``, at most ``MAX_ANSWER`` bytes of an answer are read,
and a 2xx answer's body is read only by a caller that needs it (the Slack Web API's).
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl

import httpx

from monitor.errors import DeliveryError
from monitor.sources.fetch import USER_AGENT, retry_after_seconds

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
TOTAL_SECONDS = 30.0
MAX_ANSWER = 1024 * 1024  # the Slack Web API echoes the message: ample room for that


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


async def post(
    client: httpx.AsyncClient,
    channel: str,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    answer: bool = False,
) -> bytes:
    """POST ``body``; on 2xx return the start of the answer's body (with ``answer``; else
    nothing is read and ``b""`` returned), raise ``DeliveryError`` otherwise."""
    try:
        async with (
            asyncio.timeout(TOTAL_SECONDS),
            client.stream("POST", url, content=body, headers=headers) as response,
        ):
            status = response.status_code
            ok = 200 <= status < 300
            content = await _start(response) if answer or 400 <= status < 500 else b""
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
            channel, f"timed out (no whole answer within {TOTAL_SECONDS:g} s)", retryable=True
        ) from exc
    if ok:
        return content
    retryable = status in (408, 429) or status >= 500
    wait = retry_after_seconds(response.headers.get("Retry-After"))
    detail = detail[:200].replace("\n", " ")
    raise DeliveryError(
        channel,
        f"HTTP {status}" + (f": {detail}" if detail else ""),
        retryable=retryable,
        retry_after=wait,
    )
