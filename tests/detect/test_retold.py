"""Developments reported longer ago than the story book's window are known: a pattern on a
sentence that retells one is no news, unless it names another stage (text written for
these tests, in no corpus)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from monitor.detect import retold
from monitor.detect.engine import Detector
from monitor.detect.novelty import KnownClaims
from monitor.detect.retold import SettledDevelopments
from monitor.detect.stories import UNSTAGED, StoryBook
from monitor.models import Article, Development
from monitor.ruleset import load_ruleset
from tests.conftest import RULES

T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
VOTE = (
    "MPs voted 380 to 95 on Wednesday to approve sending up to 7,500 British troops to Ukraine"
    " once a ceasefire holds."
)
# the vote told again, in other words, weeks later
RETOLD = (
    "MPs approved sending up to 7,500 British troops to Ukraine by 380 votes to 95 once a"
    " ceasefire holds."
)


def vote_development() -> Development:
    return Development(
        id="uk-parliament-vote-20270301-0",
        rule="uk-parliament-vote",
        stage="held",
        first_seen=T0,
        last_seen=T0,
        evidence=["Commons approves deployment", VOTE],
        rules=["uk-parliament-vote", "new-development"],
    )


@pytest.fixture(scope="module")
def settled() -> SettledDevelopments:
    found = SettledDevelopments(KnownClaims(c.text for c in load_ruleset(RULES).claims))
    found.settle([vote_development()], T0 + timedelta(days=1))
    return found


def test_only_developments_reported_by_then_settle() -> None:
    baseline = KnownClaims(c.text for c in load_ruleset(RULES).claims)
    found = SettledDevelopments(baseline)
    found.settle([vote_development()], T0)  # reported at that very time: not before it
    assert not found
    found.settle([vote_development()], T0 + timedelta(minutes=1))
    assert found
    retelling = found.retells(
        RETOLD, "uk-parliament-vote", broad=False, stage="held", min_novelty=0.3
    )
    assert retelling is not None and retelling.claim == VOTE  # the short headline is not kept
    assert len(baseline.texts) == len(load_ruleset(RULES).claims)  # the baseline is untouched


@pytest.mark.parametrize(
    ("rule", "broad", "stage", "retells"),
    [
        ("uk-parliament-vote", False, "held", True),
        ("uk-parliament-vote", False, "reported", True),  # named by the model, no stage
        ("uk-parliament-vote", False, "tabled", False),  # another stage is news of its own
        ("ceasefire", False, "agreed", False),  # a kind the development was never named
        ("new-development", True, "mandate", True),  # a broad rule's kinds are no stages
    ],
)
def test_a_retelling_counts_for_the_developments_kind_and_stage(
    settled: SettledDevelopments, rule: str, broad: bool, stage: str, retells: bool
) -> None:
    retelling = settled.retells(RETOLD, rule, broad=broad, stage=stage, min_novelty=0.3)
    assert (retelling is not None) is retells
    if retelling is not None:
        assert retelling.development == "uk-parliament-vote-20270301-0"
        assert retelling.similarity > 0.7


def test_a_sentence_saying_something_else_retells_nothing(settled: SettledDevelopments) -> None:
    other = "France ordered its first troops across the Polish border into Ukraine overnight."
    assert settled.retells(other, "new-development", broad=True, stage="", min_novelty=0.3) is None


def article(ident: str, title: str, text: str, at: datetime) -> Article:
    return Article(id=ident, feed="test", title=title, text=text, published=at)


def shipped_detector() -> Detector:
    """A detector with the shipped baseline and rules."""
    ruleset = load_ruleset(RULES)
    return Detector(ruleset.claims, ruleset.rules)


def model_named_truce(evidence: str) -> Development:
    """A truce reported at T0 that the model named (no pattern staged it)."""
    return Development(
        id="ceasefire-20270301-0",
        rule="ceasefire",
        stage=UNSTAGED,
        first_seen=T0,
        last_seen=T0,
        evidence=[evidence],
        rules=["ceasefire", "new-development"],
    )


def told_later(detector: Detector, title: str, text: str, days: int) -> list[tuple[str, str]]:
    """The (type, rule) of each alert ``detector`` sends for a report ``days`` after T0."""
    later = article(f"later-{days}", title, text, T0 + timedelta(days=days))
    return [(alert.type, alert.rule) for alert in detector.examine(later)]


def test_a_vote_retold_weeks_later_alerts_once() -> None:
    """The retelling is news to a detector that knows nothing of the vote, and within the
    window it is the vote's development; three weeks on it retells a settled one: no alert,
    and explain says which development its pattern retells."""
    ruleset = load_ruleset(RULES)
    title = "Westminster diary"
    fresh = Detector(ruleset.claims, ruleset.rules)
    assert fresh.examine(article("r0", title, RETOLD, T0))

    detector = Detector(ruleset.claims, ruleset.rules)
    (first,) = detector.examine(article("v1", "Commons approves Ukraine deployment", VOTE, T0))
    later = T0 + timedelta(days=21)
    assessment = detector.explain(title, RETOLD, later)
    assert detector.examine(article("r1", title, RETOLD, later)) == []
    assert not assessment.alerts
    retold = {(hit.rule, retelling.development) for hit, retelling in assessment.signals.retold}
    assert ("uk-parliament-vote", first.development) in retold
    assert not any(hit.rule == "uk-parliament-vote" for hit in assessment.signals.hits)


def test_within_the_window_nothing_is_settled() -> None:
    detector = shipped_detector()
    detector.examine(article("v1", "Commons approves Ukraine deployment", VOTE, T0))
    assessment = detector.explain("Westminster diary", RETOLD, T0 + timedelta(days=3))
    assert assessment.signals.retold == ()
    assert any(hit.rule == "uk-parliament-vote" for hit in assessment.signals.hits)


def test_a_reset_book_forgets_what_had_settled() -> None:
    """What is settled follows the story book: reset (from the store, or for another
    corpus), the developments it no longer holds are no longer known."""
    detector = shipped_detector()
    detector.examine(article("v1", "Commons approves Ukraine deployment", VOTE, T0))
    later = T0 + timedelta(days=21)
    assert detector.explain("Westminster diary", RETOLD, later).signals.retold
    detector.book.reset([])
    assessment = detector.explain("Westminster diary", RETOLD, later)
    assert assessment.signals.retold == ()
    assert assessment.alerts


def test_another_book_forgets_what_had_settled() -> None:
    """A detector given a new story book (as each replay of the training script is) knows
    none of the old book's developments, though both books are at their first generation."""
    detector = shipped_detector()
    detector.examine(article("v1", "Commons approves Ukraine deployment", VOTE, T0))
    later = T0 + timedelta(days=21)
    assert detector.explain("Westminster diary", RETOLD, later).signals.retold
    fresh = StoryBook(embed=detector.book.embed, vectorise=detector.book.vectorise)
    fresh.know_rules(detector.rules)
    while fresh.generation < detector.book.generation:
        fresh.reset([])
    assert fresh.generation == detector.book.generation
    detector.book = fresh
    assert detector.explain("Westminster diary", RETOLD, later).signals.retold == ()


