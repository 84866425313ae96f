"""Fair polling: a hung or slow feed never holds a healthy feed's turn, and a feed waiting
for a busy site never keeps feeds of other sites waiting."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from monitor.app import Service
from tests.helpers import REHASH_ITEM, make_rules, settings_for
from tests.servers import FeedServer, rss, serving

INTERVAL = 3.0


def test_hung_feeds_do_not_starve_healthy_feeds_on_their_host(tmp_path: Path) -> None:
    with serving(FeedServer(slow_seconds=60.0)) as server:
        feeds = {}
        for n in range(3):
            server.feeds[f"/good{n}.xml"] = rss([REHASH_ITEM])
            feeds[f"hung-{n}"] = server.url("/slow")  # never answers in time
            feeds[f"good-{n}"] = server.url(f"/good{n}.xml")
        del feeds["hung-2"]  # two hung feeds, three good ones, one host:port
        make_rules(tmp_path, feeds, interval=f"{INTERVAL:.0f}s")
        settings = settings_for(
            tmp_path,
            read_timeout_seconds=8.0,
            poll_timeout_seconds=8.0,
            max_fetches_per_host=2,
            shutdown_grace_seconds=0.5,
        )

        async def scenario() -> None:
            service = Service.build(settings)
            task = asyncio.create_task(service.daemon.run_forever())
            await asyncio.sleep(13)
            service.daemon.stop()
            await asyncio.wait_for(task, 30)
            await service.aclose()

        asyncio.run(scenario())
    assert server.entered_slow.is_set()
    for n in range(3):
        times = [t for t, path in server.arrivals if path == f"/good{n}.xml"]
        gaps = [round(b - a, 2) for a, b in itertools.pairwise(times)]
        assert len(times) >= 4, (n, gaps)
        assert max(gaps) <= 1.5 * INTERVAL, (n, gaps)


def test_a_busy_site_does_not_hold_other_sites(tmp_path: Path) -> None:
    with serving(FeedServer(latency=(2.0, 2.0))) as busy, serving(FeedServer()) as other:
        feeds = {}
        for n in range(2):  # site by site: the busy site's feeds first
            busy.feeds[f"/b{n}.xml"] = rss([REHASH_ITEM])
            feeds[f"busy-{n}"] = busy.url(f"/b{n}.xml")
        other.feeds["/o.xml"] = rss([REHASH_ITEM])
        feeds["other"] = other.url("/o.xml")
        make_rules(tmp_path, feeds)
        settings = settings_for(
            tmp_path, read_timeout_seconds=10.0, max_concurrent_fetches=2, max_fetches_per_host=1
        )

        async def scenario() -> None:
            service = Service.build(settings)
            await service.daemon.run_once()
            await service.aclose()

        asyncio.run(scenario())
    first_busy = busy.arrivals[0][0]
    (other_at,) = [t for t, _ in other.arrivals]
    # the other site is fetched while the busy site's first request (2 s) is still running
    assert other_at - first_busy < 1.0, other_at - first_busy
