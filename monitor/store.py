"""Durable state in SQLite or PostgreSQL: with its parts, the only modules that know SQL.

Holds feeds (HTTP validators and health), seen entries, developments and alerts; the
delivery outbox is its part ``store_outbox.OutboxStore``, and the other ``store_*`` parts are
mixed in the same way (``store_base.StorePart``). ``commit_poll`` records a poll's entries,
alerts and outbox rows in one transaction, so an entry counts as seen only together with its
alerts. The schema version
lives in ``PRAGMA user_version`` (SQLite) or the ``schema_version`` table (PostgreSQL);
``open_store`` upgrades older databases in place with the steps of
``store_schema.MIGRATIONS``, the same steps for both (``store_db`` adapts them).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

from monitor.dburl import is_postgres_url, redact_error, redact_url
from monitor.errors import DecisionsMoved, StateError
from monitor.silences import silence_for
from monitor.store_base import stamp
from monitor.store_clockstep import ClockStepStore
from monitor.store_db import Database
from monitor.store_feedback import FeedbackStore
from monitor.store_history import AlertHistory
from monitor.store_outbox import OutboxStore
from monitor.store_replicas import ReplicaStore
from monitor.store_schema import MIGRATIONS
from monitor.store_silences import SilenceStore
from monitor.store_thread import StoreThread
from monitor.store_views import StoreViews

if TYPE_CHECKING:
    from monitor.models import Alert, Article, Development, OutletReport, ReportTrace
    from monitor.store_history_records import AlertRecord

SCHEMA_VERSION = len(MIGRATIONS)
# reports stored for corroboration are kept this long: twice its window, for entries
# published up to a window before their poll
REPORTS_KEPT = timedelta(hours=144)
SEEN_REFRESH = timedelta(hours=1)  # see stale_before
BUSY_TIMEOUT = 30.0  # seconds a connection waits for another's lock (and for a WAL switch)
P = ParamSpec("P")
T = TypeVar("T")


def content_hash(article: Article) -> str:
    """A digest of what an entry says; a changed hash means the entry is examined again."""
    return hashlib.sha256(f"{article.title}\0{article.text}".encode()).hexdigest()


def stale_before(now: datetime) -> datetime:
    """The entries a feed lists are seen again (their ``last_seen`` written) when last seen
    before this: the start of the hour of ``now``, less an hour; those it no longer lists,
    when last seen since, are marked seen just before it. So after every successful poll,
    the entries last seen since ``stale_before`` of its time are exactly those the feed
    lists (a 304 renews them), none older than two hours, for one write an hour each."""
    hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return hour - SEEN_REFRESH


@dataclass(frozen=True)
class Listing:
    """A feed's full response against the entries the feed had (``compare_listing``)."""

    unseen: list[Article]  # entries new, or with other content
    stale: list[str]  # ids of the others, last seen before ``stale_before``: seen again
    gone: list[str]  # ids of entries it no longer lists, last seen since ``stale_before``


def compare_listing(
    known: Mapping[str, tuple[str, str]], articles: Sequence[Article], now: datetime
) -> Listing:
    """``articles`` (a full response at ``now``) against ``known`` (entry id -> content
    hash and ``last_seen``, ``Store.seen_entries``)."""
    before = stamp(stale_before(now))
    unseen: list[Article] = []
    stale: list[str] = []
    for article in articles:
        seen = known.get(article.id)
        if seen is None or seen[0] != content_hash(article):
            unseen.append(article)
        elif seen[1] < before:
            stale.append(article.id)
    listed = {article.id for article in articles}
    gone = [key for key, (_, last) in known.items() if last >= before and key not in listed]
    return Listing(unseen, stale, gone)


@dataclass(frozen=True)
class FeedState:
    """What the store knows about one feed."""

    name: str
    etag: str | None = None
    last_modified: str | None = None
    healthy: bool = True
    reason: str | None = None
    failures: int = 0
    last_poll: str | None = None
    last_success: str | None = None
    url: str | None = None  # the address of its last poll (its validators came from there)


