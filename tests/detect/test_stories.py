"""Grouping reports into developments, with the clock passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.detect.stories import StoryBook
from monitor.models import Decision

T0 = datetime(2027, 2, 9, 20, 0, tzinfo=UTC)
VOTE = ["MPs voted 467 to 54 to approve sending troops to Ukraine."]
VOTE_AGAIN = ["The Commons approved the troop deployment to Ukraine by 467 votes to 54."]
OTHER = ["Lawmakers in Berlin ratified the security pact with Kyiv."]


def book_with_vote() -> StoryBook:
    book = StoryBook(window=timedelta(days=7), burst=timedelta(days=2))
    verdict = book.decide("vote", "held", VOTE, T0)
    assert verdict.decision is Decision.NEW_DEVELOPMENT
    book.record(verdict, "vote", "held", VOTE, "entry-1", T0)
    return book


@pytest.mark.parametrize(
    ("rule", "stage", "evidence", "later", "expected"),
    [
        ("vote", "held", VOTE_AGAIN, timedelta(hours=3), Decision.UPDATE),  # within the burst
        ("vote", "held", OTHER, timedelta(hours=3), Decision.UPDATE),  # burst: any wording
        ("vote", "held", VOTE_AGAIN, timedelta(days=5), Decision.UPDATE),  # window + similar
        ("vote", "held", OTHER, timedelta(days=5), Decision.NEW_DEVELOPMENT),  # window, dissimilar
        ("vote", "held", VOTE, timedelta(days=30), Decision.KNOWN),  # old news restated
        ("vote", "held", VOTE_AGAIN, timedelta(days=30), Decision.NEW_DEVELOPMENT),
        ("vote", "tabled", VOTE, timedelta(hours=3), Decision.NEW_DEVELOPMENT),  # other stage
        ("other", "held", VOTE, timedelta(hours=3), Decision.NEW_DEVELOPMENT),  # other rule
    ],
)
def test_decide(
    rule: str, stage: str, evidence: list[str], later: timedelta, expected: Decision
) -> None:
    verdict = book_with_vote().decide(rule, stage, evidence, T0 + later)
    assert verdict.decision is expected, verdict.reason


def test_updates_extend_the_development_and_its_window() -> None:
    book = book_with_vote()
    at = T0 + timedelta(days=1)
    verdict = book.decide("vote", "held", VOTE_AGAIN, at)
    development = book.record(verdict, "vote", "held", VOTE_AGAIN, "entry-2", at)
    assert development is not None
    assert development.entries == ["entry-1", "entry-2"]
    assert development.last_seen == at
    assert development.evidence == VOTE + VOTE_AGAIN
    # two days after the update is still inside the burst, counted from the last report
    assert book.decide("vote", "held", OTHER, at + timedelta(days=2)).decision is Decision.UPDATE
    assert len(book.developments) == 1


def test_known_is_not_recorded() -> None:
    book = book_with_vote()
    at = T0 + timedelta(days=30)
    verdict = book.decide("vote", "held", VOTE, at)
    assert book.record(verdict, "vote", "held", VOTE, "entry-9", at) is None
    assert book.developments[0].entries == ["entry-1"]
