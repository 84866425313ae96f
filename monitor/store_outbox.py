"""The outbox part of the store (with ``store.py``, the only modules that know SQL): alerts
queued for their channels, and their deliveries.

``Store`` inherits ``OutboxStore``. ``_queue_alert`` records an alert with an outbox row per
channel inside the caller's transaction (``Store.commit_poll`` records a poll's alerts with
its entries, ``Store.queue_summary`` a silence's summary with its end); the outbox
(``notify/outbox.py``) reads the rows that are due and marks each attempt, which is logged
in the alert history (``AlertHistory._log_attempt``) in the same transaction. A successful
send is recorded whole in one transaction (``record_delivery``): its rows, the send the
rate limit counts and a new thread's reference, all of them or (a ``StateError``) none.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from monitor.notify.render import alert_payload
from monitor.store_base import KEPT_TEXT, StorePart, stamp
from monitor.store_db import Database
from monitor.store_history import AlertHistory
from monitor.store_replicas import count_send

if TYPE_CHECKING:
    from monitor.models import Alert


@dataclass(frozen=True)
class OutboxItem:
    """One alert to deliver to one channel."""

    id: int
    alert_id: int
    channel: str
    attempts: int
    created: str
    payload: dict[str, Any]
    description: str


class OutboxStore(StorePart):
    """Queueing alerts for their channels and delivering them; mixed into ``Store``."""

    @staticmethod
    def _queue_alert(
        db: Database,
        alert: Alert,
        channels: Sequence[str],
        now: datetime,
        silence: int | None = None,
    ) -> int:
        """Record ``alert`` (with its text, at most ``KEPT_TEXT`` characters) and an outbox
        row per channel (``silenced`` rows if ``silence``); return how many rows are to be
        sent."""
        cursor = db.execute(
            "INSERT INTO alerts (key, type, rule, development, description, payload, created,"
            " silence_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (key) DO NOTHING RETURNING id",
            (
                alert.idempotency_key,
                alert.type,
                alert.rule,
                alert.development,
                alert.description,
                json.dumps(alert_payload(alert)),
                stamp(now),
                silence,
            ),
        )
        rows = cursor.fetchall()  # a statement left in progress would hold the commit back
        if not rows:
            return 0
        alert_id = int(rows[0][0])
        if alert.article.text:  # with the alert, so a silence added later reads it too
            db.execute(
                "INSERT INTO alert_texts (alert_id, text) VALUES (?, ?)",
                (alert_id, alert.article.text[:KEPT_TEXT]),
            )
        state = "pending" if silence is None else "silenced"
        for channel in channels:
            db.execute(
                "INSERT INTO outbox (alert_id, channel, state, next_attempt, created)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (alert_id, channel) DO NOTHING",
                (alert_id, channel, state, stamp(now), stamp(now)),
            )
        return len(channels) if silence is None else 0

    def queue_alert(self, alert: Alert, channels: Sequence[str], now: datetime) -> int:
        """Record an alert made outside a poll (a digest) for ``channels``; rows added."""
        with self._transaction() as db:
            return self._queue_alert(db, alert, channels, now)

    def _outbox_items(
        self, where: str, params: tuple[object, ...], limit: int = -1
    ) -> list[OutboxItem]:
        """Pending outbox rows matching ``where``, oldest alert first (-1: no limit)."""
        limit = limit if limit >= 0 else 2**62
        rows = self._rows(
            "SELECT o.id, o.alert_id, o.channel, o.attempts, o.created, a.payload, a.description"
            " FROM outbox o JOIN alerts a ON a.id = o.alert_id"
            f" WHERE o.state = 'pending' AND {where} ORDER BY o.alert_id, o.id LIMIT ?",
            (*params, limit),
        )
        return [OutboxItem(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows]

    def due(
        self, now: datetime, limit: int = 100, channels: Collection[str] | None = None
    ) -> list[OutboxItem]:
        """Pending deliveries whose time has come, oldest alert first; only to ``channels``
        when given (deliveries to other channels are held, not returned)."""
        if channels is None:
            return self._outbox_items("o.next_attempt <= ?", (stamp(now),), limit)
        names = sorted(channels)
        marks = ", ".join("?" * len(names))
        return self._outbox_items(
            f"o.next_attempt <= ? AND o.channel IN ({marks})", (stamp(now), *names), limit
        )

    def pending_by_channel(self) -> dict[str, int]:
        """How many deliveries wait, per channel."""
        return dict(
            self._rows(
                "SELECT channel, COUNT(*) FROM outbox WHERE state = 'pending' GROUP BY channel"
            )
        )

    def drop_pending(self, channel: str, reason: str, now: datetime) -> int:
        """Mark every pending delivery to ``channel`` failed with ``reason``; return how many."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE outbox SET state = 'failed', last_error = ?, finished = ?"
                " WHERE channel = ? AND state = 'pending'",
                (reason, stamp(now), channel),
            )
        return cursor.rowcount

    def retry_pending_before(self, item: OutboxItem) -> bool:
        """Whether an older alert for the same channel failed and waits for its retry.

        Later alerts wait behind it, so a channel receives its alerts in order.
        """
        rows = self._rows(
            "SELECT 1 FROM outbox WHERE channel = ? AND state = 'pending' AND attempts > 0"
            " AND alert_id < ? LIMIT 1",
            (item.channel, item.alert_id),
        )
        return bool(rows)

    def still_due(self, item_id: int, now: datetime) -> bool:
        """Whether the outbox row is still pending and due at ``now`` (another replica may
        have sent it, or put it off for a retry, since it was read)."""
        sql = "SELECT 1 FROM outbox WHERE id = ? AND state = 'pending' AND next_attempt <= ?"
        return bool(self._rows(sql, (item_id, stamp(now))))

    def postpone(self, item_id: int, until: datetime) -> None:
        """Hold a row back until ``until`` without counting an attempt (batched updates)."""
        with self._transaction() as db:
            db.execute("UPDATE outbox SET next_attempt = ? WHERE id = ?", (stamp(until), item_id))

    def pending_updates(self, channel: str, development: str) -> list[OutboxItem]:
        """Every pending update of ``development`` for ``channel``, oldest first."""
        return self._outbox_items(
            "o.channel = ? AND a.type = 'update' AND a.development = ?", (channel, development)
        )

    @staticmethod
    def _mark_delivered(db: Database, item_id: int, now: datetime) -> None:
        """The row was delivered (unless it was already: another replica that took the
        channel over delivered it too, and that delivery stays the one recorded)."""
        cursor = db.execute(
            "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, finished = ?,"
            " last_error = NULL WHERE id = ? AND state <> 'delivered'",
            (stamp(now), item_id),
        )
        if cursor.rowcount:
            AlertHistory._log_attempt(db, item_id, "delivered", None, now)

    def mark_delivered(self, item_id: int, now: datetime) -> None:
        with self._transaction() as db:
            self._mark_delivered(db, item_id, now)

    def record_delivery(
        self,
        channel: str,
        item_ids: Sequence[int],
        now: datetime,
        thread: tuple[str, str] | None = None,
    ) -> None:
        """Record one successful send to ``channel`` in one transaction: the rows
        ``item_ids`` delivered, the send counted for the rate limit (as ``record_send``
        does) and, given ``thread`` (development, reference), the thread its updates reply
        in; all of it, or (``StateError``) none, so no row is left to be sent again."""
        with self._transaction() as db:
            if thread is not None:
                development, ref = thread
                self._save_thread(db, development, channel, ref)
            for item_id in item_ids:
                self._mark_delivered(db, item_id, now)
            count_send(db, channel, now)

    def mark_retry(self, item_id: int, error: str, next_attempt: datetime, now: datetime) -> None:
        """A failed attempt, to be retried at ``next_attempt``; nothing for a row delivered
        meanwhile (by another replica that took the channel over)."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?"
                " WHERE id = ? AND state <> 'delivered'",
                (error, stamp(next_attempt), item_id),
            )
            if cursor.rowcount:
                AlertHistory._log_attempt(db, item_id, "retry", error, now)

    def mark_failed(self, item_id: int, error: str, now: datetime) -> None:
        """A failed attempt, not retried: the row failed for good, if still pending (a row
        delivered meanwhile, by another replica, or held by a silence is left as it is)."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?,"
                # a row a silence held while it was being sent stays held (not retried)
                " finished = ? WHERE id = ? AND state = 'pending'",
                (error, stamp(now), item_id),
            )
            if cursor.rowcount:
                AlertHistory._log_attempt(db, item_id, "failed", error, now)

    def thread_of(self, development: str, channel: str) -> str | None:
        """The thread reference the channel returned for the development's first alert."""
        rows = self._rows(
            "SELECT ref FROM threads WHERE development = ? AND channel = ?", (development, channel)
        )
        return str(rows[0][0]) if rows else None

    @staticmethod
    def _save_thread(db: Database, development: str, channel: str, ref: str) -> None:
        db.execute(
            "INSERT INTO threads (development, channel, ref) VALUES (?, ?, ?)"
            " ON CONFLICT (development, channel) DO NOTHING",
            (development, channel, ref),
        )

    def save_thread(self, development: str, channel: str, ref: str) -> None:
        with self._transaction() as db:
            self._save_thread(db, development, channel, ref)

    def outbox_counts(self) -> dict[str, int]:
        """Outbox rows by state: pending, delivered, failed."""
        counts = {"pending": 0, "delivered": 0, "failed": 0}
        for state, count in self._rows("SELECT state, COUNT(*) FROM outbox GROUP BY state"):
            counts[state] = count
        return counts

    def outbox_rows(self) -> list[tuple[int, str, str, int, str | None]]:
        """(alert id, channel, state, attempts, last error) of every outbox row."""
        return [
            tuple(row)
            for row in self._rows(
                "SELECT alert_id, channel, state, attempts, last_error FROM outbox ORDER BY id"
            )
        ]
