"""How replicas sharing a PostgreSQL state divide the work (with SQLite there is one process
and none of this is used).

- ``FeedLeases``: a replica polls the feeds it claims from the state (see
  ``store_replicas``); a claim moves the feed's next due time one interval ahead, so no
  feed is polled twice in an interval; the claim is a lease of 0.4 of the interval,
  renewed while the poll runs and settled by its end. A killed replica's session ends
  with it (``Store.be_present``), so the others take over its unsettled feeds at once;
  one cut off without its session ending is taken over when its leases run out.
- ``SharedDecisions``: a poll that opens or extends developments records them under a lock
  shared by all replicas; if others recorded developments since this replica's book took
  them in, the book takes them in and detection runs again first. So two replicas reading
  two reports of one event at once open one development. The poll's commit checks that
  none were recorded since (should the lock have been lost with its session): the lock
  saves work, the commit's check keeps the decisions right.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from monitor.errors import StateError
from monitor.sources.feeds import DEFAULT_INTERVAL, FeedConfig
from monitor.store import Store

if TYPE_CHECKING:  # detection loads at its first use (start-up speed)
    from monitor.detect.engine import Detector
    from monitor.detect.stories import StoryBook

log = logging.getLogger("monitor.replicas")
LOCK_RETRY_SECONDS = 0.01
# How long a poll waits for another replica's decision lock before deciding without it.
LOCK_WAIT = 30.0
LEASE_SHARE = 0.4
SPREAD = timedelta(seconds=5)


def replica_name() -> str:
    """This process's name in claims and leases: host, pid and a random tag."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class FeedLeases:
    """The feeds this replica may poll now, claimed from the shared state."""

    def __init__(
        self,
        store: Store,
        holder: str,
        clock: Callable[[], datetime],
        longest_poll: timedelta = timedelta(seconds=90),
    ) -> None:
        self.store = store
        self.holder = holder
        self.clock = clock
        self.longest_poll = longest_poll

    def lease(self, interval: timedelta) -> timedelta:
        """How long a claim lasts unsettled and unrenewed: 0.4 of the interval (a replica
        cut off resumes within 1.4 intervals and a tick; the claim job renews the leases of
        its polls eight times over that, so a replica whose event loop or database is slow
        for a few seconds keeps them), at most the longest poll. A killed replica's feeds
        do not wait for this (``Store.be_present``)."""
        return min(interval * LEASE_SHARE, self.longest_poll)

    async def adopt(self, feeds: Sequence[FeedConfig]) -> None:
        """Make feeds not leased yet due over the next few seconds (at most 5 s or the
        shortest interval, as the single daemon spreads its first polls), so their polls
        do not all fall due at once, interval after interval; others keep their schedule."""
        shortest = min((feed.interval or DEFAULT_INTERVAL for feed in feeds), default=SPREAD)
        names = [feed.name for feed in feeds]
        await self.store.run(self.store.lease_feeds, names, self.clock(), min(shortest, SPREAD))

    async def claim(self, feeds: Mapping[str, FeedConfig], limit: int) -> list[FeedConfig]:
        """Claim up to ``limit`` of ``feeds`` that are due; ``StateError`` on failure."""
        leases = {}
        for name, feed in feeds.items():
            interval = feed.interval or DEFAULT_INTERVAL
            leases[name] = (interval, self.lease(interval))
        store = self.store
        names = await store.run(store.claim_feeds, leases, self.holder, self.clock(), limit)
        return [feeds[name] for name in names]

    async def renew(self, names: Collection[str], interval: timedelta) -> None:
        """Keep the leases of polls still in flight (``interval``: the shortest)."""
        until = self.clock() + self.lease(interval)
        await self.store.run(self.store.renew_feeds, sorted(names), self.holder, until)

    async def finish(
        self, feed: FeedConfig, started: datetime, delay: timedelta | None = None
    ) -> None:
        """Settle the lease after a poll that began at ``started``: the feed is next due one
        interval after that (not after its claim: a poll that began late, its replica
        busy, is not followed by another less than an interval later); with ``delay``
        then, for every replica (a failing feed backs off). A wall clock stepped back
        during the poll counts from now, not from a start now ahead."""
        now = self.clock()
        due = now + delay if delay else min(started, now) + (feed.interval or DEFAULT_INTERVAL)
        await self.store.run(self.store.finish_feed, feed.name, self.holder, due)

    async def bring_back(self, step: timedelta) -> int:
        """This replica's wall clock stepped back ``step``: the feeds it scheduled are due
        as much earlier (``Store.bring_back_leases``); ``StateError`` on failure."""
        store = self.store
        return await store.run(store.bring_back_leases, self.holder, step, self.clock())

    def next_due(self, name: str) -> datetime | None:
        try:
            return self.store.feed_due(name)
        except StateError:
            return None


