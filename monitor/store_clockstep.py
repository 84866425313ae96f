"""After the wall clock stepped back: the delivery times the state holds, brought back with it
(part of the store, with ``store.py`` the only modules that know SQL).

Outbox rows waiting for a retry (or held back) were given their next attempt with the
clock before the step, and the rate limit's sends were stamped with it: after a step back
of an hour, a retry due in 30 s would wait an hour and 30 s, and a channel at its limit
would be held for the hour its sends still seemed to lie in the current minute; a batched
update waits, and a failing delivery gives up, counting from its row's creation, stamped
with that clock too. ``bring_back_deliveries`` moves all three back by the step. The
outbox rows carry no replica's name, so with replicas every pending row comes back (one
whose time another replica wrote with a clock that did not step may be tried early, never
before now); only sends stamped after now come back, since others' sends made meanwhile
are in the past already. Replicas on one host all see its clock's step: the first to
record it in ``clock_steps`` brings the times back, the others find it there (moved twice,
a retry would be due at once).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor.clockstep import done_earlier, due_sooner
from monitor.store_base import StorePart, stamp

# Replicas on one host see one step of its clock, each within a few ticks of the others: a
# step this close in size, recorded this recently, was the same one.
SHARED_STEP_WINDOW = timedelta(minutes=1)
SAME_STEP_SECONDS = 5.0


class ClockStepStore(StorePart):
    """Bringing the outbox and the rate limit's sends back by a clock step; mixed into ``Store``."""

    def bring_back_deliveries(self, step: timedelta, now: datetime) -> tuple[int, int]:
        """The wall clock stepped back ``step`` and reads ``now``: pending outbox rows due
        after now are due ``step`` earlier, never before now; their creation (from which
        batched updates wait and deliveries give up) and the sends stamped after now count
        ``step`` earlier, never after now (they were before it). Returns how many outbox rows
        and sends moved: none when a replica on the same clock brought them back already (a
        step as large recorded within ``SHARED_STEP_WINDOW``)."""
        moment = stamp(now)
        seconds = step.total_seconds()
        with self._transaction() as db:
            db.lock_clock_steps()
            db.execute("DELETE FROM clock_steps WHERE seen < ?", (stamp(now - SHARED_STEP_WINDOW),))
            recorded = db.execute("SELECT step FROM clock_steps").fetchall()
            if any(abs(float(other) - seconds) <= SAME_STEP_SECONDS for (other,) in recorded):
                return 0, 0
            db.execute("INSERT INTO clock_steps (step, seen) VALUES (?, ?)", (seconds, moment))
            rows = db.execute(
                "SELECT id, next_attempt, created FROM outbox WHERE state = 'pending'"
                f" AND (next_attempt > ? OR created > ?){db.lock_rows}",
                (moment, moment),
            ).fetchall()
            for row_id, due, created in rows:
                db.execute(
                    "UPDATE outbox SET next_attempt = ?, created = ? WHERE id = ?",
                    (
                        stamp(due_sooner(datetime.fromisoformat(due), step, now)),
                        stamp(done_earlier(datetime.fromisoformat(created), step, now)),
                        row_id,
                    ),
                )
            sends = db.execute(
                "SELECT channel, at, COUNT(*) FROM sends WHERE at > ? GROUP BY channel, at",
                (moment,),
            ).fetchall()
            for channel, at, _ in sends:  # sends at one time to one channel move together
                db.execute(
                    "UPDATE sends SET at = ? WHERE channel = ? AND at = ?",
                    (stamp(done_earlier(datetime.fromisoformat(at), step, now)), channel, at),
                )
        return len(rows), sum(int(count) for _, _, count in sends)
