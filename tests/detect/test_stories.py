"""Grouping reports into developments, with the clock passed in (real embeddings)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.detect.embedding import bundled_embedder
from monitor.detect.model import load_model
from monitor.detect.stories import UNSTAGED, Report, StoryBook
from monitor.models import Decision

T0 = datetime(2027, 2, 9, 20, 0, tzinfo=UTC)
VOTE = "MPs voted 467 to 54 to approve sending troops to Ukraine."
VOTE_AGAIN = "The Commons approved the troop deployment to Ukraine by 467 votes to 54."
ANALYSIS = "What the Commons vote on sending British troops to Ukraine means for the mission."
OTHER = "Lawmakers in Berlin ratified the security pact with Kyiv after a long debate."


def report(text: str, rule: str = "vote", stage: str = "held", outlet: str = "A") -> Report:
    vector = bundled_embedder().embed([text])[0]
    return Report(
        (rule, "new-development"), stage, (text,), vector, load_model().vectorise(text), outlet
    )


def book_with_vote() -> StoryBook:
    book = StoryBook(
        embed=bundled_embedder().embed, vectorise=load_model().vectorise, window=timedelta(days=7)
    )
    first = report(VOTE)
    verdict = book.decide(first, T0)
    assert verdict.decision is Decision.NEW_DEVELOPMENT
    book.record(verdict, first, "entry-1", T0)
    return book


@pytest.mark.parametrize(
    ("later_report", "later", "expected"),
    [
        (report(VOTE_AGAIN), timedelta(hours=3), Decision.UPDATE),  # same event, same day
        (report(OTHER, "pact", UNSTAGED), timedelta(hours=3), Decision.NEW_DEVELOPMENT),
        (report(OTHER), timedelta(hours=3), Decision.UPDATE),  # same rule and stage, same day
        (report(VOTE_AGAIN), timedelta(days=5), Decision.UPDATE),  # window, nearly the same
        (report(OTHER), timedelta(days=5), Decision.NEW_DEVELOPMENT),  # window, dissimilar
        # within the window, a related report of the same kind and stage (an analysis)
        (report(ANALYSIS), timedelta(days=5), Decision.UPDATE),
        (report(ANALYSIS, "pact", UNSTAGED), timedelta(days=5), Decision.NEW_DEVELOPMENT),
        (report(VOTE), timedelta(days=30), Decision.KNOWN),  # old news restated
        (report(VOTE, stage="tabled"), timedelta(hours=3), Decision.NEW_DEVELOPMENT),
    ],
)
def test_decide(later_report: Report, later: timedelta, expected: Decision) -> None:
    verdict = book_with_vote().decide(later_report, T0 + later)
    assert verdict.decision is expected, verdict.reason


def test_updates_extend_the_development_and_count_outlets() -> None:
    book = book_with_vote()
    at = T0 + timedelta(hours=6)
    again = report(VOTE_AGAIN, outlet="B")
    development = book.record(book.decide(again, at), again, "entry-2", at)
    assert development is not None
    assert development.entries == ["entry-1", "entry-2"]
    assert development.last_seen == at
    assert development.evidence == [VOTE, VOTE_AGAIN]
    assert development.outlets == ["A", "B"]
    wire = report(VOTE, outlet="C")  # the first report republished word for word
    book.record(book.decide(wire, at), wire, "entry-3", at)
    assert development.outlets == ["A", "B"]
    assert len(book.developments) == 1


def test_known_is_not_recorded() -> None:
    book = book_with_vote()
    at = T0 + timedelta(days=30)
    old = report(VOTE)
    assert book.record(book.decide(old, at), old, "entry-9", at) is None
    assert book.developments[0].entries == ["entry-1"]


def test_reset_recomputes_similarity_from_stored_evidence() -> None:
    stored = book_with_vote().developments
    book = StoryBook(stored, embed=bundled_embedder().embed, vectorise=load_model().vectorise)
    verdict = book.decide(report(VOTE_AGAIN), T0 + timedelta(days=4))
    assert verdict.decision is Decision.UPDATE, verdict.reason
