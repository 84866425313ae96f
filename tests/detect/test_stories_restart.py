"""A story book read back from the store (a restart, each cron run, another replica) decides
as the book that recorded the developments would have: the same decision, similarity and
outlets. Each scenario records reports in a running book, stores its developments in a real
SQLite state, and asks both books about the next report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from monitor.detect.embedding import bundled_embedder
from monitor.detect.model import load_model
from monitor.detect.stories import UNSTAGED, Report, StoryBook
from monitor.models import Decision
from monitor.ruleset import load_ruleset
from monitor.store import open_store
from tests.conftest import RULES
from tests.detect.test_stories import BRITISH_ARRIVE, DEPLOYMENT_RULE, T0, report
from tests.helpers import commit_developments

VOTE_REPORTS = [
    "MPs voted 467 to 54 to approve sending troops to Ukraine.",
    "The Commons approved the troop deployment to Ukraine by 467 votes to 54.",
    "Parliament gave its blessing to the British mission in Ukraine late on Tuesday.",
    "The vote on the Ukraine deployment passed with a majority of 413 after a six-hour debate.",
    "Labour and Conservative MPs joined to back the deployment; the SNP voted against.",
    "After the Commons vote, the defence secretary said 5,000 troops would go in spring.",
]
ARTICLE = (
    VOTE_REPORTS[0],
    "The prime minister said the first units would leave within weeks.",
    "Opposition leaders criticised the speed of the decision.",
    "Defence officials said the force would number about 5,000.",
)


def _book() -> StoryBook:
    book = StoryBook(embed=bundled_embedder().embed, vectorise=load_model().vectorise)
    book.know_rules(load_ruleset(RULES).rules)
    return book


def _article(sentences: tuple[str, ...], outlet: str) -> Report:
    """A report of the vote whose article says ``sentences`` (its first the evidence)."""
    text = " ".join(sentences)
    embedded = bundled_embedder().embed([text])[0]
    terms = load_model().vectorise(text)
    return Report(
        ("vote", "new-development"), "held", sentences[:1], embedded, terms, outlet, (), sentences
    )


def _record(book: StoryBook, reports: list[tuple[Report, timedelta]]) -> None:
    for index, (each, after) in enumerate(reports):
        verdict = book.decide(each, T0 + after)
        book.record(verdict, each, f"entry-{index}", T0 + after)


def many_reports_then_a_restatement(book: StoryBook) -> tuple[Report, timedelta]:
    """Six reports of one vote, then nearly the sixth's words again three days on: compared
    with each kept report (not with their evidence read as one text)."""
    _record(
        book,
        [
            (report(text, outlet=f"outlet-{i}"), timedelta(hours=i))
            for i, text in enumerate(VOTE_REPORTS)
        ],
    )
    later = report(VOTE_REPORTS[-1].replace("in spring", "in the spring"), outlet="Z")
    return replace(later, sentences=(*later.evidence, "Officials in Kyiv welcomed it.")), timedelta(
        days=3
    )


def a_wire_copy_from_another_outlet(book: StoryBook) -> tuple[Report, timedelta]:
    """A wire story and, two hours on, another outlet's copy of it, one word added: one
    outlet (the copy is compared with the whole story, not with its evidence)."""
    _record(book, [(_article(ARTICLE, "wire"), timedelta(0))])
    copy = (*ARTICLE[:-1], ARTICLE[-1] + " Reuters")
    return _article(copy, "paper"), timedelta(hours=2)


def a_stage_told_by_a_later_report(book: StoryBook) -> tuple[Report, timedelta]:
    """A development the model named (Polish troops crossing), whose stage a later report
    told (British troops arrived): its first sentence names no party that keeps a third
    report apart."""
    convoy = report(
        "A convoy of Polish troops of the multinational force crossed into Ukraine at dawn.",
        DEPLOYMENT_RULE,
        UNSTAGED,
    )
    arrived = report(BRITISH_ARRIVE, DEPLOYMENT_RULE, "deployed")
    _record(book, [(convoy, timedelta(0)), (arrived, timedelta(hours=2))])
    again = report(
        "The first British soldiers of the force have arrived in Ukraine.",
        DEPLOYMENT_RULE,
        "deployed",
    )
    return again, timedelta(hours=4)


@pytest.mark.parametrize(
    "scenario",
    [
        many_reports_then_a_restatement,
        a_wire_copy_from_another_outlet,
        a_stage_told_by_a_later_report,
    ],
)
def test_a_book_read_back_from_the_store_decides_as_the_running_book(
    scenario: Callable[[StoryBook], tuple[Report, timedelta]], tmp_path: Path
) -> None:
    running = _book()
    later, after = scenario(running)
    store = open_store(tmp_path / "state.db")
    try:
        commit_developments(store, running.developments)
        restarted = _book()
        restarted.reset(store.developments())
    finally:
        store.close()
    at = T0 + after
    expected, got = running.decide(later, at), restarted.decide(later, at)
    assert got.decision is expected.decision is Decision.UPDATE, (expected.reason, got.reason)
    assert (got.similarity, got.reason) == (expected.similarity, expected.reason)
    kept = running.record(expected, later, "entry-last", at)
    read_back = restarted.record(got, later, "entry-last", at)
    assert kept is not None and read_back is not None
    assert read_back.outlets == kept.outlets


def test_the_store_gives_back_each_kept_report_exactly(tmp_path: Path) -> None:
    running = _book()
    a_stage_told_by_a_later_report(running)
    store = open_store(tmp_path / "state.db")
    try:
        commit_developments(store, running.developments)
        (stored,) = store.developments()
    finally:
        store.close()
    (development,) = running.developments
    assert stored.adopted and development.adopted
    assert stored.reports == development.reports
    assert len(stored.reports) == 2


def test_reports_stored_by_an_embedding_model_of_another_size_are_not_compared() -> None:
    """After a change of embedding model the stored reports' vectors do not fit: the book
    compares such a development by its evidence, as one stored before reports were kept."""
    running = _book()
    later, after = many_reports_then_a_restatement(running)
    odd = np.ones(3, dtype=np.float32).tobytes()
    stored = [
        replace(d, reports=[replace(trace, vector=odd) for trace in d.reports])
        for d in running.developments
    ]
    by_evidence = [replace(d, reports=[]) for d in running.developments]
    books = {}
    for name, developments in (("odd", stored), ("evidence", by_evidence)):
        books[name] = _book()
        books[name].reset(developments)
    at = T0 + after
    odd_verdict, evidence_verdict = (books[n].decide(later, at) for n in ("odd", "evidence"))
    assert odd_verdict.similarity == evidence_verdict.similarity
    assert odd_verdict.decision is evidence_verdict.decision
