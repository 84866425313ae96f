"""What the web pages read from the store: alerts with their payloads, entries per feed,
the outbox per channel and when each rule last fired.

Part of the store (with ``store.py``, the only modules that know SQL); read-only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from monitor.store_base import StorePart, stamp

if TYPE_CHECKING:
    from monitor.store_view_records import AlertRecord, DeliveryRecord


class StoreViews(StorePart):
    """Read-only queries for the pages and the API."""

    def alert_records(self, since: datetime | None = None, limit: int = 1000) -> list[AlertRecord]:
        from monitor.store_view_records import AlertRecord

        """The latest ``limit`` alerts of the developments reported at or after ``since``
        (their earlier reports too), oldest first."""
        recent = "SELECT development FROM alerts WHERE created >= ?"
        rows = self._rows(
            "SELECT id, created, payload, description, silence_id FROM alerts"
            + (f" WHERE development IN ({recent})" if since else "")
            + " ORDER BY id DESC LIMIT ?",
            (stamp(since), limit) if since else (limit,),
        )
        return [AlertRecord(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in reversed(rows)]

    def entries_by_feed(self) -> dict[str, int]:
        """How many entries of each feed are remembered as seen."""
        return dict(self._rows("SELECT feed, COUNT(*) FROM entries GROUP BY feed"))

    def outbox_by_channel(self) -> dict[str, dict[str, int]]:
        """Outbox rows per channel and state (pending, delivered, failed)."""
        found: dict[str, dict[str, int]] = {}
        for channel, state, count in self._rows(
            "SELECT channel, state, COUNT(*) FROM outbox GROUP BY channel, state"
        ):
            found.setdefault(channel, {})[state] = count
        return found

    def troubled_deliveries(self, limit: int = 100) -> list[DeliveryRecord]:
        from monitor.store_view_records import DeliveryRecord

        """The latest outbox rows that failed for good or wait for a retry, newest first."""
        rows = self._rows(
            "SELECT o.alert_id, o.channel, o.state, o.attempts, o.last_error, a.payload"
            " FROM outbox o JOIN alerts a ON a.id = o.alert_id"
            " WHERE o.state = 'failed' OR (o.state = 'pending' AND o.attempts > 0)"
            " ORDER BY o.id DESC LIMIT ?",
            (limit,),
        )
        return [
            DeliveryRecord(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])["entry"]["title"])
            for r in rows
        ]

    def rules_last_fired(self) -> dict[str, str]:
        """When each rule last stood in an alert (every rule the alert lists)."""
        rows = self._rows(
            "SELECT rule, MAX(created) FROM ("
            " SELECT a.rule AS rule, a.created AS created FROM alerts a"
            " UNION ALL SELECT j.value, a.created"
            f" FROM alerts a, {self._db.json_list('a.payload')}"
            ") r GROUP BY rule"
        )
        return dict(rows)
