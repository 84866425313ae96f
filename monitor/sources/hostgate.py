"""Per-host turns that a slow or dead feed cannot take from the healthy feeds of its host.

Each host has two lanes of ``limit`` turns: *regular* for feeds in good standing and *slow*
for feeds whose last fetch failed or was slow. A request in the regular lane that is still
running after ``slow_after`` seconds moves to the slow lane when that has room, giving its
regular turn back. So hung requests never hold more than the slow lane, the host never sees
more than ``2 * limit`` requests at once, and a healthy feed waits at most ``slow_after`` for
its turn (only while a feed never seen before hangs for the first time).

Waiters are served first come, first served within their lane.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

Lane = Literal["regular", "slow"]


class HostGate:
    """The turns of one host."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active: dict[Lane, int] = {"regular": 0, "slow": 0}
        self._waiters: deque[tuple[Lane, asyncio.Future[None]]] = deque()

    def _has_room(self, lane: Lane) -> bool:
        return self.active[lane] < self.limit

    async def _acquire(self, lane: Lane) -> None:
        if self._has_room(lane) and not any(w == lane for w, _ in self._waiters):
            self.active[lane] += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((lane, waiter))
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(lane)  # the turn came as we were cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):  # _wake may have dropped it already
                    self._waiters.remove((lane, waiter))
            raise

    def _release(self, lane: Lane) -> None:
        self.active[lane] -= 1
        self._wake()

    def _wake(self) -> None:
        for lane, waiter in list(self._waiters):
            if waiter.done():
                self._waiters.remove((lane, waiter))
            elif self._has_room(lane):
                self._waiters.remove((lane, waiter))
                self.active[lane] += 1
                waiter.set_result(None)

    @asynccontextmanager
    async def turn(self, slow: bool, slow_after: float) -> AsyncIterator[None]:
        """Hold a turn in the slow lane (``slow``) or the regular one, moving to the slow
        lane after ``slow_after`` seconds when it has room."""
        lane: Lane = "slow" if slow else "regular"
        await self._acquire(lane)

        loop = asyncio.get_running_loop()
        timer: asyncio.TimerHandle | None = None

        def move() -> None:
            nonlocal lane, timer
            if self._has_room("slow"):
                self.active["slow"] += 1
                lane = "slow"
                self._release("regular")
            else:  # try again later
                timer = loop.call_later(slow_after, move)

        if not slow:
            timer = loop.call_later(slow_after, move)
        try:
            yield
        finally:
            if timer is not None:
                timer.cancel()
            self._release(lane)
