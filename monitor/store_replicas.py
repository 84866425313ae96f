"""What replicas sharing one database agree through it (part of the store, with ``store.py``
the only modules that know SQL): feed leases, channel claims, the sends the rate limit
counts, and the decision lock around detection.

- A feed is polled by whoever claims it: ``claim_feeds`` takes due feeds (PostgreSQL:
  ``FOR UPDATE SKIP LOCKED``, so replicas claiming at once get different feeds), moves
  each one's next due time an interval ahead and leases it for a shorter time, which its
  replica renews while the poll runs (``renew_feeds``); the poll's end (``finish_feed``)
  settles it; after a replica's wall clock stepped back, ``bring_back_leases`` moves the
  times it wrote back with it. A lease that runs out unsettled makes the feed due at once,
  for any replica to take; so does an unsettled lease whose replica is gone: each replica
  shows it runs for as long as its connection lives (``be_present``, a PostgreSQL session
  lock), so a killed replica's feeds are taken over at the next claim, not when their
  leases run out (those remain for a replica cut off without its session ending yet).
- A channel's deliveries are drained by one replica at a time: ``claim_channel`` holds the
  channel until a time, renewed while draining; an expired claim, or one of a replica that
  is gone, may be taken over.
- ``sends`` records every send, so a channel's rate limit holds across runs and replicas.
- ``try_decision_lock`` serialises the decision "new development or not" across replicas;
  ``decisions_seq`` changes whenever a poll records developments, so a replica knows when
  others opened or updated some since it last looked.

With SQLite the same tables are used by one process: every claim succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from monitor.clockstep import due_sooner
from monitor.store_base import StorePart, stamp
from monitor.store_db import DECISION_LOCK, Database

RATE_WINDOW = timedelta(minutes=1)
ZERO = timedelta(0)


def _due(db: Database) -> str:
    """When a feed may be claimed: when due if settled; unsettled, when its lease runs out,
    or at once (since its claim) when its replica is gone. A dead replica's feeds come first
    among those waiting: they are late already."""
    alive = db.present("holder")
    return f"(CASE WHEN done = 1 THEN next_due WHEN {alive} THEN lease_until ELSE claimed END)"


def _marks(names: Sequence[str]) -> str:
    return ", ".join("?" * len(names))


class ReplicaStore(StorePart):
    """Leases, claims, sends and the decision lock; mixed into ``Store``."""

    # feed leases -------------------------------------------------------------------------

    def lease_feeds(self, names: Sequence[str], due: datetime, spread: timedelta = ZERO) -> None:
        """Make feeds not leased yet due from ``due`` on, spread evenly over ``spread`` in
        list order (known ones keep their schedule)."""
        step = spread / max(1, len(names))
        with self._transaction() as db:
            for index, name in enumerate(names):
                db.execute(
                    "INSERT INTO feed_leases (feed, next_due) VALUES (?, ?)"
                    " ON CONFLICT (feed) DO NOTHING",
                    (name, stamp(due + step * index)),
                )

    def claim_feeds(
        self,
        leases: Mapping[str, tuple[timedelta, timedelta]],
        holder: str,
        now: datetime,
        limit: int,
    ) -> list[str]:
        """Claim up to ``limit`` feeds of ``leases`` (name: interval, lease) that are due at
        ``now`` and settled, or whose lease ran out unsettled (a poll still running keeps
        its feed, however long it takes, while its replica renews the lease), soonest
        first; each is next due one interval from now, leased to ``holder`` for its lease.
        Returns the names claimed."""
        names = sorted(leases)
        if not names or limit <= 0:
            return []
        moment = stamp(now)
        with self._transaction() as db:
            due = _due(db)
            rows = db.execute(
                f"SELECT feed FROM feed_leases WHERE {due} <= ? AND feed IN ({_marks(names)})"
                f" ORDER BY {due}, feed LIMIT ?{db.lock_rows}",
                (moment, *names, limit),
            ).fetchall()
            claimed = [str(row[0]) for row in rows]
            alike: dict[tuple[timedelta, timedelta], list[str]] = {}
            for name in claimed:  # one statement per (interval, lease), usually one in all
                alike.setdefault(leases[name], []).append(name)
            for (interval, lease), group in alike.items():
                db.execute(
                    "UPDATE feed_leases SET next_due = ?, holder = ?, claimed = ?,"
                    f" lease_until = ?, done = 0 WHERE feed IN ({_marks(group)})",
                    (
                        stamp(now + interval),
                        holder,
                        moment,
                        stamp(now + lease),
                        *group,
                    ),
                )
        return claimed

    def renew_feeds(self, names: Sequence[str], holder: str, until: datetime) -> None:
        """Extend ``holder``'s unsettled leases of ``names`` (polls still in flight)."""
        if not names:
            return
        with self._transaction(alone=True) as db:
            db.execute(
                f"UPDATE feed_leases SET lease_until = ? WHERE holder = ? AND done = 0"
                f" AND feed IN ({_marks(names)})",
                (stamp(until), holder, *names),
            )

    def finish_feed(self, name: str, holder: str, due: datetime | None = None) -> None:
        """Settle ``holder``'s lease of the feed; ``due``: next due then (a failing feed
        backs off) instead of one interval after the claim."""
        with self._transaction(alone=True) as db:
            db.execute(
                "UPDATE feed_leases SET done = 1, next_due = COALESCE(?, next_due)"
                " WHERE feed = ? AND holder = ?",
                (stamp(due) if due else None, name, holder),
            )

    def bring_back_leases(self, holder: str, step: timedelta, now: datetime) -> int:
        """``holder``'s wall clock stepped back ``step``: the settled feeds it scheduled, and
        those no replica claimed yet, are due ``step`` earlier, never before ``now`` (their
        times were written with the clock before the step). Other replicas' feeds keep
        their times; ``holder``'s unsettled leases are renewed by its claims. Returns how
        many moved."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT feed, next_due FROM feed_leases WHERE done = 1"
                f" AND (holder = ? OR holder IS NULL) AND next_due > ?{db.lock_rows}",
                (holder, stamp(now)),
            ).fetchall()
            for feed, due in rows:
                earlier = due_sooner(datetime.fromisoformat(due), step, now)
                db.execute(
                    "UPDATE feed_leases SET next_due = ? WHERE feed = ?", (stamp(earlier), feed)
                )
        return len(rows)

    def feed_due(self, name: str) -> datetime | None:
        """When the feed is next due (None when it is not leased)."""
        rows = self._rows("SELECT next_due FROM feed_leases WHERE feed = ?", (name,))
        return datetime.fromisoformat(rows[0][0]) if rows else None

    def feed_holders(self) -> dict[str, str | None]:
        """Who claimed each feed last."""
        return dict(self._rows("SELECT feed, holder FROM feed_leases"))

    # channel claims ------------------------------------------------------------------------

    def claim_channel(self, channel: str, holder: str, now: datetime, until: datetime) -> bool:
        """Hold ``channel`` for ``holder`` until ``until`` (renewing a claim it has); False
        while another holder's claim has not expired."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO channel_claims (channel, holder, until) VALUES (?, ?, ?)"
                " ON CONFLICT (channel) DO UPDATE SET holder = excluded.holder,"
                " until = excluded.until WHERE channel_claims.holder = excluded.holder"
                f" OR channel_claims.until <= ? OR NOT {db.present('channel_claims.holder')}",
                (channel, holder, stamp(until), stamp(now)),
            )
            row = db.execute(
                "SELECT holder FROM channel_claims WHERE channel = ?", (channel,)
            ).fetchall()
        return bool(row) and row[0][0] == holder

    def release_channel(self, channel: str, holder: str) -> None:
        """Give up ``holder``'s claim on ``channel`` (another's claim is left alone)."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM channel_claims WHERE channel = ? AND holder = ?", (channel, holder)
            )

    # the rate limit's sends ------------------------------------------------------------------

    def record_send(self, channel: str, at: datetime) -> None:
        """Count one send to ``channel`` at ``at`` (sends older than the window are dropped)."""
        with self._transaction() as db:
            count_send(db, channel, at)

    def sends_since(self, channel: str, since: datetime) -> int:
        """How many sends to ``channel`` were made at ``since`` or later (within the rate
        window: older ones are dropped)."""
        return int(
            self._rows(
                "SELECT COUNT(*) FROM sends WHERE channel = ? AND at >= ?",
                (channel, stamp(since)),
            )[0][0]
        )

    # development decisions -----------------------------------------------------------------

    def be_present(self, holder: str) -> None:
        """Show other replicas, for as long as this store's connection lives, that
        ``holder`` runs: its leases and claims are not taken over before they run out."""
        self._guarded(lambda db: db.be_present(holder))

    def try_decision_lock(self) -> bool:
        """Take the lock that serialises development decisions, without waiting."""
        return self._guarded(lambda db: db.try_lock(DECISION_LOCK))

    def release_decision_lock(self) -> None:
        self._guarded(lambda db: db.unlock(DECISION_LOCK))

    def decisions_seq(self) -> int:
        """A number that changes whenever a poll records developments."""
        rows = self._rows("SELECT seq FROM decisions WHERE name = 'developments'")
        return int(rows[0][0]) if rows else 0


def count_send(db: Database, channel: str, at: datetime) -> None:
    """Count one send to ``channel`` at ``at`` in the caller's transaction, dropping the
    channel's sends older than the rate window."""
    db.execute("INSERT INTO sends (channel, at) VALUES (?, ?)", (channel, stamp(at)))
    db.execute("DELETE FROM sends WHERE channel = ? AND at < ?", (channel, stamp(at - RATE_WINDOW)))