def test_past_the_bound_the_oldest_claims_go(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retold, "KEPT_CLAIMS", 1)
    found = SettledDevelopments(KnownClaims(c.text for c in load_ruleset(RULES).claims))
    found.settle([vote_development()], T0 + timedelta(minutes=1))
    truce = "Russia and Ukraine signed a ceasefire in Baku that took effect at midnight on Friday."
    later = Development(
        id="ceasefire-20270310-0",
        rule="ceasefire",
        stage="agreed",
        first_seen=T0 + timedelta(days=9),
        last_seen=T0 + timedelta(days=9),
        evidence=[truce],
        rules=["ceasefire", "new-development"],
    )
    found.settle([later], T0 + timedelta(days=9, minutes=1))
    assert found.retells(RETOLD, "new-development", broad=True, stage="", min_novelty=0.3) is None
    kept = found.retells(truce, "new-development", broad=True, stage="", min_novelty=0.3)
    assert kept is not None and kept.development == "ceasefire-20270310-0"


def test_a_short_sentence_retells_nothing(settled: SettledDevelopments) -> None:
    """ "MPs voted to send" is contained in the vote's evidence, and in many other sentences."""
    for words, retells in (
        ("MPs voted to send", False),
        ("MPs voted 380 to 95 to send troops", True),
    ):
        retelling = settled.retells(words, "new-development", broad=True, stage="", min_novelty=0.3)
        assert (retelling is not None) is retells


