"""The alert history part of the store: recorded alerts, their deliveries and attempts.

Part of the store (with ``store.py``, the only modules that know SQL). ``Store`` inherits
``AlertHistory``; every delivery attempt the outbox makes is logged through
``_log_attempt`` in the same transaction that changes the outbox row, so the history
matches the outbox. ``requeue_failed`` gives deliveries that failed for good another go,
keeping their alert (and so its idempotency key), and holds those a silence holds in
the same transaction (``SilenceStore._hold_requeued``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from monitor.store_base import StorePart, stamp
from monitor.store_db import Database
from monitor.store_silences import SilenceStore

if TYPE_CHECKING:
    from monitor.store_history_records import AlertRecord, Attempt, Delivery, Requeued

_DELIVERY = "id, channel, state, attempts, last_error, finished"


class AlertHistory(StorePart):
    """Queries over alerts, outbox rows and attempts; mixed into ``Store``."""

    @staticmethod
    def _log_attempt(
        db: Database, outbox_id: int, outcome: str, error: str | None, at: datetime
    ) -> None:
        """Record an attempt on ``outbox_id`` (call after its ``attempts`` was updated)."""
        db.execute(
            "INSERT INTO attempts (outbox_id, attempt, at, outcome, error)"
            " SELECT id, attempts, ?, ?, ? FROM outbox WHERE id = ?",
            (stamp(at), outcome, error, outbox_id),
        )

    def _deliveries(self, alert_id: int, with_attempts: bool) -> tuple[Delivery, ...]:
        from monitor.store_history_records import Attempt, Delivery

        rows = self._rows(
            f"SELECT {_DELIVERY} FROM outbox WHERE alert_id = ? ORDER BY id", (alert_id,)
        )
        deliveries = []
        for row in rows:
            history: tuple[Attempt, ...] = ()
            if with_attempts:
                history = tuple(
                    Attempt(*a)
                    for a in self._rows(
                        "SELECT attempt, at, outcome, error FROM attempts WHERE outbox_id = ?"
                        " ORDER BY id",
                        (row[0],),
                    )
                )
            deliveries.append(Delivery(row[0], row[1], row[2], row[3], row[4], row[5], history))
        return tuple(deliveries)

    def _records(
        self, where: str, params: Sequence[object], with_attempts: bool
    ) -> list[AlertRecord]:
        from monitor.store_history_records import AlertRecord

        rows = self._rows(
            "SELECT id, key, type, rule, development, created, description, payload, silence_id"
            f" FROM alerts WHERE {where} ORDER BY id",
            tuple(params),
        )
        return [
            AlertRecord(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                json.loads(row[7]),
                self._deliveries(row[0], with_attempts),
                row[8],
            )
            for row in rows
        ]

    def recorded_alerts(
        self,
        since: datetime | None = None,
        rule: str | None = None,
        until: datetime | None = None,
    ) -> list[AlertRecord]:
        """Recorded alerts and updates (created in [since, until)), oldest first, with the
        state of each delivery."""
        clauses, params = ["1 = 1"], list[object]()
        if since is not None:
            clauses.append("created >= ?")
            params.append(stamp(since))
        if until is not None:
            clauses.append("created < ?")
            params.append(stamp(until))
        if rule is not None:  # any of the rules the alert stands for
            clauses.append(
                f"(rule = ? OR EXISTS (SELECT 1 FROM {self._db.json_list('payload')}"
                " WHERE j.value = ?))"
            )
            params += [rule, rule]
        return self._records(" AND ".join(clauses), params, with_attempts=False)

    def has_alert(self, key: str) -> bool:
        """Whether an alert with this idempotency key was recorded."""
        return bool(self._rows("SELECT 1 FROM alerts WHERE key = ?", (key,)))

    def alert_record(self, alert_id: int) -> AlertRecord | None:
        """One recorded alert with every delivery attempt, or None."""
        found = self._records("id = ?", (alert_id,), with_attempts=True)
        return found[0] if found else None

    def delivery(self, outbox_id: int) -> Delivery | None:
        """One outbox row (without its attempts), or None if there is no such row."""
        from monitor.store_history_records import Delivery

        rows = self._rows(f"SELECT {_DELIVERY} FROM outbox WHERE id = ?", (outbox_id,))
        return Delivery(*rows[0]) if rows else None

    def requeue_failed(
        self, now: datetime, *, ids: Sequence[int] = (), channel: str | None = None
    ) -> Requeued:
        """Make failed deliveries pending again, due ``now``, with a fresh give-up window;
        those of alerts a silence held, or that a silence active at ``now`` matches, are
        held (``silenced``) instead, in the same transaction, so no daemon sends them.

        Only rows in state ``failed`` are touched: those of ``ids`` if given, else every
        failed row (of ``channel`` if given). Returns the ids requeued and those held.
        """
        from monitor.store_history_records import Requeued

        clauses, params = ["state = 'failed'"], list[object]()
        if ids:
            clauses.append(f"id IN ({', '.join('?' * len(ids))})")
            params.extend(ids)
        if channel is not None:
            clauses.append("channel = ?")
            params.append(channel)
        with self._transaction() as db:
            chosen = [
                int(row[0])
                for row in db.execute(
                    f"SELECT id FROM outbox WHERE {' AND '.join(clauses)} ORDER BY id", params
                )
            ]
            for outbox_id in chosen:
                db.execute(
                    "UPDATE outbox SET state = 'pending', next_attempt = ?, created = ?,"
                    " finished = NULL WHERE id = ?",
                    (stamp(now), stamp(now), outbox_id),
                )
                self._log_attempt(db, outbox_id, "requeued", None, now)
            held = SilenceStore._hold_requeued(db, chosen, now)
        return Requeued(chosen, held)
