"""A replica's claim job (``monitor/claimer.py``) on a shared PostgreSQL state."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from monitor.claimer import FeedClaimer
from monitor.replicas import FeedLeases
from monitor.sources.feeds import FeedConfig
from monitor.store import open_store

T0 = datetime(2027, 1, 1, tzinfo=UTC)


def test_a_reload_adding_a_shorter_interval_makes_the_claims_tick_faster(
    postgres_url: str,
) -> None:
    """A reload adds a 10 s feed while a 10 min feed's poll runs: the leases each renewal
    writes shrink to 4 s, so the claim job ticks every 0.5 s from then on, and the poll
    in flight keeps its feed while another replica claims between two ticks."""
    clock = [T0]
    store_a, store_b = open_store(postgres_url), open_store(postgres_url)
    store_a.be_present("a")
    store_b.be_present("b")
    slow = FeedConfig(name="slow", url="http://127.0.0.1/s.xml", interval=timedelta(minutes=10))
    fast = FeedConfig(name="fast", url="http://127.0.0.1/f.xml", interval=timedelta(seconds=10))
    feeds = [slow]
    polled_by_b: list[str] = []

    async def scenario() -> list[float]:
        release = asyncio.Event()
        stop = asyncio.Event()

        async def poll_a(feed: FeedConfig) -> None:
            await release.wait()  # a slow poll, still running

        async def poll_b(feed: FeedConfig) -> None:
            polled_by_b.append(feed.name)

        a, b = (
            FeedClaimer(
                FeedLeases(store, holder, lambda: clock[0]),
                10,
                feeds=lambda: feeds,
                poll=poll,
                track=lambda: None,
                stop=stop,
            )
            for store, holder, poll in ((store_a, "a", poll_a), (store_b, "b", poll_b))
        )
        scheduler = AsyncIOScheduler(timezone=UTC)
        a.schedule(scheduler, datetime.now(UTC) + timedelta(hours=1))  # ticks driven below

        def tick() -> float:
            job = scheduler.get_job("claim-feeds")
            assert job is not None
            return float(job.trigger.interval.total_seconds())

        ticks = [tick()]
        await a.claim()
        await asyncio.sleep(0.05)
        feeds.append(fast)  # the reload, on both replicas
        a.feeds_changed()
        b.feeds_changed()
        ticks.append(tick())
        for _ in range(12):  # A renews at each of its ticks; B claims just before the next
            clock[0] += timedelta(seconds=ticks[-1] * 0.9)
            await b.claim()
            await asyncio.sleep(0.01)
            clock[0] += timedelta(seconds=ticks[-1] * 0.1)
            await a.claim()
        release.set()
        await asyncio.sleep(0.05)
        return ticks

    try:
        ticks = asyncio.run(scenario())
        holder = store_a.feed_holders()["slow"]
    finally:
        store_a.close()
        store_b.close()
    assert holder == "a"
    assert "slow" not in polled_by_b
    assert ticks == [5.0, 0.5]
