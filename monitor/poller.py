"""Poll one feed end to end: fetch, parse, skip what was seen, detect, record.

``Poller.poll`` never raises for a feed's own trouble: a fetch or parse failure marks the
feed unhealthy with its reason and returns an outcome saying so, and the caller (the
daemon) backs off. Entries with alerts count as seen only in the transaction that queues
those alerts (a poll of many new entries records the others just after, in slices, and the
feed's success with its validators once they all are). Entries the feed still lists are
seen again, so they are never pruned while listed (see ``store.stale_before``).

Detection runs on one worker thread, one feed at a time (detection's story book is never
touched by two threads); parsing too, except for large bodies, which a separate process
parses (see ``sources/parsepool.py``), so a huge feed never starves the event loop: health
checks, deliveries and other fetches go on meanwhile. The store's calls run on the store's
own thread (``Store.run``): a database round trip never holds the loop either.
With ``deciding`` (replicas sharing a state), a poll that opens or extends developments
records them inside it, detecting again first when the book was stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from monitor.errors import DecisionsMoved, FeedError, FetchError, StateError
from monitor.intake import Intake
from monitor.metrics import Metrics
from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher, Validators
from monitor.sources.parsepool import PARSE_DEADLINE, ParsePool
from monitor.store import REPORTS_KEPT, Listing, Store, compare_listing, content_hash

if TYPE_CHECKING:
    from monitor.detect.engine import Detector
    from monitor.detect.stories import StoryBook
    from monitor.models import Alert, Article, Development, OutletReport
    from monitor.replicas import Turn

log = logging.getLogger("monitor.poll")

Clock = Callable[[], datetime]
Deciding = Callable[
    ["Detector", Callable[["StoryBook"], Awaitable[None]]], AbstractAsyncContextManager["Turn"]
]
# How many times a poll decides when other replicas keep recording developments meanwhile.
DECISION_ATTEMPTS = 3
T = TypeVar("T")
# A poll with more new entries than this records those that queue nothing after its own
# transaction, in slices of this many, yielding to the event loop in between (a
# 10,000-entry first poll in one transaction held the loop for a quarter of a second); the
# feed's success and validators only after the last slice.
SEEN_SLICE = 500


def utc_now() -> datetime:
    return datetime.now(UTC)


def distinct_entries(articles: Sequence[Article]) -> list[Article]:
    """``articles`` with each id once: an entry listed twice (same id, same content) is
    kept once; entries that share an id but say different things (a CMS that gives every
    item one guid) are each kept under that id and a digest of what they say. Under one
    id, the store knew only the last of them, so each poll found the others changed and
    examined them again."""
    if len({article.id for article in articles}) == len(articles):  # the rule: no hashing
        return list(articles)
    hashed = [(article, content_hash(article)) for article in articles]
    digests: defaultdict[str, set[str]] = defaultdict(set)
    for article, digest in hashed:
        digests[article.id].add(digest)
    kept: list[Article] = []
    taken: set[tuple[str, str]] = set()
    for article, digest in hashed:
        if (article.id, digest) in taken:
            continue
        taken.add((article.id, digest))
        if len(digests[article.id]) > 1:
            article = replace(article, id=f"{article.id}#{digest[:16]}")
        kept.append(article)
    return kept


@dataclass(frozen=True)
class Detected:
    """What detection made of one poll's new entries, on the book of one ``generation``."""

    detector: Detector
    generation: int
    alerts: list[Alert]
    developments: list[Development]  # copies of those opened or extended, alerted or not
    observed: list[OutletReport] = field(default_factory=list)  # for corroboration, to store

    @property
    def outdated(self) -> bool:
        """Whether the book was reset since (a failed commit, another replica's decisions):
        then detection must run again before anything is recorded."""
        return self.generation != self.detector.book.generation


@dataclass(frozen=True)
class PollOutcome:
    """What one poll of one feed did."""

    feed: str
    status: str  # "ok", "not-modified" or "error"
    entries: int = 0
    new_entries: int = 0
    skipped: int = 0
    alerts: int = 0
    queued: int = 0
    seconds: float = 0.0
    error: str | None = None
    failures: int = 0
    retry_after: float | None = None
    began: datetime | None = None  # when its request went out (None: it did not)


