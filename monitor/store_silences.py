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
from monitor.silences import MatcherKind, Silence, silence_for
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

    @staticmethod
    def _alerts(
        db: Database, where: str, params: Sequence[object]
    ) -> list[tuple[int, int | None, Alert]]:
        """The alerts matching ``where`` (over ``alerts a``), by id, each with the silence
        that holds it and the text kept of its article (``KEPT_TEXT``)."""
        rows = db.execute(
            "SELECT a.id, a.silence_id, a.payload, a.description, t.text FROM alerts a"
            f" LEFT JOIN alert_texts t ON t.alert_id = a.id WHERE {where} ORDER BY a.id",
            tuple(params),
        ).fetchall()
        found = []
        for alert_id, silence_id, payload, description, text in rows:
            alert = alert_from_payload(json.loads(payload), description)
            article = replace(alert.article, text=text or "")
            found.append((int(alert_id), silence_id, replace(alert, article=article)))
        return found

    @staticmethod
    def _hold(db: Database, alert_ids: Sequence[int], silence_id: int) -> list[int]:
        """Mark the pending deliveries of the alerts ``silenced``, and record as held by the
        silence the alerts that had one (an alert delivered everywhere meanwhile was not
        held); return their ids."""
        held = []
        for alert_id in alert_ids:
            cursor = db.execute(
                "UPDATE outbox SET state = 'silenced' WHERE alert_id = ? AND state = 'pending'",
                (alert_id,),
            )
            if cursor.rowcount > 0:
                db.execute("UPDATE alerts SET silence_id = ? WHERE id = ?", (silence_id, alert_id))
                held.append(alert_id)
        return held

    def hold(self, alert_ids: Sequence[int], silence_id: int) -> int:
        """Hold the alerts' pending deliveries for the silence (they are not sent); return
        how many alerts had one, which are recorded as held."""
        with self._transaction() as db:
            return len(self._hold(db, alert_ids, silence_id))

    def hold_matching(self, silence: Silence) -> int:
        """In one transaction, hold the alerts waiting in the outbox (not silenced, with a
        delivery pending) that ``silence`` matches; return how many it held. Not the
        notices of news-monitor itself (a silence's summary, a digest), which no silence
        holds. A delivery sent meanwhile by a daemon (PostgreSQL: by a transaction that
        committed after this one read) is left as sent, and its alert not held by it."""
        notices = sorted(NOTICE_RULES)
        with self._transaction() as db:
            waiting = self._alerts(
                db,
                f"a.silence_id IS NULL AND a.rule NOT IN ({', '.join('?' * len(notices))})"
                " AND EXISTS (SELECT 1 FROM outbox o WHERE o.alert_id = a.id"
                " AND o.state = 'pending')",
                notices,
            )
            matching = [alert_id for alert_id, _, alert in waiting if silence.matches(alert)]
            return len(self._hold(db, matching, silence.id))

    @staticmethod
    def _hold_requeued(db: Database, outbox_ids: Sequence[int], now: datetime) -> list[int]:
        """Inside ``requeue_failed``'s transaction, after the rows ``outbox_ids`` were made
        pending again: the pending deliveries of their alerts that a silence held stay held,
        and so are those of alerts a silence active at ``now`` matches (their deliveries
        failed before it began), as ``silence add`` would have held them; not a notice of
        news-monitor's own. Returns the ids among ``outbox_ids`` now held."""
        if not outbox_ids:
            return []
        marks = ", ".join("?" * len(outbox_ids))
        alerts = SilenceStore._alerts(
            db, f"a.id IN (SELECT alert_id FROM outbox WHERE id IN ({marks}))", outbox_ids
        )
        silences = SilenceStore._active_silences(db, now)
        for alert_id, silence_id, alert in alerts:
            if silence_id is None and alert.rule not in NOTICE_RULES:
                found = silence_for(alert, silences, now)
                silence_id = found.id if found is not None else None
            if silence_id is not None:
                SilenceStore._hold(db, [alert_id], silence_id)
        rows = db.execute(
            f"SELECT id FROM outbox WHERE id IN ({marks}) AND state = 'silenced' ORDER BY id",
            tuple(outbox_ids),
        ).fetchall()
        return [int(row[0]) for row in rows]

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
