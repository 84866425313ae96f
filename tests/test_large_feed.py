"""A 10,000-entry feed is parsed and examined off the event loop: /healthz keeps answering."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import httpx

from monitor.app import Service
from monitor.daemon import RunSummary
from monitor.sources.parsepool import PROCESS_BYTES
from tests.helpers import (
    VOTE_ITEM,
    daemon_env,
    health_address,
    make_rules,
    settings_for,
    start_daemon,
)
from tests.servers import FeedServer, rss, serving
from tests.test_crash import wait_for

ENTRIES = 10_000
# Generous for a loaded CI machine; parsing alone takes seconds, and it used to block.
HEALTH_BOUND = 1.0


def test_healthz_answers_while_a_huge_feed_is_parsed(tmp_path: Path) -> None:
    items = [
        {"title": f"Weather report {n}", "guid": f"w{n}", "description": f"Rain in town {n}."}
        for n in range(ENTRIES)
    ]
    with serving(FeedServer(etags=False)) as feeds:  # no ETag: parsed again on every poll
        feeds.feeds["/big.xml"] = rss(items)
        make_rules(tmp_path, {"big": feeds.url("/big.xml")}, interval="1s")
        log = tmp_path / "daemon.log"
        daemon = start_daemon(daemon_env(tmp_path, health_bind="127.0.0.1:0"), log)
        latencies: list[float] = []
        try:
            wait_for(lambda: bool(health_address(log)))
            url = f"http://{health_address(log)}/healthz"
            with httpx.Client(timeout=30) as client:
                # Probe through the first poll (10,000 new entries) and into the second.
                while log.read_text().count('"poll: feed polled"') < 1 or (
                    feeds.requests.count("/big.xml") < 2
                ):
                    started = time.monotonic()
                    assert client.get(url).status_code == 200
                    latencies.append(time.monotonic() - started)
                    time.sleep(0.02)
                    assert daemon.poll() is None, log.read_text()[-2000:]
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(60)
    assert '"entries": 10000' in log.read_text()
    assert len(latencies) > 20
    assert max(latencies) < HEALTH_BOUND, sorted(latencies)[-5:]


def test_a_huge_poll_records_every_entry_and_queues_its_alert(tmp_path: Path) -> None:
    """Over 256 KB (parsed in the worker process) and over 500 new entries (those without
    alerts recorded in slices after the poll's transaction): nothing is missed or repeated."""
    filler = "Light rain is expected in the afternoon, clearing in the evening. " * 2
    items = [
        {"title": f"Weather report {n}", "guid": f"w{n}", "description": f"{filler}{n}"}
        for n in range(1_200)
    ]
    with serving(FeedServer(etags=False)) as feeds:
        feeds.feeds["/big.xml"] = rss([*items, VOTE_ITEM])
        assert len(feeds.feeds["/big.xml"]) > PROCESS_BYTES
        make_rules(tmp_path, {"big": feeds.url("/big.xml")})

        async def twice() -> tuple[RunSummary, RunSummary, int, dict[str, int]]:
            service = Service.build(settings_for(tmp_path))
            try:
                first = await service.daemon.run_once()
                second = await service.daemon.run_once()
                return first, second, service.store.entry_count(), service.store.outbox_counts()
            finally:
                await service.aclose()

        first, second, entries, outbox = asyncio.run(twice())
    (polled,) = first.outcomes
    assert (polled.status, polled.new_entries) == ("ok", 1_201)
    assert polled.alerts >= 1 and polled.queued >= 1
    assert entries == 1_201
    assert sum(outbox.values()) == polled.queued
    assert [o.new_entries for o in second.outcomes] == [0]


def test_a_large_body_past_the_parse_timeout_fails_its_feed_and_the_others_are_polled(
    tmp_path: Path,
) -> None:
    """NEWS_MONITOR_PARSE_TIMEOUT_SECONDS bounds a large body's parse: past it, that feed's
    poll fails naming the feed and the time, and the other feeds are polled as usual."""
    filler = "Light rain is expected in the afternoon, clearing in the evening. " * 2
    items = [
        {"title": f"Weather report {n}", "guid": f"w{n}", "description": f"{filler}{n}"}
        for n in range(1_200)
    ]
    with serving(FeedServer(etags=False)) as feeds:
        feeds.feeds["/big.xml"] = rss(items)
        feeds.feeds["/small.xml"] = rss([VOTE_ITEM])
        assert len(feeds.feeds["/big.xml"]) > PROCESS_BYTES
        make_rules(tmp_path, {"big": feeds.url("/big.xml"), "small": feeds.url("/small.xml")})

        async def once() -> RunSummary:
            service = Service.build(settings_for(tmp_path, parse_timeout_seconds=0.001))
            try:
                return await service.daemon.run_once()
            finally:
                await service.aclose()

        summary = asyncio.run(once())
    outcomes = {o.feed: o for o in summary.outcomes}
    assert outcomes["big"].status == "error"
    assert "not parsed within 0.001 s" in (outcomes["big"].error or "")
    assert (outcomes["small"].status, outcomes["small"].new_entries) == ("ok", 1)
