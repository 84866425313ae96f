from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from monitor.detect.corroboration import RECHECK, RecentReports
from monitor.models import OutletReport

T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
NORTH, EAST = np.array([1.0, 0.0]), np.array([0.0, 1.0])
NORTH_EAST = np.array([1.0, 1.0]) / np.sqrt(2.0)


def test_only_other_outlets_within_the_window_corroborate() -> None:
    recent = RecentReports(window=timedelta(hours=72))
    recent.observe(NORTH, "wire", T0)
    recent.observe(EAST, "paper", T0 + timedelta(hours=1))
    later = T0 + timedelta(hours=2)
    assert recent.strongest(NORTH, "wire", later) == 0.0  # its own outlet does not count
    assert recent.strongest(NORTH, "desk", later) == pytest.approx(1.0)
    assert recent.strongest(NORTH_EAST, "wire", later) == pytest.approx(np.sqrt(0.5))
    assert recent.strongest(NORTH, "desk", T0 + timedelta(hours=80)) == 0.0  # too old
    assert recent.strongest(NORTH, "desk", T0 - timedelta(hours=1)) == 0.0  # not yet seen


def test_memory_is_a_bounded_ring_of_the_latest_reports() -> None:
    recent = RecentReports(window=timedelta(hours=72), limit=2)
    recent.observe(NORTH, "first", T0)
    recent.observe(EAST, "second", T0 + timedelta(minutes=1))
    recent.observe(EAST, "third", T0 + timedelta(minutes=2))
    assert len(recent) == 2
    later = T0 + timedelta(hours=1)
    assert recent.strongest(NORTH, "desk", later) == 0.0  # the oldest was let go
    assert recent.strongest(EAST, "second", later) == pytest.approx(1.0)  # "third" remains
    recent.observe(np.zeros(2), "empty", later)
    assert len(recent) == 2  # an article with nothing novel is not remembered


def test_a_shared_memory_gives_what_it_observed_to_store_once() -> None:
    recent = RecentReports()
    recent.observe(NORTH, "wire", T0)
    assert recent.drain() == []  # not shared (a replay): nothing waits to be stored
    recent.share()
    recent.observe(NORTH_EAST, "paper", T0 + timedelta(hours=1))
    (stored,) = recent.drain()
    assert (stored.id, stored.outlet, stored.at) == (0, "paper", T0 + timedelta(hours=1))
    assert np.frombuffer(stored.vector, dtype=np.float32).tolist() == pytest.approx(NORTH_EAST)
    assert recent.drain() == []
    assert len(recent) == 2


def test_reports_others_stored_corroborate_once_each() -> None:
    recent = RecentReports()
    elsewhere = OutletReport(7, "wire", T0, NORTH.astype(np.float32).tobytes())
    later = T0 + timedelta(hours=1)
    assert recent.strongest(NORTH, "paper", later) == 0.0
    recent.take_in([elsewhere])
    assert recent.strongest(NORTH, "paper", later) == pytest.approx(1.0)
    assert recent.strongest(NORTH, "wire", later) == 0.0  # its own outlet still does not count
    recent.take_in([elsewhere])  # read again with the rows just before the last one taken in
    assert (len(recent), recent.synced) == (1, 7)
    assert recent.drain() == []  # taken in, not observed: nothing to store again


def test_rows_long_taken_in_are_not_read_again() -> None:
    recent = RecentReports()
    rows = [
        OutletReport(n, "wire", T0, EAST.astype(np.float32).tobytes())
        for n in range(1, 2 * RECHECK + 2)
    ]
    recent.take_in(rows)
    assert recent.unsure == 2 * RECHECK + 1 - RECHECK
    recent.take_in(rows)  # what a stale reading gives back again
    assert len(recent) == len(rows)
