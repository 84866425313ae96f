"""The scoring model's arithmetic, against straightforward references."""

from __future__ import annotations

import heapq

import pytest

from monitor.detect import model


@pytest.mark.parametrize(
    "values",
    [
        [0.5, -2.0, 1.0, -1.0, 1.0, 0.25, -0.25, 2.0, 0.0, -3.5],
        [1.0] * 9,  # all equal: the earliest win
        [0.1, -0.1, 0.1, -0.1, 0.3, -0.3, 0.3],
        [],
    ],
)
def test_the_largest_parts_are_what_heapq_nlargest_gives(values: list[float]) -> None:
    """``_largest`` sorts magnitudes taken once; it must pick the same parts in the same
    order as ``heapq.nlargest`` by magnitude, ties going to the earlier part."""
    parts = [(f"p{i}", value) for i, value in enumerate(values)]
    expected = heapq.nlargest(model._SHOWN, parts, key=lambda item: abs(item[1]))
    assert model._largest(parts) == expected
