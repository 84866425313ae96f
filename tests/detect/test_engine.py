"""The shipped rules and baseline on sentences written for these tests (not corpus items)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.detect.engine import Detector
from monitor.models import Article

T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def article(title: str, text: str = "", at: datetime = T0, ident: str = "a1") -> Article:
    return Article(id=ident, feed="test", title=title, text=text, published=at)


@pytest.mark.parametrize(
    ("title", "text", "rules"),
    [
        # developments
        (
            "Commons approves Ukraine mission",
            "MPs voted 390 to 70 to approve sending British troops to Ukraine.",
            {"uk-parliament-vote", "new-development"},
        ),
        (
            "Vote on Ukraine troops set",
            "MPs will vote on Wednesday 3 March on the deployment of UK forces to Ukraine.",
            {"uk-parliament-vote", "new-development"},
        ),
        (
            "Kremlin shift",
            "Peskov said Moscow could accept peacekeepers in Ukraine from neutral states.",
            {"russia-position-change", "new-development"},
        ),
        (
            "Truce agreed",
            "Russia and Ukraine agreed a ceasefire that takes effect at midnight.",
            {"ceasefire", "new-development"},
        ),
        (
            "Energy truce collapses in Ukraine",
            "The energy truce collapsed after a night of strikes.",
            {"ceasefire", "new-development"},
        ),
        (
            "First British troops arrive in Ukraine",
            "The first British soldiers arrived in Kyiv on Monday.",
            {"foreign-troops-deployed", "new-development"},
        ),
        (
            "Rada ratifies security pact",
            "Ukraine's parliament ratified the security agreement with France.",
            {"guarantees-ratified", "new-development"},
        ),
        # rehashes and near-misses stay quiet
        (
            "PM repeats vote pledge",
            "Starmer said MPs would vote before any troops go to Ukraine.",
            set(),
        ),
        (
            "Moscow repeats threat",
            "Russia again said Western troops in Ukraine would be legitimate targets.",
            set(),
        ),
        (
            "Treaty nearly ready",
            "Kyiv says the security treaty is nearly ready to be signed.",
            set(),
        ),
        (
            "Pope appeals for a truce",
            "The Pope called for a Christmas ceasefire in Ukraine.",
            set(),
        ),
        ("MPs back welfare bill", "MPs voted 400 to 100 to scrap the benefit cap.", set()),
        (
            "Paratroopers exercise",
            "British paratroopers trained in Estonia for a possible Ukraine role.",
            set(),
        ),
        ("Traffic news", "A lorry overturned on the M25 this morning.", set()),
    ],
)
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
