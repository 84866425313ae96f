"""One HTTP POST for the HTTP channels (Slack, webhook), with failures made ``DeliveryError``.

2xx is success. 429 and 5xx (and 408) are retryable; other 4xx are not (the request itself
is wrong). ``Retry-After`` is passed on whatever the status (the outbox honours it within
its backoff cap). Network errors and timeouts are retryable. The URL never appears in an
error: it is a secret for webhooks.
"""

from __future__ import annotations

import httpx

from monitor.errors import DeliveryError
from monitor.sources.fetch import USER_AGENT, retry_after_seconds

TIMEOUT = httpx.Timeout(15.0, connect=5.0)


def new_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}
    )


async def post(
    client: httpx.AsyncClient, channel: str, url: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST ``body``; return the response on 2xx, raise ``DeliveryError`` otherwise."""
    try:
        response = await client.post(url, content=body, headers=headers)
    except httpx.TimeoutException as exc:
        raise DeliveryError(channel, f"timed out ({type(exc).__name__})", retryable=True) from exc
    except httpx.HTTPError as exc:
        raise DeliveryError(
            channel, f"request failed ({type(exc).__name__})", retryable=True
        ) from exc
    status = response.status_code
    if 200 <= status < 300:
        return response
    retryable = status in (408, 429) or status >= 500
    wait = retry_after_seconds(response.headers.get("Retry-After"))
    detail = response.text[:200].replace("\n", " ") if status < 500 else ""
    raise DeliveryError(
        channel,
        f"HTTP {status}" + (f": {detail}" if detail else ""),
        retryable=retryable,
        retry_after=wait,
    )
