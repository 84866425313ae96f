"""Fair polling: a hung or slow feed never holds a healthy feed's turn, a feed waiting
for a busy site never keeps feeds of other sites waiting, and a wall clock stepping back
stalls nothing."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

import pytest

from monitor.app import Service
from tests.helpers import REHASH_ITEM, make_rules, settings_for, until
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

            def polled() -> bool:  # each good feed four times
                paths = server.requests
                return all(paths.count(f"/good{n}.xml") >= 4 for n in range(3))

            try:  # (not in 40 s: the checks below say which feed waited)
                with contextlib.suppress(TimeoutError):
                    await until(polled, 40, every=0.1)
            finally:
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


class SteppedClock:
    """The wall clock as the scheduler and the daemon's clock-step watch see it: ``back``
    seconds behind the real one (the rest of the service reads the real clock)."""

    def __init__(self) -> None:
        self.back = 0.0

    def time(self) -> float:
        return time.time() - self.back

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """APScheduler 3 reads "now" as ``datetime.now(tz)`` in its scheduler base (run
        times) and its executor base (misfires), each with no method of its own to override:
        their ``datetime`` becomes one whose ``now`` is this clock."""
        clock = self

        class Stepped(datetime):
            @classmethod
            def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
                return datetime.now(tz) - timedelta(seconds=clock.back)

        for module in ("apscheduler.schedulers.base", "apscheduler.executors.base"):
            monkeypatch.setattr(f"{module}.datetime", Stepped)


@pytest.mark.parametrize("state", ["sqlite", "postgres"])
def test_a_wall_clock_stepped_back_an_hour_stalls_no_poll_and_no_delivery(
    state: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    """Every job's next run was an hour further ahead after the wall clock stepped back an
    hour (NTP's first sync, a VM resumed): nothing was polled or delivered for an hour. Now
    the daemon notices the step on the loop's own timer and brings the schedule back. On
    PostgreSQL (a replica claiming its feeds), the feeds it scheduled in the state come back
    too: they were due an hour after the clock's new time."""
    clock = SteppedClock()
    clock.install(monkeypatch)
    shared = {"database_url": request.getfixturevalue("postgres_url")} if state != "sqlite" else {}
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": server.url("/news.xml")}, interval="2s")

        async def scenario() -> tuple[int, int]:
            settings = settings_for(tmp_path, delivery_interval_seconds=1.0, **shared)
            service = Service.build(settings)
            daemon = service.daemon
            daemon.wall_clock = clock.time
            if daemon.leases is not None:  # the replica's claims read the same wall clock
                daemon.leases.clock = lambda: datetime.fromtimestamp(clock.time(), UTC)
            deliveries: list[float] = []
            deliver = daemon.deliver

            async def counted() -> int:
                deliveries.append(time.monotonic())
                return await deliver()

            daemon.deliver = counted
            task = asyncio.create_task(daemon.run_forever())
            try:
                await until(lambda: bool(server.requests), 20)
                await asyncio.sleep(0.5)  # the first poll ends; the next is due in 2 s
                polled, delivered = len(server.requests), len(deliveries)
                clock.back = 3600.0
                await asyncio.sleep(6.0)
                return len(server.requests) - polled, len(deliveries) - delivered
            finally:
                daemon.stop()
                await asyncio.wait_for(task, 20)
                await service.aclose()

        with caplog.at_level(logging.INFO):
            polls, deliveries = asyncio.run(scenario())
    assert polls >= 2, polls  # back on its 2 s interval, not an hour later
    assert deliveries >= 2, deliveries
    steps = [r for r in caplog.records if "wall clock stepped back" in r.getMessage()]
    assert len(steps) == 1, [r.getMessage() for r in steps]
    assert abs(getattr(steps[0], "step_s", 0) - 3600) < 5
