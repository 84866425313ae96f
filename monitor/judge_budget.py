"""The judge's hourly budget, apart from the judge so the service can hold one without
importing detection or httpx."""

from __future__ import annotations

import threading
from collections import deque


class CallBudget:
    """The judge calls of the last hour; shared by the judges a daemon builds on each rule
    reload, so a reload does not grant a fresh hour's worth."""

    def __init__(self) -> None:
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def take(self, now: float, per_hour: int) -> bool:
        """Count a call at ``now`` if fewer than ``per_hour`` were made in the last hour."""
        with self._lock:
            while self._calls and now - self._calls[0] >= 3600.0:
                self._calls.popleft()
            if len(self._calls) >= per_hour:
                return False
            self._calls.append(now)
            return True
