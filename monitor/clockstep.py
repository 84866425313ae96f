"""Noticing the wall clock step backward, and bringing the schedule back with it.

APScheduler 3 computes and compares run times on the wall clock: after the wall clock
steps back an hour (NTP's first sync after a boot, a VM resumed or migrated, an operator
fixing the time), every job's next run lies an hour further ahead than meant, and nothing
would be polled or delivered for that hour.

``ClockStepWatch`` ticks on the event loop's own timer (monotonic: it does not stall with
the wall clock) and compares how far the wall clock and the monotonic clock moved between
two ticks; a wall clock that fell behind by more than ``threshold`` stepped back, and
``on_step`` is told by how much. A loop held for a while moves both clocks alike, and
NTP's slewing moves the wall clock by under a millisecond a second: neither is a step.
A forward step needs nothing: the jobs fall due at once and run once (coalesced).
``bring_back`` moves every scheduled job's next run back by a step, never before now;
``due_sooner`` and ``done_earlier`` are the rules for times to come and times done that
the state holds too; ``ClockStep`` is what ``/healthz`` tells of the last step seen.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

log = logging.getLogger("monitor.clockstep")

TICK_SECONDS = 1.0
STEP_THRESHOLD_SECONDS = 5.0


@dataclass(frozen=True)
class ClockStep:
    """A backward step of ``seconds``, seen when the wall clock read ``at`` (after it)."""

    seconds: float
    at: datetime

    def as_json(self) -> dict[str, object]:
        return {"step_s": round(self.seconds, 1), "at": self.at.isoformat()}


class ScheduledJob(Protocol):
    """What ``bring_back`` reads of a scheduled job (an APScheduler 3 ``Job``)."""

    id: str
    next_run_time: datetime | None


class Schedule(Protocol):
    """What ``bring_back`` needs of a scheduler (an APScheduler 3 scheduler)."""

    def get_jobs(self) -> Sequence[ScheduledJob]: ...

    def modify_job(self, job_id: str, *, next_run_time: datetime) -> object: ...


def due_sooner(due: datetime, step: timedelta, now: datetime) -> datetime:
    """A time still to come that was set with the clock before it stepped back ``step``:
    ``step`` sooner, never before ``now``; one not after ``now`` stays."""
    return max(now, due - step) if due > now else due


def done_earlier(done: datetime, step: timedelta, now: datetime) -> datetime:
    """A time something was done, stamped with the clock before it stepped back ``step``,
    that lies after ``now``: ``step`` earlier, never after ``now``; one not after stays."""
    return min(now, done - step) if done > now else done


def bring_back(schedule: Schedule, step: timedelta, now: datetime) -> int:
    """Move each job's next run ``step`` earlier, never before ``now`` (paused jobs, with
    no next run, stay paused); modifying a job wakes the scheduler. Returns how many moved."""
    moved = 0
    for job in schedule.get_jobs():
        due = job.next_run_time
        if due is None:
            continue
        earlier = due_sooner(due, step, now)
        if earlier < due:
            schedule.modify_job(job.id, next_run_time=earlier)
            moved += 1
    return moved


class ClockStepWatch:
    """Calls ``on_step(size)`` when the wall clock steps back more than ``threshold`` s.

    ``start`` on the running event loop, ``stop`` at the shutdown. ``wall`` and
    ``monotonic`` are the clocks compared (``time.time``, ``time.monotonic``); the ticks
    themselves run on the loop's timer. An error of ``on_step`` is logged; the watch goes on.
    """

    def __init__(
        self,
        on_step: Callable[[timedelta], object],
        *,
        tick: float = TICK_SECONDS,
        threshold: float = STEP_THRESHOLD_SECONDS,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.on_step = on_step
        self.tick = tick
        self.threshold = threshold
        self.wall = wall
        self.monotonic = monotonic
        self._mark = (0.0, 0.0)
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> None:
        self._mark = (self.wall(), self.monotonic())
        self._timer = asyncio.get_running_loop().call_later(self.tick, self._check)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    @property
    def running(self) -> bool:
        return self._timer is not None

    def _check(self) -> None:
        wall, monotonic = self.wall(), self.monotonic()
        last_wall, last_monotonic = self._mark
        self._mark = (wall, monotonic)
        self._timer = asyncio.get_running_loop().call_later(self.tick, self._check)
        behind = (monotonic - last_monotonic) - (wall - last_wall)
        if behind > self.threshold:
            try:
                self.on_step(timedelta(seconds=behind))
            except Exception:
                log.exception("clock: bringing the schedule back after a step failed")
