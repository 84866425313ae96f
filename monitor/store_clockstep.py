"""After the wall clock stepped back: the delivery times the state holds, brought back with it
(part of the store, with ``store.py`` the only modules that know SQL).

Outbox rows waiting for a retry (or held back) were given their next attempt with the
clock before the step, and the rate limit's sends were stamped with it: after a step back
of an hour, a retry due in 30 s would wait an hour and 30 s, and a channel at its limit
would be held for the hour its sends still seemed to lie in the current minute.
``bring_back_deliveries`` moves both back by the step. The outbox rows carry no replica's
name, so with replicas every pending row comes back (one whose time another replica wrote
with a clock that did not step may be tried early, never before now); only sends stamped
after now come back, since others' sends made meanwhile are in the past already.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor.store_base import StorePart, stamp


class ClockStepStore(StorePart):
    """Bringing the outbox and the rate limit's sends back by a clock step; mixed into ``Store``."""

    def bring_back_deliveries(self, step: timedelta, now: datetime) -> tuple[int, int]:
        """The wall clock stepped back ``step`` and reads ``now``: pending outbox rows due
        after now are due ``step`` earlier, never before now; sends stamped after now count
        ``step`` earlier, never after now (they were made before it). Returns how many
        outbox rows and sends moved."""
        moment = stamp(now)
        with self._transaction() as db:
            rows = db.execute(
                "SELECT id, next_attempt FROM outbox WHERE state = 'pending'"
                f" AND next_attempt > ?{db.lock_rows}",
                (moment,),
            ).fetchall()
            for row_id, due in rows:
                earlier = max(now, datetime.fromisoformat(due) - step)
                db.execute(
                    "UPDATE outbox SET next_attempt = ? WHERE id = ?", (stamp(earlier), row_id)
                )
            sends = db.execute(
                "SELECT channel, at, COUNT(*) FROM sends WHERE at > ? GROUP BY channel, at",
                (moment,),
            ).fetchall()
            for channel, at, _ in sends:  # sends at one time to one channel move together
                earlier = min(now, datetime.fromisoformat(at) - step)
                db.execute(
                    "UPDATE sends SET at = ? WHERE channel = ? AND at = ?",
                    (stamp(earlier), channel, at),
                )
        return len(rows), sum(int(count) for _, _, count in sends)
