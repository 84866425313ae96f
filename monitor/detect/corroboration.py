"""Corroboration: how closely other outlets reported the same thing in the last few days.

Several independent outlets reporting the same novel thing within days is among the
strongest signs of a real development. ``RecentReports`` keeps the novel-sentence vectors
of the articles examined lately (a ring of at most ``MAX_REPORTS``); ``strongest`` gives
the highest cosine between an article and those of *other* outlets within the window, a
feature of the scoring model. Pure and in memory: the clock is passed in, and a restart
starts from an empty memory.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

WINDOW = timedelta(hours=72)
MAX_REPORTS = 5_000  # about 5 MB of vectors; news on one story rarely comes faster


class RecentReports:
    """The vectors, times and outlets of the latest reports, in a fixed-size ring."""

    def __init__(self, window: timedelta = WINDOW, limit: int = MAX_REPORTS) -> None:
        self.window = window.total_seconds()
        self.limit = limit
        self._vectors: np.ndarray | None = None
        self._times = np.full(limit, -np.inf)
        self._outlets = np.zeros(limit, dtype=np.int64)
        self._codes: dict[str, int] = {}
        self._next = self._count = 0

    def __len__(self) -> int:
        return self._count

    def strongest(self, vector: np.ndarray, outlet: str, when: datetime) -> float:
        """The highest cosine of ``vector`` with a report of another outlet in the window
        before ``when`` (0.0 when there is none)."""
        if self._vectors is None or not vector.any():
            return 0.0
        count, now = self._count, when.timestamp()
        age = now - self._times[:count]
        valid = (age >= 0.0) & (age <= self.window)
        valid &= self._outlets[:count] != self._codes.get(outlet, -1)
        if not valid.any():
            return 0.0
        scores = self._vectors[:count] @ vector  # no copy of the masked rows
        return max(0.0, float(scores[valid].max()))

    def observe(self, vector: np.ndarray, outlet: str, when: datetime) -> None:
        """Remember a report (one with nothing novel to compare is not kept)."""
        if not vector.any():
            return
        if self._vectors is None:
            self._vectors = np.zeros((self.limit, len(vector)), dtype=np.float32)
        slot = self._next
        self._vectors[slot] = vector
        self._times[slot] = when.timestamp()
        self._outlets[slot] = self._codes.setdefault(outlet, len(self._codes))
        self._next = (slot + 1) % self.limit
        self._count = min(self._count + 1, self.limit)