def test_settled_is_read_at_each_sentences_own_time() -> None:
    """A development is settled only for what is published over the window after its last
    report, whatever was read before; reported again since it was kept, it is read again."""
    found = SettledDevelopments(KnownClaims(c.text for c in load_ruleset(RULES).claims))
    vote = vote_development()
    found.settle([vote], T0 + timedelta(days=21))
    assert found.retells(RETOLD, "uk-parliament-vote", broad=False, stage="held", min_novelty=0.3)
    found.settle([vote], T0 - timedelta(days=4))  # a late report, published before the vote
    assert not found.retells(
        RETOLD, "uk-parliament-vote", broad=False, stage="held", min_novelty=0.3
    )
    found.settle([vote], None)  # published in the window's first days after the year 1
    assert not found.retells(
        RETOLD, "uk-parliament-vote", broad=False, stage="held", min_novelty=0.3
    )
    again = "The Commons vote on the Ukraine mission was confirmed by the Speaker on Monday."
    vote.last_seen = T0 + timedelta(days=10)
    vote.evidence.append(again)
    found.settle([vote], T0 + timedelta(days=9))  # the new report is not before this
    assert not found.retells(again, "new-development", broad=True, stage="", min_novelty=0.3)
    found.settle([vote], T0 + timedelta(days=11))
    retelling = found.retells(again, "new-development", broad=True, stage="", min_novelty=0.3)
    assert retelling is not None and retelling.claim == again


def test_a_late_report_is_read_as_the_story_stood_when_it_was_published() -> None:
    """Once a report of three weeks on has been read, one published three days after the
    vote (a feed back after days down) is still the vote's update."""
    detector = shipped_detector()
    detector.examine(article("v1", "Commons approves Ukraine deployment", VOTE, T0))
    detector.examine(
        article("v2", "Weather", "It rained in Kyiv on Tuesday.", T0 + timedelta(days=21))
    )
    late = detector.examine(article("v3", "Westminster diary", RETOLD, T0 + timedelta(days=3)))
    assert [alert.type for alert in late] == ["update"]


def test_a_second_collapse_told_in_few_words_is_news() -> None:
    """The headline of a second collapse a month on says little more than the first's
    evidence: it is contained in it, not a retelling of it."""
    detector = shipped_detector()
    first = (
        "The ceasefire between Russia and Ukraine collapsed on Tuesday after Russian shelling"
        " of Kharkiv killed 12 civilians."
    )
    assert detector.examine(
        article("c1", "Ceasefire between Russia and Ukraine collapses", first, T0)
    )
    second = "The ceasefire between Russia and Ukraine collapsed overnight."
    later = T0 + timedelta(days=30)
    alerts = detector.examine(article("c2", "Ukraine truce collapses", second, later))
    assert [(alert.type, alert.rule) for alert in alerts] == [("alert", "ceasefire")]


def test_evidence_a_late_report_added_is_read_too() -> None:
    """A report published before a development's last one adds evidence without moving its
    last report: kept already, the development is read again all the same."""
    found = SettledDevelopments(KnownClaims(c.text for c in load_ruleset(RULES).claims))
    vote = vote_development()
    found.settle([vote], T0 + timedelta(days=21))
    late = "The Speaker confirmed the Commons result on the Ukraine mission after a recount."
    assert not found.retells(late, "new-development", broad=True, stage="", min_novelty=0.3)
    vote.evidence.append(late)
    found.settle([vote], T0 + timedelta(days=21))
    assert found.retells(late, "new-development", broad=True, stage="", min_novelty=0.3)


def test_a_development_reported_again_is_no_longer_settled() -> None:
    """Settled, then reported again (or read at a time before its last report): within
    the window again, it retells nothing until it settles anew."""
    found = SettledDevelopments(KnownClaims(c.text for c in load_ruleset(RULES).claims))
    development = vote_development()
    found.settle([development], T0 + timedelta(days=8))
    assert found.retells(RETOLD, "uk-parliament-vote", broad=False, stage="held", min_novelty=0.3)
    development.last_seen = T0 + timedelta(days=9)  # a later report of the vote
    found.settle([development], T0 + timedelta(days=8, hours=12))
    assert not found
    assert not found.retells(
        RETOLD, "uk-parliament-vote", broad=False, stage="held", min_novelty=0.3
    )
    found.settle([development], T0 + timedelta(days=10))
    assert found


