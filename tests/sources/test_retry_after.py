"""Retry-After from a feed server on 127.0.0.1 (503 and 429), as the daemon uses it: a
number of seconds or an HTTP date, bounded, so any value makes a backoff."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import pytest

from monitor.daemon import backoff_delay
from monitor.errors import FetchError
from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher
from tests.servers import send, serving

YEAR = 365 * 86400.0


@dataclass
class Busy:
    """Answers 503 (429 at /429) with Retry-After: ``value``."""

    value: str
    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        status = 429 if request.path == "/429" else 503
        send(request, status, b"busy", {"Retry-After": self.value})


CASES = [  # (Retry-After, seconds the fetch reports)
    ("120", 120.0),
    ("Fri, 31 Dec 9999 23:59:59 GMT", YEAR),
    # more seconds than a timedelta holds: the daemon's backoff raised OverflowError
    ("100000000000000", YEAR),
    ("9" * 400, YEAR),  # a float of it is infinite
    ("soon", None),
]


@pytest.mark.parametrize(("value", "seconds"), CASES)
@pytest.mark.parametrize("path", ["/503", "/429"])
def test_retry_after_is_bounded_and_makes_a_backoff(
    value: str, seconds: float | None, path: str
) -> None:
    with serving(Busy(value)) as server:
        feed = FeedConfig.model_validate(
            {"name": "busy", "url": f"http://127.0.0.1:{server.port}{path}"}
        )

        async def fetch() -> FetchError:
            async with Fetcher() as fetcher:
                with pytest.raises(FetchError) as caught:
                    await fetcher.fetch(feed)
                return caught.value

        error = asyncio.run(fetch())
    assert error.retryable and error.retry_after == seconds
    cap = timedelta(hours=1)
    expected = cap if seconds and seconds > 3600 else timedelta(minutes=2 if seconds else 1)
    assert backoff_delay(1, timedelta(minutes=1), cap, error.retry_after) == expected
