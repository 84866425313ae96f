"""Corroboration: how closely other outlets reported the same thing in the last few days.

Several independent outlets reporting the same novel thing within days is among the
strongest signs of a real development. ``RecentReports`` keeps the novel-sentence vectors
of the articles examined lately (a ring of at most ``MAX_REPORTS``); ``strongest`` gives
the highest cosine between an article and those of *other* outlets within the window, a
feature of the scoring model. Pure and in memory: the clock is passed in. A daemon shares
the memory through its state (``share``, ``drain``, ``take_in``): each poll stores what it
observed and takes in what others stored (another replica, or the process before a restart
or a cron run's last), so that all of them know what the one process of a replay knows.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np

from monitor.models import OutletReport

WINDOW = timedelta(hours=72)
MAX_REPORTS = 5_000  # about 5 MB of vectors; news on one story rarely comes faster
# A row another replica had not committed yet when the rows after it were read is asked
# for again (``missing``) for this long; then it is taken for one that never comes (a
# transaction rolled back, a report pruned as soon as stored).
GAP_WAIT = timedelta(minutes=2)
MAX_GAPS = 1_000  # more rows skipped at once than this: pruned ones, not late ones


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
        self.observer = secrets.token_hex(8)  # names what this memory stores
        self._pending: list[OutletReport] | None = None  # observed, not yet stored
        self.synced = 0  # the highest row of the state read
        # rows below ``synced`` not read yet, and since when they are missed (replaced, never
        # changed in place: the event loop reads it while the worker takes rows in)
        self._gaps: dict[int, datetime] = {}

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
        """Remember a report (one with nothing novel to compare is not kept); when shared,
        it waits in ``drain`` to be stored."""
        if not vector.any():
            return
        self._add(vector, outlet, when)
        if self._pending is not None:
            stored = np.asarray(vector, dtype=np.float32).tobytes()
            self._pending.append(OutletReport(0, outlet, when, stored))

    def share(self) -> None:
        """Keep what is observed from now on for ``drain`` (a daemon stores it)."""
        if self._pending is None:
            self._pending = []

    def drain(self) -> list[OutletReport]:
        """The reports observed since the last drain, to store."""
        pending = self._pending or []
        if self._pending is not None:
            self._pending = []
        return pending

    @property
    def missing(self) -> list[int]:
        """Rows below ``synced`` that were not committed when the rows after them were read."""
        return list(self._gaps)

    def take_in(self, reports: Iterable[OutletReport], rows: Iterable[int], now: datetime) -> None:
        """Remember the reports others stored, as if observed here, each row once: ``rows``
        are the ids of every row read (this memory's own too), after ``synced`` or among
        ``missing``; rows skipped between them are asked for again until ``GAP_WAIT``
        after ``now``. A vector of another size (stored by another embedding model) is
        left out."""
        gaps = self._gaps
        fresh = {row for row in rows if row > self.synced or row in gaps}
        for report in reports:
            vector = np.frombuffer(report.vector, dtype=np.float32)
            if report.id in fresh and vector.any() and self._fits(vector):
                self._add(vector, report.outlet, report.at)
        gaps = {row: since for row, since in gaps.items() if row not in fresh}
        top = max(fresh, default=0)
        if top > self.synced:
            skipped = range(self.synced + 1, top)
            # the first reading has none: what it did not find was pruned
            if self.synced and len(skipped) <= MAX_GAPS:
                gaps.update((row, now) for row in skipped if row not in fresh)
            self.synced = top
        self._gaps = {row: since for row, since in gaps.items() if now - since <= GAP_WAIT}

    def _fits(self, vector: np.ndarray) -> bool:
        return self._vectors is None or len(vector) == self._vectors.shape[1]

    def _add(self, vector: np.ndarray, outlet: str, when: datetime) -> None:
        if self._vectors is None:
            self._vectors = np.zeros((self.limit, len(vector)), dtype=np.float32)
        slot = self._next
        self._vectors[slot] = vector
        self._times[slot] = when.timestamp()
        self._outlets[slot] = self._codes.setdefault(outlet, len(self._codes))
        self._next = (slot + 1) % self.limit
        self._count = min(self._count + 1, self.limit)
