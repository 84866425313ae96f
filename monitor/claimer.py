"""A replica's claims: which due feeds of a shared state it polls, and when.

With leases (replicas sharing a PostgreSQL state), feeds are not scheduled one job each:
a claim job, every twentieth of the shortest interval (at most 5 s; rescheduled when a
reload changes the shortest interval), renews the leases of the polls in flight and
claims the due feeds from the state (up to the batch, less those still polling) to poll
them; polls that end free their slots for a claim at once (a
replica keeps up with as many feeds as its slots can poll). After a backward clock step,
the feeds this replica scheduled in the state come back with it before the next claim.
A state failure is reported by the state's observer; the feeds are claimed at the next tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from monitor.errors import StateError
from monitor.replicas import FeedLeases
from monitor.sources.feeds import DEFAULT_INTERVAL, FeedConfig

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

# Polls that end this close together free their slots for one claim.
CLAIM_GATHER = 0.05
CLAIM_JOB = "claim-feeds"


class FeedClaimer:
    """Claims due feeds from ``leases`` for ``poll`` (at most ``batch`` polling at once).

    ``feeds`` gives the feeds as configured now; ``track`` makes the current task one the
    shutdown lets finish; once ``stop`` is set nothing more is claimed.
    """

    def __init__(
        self,
        leases: FeedLeases,
        batch: int,
        *,
        feeds: Callable[[], Sequence[FeedConfig]],
        poll: Callable[[FeedConfig], Coroutine[Any, Any, None]],
        track: Callable[[], None],
        stop: asyncio.Event,
    ) -> None:
        self.leases = leases
        self.batch = batch
        self._feeds = feeds
        self._poll = poll
        self._track = track
        self._stop = stop
        self._polling: set[str] = set()  # feeds this replica is polling
        self._adopted = False  # the feeds are in the state's leases
        self._claiming = asyncio.Lock()
        self._refill: asyncio.Task[None] | None = None  # a claim for freed slots, soon
        self._scheduler: AsyncIOScheduler | None = None  # where the claim job runs

    @property
    def _shortest(self) -> timedelta:
        return min(
            (feed.interval or DEFAULT_INTERVAL for feed in self._feeds()), default=DEFAULT_INTERVAL
        )

    @property
    def tick(self) -> float:
        """Seconds between two claims: a twentieth of the shortest interval (at least 50 ms,
        at most 5 s), so the leases renewed at each (0.4 of that interval) outlast eight
        ticks."""
        return min(5.0, max(0.05, self._shortest.total_seconds() / 20))

    def feeds_changed(self) -> None:
        """The feed list changed: new feeds join the leases at the next claim, and the claim
        job ticks as often as the new shortest interval asks (a reload adding a feed polled
        more often shortens the leases each renewal writes: renewed at the old pace, those
        of polls in flight would run out between two ticks and another replica would take
        over a poll still running)."""
        self._adopted = False
        scheduler = self._scheduler
        if scheduler is None:
            return
        job = scheduler.get_job(CLAIM_JOB)
        if job is None or job.trigger.interval.total_seconds() == self.tick:
            return
        scheduler.reschedule_job(CLAIM_JOB, trigger="interval", seconds=self.tick)

    def schedule(self, scheduler: AsyncIOScheduler, now: datetime) -> None:
        """Add the claim job to ``scheduler``, its first tick at ``now``."""
        self._scheduler = scheduler
        scheduler.add_job(
            self.claim,
            "interval",
            seconds=self.tick,
            id=CLAIM_JOB,
            max_instances=1,
            coalesce=True,
            next_run_time=now,
        )

    async def claim(self, renew: bool = True) -> None:
        """Claim the due feeds (up to the batch, less those still polling) and poll them;
        ``renew``: first renew the leases of the polls in flight (at every tick)."""
        async with self._claiming:  # the tick's claims and those of freed slots
            if self._stop.is_set():
                return
            feeds = self._feeds()
            free = {feed.name: feed for feed in feeds if feed.name not in self._polling}
            room = self.batch - len(self._polling)
            try:
                if not self._adopted:
                    await self.leases.adopt(feeds)
                    self._adopted = True
                if renew:
                    await self.leases.renew(self._polling, self._shortest)
                claimed = await self.leases.claim(free, room) if room > 0 else []
            except StateError:
                return  # reported by the state's observer; claimed at the next tick
            loop = asyncio.get_running_loop()
            for feed in claimed:
                self._polling.add(feed.name)
                task: asyncio.Task[object] = loop.create_task(self._poll(feed))
                task.add_done_callback(functools.partial(self._polled, feed.name))

    def _polled(self, name: str, _: object) -> None:
        self._polling.discard(name)
        if self._refill is None and not self._stop.is_set():
            self._refill = asyncio.get_running_loop().create_task(self._claim_freed())

    async def _claim_freed(self) -> None:
        """Polls ended: their slots take the next due feeds now, not at the next tick."""
        self._track()
        try:
            await asyncio.sleep(CLAIM_GATHER)
        finally:
            self._refill = None
        await self.claim(renew=False)

    async def bring_back(self, step: timedelta) -> None:
        """The wall clock stepped back ``step``: the shared schedule's times this replica
        wrote come back with it; the claims wait for it."""
        async with self._claiming:
            with contextlib.suppress(StateError):  # reported; those feeds wait out the step
                await self.leases.bring_back(step)
