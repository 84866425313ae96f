"""How the training script (scripts/train_detector.py) chooses a rule head's threshold."""

from __future__ import annotations

import pytest

from monitor.calibrate import RULE_PRECISION, RuleCounts, adds_enough


@pytest.mark.parametrize(
    ("before", "after", "kept"),
    [
        ((40, 39, 20), (41, 40, 21), True),  # one more event, by a correct alert
        ((40, 39, 20), (50, 47, 22), False),  # precise overall (0.94), but 8 of 10 added right
        ((40, 39, 20), (50, 48, 22), True),  # 9 of 10 added right: at the bar
        ((40, 39, 20), (42, 41, 20), False),  # correct alerts, but no event more
        ((0, 0, 0), (1, 1, 1), True),  # a rule no pattern of which ever held
        ((40, 39, 20), (40, 39, 21), True),  # an event more, no alert more (reports regrouped)
        ((40, 38, 20), (39, 38, 21), True),  # a wrong alert fewer
        ((40, 39, 20), (39, 38, 21), False),  # a correct alert fewer: more than 0.9 of one lost
    ],
)
def test_a_head_is_kept_where_the_alerts_it_adds_are_at_the_bar(
    before: tuple[int, int, int], after: tuple[int, int, int], kept: bool
) -> None:
    assert RULE_PRECISION == 0.9
    assert adds_enough(RuleCounts(*before), RuleCounts(*after)) is kept
