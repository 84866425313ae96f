from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from monitor.detect.corroboration import RecentReports

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