@dataclass
class Turn:
    """One poll's turn to decide: ``stale`` says the book was reset from the state (detect
    again); ``seen`` is the decisions counter the book reflects, which the poll's commit
    names (``Store.commit_poll(decided_on=...)``) and, once it recorded developments,
    moves on with ``recorded``."""

    stale: bool
    seen: int

    def recorded(self) -> None:
        """The poll's commit recorded developments: the counter reads one more."""
        self.seen += 1


class SharedDecisions:
    """Serialises detection across replicas (and across this replica's polls).

    What makes two replicas' decisions safe is the commit: it records the developments
    only if the decisions counter still reads what the book was decided on (one guarded
    ``UPDATE decisions SET seq = seq + 1 WHERE seq = ?`` in the poll's transaction; a
    concurrent commit waits for its row lock and then does not match), else nothing and
    ``DecisionsMoved``, and the poll takes the others' developments in and decides again.
    The session advisory lock around the decision only keeps replicas from deciding at
    the same time and redoing their work: it is lost silently with its session (the store
    reconnects at the next statement without it), which the commit's check covers.
    """

    def __init__(self, store: Store, seen: int | None = None, wait: float = LOCK_WAIT) -> None:
        self.store = store
        self.wait = wait  # seconds to wait for another replica's lock before deciding anyway
        self._local = asyncio.Lock()
        self._seen = seen  # the decisions counter this replica's book reflects

    @contextlib.asynccontextmanager
    async def deciding(
        self, detector: Detector, reload: Callable[[StoryBook], Awaitable[None]]
    ) -> AsyncIterator[Turn]:
        """Hold the decision lock; yields the ``Turn``: whether others recorded developments
        since the detector's book last took them in (it has now: ``reload`` reset the book
        from the state, so the caller must detect again), and the counter to commit on.
        Leaving the block lets the lock go.

        Another replica holds the lock for as long as it decides and records (usually
        milliseconds). One that holds it longer than ``wait`` (frozen, or cut off without
        its session ending yet: keepalives end that within about a minute) is named in a
        warning and this replica decides without the lock, on the commit's check."""
        store = self.store
        async with self._local:
            loop = asyncio.get_running_loop()
            until = loop.time() + self.wait
            held = True
            while not await store.run(store.try_decision_lock):
                if loop.time() >= until:
                    held = False
                    log.warning(
                        "replicas: another replica has held the decision lock for %.0f s"
                        " (frozen, or cut off without its session ending yet); deciding"
                        " without it, the commit checks no developments were recorded since",
                        self.wait,
                        extra={"waited_s": round(self.wait)},
                    )
                    break
                await asyncio.sleep(LOCK_RETRY_SECONDS)
            try:
                seq = await store.run(store.decisions_seq)  # read before the book's reload
                stale = seq != self._seen
                if stale:
                    await reload(detector.book)
                turn = Turn(stale, seq)
                yield turn
                self._seen = turn.seen
            finally:
                if held:
                    with contextlib.suppress(StateError):  # reported; ends with the session
                        await store.run(store.release_decision_lock)