def test_the_same_step_taken_by_others_weeks_later_is_news() -> None:
    """A rule that names who acts: the Lords approving the deployment in the Commons' words,
    three weeks on, and Norwegian troops arriving as French ones had, retell nothing; the
    Commons' vote told again still does."""
    detector = shipped_detector()
    commons = "MPs voted 380 to 95 on Wednesday to approve sending British troops to Ukraine."
    arrival = "The first 600 French troops arrived in Ukraine on Monday, the defence ministry said."
    assert detector.examine(article("v1", "Westminster diary", commons, T0))
    assert detector.examine(article("a1", "French troops arrive in Ukraine", arrival, T0))
    later = T0 + timedelta(days=21)
    peers = commons.replace("MPs voted 380 to 95", "Peers voted 210 to 80")
    alerts = detector.examine(article("l1", "Westminster diary", peers, later))
    assert [(alert.type, alert.rule) for alert in alerts] == [("alert", "uk-parliament-vote")]
    norway = arrival.replace("600 French", "400 Norwegian")
    alerts = detector.examine(article("n1", "Nordic contingent", norway, later))
    assert [(alert.type, alert.rule) for alert in alerts] == [("alert", "foreign-troops-deployed")]
    retold = "MPs approved sending British troops to Ukraine by 380 votes to 95 last month."
    assert detector.examine(article("r1", "Westminster diary", retold, later)) == []


def test_who_acts_is_read_past_the_first_evidence_sentence() -> None:
    """A settled order whose first evidence sentence names no country (a council's approval)
    and whose next names France's soldiers: Poland's order told in its words, weeks later,
    retells nothing."""
    detector = shipped_detector()
    order = (
        "The defence council approved on Tuesday the deployment of about 1,500 soldiers to"
        " Ukraine as part of the multinational force. The French soldiers are due to leave"
        " within days, the armed forces ministry said."
    )
    assert detector.examine(article("o1", "Defence council meets in Paris", order, T0))
    (development,) = detector.book.developments
    assert "French" not in development.evidence[0] and "French" in development.evidence[1]
    polish = (
        "The defence council approved on Tuesday the deployment of about 800 Polish soldiers to"
        " Ukraine as part of the multinational force, the defence ministry said."
    )
    later = T0 + timedelta(days=21)
    followed = detector.follow(article("p1", "Defence council meets in Warsaw", polish, later))
    assert followed.assessment.signals.hits
    assert followed.assessment.signals.retold == ()


def reported_at_t0(ident: str, stage: str, sentence: str, rule: str = "") -> Development:
    """A development of ``rule`` (else new-development alone) reported once, at T0."""
    rules = [rule, "new-development"] if rule else ["new-development"]
    return Development(
        id=ident,
        rule=rules[0],
        stage=stage,
        first_seen=T0,
        last_seen=T0,
        evidence=[sentence],
        rules=rules,
    )


def test_a_pattern_of_a_kind_of_its_own_retells_only_that_kind() -> None:
    """A referendum approving a peace agreement long reported names the agreement: a broad
    rule's pattern of a kind of its own (``own_kind``) retells only a development reported
    as that kind, where any other of its patterns retells whatever it resembles."""
    signed = "Russia and Ukraine signed the Geneva peace agreement in Geneva on Tuesday."
    agreement = reported_at_t0("ceasefire-20270301-0", "agreed", signed, "ceasefire")
    found = SettledDevelopments(KnownClaims(c.text for c in load_ruleset(RULES).claims))
    found.settle([agreement], T0 + timedelta(days=30))
    approved = "Ukrainians approved the Geneva peace agreement signed by Russia and Ukraine."
    told = {
        own_kind: found.retells(
            approved,
            "new-development",
            broad=True,
            stage="referendum",
            min_novelty=0.35,
            own_kind=own_kind,
        )
        for own_kind in (False, True)
    }
    assert told[False] is not None and told[False].development == agreement.id
    assert told[True] is None
    # ... where a referendum long reported as such is retold by it
    called = "Zelensky called a referendum on the Geneva peace agreement for 22 February."
    referendum = reported_at_t0("new-development-20270301-1", "referendum", called)
    found.settle([agreement, referendum], T0 + timedelta(days=30))
    again = "Zelensky has called a referendum on the Geneva peace agreement for 22 February."
    retelling = found.retells(
        again, "new-development", broad=True, stage="referendum", min_novelty=0.35, own_kind=True
    )
    assert retelling is not None and retelling.development == referendum.id