class StateObserver(Protocol):
    """Told of every failed state operation and of every write that succeeded."""

    def failed(self, reason: str) -> None: ...

    def written(self) -> None: ...


class Store(
    StoreViews,
    OutboxStore,
    AlertHistory,
    SilenceStore,
    FeedbackStore,
    ReplicaStore,
    ClockStepStore,
):
    """The state database; one connection, used by one thread at a time.

    Every failure is a ``StateError`` (never a raw ``sqlite3`` or ``psycopg`` error), and is
    also reported to ``observer``, with every successful write, so trouble and recovery can be seen.
    The daemon makes its calls through ``run`` (on the store's own thread, see
    ``store_thread``); a direct call from any thread waits for the one in flight.
    """

    def __init__(self, connection: Database) -> None:
        self._db = connection
        self.observer: StateObserver | None = None
        self._lock = threading.RLock()  # one statement or transaction at a time
        self._thread = StoreThread(self._lock)

    async def run(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``call(*args, **kwargs)`` (a store method, or a function of the store) on the
        store's thread, in call order; the event loop runs meanwhile."""
        return await self._thread.run(call, *args, **kwargs)

    def close(self) -> None:
        self._thread.close()
        with self._lock:
            self._db.close()

    def ping(self) -> None:
        """Raise ``StateError`` unless the database answers a query."""
        self._rows("SELECT 1")

    def damage(self) -> list[str]:
        """What SQLite's quick integrity check finds wrong (empty when nothing); reads the
        whole file, so for ``status``, not for every poll. PostgreSQL checks itself."""
        return self._guarded(lambda db: db.damage())

    @property
    def database(self) -> Database:
        """The connection, for copying the whole state (``store_transfer``)."""
        return self._db

    @property
    def shared(self) -> bool:
        """Whether several processes may use this database at once (PostgreSQL)."""
        return self._db.shared

    def _failed(self, exc: Exception) -> StateError:
        error = StateError(f"state database: {exc}")
        if self.observer is not None:
            self.observer.failed(str(error))
        return error

    def _guarded(self, call: Callable[[Database], T]) -> T:
        """``call(connection)`` under the store's lock; ``StateError`` (reported to the
        observer) on a database error."""
        try:
            with self._lock:
                return call(self._db)
        except self._db.errors as exc:
            raise self._failed(exc) from exc

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        """Every row of a query; ``StateError`` (reported to the observer) on failure."""
        return self._guarded(lambda db: db.execute(sql, params).fetchall())

    @contextmanager
    def _transaction(self, alone: bool = False) -> Iterator[Database]:
        """A write transaction (``alone``: of one statement); its success or failure is
        reported to the observer."""
        try:
            with self._lock, self._db.alone() if alone else self._db.transaction() as db:
                yield db
        except self._db.errors as exc:
            raise self._failed(exc) from exc
        if self.observer is not None:
            self.observer.written()

    # feeds -------------------------------------------------------------------------------

    def feed_state(self, name: str) -> FeedState:
        rows = self._rows(
            "SELECT name, etag, last_modified, healthy, reason, failures, last_poll, last_success,"
            " url FROM feeds WHERE name = ?",
            (name,),
        )
        if not rows:
            return FeedState(name)
        row = rows[0]
        return FeedState(
            row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], row[8]
        )

    def feed_states(self) -> list[FeedState]:
        names = [row[0] for row in self._rows("SELECT name FROM feeds ORDER BY name")]
        return [self.feed_state(name) for name in names]

    def unhealthy_count(self, among: Collection[str] | None = None) -> int:
        """How many feeds (of those named ``among``: the configured ones) failed their last
        poll; a feed taken out of feeds.yaml keeps its row, and its last failure."""
        names = [row[0] for row in self._rows("SELECT name FROM feeds WHERE healthy = 0")]
        return len(names) if among is None else sum(name in among for name in names)

    def record_failure(self, name: str, url: str, reason: str, now: datetime) -> int:
        """Mark the feed unhealthy with ``reason``; return its consecutive failure count.
        At another ``url`` than before, its validators (of the old address) are dropped."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO feeds (name, url, healthy, reason, failures, last_poll)"
                " VALUES (?, ?, 0, ?, 1, ?) ON CONFLICT (name) DO UPDATE SET url = excluded.url,"
                " etag = CASE WHEN feeds.url = excluded.url THEN feeds.etag END,"
                " last_modified = CASE WHEN feeds.url = excluded.url THEN feeds.last_modified END,"
                " healthy = 0, reason = excluded.reason, failures = feeds.failures + 1,"
                " last_poll = excluded.last_poll",
                (name, url, reason, stamp(now)),
            )
        return self.feed_state(name).failures

    def _record_success(
        self,
        db: Database,
        name: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        gone: Collection[str] = (),
    ) -> None:
        """The feed's success with its validators; given the entries a full response no
        longer lists (``Listing.gone``), they are marked seen just before
        ``stale_before(now)``, so a 304 renews them no more."""
        self._seen_at(db, name, gone, stale_before(now) - timedelta(microseconds=1))
        db.execute(
            "INSERT INTO feeds (name, url, etag, last_modified, healthy, reason, failures,"
            " last_poll, last_success) VALUES (?, ?, ?, ?, 1, NULL, 0, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET url = excluded.url, etag = excluded.etag,"
            " last_modified = excluded.last_modified, healthy = 1, reason = NULL, failures = 0,"
            " last_poll = excluded.last_poll, last_success = excluded.last_success",
            (name, url, etag, last_modified, stamp(now), stamp(now)),
        )

    def record_not_modified(
        self,
        name: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        last_success: str | None = None,
    ) -> None:
        """Record a 304: the feed lists what it listed at its last success (``last_success``,
        as stored), the entries last seen since ``stale_before`` of that time; they are
        seen again once an hour."""
        before = stamp(stale_before(now))
        since = ""
        if last_success is not None:
            since = stamp(stale_before(datetime.fromisoformat(last_success)))
        due = since < before
        with self._transaction(alone=not due) as db:  # most 304s: one round trip
            self._record_success(db, name, url, etag, last_modified, now)
            if due:
                db.execute(
                    "UPDATE entries SET last_seen = ?"
                    " WHERE feed = ? AND last_seen >= ? AND last_seen < ?",
                    (stamp(now), name, since, before),
                )

    def record_success(
        self,
        name: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        gone: Collection[str] = (),
    ) -> None:
        """Record the success of a poll whose entries ``commit_poll`` (not ``complete``)
        and ``record_seen`` recorded, once they all are; with its validators, and the
        entries it no longer lists (``Listing.gone``)."""
        with self._transaction(alone=not gone) as db:
            self._record_success(db, name, url, etag, last_modified, now, gone)

    # entries -----------------------------------------------------------------------------

    def seen_hashes(self, feed: str) -> dict[str, str]:
        """Entry id -> content hash of every entry ``feed`` is known to have had."""
        sql = "SELECT entry_id, content_hash FROM entries WHERE feed = ?"
        return dict(self._rows(sql, (feed,)))

    def seen_entries(self, feed: str) -> dict[str, tuple[str, str]]:
        """Entry id -> content hash and ``last_seen`` of every entry ``feed`` is known to
        have had."""
        sql = "SELECT entry_id, content_hash, last_seen FROM entries WHERE feed = ?"
        return {row[0]: (row[1], row[2]) for row in self._rows(sql, (feed,))}

    def record_seen(self, feed: str, articles: Iterable[Article], now: datetime) -> None:
        """Record ``articles`` of ``feed`` as seen, in a transaction of their own: for entries
        that queue nothing (a huge first poll is then recorded in slices)."""
        with self._transaction() as db:
            self._record_entries(db, feed, articles, now)

    @staticmethod
    def _record_entries(
        db: Database, feed: str, articles: Iterable[Article], now: datetime
    ) -> None:
        seen = stamp(now)
        db.insert_many(
            "INSERT INTO entries (feed, entry_id, content_hash, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (feed, entry_id) DO UPDATE SET"
            " content_hash = excluded.content_hash, last_seen = excluded.last_seen",
            [(feed, a.id, content_hash(a), seen, seen) for a in articles],
        )

    @staticmethod
    def _seen_at(db: Database, feed: str, entry_ids: Collection[str], when: datetime) -> None:
        if entry_ids:
            db.insert_many(
                "UPDATE entries SET last_seen = ? WHERE feed = ? AND entry_id = ?",
                [(stamp(when), feed, entry_id) for entry_id in entry_ids],
            )

    def commit_poll(
        self,
        *,
        feed: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        articles: Iterable[Article],
        alerts: Sequence[Alert],
        developments: Iterable[Development],
        route: Callable[[Alert], Sequence[str]],
        now: datetime,
        observed: Sequence[OutletReport] = (),
        observer: str = "",
        listing: Listing | None = None,
        complete: bool = True,
        decided_on: int | None = None,
    ) -> int:
        """Record a poll in one transaction; return the number of outbox rows added.

        An alert matching a silence active at ``now`` is recorded with it, its outbox rows
        marked ``silenced`` (not counted). The reports detection ``observed`` (for
        corroboration, by ``observer``) are stored, and those stored before ``now`` less
        ``REPORTS_KEPT`` forgotten. The ``listing``'s stale entries are seen again. Unless
        ``complete`` (entries are still to be recorded, ``record_seen``), the feed's success
        and validators are not recorded, nor the entries gone from it: ``record_success``
        records them after. With ``decided_on`` (replicas), the developments are recorded
        only if the decisions counter still reads that (it then reads one more); otherwise
        nothing is and ``DecisionsMoved`` is raised.
        """
        queued = 0
        developments = list(developments)
        with self._transaction() as db:
            if developments and decided_on is not None:
                # Replicas: the developments are recorded only on the book they were decided
                # on (the row lock makes a concurrent commit wait, and then not match).
                moved = db.execute(
                    "UPDATE decisions SET seq = seq + 1 WHERE name = 'developments' AND seq = ?",
                    (decided_on,),
                )
                if moved.rowcount != 1:
                    raise DecisionsMoved(
                        f"state: developments were recorded by another replica since this"
                        f" one decided (feed {feed}); deciding again"
                    )
            silences = self._active_silences(db, now) if alerts else []
            self._record_entries(db, feed, articles, now)
            if listing is not None:
                self._seen_at(db, feed, listing.stale, now)
            for development in developments:
                self._save_development(db, development)
            if developments and decided_on is None:  # others see that developments changed
                db.execute("UPDATE decisions SET seq = seq + 1 WHERE name = 'developments'")
            for alert in alerts:
                silence = silence_for(alert, silences, now)
                queued += self._queue_alert(
                    db, alert, route(alert), now, silence.id if silence else None
                )
            if complete:
                gone = listing.gone if listing is not None else ()
                self._record_success(db, feed, url, etag, last_modified, now, gone)
            if observed:
                self._store_reports(db, observed, observer, now)
        return queued

    @staticmethod
    def _store_reports(
        db: Database, observed: Sequence[OutletReport], observer: str, now: datetime
    ) -> None:
        db.insert_many(
            "INSERT INTO recent_reports (at, outlet, observer, vector) VALUES (?, ?, ?, ?)",
            [
                (stamp(r.at), r.outlet, observer, base64.b64encode(r.vector).decode("ascii"))
                for r in observed
            ],
        )
        db.execute("DELETE FROM recent_reports WHERE at < ?", (stamp(now - REPORTS_KEPT),))

    def stored_reports(
        self, after: int, missing: Collection[int], since: datetime, observer: str
    ) -> tuple[list[int], list[OutletReport]]:
        """The rows stored after row ``after`` or among ``missing``, of reports published
        ``since`` or later: the ids of all of them, and the reports among them that
        ``observer`` did not store, oldest row first."""
        from monitor.models import OutletReport

        asked = sorted(missing)
        among = f" OR id IN ({', '.join('?' * len(asked))})" if asked else ""
        rows = self._rows(
            "SELECT id, observer = ?, outlet, at, CASE WHEN observer = ? THEN '' ELSE vector END"
            f" FROM recent_reports WHERE (id > ?{among}) AND at >= ? ORDER BY id",
            (observer, observer, after, *asked, stamp(since)),
        )
        others = [
            OutletReport(
                int(row[0]), row[2], datetime.fromisoformat(row[3]), base64.b64decode(row[4])
            )
            for row in rows
            if not row[1]
        ]
        return [int(row[0]) for row in rows], others

    def prune_entries(self, older_than: datetime) -> int:
        """Forget entries not seen since ``older_than``; return how many. An entry a feed
        still lists is seen again at every successful poll, to within two hours
        (``stale_before``): it is kept while the feed had a success since ``older_than``."""
        cutoff = stamp(older_than - 2 * SEEN_REFRESH)
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM entries WHERE last_seen < ?", (cutoff,))
        return cursor.rowcount

    def entry_count(self) -> int:
        return int(self._rows("SELECT COUNT(*) FROM entries")[0][0])

    # developments and alerts ------------------------------------------------------------

    @staticmethod
    def _save_development(db: Database, development: Development) -> None:
        db.execute(
            "INSERT INTO developments (id, rule, stage, first_seen, last_seen, evidence,"
            " entries, rules, outlets, alerted, reports, adopted)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET stage = excluded.stage,"
            " first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
            " evidence = excluded.evidence, entries = excluded.entries, rules = excluded.rules,"
            " outlets = excluded.outlets, alerted = excluded.alerted,"
            " reports = excluded.reports, adopted = excluded.adopted",
            (
                development.id,
                development.rule,
                development.stage,
                stamp(development.first_seen),
                stamp(development.last_seen),
                json.dumps(development.evidence),
                json.dumps(development.entries),
                json.dumps(development.rules),
                json.dumps(development.outlets),
                int(development.alerted),
                _reports_text(development.reports),
                int(development.adopted),
            ),
        )

    def developments(self) -> list[Development]:
        from monitor.models import Development  # not at import: a poll with nothing new needs none

        rows = self._rows(
            "SELECT id, rule, stage, first_seen, last_seen, evidence, entries, rules, outlets,"
            " alerted, reports, adopted FROM developments ORDER BY first_seen"
        )
        return [
            Development(
                row[0],
                row[1],
                row[2],
                datetime.fromisoformat(row[3]),
                datetime.fromisoformat(row[4]),
                json.loads(row[5]),
                json.loads(row[6]),
                json.loads(row[7]),
                json.loads(row[8]),
                bool(row[9]),
                _reports_read(row[10]),
                bool(row[11]),
            )
            for row in rows
        ]

    def queue_summary(
        self,
        silence_id: int,
        summaries: Sequence[tuple[Alert, Sequence[str]]],
        now: datetime,
    ) -> None:
        """Queue the ``summaries`` of a silence that ended, each to its channels (none:
        nothing to say), once."""
        with self._transaction() as db:
            for summary, channels in summaries:
                self._queue_alert(db, summary, channels, now)
            self._mark_summarised(db, silence_id, now)

    def queue_digest(
        self,
        channel: str,
        start: datetime,
        end: datetime,
        make: Callable[[list[AlertRecord]], Alert | None],
        now: datetime,
    ) -> bool:
        """Queue ``channel``'s digest of the period from ``start`` to ``end``, once; whether
        it was queued. ``make`` builds it (or None: nothing to say) from the reports
        recorded, oldest first, that are either dated in the period or dated before it and
        committed after the channel's previous digest (a channel's first digest: none
        such): so a report whose poll read its clock before a period ended and committed
        after that period's digest was queued is in the channel's next digest, and every
        report in one digest only.

        One transaction, which first waits for the transactions recording alerts and keeps
        new ones out (``Database.lock_alerts``): a report committed later has a larger id
        than this digest, and so is after it in commit order.
        """
        from monitor.notify.render import DIGEST_RULE

        with self._transaction() as db:
            db.lock_alerts()
            previous = db.execute(
                "SELECT MAX(a.id) FROM alerts a JOIN outbox o ON o.alert_id = a.id"
                " WHERE a.rule = ? AND o.channel = ?",
                (DIGEST_RULE, channel),
            ).fetchall()[0][0]
            late, params = "", list[object]([stamp(end), stamp(start)])
            if previous is not None:
                late = " OR id > ?"
                params.append(int(previous))
            reports = self._records(
                f"created < ? AND (created >= ?{late})", params, with_attempts=False
            )
            digest = make(reports)
            if digest is None:
                return False
            return bool(self._queue_alert(db, digest, [channel], now))

    def alert_count(self) -> int:
        return int(self._rows("SELECT COUNT(*) FROM alerts")[0][0])


def _migrate(db: Database, name: str) -> None:
    """Bring the schema up to ``SCHEMA_VERSION``, one step per write transaction.

    Each step re-reads the version after taking the write lock (SQLite's ``BEGIN
    IMMEDIATE``, PostgreSQL's advisory lock), so processes opening a new database at the
    same instant never apply a step twice.
    """
    while True:
        with db.transaction():
            db.lock_schema()
            version = db.schema_version()
            if version > SCHEMA_VERSION:
                raise StateError(
                    f"state database {name} has schema {version}, newer than this "
                    f"news-monitor ({SCHEMA_VERSION}); upgrade news-monitor"
                )
            if version == SCHEMA_VERSION:
                return
            for statement in db.statements(db.schema(MIGRATIONS[version])):
                db.execute(statement)
            db.set_schema_version(version + 1)


def open_sqlite(path: Path) -> Database:
    """A connection to the SQLite file at ``path`` (created with its folder if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False)  # see run
    _use_wal(connection)
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA foreign_keys = ON")
    return Database(connection, str(path))


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to write-ahead logging (kept in the file once set). Processes that
    create the same file at one instant may find it locked while another one switches; the
    busy timeout does not cover that moment, so the switch is retried for as long
    (``BUSY_TIMEOUT``)."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def open_store(location: Path | str) -> Store:
    """Open (creating or upgrading) the database at ``location``: a SQLite file, or a
    ``postgresql://`` URL; ``StateError`` if unusable."""
    if is_postgres_url(location):
        from monitor.store_db import connect

        try:
            db = connect(location)
        except Exception as exc:  # psycopg's errors, without importing it here
            raise StateError(
                f"cannot open state database {redact_url(str(location))}: "
                + redact_error(str(exc), str(location))
            ) from exc
        try:
            _migrate(db, db.name)
        except db.errors as exc:
            db.close()
            raise StateError(
                f"cannot open state database {db.name}: {redact_error(str(exc), str(location))}"
            ) from exc
        return Store(db)
    path = Path(location)
    try:
        db = open_sqlite(path)
        _migrate(db, str(path))
    except (sqlite3.Error, OSError) as exc:
        raise StateError(f"cannot open state database {path}: {exc}") from exc
    return Store(db)


def _reports_text(reports: Sequence[ReportTrace]) -> str:
    """A development's kept reports as JSON (each embedding as base64 of its bytes)."""
    return json.dumps(
        [
            {
                "vector": base64.b64encode(report.vector).decode("ascii"),
                "terms": report.terms,
                "sentences": list(report.sentences),
            }
            for report in reports
        ]
    )


def _reports_read(text: str) -> list[ReportTrace]:
    """``_reports_text`` read back."""
    from monitor.models import ReportTrace

    return [
        ReportTrace(base64.b64decode(item["vector"]), item["terms"], tuple(item["sentences"]))
        for item in json.loads(text)
    ]
