from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from monitor.detect.corroboration import GAP_WAIT, RecentReports
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


def _stored(row: int, vector: np.ndarray = NORTH, outlet: str = "wire") -> OutletReport:
    return OutletReport(row, outlet, T0, vector.astype(np.float32).tobytes())


def test_reports_others_stored_corroborate_once_each() -> None:
    recent = RecentReports()
    later = T0 + timedelta(hours=1)
    assert recent.strongest(NORTH, "paper", later) == 0.0
    recent.take_in([_stored(7)], [6, 7], later)  # row 6: this memory's own
    assert recent.strongest(NORTH, "paper", later) == pytest.approx(1.0)
    assert recent.strongest(NORTH, "wire", later) == 0.0  # its own outlet still does not count
    recent.take_in([_stored(7)], [7], later)  # a stale reading gives it back again
    assert (len(recent), recent.synced, recent.missing) == (1, 7, [])
    assert recent.drain() == []  # taken in, not observed: nothing to store again


def test_a_row_committed_late_is_asked_for_until_it_comes_or_is_given_up() -> None:
    """Another replica's transaction may commit a row after rows numbered above it: it is
    asked for again (``missing``), and given up ``GAP_WAIT`` after it was first missed."""
    recent = RecentReports()
    recent.take_in([_stored(1)], [1], T0)
    recent.take_in([_stored(2), _stored(5)], [2, 5], T0)
    assert (recent.synced, sorted(recent.missing)) == (5, [3, 4])
    recent.take_in([_stored(4, EAST)], [4], T0 + timedelta(minutes=1))
    assert recent.missing == [3]
    assert recent.strongest(EAST, "paper", T0 + timedelta(hours=1)) == pytest.approx(1.0)
    recent.take_in([], [], T0 + GAP_WAIT + timedelta(seconds=1))
    assert recent.missing == []
    assert len(recent) == 4


def test_a_vector_of_another_size_is_left_out() -> None:
    """Stored by another embedding model: not comparable, and not a crash."""
    recent = RecentReports()
    recent.take_in([_stored(1)], [1], T0)
    recent.take_in([_stored(2, np.ones(3) / np.sqrt(3.0))], [2], T0)
    assert (len(recent), recent.synced) == (1, 2)
