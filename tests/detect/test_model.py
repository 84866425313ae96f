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


def test_terms_found_only_in_the_background_weigh_less() -> None:
    """A term of the news weighs as TF-IDF gives it; one found only in the background weighs
    ``BACKGROUND_WEIGHT`` of that (before the vector is made unit length); a term in both
    counts as news."""
    spec = model.ModelFile(
        format=1, idf={"vote": 2.0, "paris": 2.0, "troops": 1.0}, scaling={}, heads={}
    )
    scoring = model.ScoringModel(spec)
    vector = scoring.vectorise("MPs vote on troops", "", "Paris summit. Troops pledged.")
    assert vector["paris"] / vector["vote"] == pytest.approx(model.BACKGROUND_WEIGHT)
    assert vector["troops"] / vector["vote"] == pytest.approx(0.5)  # its own idf, as news
    assert scoring.vectorise("MPs vote", "", "") == scoring.vectorise("MPs vote")
