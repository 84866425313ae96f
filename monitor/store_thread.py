"""The store's own thread: where the daemon's database calls run, so that a round trip to
PostgreSQL or a long SQLite write never holds the event loop.

One thread per store, started at the first call: calls run one at a time, in the order
they were made, on the store's one connection (neither sqlite3's nor psycopg's connection
may interleave two transactions). The store's lock (``Store._lock``) is held for each
whole call, so code that still calls the store directly from another thread (the web
pages, ``/readyz``) waits for a call in flight instead of running inside its transaction.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class StoreThread:
    """Runs calls on one thread, each while holding ``lock``."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._executor: ThreadPoolExecutor | None = None

    def _locked(self, call: Callable[[], T]) -> T:
        with self._lock:
            return call()

    async def run(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``call(*args, **kwargs)`` on the thread; the caller's loop runs meanwhile."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="monitor-store")
        work = functools.partial(self._locked, functools.partial(call, *args, **kwargs))
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    def close(self) -> None:
        """Wait for the calls already made, then let the thread go."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