class Poller:
    """Polls feeds into the store; ``detector`` and ``route`` are read at each poll, and
    ``configured`` (the names of the feeds in force) and ``rules`` (the ids of the rules in
    force) at each measure."""

    def __init__(
        self,
        fetcher: Fetcher,
        store: Store,
        detector: Callable[[], Detector],
        route: Callable[[Alert], Sequence[str]],
        clock: Clock = utc_now,
        metrics: Metrics | None = None,
        intake: Intake | None = None,
        deciding: Deciding | None = None,
        configured: Callable[[], Collection[str]] | None = None,
        rules: Callable[[], Collection[str]] | None = None,
        parse_deadline: float = PARSE_DEADLINE,
    ) -> None:
        self.fetcher = fetcher
        self.configured = configured  # the feeds in force (None: every feed the state knows)
        self.rules = rules  # the ids of the rules in force (None: any)
        self.intake = intake or Intake()
        self.store = store
        self.detector = detector
        self.route = route
        self.clock = clock
        self.metrics = metrics
        self.deciding = deciding
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="monitor-parse")
        self._parser = ParsePool(self._worker, deadline=parse_deadline)

    async def _off_loop(self, work: Callable[[], T]) -> T:
        """Run ``work`` on the worker thread; the event loop stays free meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(self._worker, work)

    async def beside_detection(self, work: Callable[[], T]) -> T:
        """Run ``work`` off the event loop, on the thread where detection runs (never at the
        same time as a detection: a new detector may be built on the book in use)."""
        return await self._off_loop(work)

    def stop_starting(self) -> None:
        """Begin no more fetches: polls that have not begun their request end cancelled,
        having recorded nothing (the daemon is stopping)."""
        self.fetcher.stop_starting()

    def close(self) -> None:
        """Let the worker thread go once it is idle; stop the parsing process."""
        self._worker.shutdown(wait=False)
        self._parser.close()

    async def _failed(
        self,
        feed: FeedConfig,
        reason: str,
        started: float,
        began: datetime,
        retry_after: float | None = None,
    ) -> PollOutcome:
        store = self.store
        failures = await store.run(
            store.record_failure, feed.name, str(feed.url), reason, self.clock()
        )
        outcome = PollOutcome(
            feed.name,
            "error",
            seconds=time.monotonic() - started,
            error=reason,
            failures=failures,
            retry_after=retry_after,
            began=began,
        )
        log.warning(
            "poll: feed failed",
            extra={
                "feed": feed.name,
                "status": "error",
                "reason": reason,
                "failures": failures,
                "duration_ms": round(outcome.seconds * 1000),
            },
        )
        await self._measure(outcome, ())
        return outcome

    async def poll(self, feed: FeedConfig) -> PollOutcome:
        """Poll ``feed`` once."""
        started = time.monotonic()
        store = self.store
        state = await store.run(store.feed_state, feed.name)
        began = self.clock()
        # The validators of the last poll go only to the address they came from (a feed
        # moved in feeds.yaml: the new address would answer 304 to the old Last-Modified).
        sent = Validators()
        if state.url == str(feed.url):
            sent = Validators(state.etag, state.last_modified)
        try:
            result = await self.fetcher.fetch(feed, sent)
        except FetchError as exc:
            return await self._failed(feed, exc.reason, started, began, exc.retry_after)
        now = self.clock()
        if result.not_modified or result.body is None:
            await store.run(
                store.record_not_modified,
                feed.name,
                str(feed.url),
                result.validators.etag,
                result.validators.last_modified,
                now,
                state.last_success,
            )
            return await self._done(
                [],
                PollOutcome(
                    feed.name, "not-modified", seconds=time.monotonic() - started, began=began
                ),
            )
        body = result.body
        try:
            parsed = await self._parser.parse(body, feed.name, result.charset)
        except FeedError as exc:
            return await self._failed(feed, f"invalid feed: {exc.reason}", started, began)
        if parsed.warning:
            log.info(
                "poll: feed is ill-formed, using what was recovered",
                extra={"feed": feed.name, "reason": parsed.warning},
            )
        known = await store.run(store.seen_entries, feed.name)
        listing = await self._off_loop(
            lambda: compare_listing(known, distinct_entries(parsed.articles), now)
        )
        fresh = listing.unseen
        examined = self.intake.select(fresh, now, first_poll=state.last_success is None)
        # Nothing new to judge (a feed without validators sent what was seen): detection is
        # not even loaded for it (issue 11).
        detector = self.detector() if examined else None
        detected = await self._detect(detector, examined, now) if detector is not None else None
        # Replicas sharing a state record developments one poll at a time; when others
        # recorded developments meanwhile (or the book was reset since), detection runs again.
        # Should another replica have recorded some all the same (the lock lost with its
        # session), the commit records nothing and the poll decides again.
        for attempt in range(1, DECISION_ATTEMPTS + 1):
            guard: AbstractAsyncContextManager[Turn | None] = contextlib.nullcontext(None)
            if detected is not None and detected.developments and self.deciding is not None:
                guard = self.deciding(detected.detector, self._reload)
            entered = False
            try:
                async with guard as turn:
                    entered = True
                    stale = turn is not None and turn.stale
                    if (
                        detected is not None
                        and detected.developments
                        and (stale or detected.outdated)
                    ):
                        detected = await self._detect(detected.detector, examined, now)
                    queued = await self._record(
                        feed, result.validators, listing, detected, now, turn
                    )
                break
            except DecisionsMoved:
                if attempt == DECISION_ATTEMPTS:
                    raise
                log.info(
                    "poll: another replica recorded developments meanwhile, deciding again",
                    extra={"feed": feed.name, "attempt": attempt},
                )
            except StateError:
                # The guard itself failed (the state did not answer as the poll began to
                # decide): the book holds developments never recorded, and the counter has
                # not moved to tell the next poll so. (_record resyncs its own failures.)
                if not entered:
                    await self._resync(detected)
                raise
        alerts = detected.alerts if detected is not None else []
        for alert in alerts:
            log.info(
                "poll: %s %s",
                alert.type,
                alert.rule,
                extra={
                    "feed": feed.name,
                    "rule": alert.rule,
                    "entry": alert.article.id,
                    "development": alert.development,
                    "alert_type": alert.type,
                },
            )
        return await self._done(
            alerts,
            PollOutcome(
                feed.name,
                "ok",
                entries=len(parsed.articles),
                new_entries=len(fresh),
                skipped=len(fresh) - len(examined),
                alerts=len(alerts),
                queued=queued,
                seconds=time.monotonic() - started,
                began=began,
            ),
        )

    @staticmethod
    def _quiet(fresh: Sequence[Article], alerts: Sequence[Alert]) -> list[Article]:
        """When a poll brings many new entries, those that queue nothing: they are
        recorded after the poll's own transaction, in slices, letting the event loop run
        between them, and the feed's success and validators after them. Should a slice
        fail (or a shutdown cancel it), the next poll reads the whole feed again and takes
        the entries not recorded as this one would (a first poll stays a first poll; an
        alert is never lost for it); entries with alerts are always recorded with their
        alerts."""
        if len(fresh) <= SEEN_SLICE:
            return []
        loud = {alert.article.id for alert in alerts}
        return [a for a in fresh if a.id not in loud]

    async def _detect(
        self, detector: Detector, examined: Sequence[Article], now: datetime
    ) -> Detected:
        """The alerts and updates ``examined`` raises, oldest entry first, and copies of the
        developments they opened or extended, as they stood then (off the loop, where
        detection runs one feed at a time). A book emptied by a failed reload is reloaded
        first, also when the reload failed while this job waited for the worker. What other
        polls stored for corroboration (other replicas, this daemon before a restart) is
        taken in first; what this one observed is returned, to store."""
        recent = detector.recent

        def detect(stored: tuple[list[int], list[OutletReport]]) -> Detected | None:
            from monitor.models import in_published_order

            book = detector.book
            if book.needs_reload:
                return None
            recent.share()
            rows, others = stored
            recent.take_in(others, rows, now)
            generation = book.generation
            reported = {d.id: len(d.entries) for d in book.developments}
            ordered = in_published_order(examined)
            alerts = [alert for article in ordered for alert in detector.examine(article, now)]
            changed = [
                _snapshot(d) for d in book.developments if len(d.entries) > reported.get(d.id, 0)
            ]
            return Detected(detector, generation, alerts, changed, recent.drain())

        store = self.store
        while True:  # until the book is sound, or the store's StateError ends the poll
            if detector.book.needs_reload:
                await self._reload(detector.book)
            since = now - REPORTS_KEPT
            stored = await store.run(
                store.stored_reports, recent.synced, recent.missing, since, recent.observer
            )
            detected = await self._off_loop(functools.partial(detect, stored))
            if detected is not None:
                return detected

    async def _record(
        self,
        feed: FeedConfig,
        validators: Validators,
        listing: Listing,
        detected: Detected | None,
        now: datetime,
        turn: Turn | None = None,
    ) -> int:
        """Record the poll (the ``listing`` of its response) with its alerts and the
        developments it changed; outbox rows added (``detected`` is None when nothing was
        examined). With a ``turn`` (replicas), the developments are recorded only on the
        decisions counter it names (``DecisionsMoved`` otherwise)."""
        alerts = detected.alerts if detected is not None else []
        store = self.store
        fresh = listing.unseen
        try:
            quiet = self._quiet(fresh, alerts)
            later = {a.id for a in quiet}
            queued = await store.run(
                store.commit_poll,
                feed=feed.name,
                url=str(feed.url),
                etag=validators.etag,
                last_modified=validators.last_modified,
                articles=[a for a in fresh if a.id not in later],
                alerts=alerts,
                developments=detected.developments if detected is not None else [],
                route=self.route,
                now=now,
                observed=detected.observed if detected is not None else [],
                observer=detected.detector.recent.observer if detected is not None else "",
                listing=listing,
                complete=not quiet,
                decided_on=turn.seen if turn is not None else None,
            )
            if turn is not None and detected is not None and detected.developments:
                turn.recorded()
            for start in range(0, len(quiet), SEEN_SLICE):  # other calls run between slices
                part = quiet[start : start + SEEN_SLICE]
                await store.run(store.record_seen, feed.name, part, now)
            if quiet:
                await store.run(
                    store.record_success,
                    feed.name,
                    str(feed.url),
                    validators.etag,
                    validators.last_modified,
                    now,
                    listing.gone,
                )
        except StateError:
            # What detection decided was not recorded: forget it; the next poll decides again.
            await self._resync(detected)
            raise
        if detected is not None and detected.developments and detected.outdated:
            # the book was reset from the store while this poll recorded: it may lack what
            # the poll just recorded
            await self._resync(detected)
        return queued

    async def _resync(self, detected: Detected | None) -> None:
        """Reload the book ``detected`` was decided on from the store; should the store not
        answer, the book is marked and reloaded before its next decision."""
        if detected is not None:
            with contextlib.suppress(StateError):
                await self._reload(detected.detector.book)

    async def _reload(self, book: StoryBook) -> None:
        """Put ``book`` back to the developments the store recorded, on the worker thread
        where detection reads it. When the store cannot say, the book forgets everything it
        knows (so no decision rests on what was never recorded) and is marked for a reload
        before its next decision; the ``StateError`` is raised."""
        try:
            developments = await self.store.run(self.store.developments)
        except StateError:

            def forget() -> None:  # one job: no detection runs between the two steps
                book.reset([])
                book.needs_reload = True

            await self._off_loop(forget)
            raise
        await self._off_loop(lambda: book.reset(developments))

    async def measure_health(self) -> None:
        """Set the unhealthy-feeds gauge from the store (after every poll, at start and at
        each reload), counting only the feeds in force."""
        if self.metrics is not None:
            among = self.configured() if self.configured is not None else None
            with contextlib.suppress(StateError):  # reported by the store; set again next poll
                unhealthy = await self.store.run(self.store.unhealthy_count, among)
                self.metrics.feeds_unhealthy.set(unhealthy)

    async def _measure(self, outcome: PollOutcome, alerts: Sequence[Alert]) -> None:
        if self.metrics is None:
            return
        await self.measure_health()
        self.metrics.poll_seconds.observe(outcome.seconds)
        if self.configured is None or outcome.feed in self.configured():
            # not for a feed taken out of feeds.yaml while it was polled: its series are gone
            self.metrics.polls.labels(outcome.feed, outcome.status).inc()
            if outcome.status == "error":
                self.metrics.poll_errors.labels(outcome.feed).inc()
            if outcome.new_entries:
                self.metrics.entries.labels(outcome.feed).inc(outcome.new_entries)
        # not for a rule taken out while the poll ran: its series are gone
        known = self.rules() if self.rules is not None and alerts else None
        for alert in alerts:
            for rule in alert.all_rules:
                if known is None or rule in known:
                    self.metrics.alerts.labels(rule, alert.type).inc()

    async def _done(self, alerts: Sequence[Alert], outcome: PollOutcome) -> PollOutcome:
        await self._measure(outcome, alerts)
        log.info(
            "poll: feed polled",
            extra={
                "feed": outcome.feed,
                "status": outcome.status,
                "entries": outcome.entries,
                "new_entries": outcome.new_entries,
                "skipped": outcome.skipped,
                "alerts": outcome.alerts,
                "duration_ms": round(outcome.seconds * 1000),
            },
        )
        return outcome


def _snapshot(development: Development) -> Development:
    """A copy to record: the book's own may change while the store writes it."""
    return replace(
        development,
        evidence=list(development.evidence),
        entries=list(development.entries),
        rules=list(development.rules),
        outlets=list(development.outlets),
        reports=list(development.reports),
    )
