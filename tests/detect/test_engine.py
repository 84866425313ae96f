"""The shipped rules and baseline on sentences written for these tests (not corpus items)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.detect.engine import Detector
from monitor.models import Article
from tests.conftest import FIXTURES

T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def article(title: str, text: str = "", at: datetime = T0, ident: str = "a1") -> Article:
    return Article(id=ident, feed="test", title=title, text=text, published=at)


def detection_cases() -> list[tuple[str, str, set[str]]]:
    """The table in fixtures/detection_cases.txt: expected rules || title || text."""
    cases = []
    for line in (FIXTURES / "detection_cases.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expected, title, text = (part.strip() for part in line.split("||"))
        rules = {r.strip() for r in expected.split(",") if r.strip()}
        if rules:
            rules.add("new-development")
        cases.append((title, text, rules))
    return cases


@pytest.mark.parametrize(("title", "text", "rules"), detection_cases())
def test_shipped_rules(shipped_detector: Detector, title: str, text: str, rules: set[str]) -> None:
    alerts = shipped_detector.examine(article(title, text))
    assert {a.rule for a in alerts} == rules
    assert all(a.type == "alert" and a.evidence for a in alerts)


def test_second_report_is_an_update_and_old_news_stays_quiet(shipped_detector: Detector) -> None:
    first = "MPs voted 390 to 70 to approve sending British troops to Ukraine."
    second = "The Commons backed the deployment of UK troops to Ukraine by 390 votes to 70."
    a1 = shipped_detector.examine(article("Vote", first, T0, "a1"))
    a2 = shipped_detector.examine(article("Vote", second, T0 + timedelta(hours=5), "a2"))
    a3 = shipped_detector.examine(article("Vote", first, T0 + timedelta(days=60), "a3"))
    assert {a.type for a in a1} == {"alert"}
    assert {a.type for a in a2} == {"update"}
    assert {a.development for a in a2} == {a.development for a in a1}
    assert a3 == []


def test_every_alert_explains_itself(shipped_detector: Detector) -> None:
    (alert,) = [
        a
        for a in shipped_detector.examine(
            article("Vote", "MPs voted to approve sending British troops to Ukraine.")
        )
        if a.rule == "uk-parliament-vote"
    ]
    evidence = alert.evidence[0]
    assert evidence.sentence == "MPs voted to approve sending British troops to Ukraine."
    assert evidence.nearest_claim.startswith("Starmer pledged that MPs would get a vote")
    assert 0.3 <= evidence.novelty <= 1.0
    assert alert.score == max(e.novelty for e in alert.evidence)


def test_explain_reports_each_pattern(shipped_detector: Detector) -> None:
    (view,) = shipped_detector.explain(
        "", "MPs would vote on troops for Ukraine.", ["uk-parliament-vote"]
    )
    reasons = {o.pattern: o.reason() for o in view.rules[0].outcomes}
    assert reasons["held"] == "no match for: vote outcome"
    assert view.evidence.nearest_claim


def test_future_dates_are_clamped_to_now(shipped_detector: Detector) -> None:
    text = "MPs voted to approve sending British troops to Ukraine."
    (alert, *_) = shipped_detector.examine(article("Vote", text, T0 + timedelta(days=400)), T0)
    (development,) = [d for d in shipped_detector.book.developments if d.id == alert.development]
    assert development.first_seen == T0


def test_huge_entries_are_bounded(shipped_detector: Detector) -> None:
    filler = "Nothing of note happened in the village today. " * 20_000
    text = filler + "MPs voted to approve sending British troops to Ukraine."
    assert shipped_detector.examine(article("Village news", text)) == []


def test_included_rules_name_the_stage_before_broad_patterns(shipped_detector: Detector) -> None:
    text = (
        "Russia and Ukraine agreed a ceasefire that takes effect at midnight. "
        "Negotiators also agreed to establish a demilitarised buffer zone."
    )
    alerts = shipped_detector.examine(article("Truce and buffer zone agreed", text))
    (broad,) = [a for a in alerts if a.rule == "new-development"]
    (development,) = [d for d in shipped_detector.book.developments if d.id == broad.development]
    assert development.stage == "ceasefire/agreed"
