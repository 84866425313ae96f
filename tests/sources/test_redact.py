"""Feed addresses in logs and errors: secret-looking parts of the path are masked, ordinary
paths stay readable."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from monitor.poller import Poller
from monitor.redact import redact_url
from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import open_store
from tests.servers import FeedServer, serving

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmZWVkcyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"

CASES = [  # (URL, as logged)
    # a token inside a segment, before the extension: it passed through whole
    ("https://n.example/feed/a1b2c3d4e5f6a7b8.rss", "https://n.example/feed/***.rss"),
    (
        "https://n.example/private/3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f.xml",
        "https://n.example/private/***.xml",
    ),
    # a JWT (its dots kept the segment from matching)
    (f"https://n.example/api/{JWT}/rss", "https://n.example/api/***/rss"),
    (f"https://n.example/rss/{JWT}.xml", "https://n.example/rss/***.xml"),
    # path parameters: ;jsessionid=...
    ("https://n.example/feed.rss;jsessionid=0AF3B2C1", "https://n.example/feed.rss;jsessionid=***"),
    ("https://n.example/a;sid=x;lang=en/rss", "https://n.example/a;sid=***;lang=***/rss"),
    # short tokens
    ("https://n.example/u/ab12cd34/rss", "https://n.example/u/***/rss"),
    ("https://n.example/u/Zm9vYmFy/rss", "https://n.example/u/***/rss"),
    ("https://n.example/k/x9Kp2Q/rss", "https://n.example/k/***/rss"),
    # a token as a query key
    ("https://n.example/rss?a1b2c3d4e5f6&page=2", "https://n.example/rss?***=***&page=***"),
    # as before: long tokens, user info, query values
    (
        "https://user:pw@hooks.example/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX?k=1",
        "https://***@hooks.example/services/T000/B000/***?k=***",
    ),
    ("https://n.example/bot123456:AAHdefghijklmnopq/x", "https://n.example/***/x"),
    # ordinary paths stay as they are
    ("https://feeds.bbci.co.uk/news/world/rss.xml", None),
    ("https://www.bbc.co.uk/news/uk-politics-68493829", None),
    ("https://n.example/world/2024/05/01/ceasefire-signed/rss.xml", None),
    ("https://n.example/rss/feed2024.xml", None),
    ("https://n.example/tech/iPhone15/covid19/mp3/x86_64/feed.atom", None),
    ("https://n.example:8443/rss2.0/index.rss", None),
]


@pytest.mark.parametrize(("url", "logged"), CASES)
def test_secret_looking_parts_are_masked(url: str, logged: str | None) -> None:
    assert redact_url(url) == (logged or url)


def test_a_failed_fetch_logs_the_feed_address_masked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(tmp_path / "state.db")
    poller = Poller(Fetcher(FetchLimits()), store, lambda: pytest.fail(), lambda alert: [])
    path = f"/feeds/a1b2c3d4e5f6a7b8.rss;jsessionid=0AF3B2C1/{JWT}"
    try:
        with serving(FeedServer()) as server, caplog.at_level(logging.WARNING):
            feed = FeedConfig(name="private", url=server.url(path))
            outcome = asyncio.run(poller.poll(feed))
    finally:
        poller.close()
        store.close()
    masked = f"HTTP 404 ({server.url('/feeds/***.rss;jsessionid=***/***')})"
    assert outcome.error == masked
    (record,) = [r for r in caplog.records if r.getMessage() == "poll: feed failed"]
    assert record.reason == masked  # type: ignore[attr-defined]
    for secret in ("a1b2c3d4e5f6a7b8", "0AF3B2C1", JWT.split(".")[1]):
        assert secret not in caplog.text and secret not in str(outcome)
