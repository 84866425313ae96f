"""The silences part of the store (with ``store.py``, the only modules that know SQL).

``Store`` inherits ``SilenceStore``. ``commit_poll`` asks ``_active_silences`` inside its
transaction, so a silence added by another process (the command line) holds from the
daemon's next poll on, without a restart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, cast

from monitor.notify.render import NOTICE_RULES, alert_from_payload
from monitor.silences import MatcherKind, Silence
from monitor.store_base import StorePart, stamp
from monitor.store_db import Database

if TYPE_CHECKING:
    from monitor.models import Alert

_COLUMNS = "id, kind, value, starts, ends, comment, author, notify_on_expiry"


def _silence(row: Sequence[object]) -> Silence:
    return Silence(
        int(str(row[0])),
        cast(MatcherKind, row[1]),
        str(row[2]),
        datetime.fromisoformat(str(row[3])),
        datetime.fromisoformat(str(row[4])),
        str(row[5]),
        str(row[6]),
        bool(row[7]),
    )


class SilenceStore(StorePart):
    """Silences and what they held; mixed into ``Store``."""

    @staticmethod
    def _active_silences(db: Database, now: datetime) -> list[Silence]:
        rows = db.execute(
            # a silence whose summary was queued is over, whatever a late poll's clock says
            f"SELECT {_COLUMNS} FROM silences WHERE starts <= ? AND ends > ?"
            " AND summarised IS NULL ORDER BY id",
            (stamp(now), stamp(now)),
        )
        return [_silence(row) for row in rows]

    def add_silence(
        self,
        kind: MatcherKind,
        value: str,
        starts: datetime,
        ends: datetime,
        comment: str,
        author: str,
        notify_on_expiry: bool = False,
    ) -> Silence:
        with self._transaction() as db:
            silence_id = db.execute(
                "INSERT INTO silences (kind, value, starts, ends, comment, author,"
                " notify_on_expiry) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    kind,
                    value,
                    stamp(starts),
                    stamp(ends),
                    comment,
                    author,
                    int(notify_on_expiry),
                ),
            ).fetchall()[0][0]
        return Silence(
            int(silence_id), kind, value, starts, ends, comment, author, notify_on_expiry
        )

    def silences(self, since: datetime | None = None) -> list[Silence]:
        """Every silence (only those ending after ``since`` if given), oldest first."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM silences WHERE ends > ? ORDER BY id",
            ((stamp(since) if since else ""),),
        )
        return [_silence(row) for row in rows]

    def silence(self, silence_id: int) -> Silence | None:
        rows = self._rows(f"SELECT {_COLUMNS} FROM silences WHERE id = ?", (silence_id,))
        return _silence(rows[0]) if rows else None

    def expire_silence(self, silence_id: int, now: datetime) -> None:
        """End the silence now (a silence not yet started ends before it starts)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE silences SET ends = ?, starts = CASE WHEN starts < ? THEN starts ELSE ? END"
                " WHERE id = ? AND ends > ?",
                (stamp(now), stamp(now), stamp(now), silence_id, stamp(now)),
            )

    def waiting_alerts(self) -> list[tuple[int, Alert]]:
        """Alerts not silenced with a delivery still pending, by id, with the text kept of
        their article (``KEPT_TEXT``); not the notices of news-monitor itself (a silence's
        summary, a digest), which no silence holds."""
        notices = sorted(NOTICE_RULES)
        rows = self._rows(
            "SELECT a.id, a.payload, a.description, t.text FROM alerts a"
            " LEFT JOIN alert_texts t ON t.alert_id = a.id WHERE a.silence_id IS NULL"
            f" AND a.rule NOT IN ({', '.join('?' * len(notices))})"
            " AND EXISTS (SELECT 1 FROM outbox o WHERE o.alert_id = a.id AND o.state = 'pending')"
            " ORDER BY a.id",
            tuple(notices),
        )
        waiting = []
        for alert_id, payload, description, text in rows:
            alert = alert_from_payload(json.loads(payload), description)
            article = replace(alert.article, text=text or "")
            waiting.append((int(alert_id), replace(alert, article=article)))
        return waiting

    def hold(self, alert_ids: Sequence[int], silence_id: int) -> None:
        """Record the alerts as held by the silence; their pending deliveries are not sent."""
        with self._transaction() as db:
            for alert_id in alert_ids:
                db.execute("UPDATE alerts SET silence_id = ? WHERE id = ?", (silence_id, alert_id))
                db.execute(
                    "UPDATE outbox SET state = 'silenced' WHERE alert_id = ? AND state = 'pending'",
                    (alert_id,),
                )

    def hold_again(self) -> int:
        """Deliveries made pending again of alerts a silence held go back to ``silenced``;
        return how many rows."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE outbox SET state = 'silenced' WHERE state = 'pending' AND alert_id IN"
                " (SELECT id FROM alerts WHERE silence_id IS NOT NULL)"
            )
        return int(cursor.rowcount)

    def held_count(self, silence_id: int) -> int:
        """How many alerts and updates the silence held back."""
        return int(
            self._rows("SELECT COUNT(*) FROM alerts WHERE silence_id = ?", (silence_id,))[0][0]
        )

    def held_alerts(self, silence_id: int) -> list[tuple[Alert, list[str]]]:
        """The alerts the silence held, oldest first, each with the channels it was held
        from (a channel that had it before the silence began is not one of them)."""
        held = []
        rows = self._rows(
            "SELECT id, payload, description FROM alerts WHERE silence_id = ? ORDER BY id",
            (silence_id,),
        )
        for alert_id, payload, description in rows:
            channels = self._rows(
                "SELECT channel FROM outbox WHERE alert_id = ? AND state = 'silenced' ORDER BY id",
                (alert_id,),
            )
            alert = alert_from_payload(json.loads(payload), description)
            held.append((alert, [channel for (channel,) in channels]))
        return held

    def _mark_summarised(self, db: Database, silence_id: int, now: datetime) -> None:
        db.execute("UPDATE silences SET summarised = ? WHERE id = ?", (stamp(now), silence_id))

    def summaries_due(self, now: datetime) -> list[Silence]:
        """Ended silences that asked for a summary and have not had it."""
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM silences WHERE notify_on_expiry = 1 AND ends <= ?"
            " AND summarised IS NULL ORDER BY id",
            (stamp(now),),
        )
        return [_silence(row) for row in rows]
