"""Per-host turns: a hung request gives its regular turn up; cancelled waiters leave no trace."""

from __future__ import annotations

import asyncio

from monitor.sources.hostgate import HostGate


async def hold(
    gate: HostGate, name: str, seconds: float, log: list[str], slow: bool = False
) -> None:
    async with gate.turn(slow, slow_after=0.2):
        log.append(name)
        await asyncio.sleep(seconds)


def test_a_hung_request_moves_to_the_slow_lane_and_cancelled_waiters_leave_no_trace() -> None:
    async def scenario() -> tuple[list[str], dict[str, int], int]:
        gate, log = HostGate(1), []
        hung = asyncio.create_task(hold(gate, "hung", 1.0, log))
        await asyncio.sleep(0.01)
        healthy = asyncio.create_task(hold(gate, "healthy", 0.01, log))
        gone = asyncio.create_task(hold(gate, "gone", 0.01, log))
        also_slow = asyncio.create_task(hold(gate, "also-slow", 0.01, log, slow=True))
        await asyncio.sleep(0.05)
        assert log == ["hung", "also-slow"], "the slow lane is a lane of its own"
        gone.cancel()
        await asyncio.wait_for(healthy, 1.0)  # after 0.2 s the hung request moves lanes
        await asyncio.gather(hung, also_slow, gone, return_exceptions=True)
        return log, dict(gate.active), len(gate._waiters)

    log, active, waiting = asyncio.run(scenario())
    assert log == ["hung", "also-slow", "healthy"]
    assert active == {"regular": 0, "slow": 0} and waiting == 0