def test_a_vote_renewing_the_deployment_months_later_is_news() -> None:
    """MPs extending the deployment months after they approved it: a vote of its own (the
    pattern names the renewal), not a retelling of the first."""
    detector = shipped_detector()
    assert detector.examine(article("v1", "Commons approves Ukraine deployment", VOTE, T0))
    renewal = (
        "MPs voted 380 to 95 on Wednesday to extend the deployment of up to 7,500 British troops"
        " in Ukraine once a ceasefire holds."
    )
    expected = [("alert", "uk-parliament-vote")]
    assert told_later(detector, "Westminster diary", renewal, 120) == expected


def test_a_peace_treaty_signed_months_after_the_truce_is_news() -> None:
    """Signing a peace agreement is a stage of its own (``peace-signed``), not the truce's
    (``agreed``): a report of it, months on, can retell no settled truce."""
    detector = shipped_detector()
    truce = (
        "Russia and Ukraine signed a ceasefire agreement in Geneva on Tuesday, to take effect"
        " along the whole front line at midnight."
    )
    assert detector.examine(article("t1", "Russia and Ukraine sign ceasefire in Geneva", truce, T0))
    treaty = (
        "Russia and Ukraine signed a peace agreement in Vienna on Thursday, ten months after"
        " the ceasefire agreement signed in Geneva."
    )
    title = "Russia and Ukraine sign peace agreement in Vienna"
    assert told_later(detector, title, treaty, 300) == [("alert", "ceasefire")]
    assert detector.book.developments[-1].stage == "peace-signed"


def test_another_rules_later_stage_months_on_is_news() -> None:
    """A development records the stage of its lead rule only: a guarantee protocol signed
    beside the truce, ratified months later, retells no claim of it that says it ratified."""
    detector = shipped_detector()
    signing = (
        "Russia and Ukraine signed a ceasefire agreement in Istanbul on Tuesday. Alongside it"
        " the United States, Britain and France signed a legally binding security guarantee"
        " protocol for Ukraine, which now goes to their parliaments for ratification."
    )
    first = detector.examine(article("s1", "Ceasefire signed in Istanbul", signing, T0))
    assert [alert.type for alert in first] == ["alert"]
    assert first[0].rules[:2] == ("ceasefire", "guarantees-ratified")
    ratified = (
        "The US Senate voted 71 to 27 to ratify the legally binding security guarantee protocol"
        " for Ukraine signed in Istanbul alongside the ceasefire agreement."
    )
    expected = [("alert", "guarantees-ratified")]
    assert told_later(detector, "Washington diary", ratified, 90) == expected


def test_a_development_the_model_named_retells_only_claims_of_the_stage() -> None:
    """A development the model alone named records no stage: a pattern's sentence retells a
    claim of it only where that pattern's stage holds on the claim (a peace treaty signed,
    months after a truce the model named, is news)."""
    found = SettledDevelopments(KnownClaims(c.text for c in load_ruleset(RULES).claims))
    truce = model_named_truce("Russia and Ukraine sign a cessation-of-hostilities agreement.")
    found.settle([truce], T0 + timedelta(days=30))
    treaty = "Russia and Ukraine sign a comprehensive peace agreement."

    def retold(says_stage: Callable[[str], bool] | None) -> bool:
        found_here = found.retells(
            treaty,
            "ceasefire",
            broad=False,
            stage="peace-signed",
            min_novelty=0.5,
            says_stage=says_stage,
        )
        return found_here is not None

    assert retold(None)  # nothing to read the claim's stage with
    assert retold(lambda claim: True)
    assert not retold(lambda claim: "peace" in claim)


def test_a_claim_saying_the_stage_though_vetoed_is_retold() -> None:
    """A development the model named because its pattern was vetoed ("deal to be signed")
    still says the truce agreed: a retelling of it, two months on, is no news."""
    detector = shipped_detector()
    truce = model_named_truce("Russia and Ukraine agree ceasefire; deal to be signed in Istanbul.")
    detector.book.reset([truce])
    retelling = (
        "Russia and Ukraine agreed a ceasefire, and the deal was signed in Istanbul on Friday."
    )
    assert told_later(detector, "Istanbul diary", retelling, 61) == []
