"""The clock-step watch: which movements of the two clocks are a backward step, and how a
schedule is brought back by one (a real APScheduler 3 scheduler, paused)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from monitor.clockstep import ClockStepWatch, bring_back, done_earlier, due_sooner

NOW = datetime(2027, 3, 3, 20, 0, tzinfo=UTC)
AN_HOUR = timedelta(hours=1)

HOUR = 3600.0


class Clocks:
    """A wall clock and a monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.elapsed = 100.0

    def wall(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.elapsed


@pytest.mark.parametrize(
    ("wall_moves", "monotonic_moves", "steps"),
    [
        (1.0 - HOUR, 1.0, [HOUR]),  # NTP's first sync, a VM resumed: an hour back
        (1.0 - 2.0, 1.0, []),  # two seconds back: under the threshold
        (1.0 + HOUR, 1.0, []),  # forward: the jobs fall due at once by themselves
        (30.0, 30.0, []),  # the loop was held 30 s: both clocks moved alike
        (0.9995, 1.0, []),  # NTP slewing
    ],
)
def test_only_a_backward_step_past_the_threshold_is_told(
    wall_moves: float, monotonic_moves: float, steps: list[float]
) -> None:
    clocks = Clocks()
    told: list[timedelta] = []

    async def scenario() -> None:
        watch = ClockStepWatch(told.append, tick=0.01, wall=clocks.wall, monotonic=clocks.monotonic)
        watch.start()
        await asyncio.sleep(0.03)
        clocks.now += wall_moves
        clocks.elapsed += monotonic_moves
        await asyncio.sleep(0.1)  # several ticks: the step is told once
        assert watch.running
        watch.stop()
        assert not watch.running

    asyncio.run(scenario())
    assert [round(step.total_seconds(), 3) for step in told] == steps


def test_a_failing_handler_is_logged_and_the_watch_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clocks = Clocks()
    told: list[timedelta] = []

    def handler(step: timedelta) -> None:
        told.append(step)
        if len(told) == 1:
            raise RuntimeError("boom")

    async def scenario() -> None:
        watch = ClockStepWatch(handler, tick=0.01, wall=clocks.wall, monotonic=clocks.monotonic)
        watch.start()
        for _ in range(2):
            await asyncio.sleep(0.03)
            clocks.now -= HOUR
            await asyncio.sleep(0.05)
        watch.stop()

    asyncio.run(scenario())
    assert len(told) == 2
    assert [r.getMessage() for r in caplog.records] == [
        "clock: bringing the schedule back after a step failed"
    ]


def test_bring_back_moves_every_job_back_but_never_before_now() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    step = timedelta(hours=1)

    async def job() -> None:
        pass

    async def scenario() -> dict[str, datetime | None]:
        scheduler = AsyncIOScheduler(timezone=UTC)
        scheduler.start(paused=True)
        try:
            due = {"far": now + step + timedelta(seconds=10), "near": now + timedelta(minutes=30)}
            for name, at in due.items():
                scheduler.add_job(job, "interval", seconds=60, id=name, next_run_time=at)
            scheduler.add_job(job, "interval", seconds=60, id="paused", next_run_time=None)
            assert bring_back(scheduler, step, now) == 2
            return {j.id: j.next_run_time for j in scheduler.get_jobs()}
        finally:
            scheduler.shutdown(wait=False)
            await asyncio.sleep(0)

    assert asyncio.run(scenario()) == {
        "near": now,  # would have been before now
        "far": now + timedelta(seconds=10),
        "paused": None,
    }


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (NOW + AN_HOUR + timedelta(seconds=30), NOW + timedelta(seconds=30)),  # due in 30 s
        (NOW + timedelta(minutes=10), NOW),  # was overdue at the step: due now, not before
        (NOW - timedelta(seconds=5), NOW - timedelta(seconds=5)),  # due already: stays
    ],
)
def test_a_time_to_come_comes_back_by_the_step_never_before_now(
    due: datetime, expected: datetime
) -> None:
    assert due_sooner(due, AN_HOUR, NOW) == expected


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (NOW + timedelta(minutes=50), NOW - timedelta(minutes=10)),  # stamped 10 min before
        (NOW + AN_HOUR + timedelta(seconds=5), NOW),  # ahead by more than the step: now
        (NOW - timedelta(seconds=5), NOW - timedelta(seconds=5)),  # in the past: stays
    ],
)
def test_a_time_done_comes_back_by_the_step_never_after_now(
    done: datetime, expected: datetime
) -> None:
    assert done_earlier(done, AN_HOUR, NOW) == expected
