"""The daemon: APScheduler wiring, polling every feed on its own schedule, clean shutdown.

``Daemon.run_once`` polls every feed once, each waiting for its host's turn and then for
one of the fetcher's overall slots (the HTTP pool stays that size), and delivers what is
due.
``Daemon.run_forever`` schedules one job per feed with jitter; a job never overlaps itself;
a failing feed backs off exponentially (capped, honouring Retry-After) and returns to its
interval once it recovers. SIGTERM/SIGINT stop scheduling and let work in flight finish
(polls still waiting for their host's turn begin no request);
SIGHUP (and ``watch``, checked every few seconds) reloads the rules. The scheduler keeps
its times on the wall clock: when that steps back (``clockstep``), every job's next run is
brought back by as much, so nothing waits the size of the step.

With ``leases`` (replicas sharing a PostgreSQL state), feeds are not scheduled one job
each: ``claimer.FeedClaimer`` claims the due feeds from the state to poll them. A poll's end
settles its lease, and a failing feed's back-off is recorded there for every replica.
After a backward clock step, the feeds this replica scheduled in the state come back with
it before the next claim.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from monitor.claimer import FeedClaimer
from monitor.clockstep import ClockStep, ClockStepWatch, bring_back
from monitor.errors import ConfigError, StateError
from monitor.hangups import early_hangup, ignore_hangups
from monitor.poller import Poller, PollOutcome
from monitor.replicas import FeedLeases
from monitor.sources.feeds import DEFAULT_INTERVAL, FeedConfig
from monitor.sources.fetch import NotBegun

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger("monitor.daemon")
# Work still running after the shutdown grace is cancelled; this long for it to unwind.
UNWIND_SECONDS = 2.0


def backoff_delay(
    failures: int, interval: timedelta, cap: timedelta, retry_after: float | None = None
) -> timedelta:
    """How long to wait after ``failures`` consecutive failures: interval * 2^(n-1), capped.

    A server's ``Retry-After`` (with any status) is honoured when it asks for longer, within
    the same cap.
    """
    exponent = max(0, min(failures - 1, 30))
    delay = min(cap, interval * (1 << exponent))
    if retry_after is not None:  # capped before it is a timedelta: 1e20 s would overflow
        delay = max(delay, timedelta(seconds=min(retry_after, cap.total_seconds())))
    return delay


NAMED = 20  # feeds named in a line about many


@dataclass
class RunSummary:
    """What one cycle (``run --once``) did."""

    outcomes: list[PollOutcome] = field(default_factory=list)
    delivered: int = 0

    @property
    def failed(self) -> list[PollOutcome]:
        return [o for o in self.outcomes if o.status == "error"]


class Daemon:
    """Schedules polls of ``feeds`` through ``poller``; ``deliver`` drains the outbox."""

    def __init__(
        self,
        poller: Poller,
        feeds: Sequence[FeedConfig],
        deliver: Callable[[], Awaitable[int]],
        *,
        max_backoff: timedelta = timedelta(hours=1),
        delivery_interval: timedelta = timedelta(seconds=5),
        maintenance: Callable[[], Coroutine[Any, Any, object]] | None = None,
        shutdown_grace: float = 20.0,
        watch: Callable[[], Coroutine[Any, Any, object]] | None = None,
        reload: Callable[[], Coroutine[Any, Any, object]] | None = None,
        watch_interval: timedelta = timedelta(seconds=2),
        leases: FeedLeases | None = None,
        claim_batch: int = 64,
        wall_clock: Callable[[], float] = time.time,
        on_clock_step: Callable[[timedelta, datetime], Coroutine[Any, Any, object]] | None = None,
    ) -> None:
        self.poller = poller
        self.feeds = list(feeds)
        self.deliver = deliver
        self.max_backoff = max_backoff
        self.delivery_interval = delivery_interval
        self.maintenance = maintenance
        self.shutdown_grace = shutdown_grace
        self.watch = watch
        self.reload = reload
        self.watch_interval = watch_interval
        self.scheduler: AsyncIOScheduler | None = None
        self._stop = asyncio.Event()
        self._inflight: set[asyncio.Task[object]] = set()
        self.leases = leases
        self._claimer = (
            FeedClaimer(
                leases,
                claim_batch,
                feeds=lambda: self.feeds,
                poll=self._poll_job,
                track=self._track,
                stop=self._stop,
            )
            if leases is not None
            else None
        )
        self._in_flight: set[str] = set()  # feeds being polled (one job each, no leases)
        self._not_begun: list[str] = []  # feeds whose polls the shutdown kept from beginning
        self._edited: set[str] = set()  # of those, feeds rescheduled by a reload meanwhile
        self._scheduler_class: type[AsyncIOScheduler] | None = None
        self.wall_clock = wall_clock  # what the clock-step watch compares with the loop's
        self.on_clock_step = on_clock_step  # (step, now): what else comes back with the clock
        self.last_clock_step: ClockStep | None = None  # told by /healthz

    async def _poll_safely(self, feed: FeedConfig) -> PollOutcome:
        """Poll one feed; an unexpected error is logged with the feed and contained."""
        try:
            return await self.poller.poll(feed)
        except StateError as exc:  # logged once per distinct failure by the state's observer
            return PollOutcome(feed.name, "error", error=str(exc))
        except ConfigError as exc:  # e.g. rules read at their first use (`run --once`)
            more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
            first = exc.problems[0] if exc.problems else "configuration problems"
            return PollOutcome(feed.name, "error", error=f"entries not examined: {first}{more}")
        except Exception as exc:
            log.exception("poll: unexpected error", extra={"feed": feed.name})
            return PollOutcome(feed.name, "error", error=f"{type(exc).__name__}: {exc}")

    async def poll_all(self, feeds: Sequence[FeedConfig] | None = None) -> list[PollOutcome]:
        """Poll each feed once, all at once as far as the fetcher's limits allow.

        Every feed waits for its own host's turn (the fetcher's per-host limit) before it
        takes one of the overall slots, so the order of the list does not matter: a feed
        waiting for a busy site never keeps feeds of other sites waiting.
        """
        chosen = list(feeds if feeds is not None else self.feeds)
        return list(await asyncio.gather(*(self._poll_safely(feed) for feed in chosen)))

    async def run_once(self) -> RunSummary:
        """One poll of every feed, then deliver what is due."""
        outcomes = await self.poll_all()
        delivered = await self.deliver()
        return RunSummary(outcomes, delivered)

    # the scheduled daemon ----------------------------------------------------------------

    def _track(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)

    @contextlib.contextmanager
    def _cut_short(self, message: str, **extra: object) -> Iterator[None]:
        """Work cancelled because the grace of a shutdown ran out ends with one warning
        (``message``, ``extra``), not as a failed job with a traceback."""
        try:
            yield
        except asyncio.CancelledError:
            if not self._stop.is_set():
                raise
            log.warning(message, extra=extra)

    async def _poll_job(self, feed: FeedConfig) -> None:
        self._track()
        self._in_flight.add(feed.name)
        try:
            with self._cut_short(
                "daemon: poll cut short by the shutdown; its entries wait for the next start",
                feed=feed.name,
            ):
                try:
                    await self._poll_and_settle(feed)
                except NotBegun:  # told once for all at the end (hundreds may be queued)
                    self._not_begun.append(feed.name)
        finally:
            self._in_flight.discard(feed.name)
            self._follow_edit(feed)

    def _follow_edit(self, polled: FeedConfig) -> None:
        """A feed edited in feeds.yaml while it was polled is polled as it is now, once this
        job has ended: its replaced job cannot start while this one runs (one instance per
        job), so its first run waits for the end of this job's task."""
        task = asyncio.current_task()
        if polled.name not in self._edited or task is None:
            return
        self._edited.discard(polled.name)

        def poll_now(_: object) -> None:  # after the scheduler's own end of this job
            if self.scheduler is not None and not self._stop.is_set():
                with contextlib.suppress(LookupError):
                    self.scheduler.modify_job(
                        f"feed:{polled.name}", next_run_time=datetime.now(UTC)
                    )

        task.add_done_callback(poll_now)

    async def _poll_and_settle(self, feed: FeedConfig) -> None:
        """Poll ``feed``; settle its lease and, after a failure, back off."""
        started = self.leases.clock() if self.leases is not None else None
        outcome = await self._poll_safely(feed)
        started = outcome.began or started
        failed = outcome.status == "error"
        delay = None
        if failed:
            interval = feed.interval or DEFAULT_INTERVAL
            delay = backoff_delay(
                max(1, outcome.failures), interval, self.max_backoff, outcome.retry_after
            )
        if self.leases is not None and started is not None:
            with contextlib.suppress(StateError):  # reported; the lease runs out instead
                await self.leases.finish(feed, started, delay)
        if delay is not None and self.scheduler is not None and not self._stop.is_set():
            with contextlib.suppress(LookupError):
                self.scheduler.modify_job(
                    f"feed:{feed.name}", next_run_time=datetime.now(UTC) + delay
                )
            log.info(
                "poll: backing off",
                extra={
                    "feed": feed.name,
                    "failures": outcome.failures,
                    "retry_in_s": round(delay.total_seconds()),
                },
            )

    async def _deliver_job(self) -> None:
        self._track()
        try:
            with self._cut_short("daemon: delivery cut short by the shutdown; retried at start"):
                await self.deliver()
        except StateError:
            pass  # logged once per distinct failure by the state's observer; retried
        except Exception:
            log.exception("deliver: unexpected error")

    def stop(self) -> None:
        """Ask ``run_forever`` to stop (signal handlers call this): requests under way
        finish, polls still waiting for their turn end without beginning theirs."""
        self._stop.set()
        self.poller.stop_starting()

    def _schedule_feed(self, feed: FeedConfig, first: datetime) -> None:
        assert self.scheduler is not None
        seconds = (feed.interval or DEFAULT_INTERVAL).total_seconds()
        self.scheduler.add_job(
            self._poll_job,
            "interval",
            seconds=seconds,
            jitter=min(seconds * 0.1, 30.0),
            args=[feed],
            id=f"feed:{feed.name}",
            name=f"poll of feed {feed.name}",  # what the scheduler's own lines say
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(seconds),
            next_run_time=first,
            replace_existing=True,
        )

    def set_feeds(self, feeds: Sequence[FeedConfig]) -> None:
        """Adopt a new feed list: new or changed feeds are (re)scheduled, removed ones dropped."""
        old = {feed.name: feed for feed in self.feeds}
        self.feeds = list(feeds)
        if self._claimer is not None:
            self._claimer.feeds_changed()  # new feeds join the leases at the next claim
            return
        if self.scheduler is None:
            return
        now = datetime.now(UTC)
        for name in old.keys() - {feed.name for feed in feeds}:
            with contextlib.suppress(LookupError):
                self.scheduler.remove_job(f"feed:{name}")
        for feed in feeds:
            if old.get(feed.name) != feed:  # being polled: at once when that poll ends
                later = feed.name in self._in_flight
                if later:
                    self._edited.add(feed.name)
                self._schedule_feed(feed, now + (feed.interval or DEFAULT_INTERVAL) * later)

    def _on_hangup(self) -> None:
        if self.reload is not None:
            log.info("daemon: SIGHUP, reloading rules")
            self._spawn(self.reload())

    def _spawn(self, work: Coroutine[Any, Any, object]) -> None:
        """Run ``work`` as a task the shutdown lets finish."""
        task: asyncio.Task[object] = asyncio.get_running_loop().create_task(work)
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    def prepare(self) -> None:
        """Import the scheduler (not for `run --once`): before anything is served, since an
        import on the running event loop holds it (a few hundred ms on a busy machine)."""
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self._scheduler_class = AsyncIOScheduler

    async def run_forever(self) -> None:
        """Run until ``stop`` (or SIGTERM/SIGINT); then finish work in flight."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.stop)
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
            loop.add_signal_handler(signal.SIGHUP, self._on_hangup)
            if early_hangup():  # during the start-up: the rules may have changed since
                loop.call_soon(self._on_hangup)
        if self._scheduler_class is None:
            self.prepare()
        assert self._scheduler_class is not None
        # A run due while the loop was held (a large feed, a reload) runs late rather than
        # not at all (APScheduler's default grace is one second), once for all it missed.
        scheduler = self._scheduler_class(
            timezone=UTC, job_defaults={"misfire_grace_time": None, "coalesce": True}
        )
        self.scheduler = scheduler
        now = datetime.now(UTC)
        if self._claimer is not None:
            self._claimer.schedule(scheduler, now)
        for index, feed in enumerate(self.feeds if self.leases is None else ()):
            seconds = (feed.interval or DEFAULT_INTERVAL).total_seconds()
            # First polls are spread over a few seconds rather than fired all at once.
            spread = min(seconds, 5.0) * index / max(1, len(self.feeds))
            self._schedule_feed(feed, now + timedelta(seconds=spread))
        scheduler.add_job(
            self._deliver_job,
            "interval",
            seconds=self.delivery_interval.total_seconds(),
            id="deliver",
            max_instances=1,
            coalesce=True,
            next_run_time=now,
        )
        if self.watch is not None:
            scheduler.add_job(
                self._watch_job,
                "interval",
                seconds=self.watch_interval.total_seconds(),
                id="watch-rules",
                max_instances=1,
                coalesce=True,
            )
        if self.maintenance is not None:
            scheduler.add_job(
                self.maintenance, "interval", hours=6, id="maintenance", next_run_time=now
            )
        scheduler.start()
        clock_watch = ClockStepWatch(self._clock_stepped, wall=self.wall_clock)
        clock_watch.start()
        log.info("daemon: started", extra={"feeds": len(self.feeds)})
        try:
            await self._stop.wait()
        finally:
            clock_watch.stop()
            # Pause first: the scheduler's shutdown would cancel the jobs in flight.
            scheduler.pause()
            await asyncio.sleep(0)  # let jobs submitted just before the stop register
            pending = {t for t in self._inflight if not t.done()}
            if pending:
                log.info("daemon: finishing work in flight", extra={"tasks": len(pending)})
                _, late = await asyncio.wait(pending, timeout=self.shutdown_grace)
                for task in late:
                    task.cancel()
                if late:  # unwound (and said so) before the store and the fetcher close
                    await asyncio.wait(late, timeout=UNWIND_SECONDS)
            if self._not_begun:
                log.warning(
                    "daemon: polls not begun at the shutdown; their feeds are polled at the"
                    " next start",
                    extra={"polls": len(self._not_begun), "feeds": self._not_begun[:NAMED]},
                )
                self._not_begun = []
            scheduler.shutdown(wait=False)
            self.scheduler = None
            with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
                loop.remove_signal_handler(signal.SIGHUP)
                ignore_hangups()  # not fatal while closing
            log.info("daemon: stopped")

    def _clock_stepped(self, step: timedelta) -> None:
        """The wall clock stepped back ``step``: every job's next run comes back with it, and
        so does what ``on_clock_step`` brings back (the outbox's retries, the rate limit)."""
        now = datetime.fromtimestamp(self.wall_clock(), UTC)
        self.last_clock_step = ClockStep(step.total_seconds(), now)
        if self.scheduler is None or self._stop.is_set():
            return
        if self._claimer is not None:  # before the claim the scheduler is woken for
            self._spawn(self._claimer.bring_back(step))
        if self.on_clock_step is not None:
            self._spawn(self.on_clock_step(step, now))
        moved = bring_back(self.scheduler, step, now)
        log.warning(
            "daemon: the wall clock stepped back; scheduled runs brought back as far",
            extra={"step_s": round(step.total_seconds(), 1), "jobs": moved},
        )

    async def _watch_job(self) -> None:
        self._track()
        if self.watch is None:
            return
        try:
            await self.watch()
        except Exception:
            log.exception("rules: watching for changes failed")

    def next_poll(self, feed: str) -> datetime | None:
        """When the feed is polled next (None when not scheduled)."""
        if self.leases is not None:
            return self.leases.next_due(feed)
        job = self.scheduler.get_job(f"feed:{feed}") if self.scheduler is not None else None
        return job.next_run_time if job is not None else None

    @property
    def stopping(self) -> bool:
        """Told to stop: no poll starts any more (the scheduler is paused, not stopped,
        while work in flight finishes)."""
        return self._stop.is_set()

    @property
    def scheduler_alive(self) -> bool:
        return self.scheduler is not None and bool(self.scheduler.running)
