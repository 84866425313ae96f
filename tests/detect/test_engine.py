"""The shipped rules, baseline and model on text written for these tests (not corpus items)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from monitor.detect import features
from monitor.detect.corroboration import RecentReports
from monitor.detect.engine import SURE_HEAD, Detector
from monitor.detect.model import ModelFile, ScoringModel
from monitor.models import Alert, Article
from monitor.ruleset import load_ruleset
from tests.conftest import FIXTURES, RULES

T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
VOTE = "MPs voted 380 to 95 to approve sending British troops to Ukraine."
# The case table is held out: it was written before the model existed and never trained on.
CASE_PRECISION, CASE_RECALL = 0.85, 0.7


def article(title: str, text: str = "", at: datetime = T0, ident: str = "a1") -> Article:
    return Article(id=ident, feed="test", title=title, text=text, published=at)


def examined_in_turn(
    detector: Detector, reports: list[tuple[str, str, datetime]]
) -> list[list[Alert]]:
    """What ``detector``, its story book emptied, sends for each (title, text, time) in turn."""
    detector.book.reset([])
    return [
        detector.examine(article(title, text, at, f"r{n}"))
        for n, (title, text, at) in enumerate(reports)
    ]


def detection_cases(name: str = "detection_cases.txt") -> list[tuple[str, str, set[str]]]:
    """A table in fixtures/: expected rules || title || text."""
    cases = []
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expected, title, text = (part.strip() for part in line.split("||"))
        rules = {r.strip() for r in expected.split(",") if r.strip()}
        if rules:
            rules.add("new-development")
        cases.append((title, text, rules))
    return cases


def test_case_table_alerts_on_developments_and_stays_quiet_on_the_rest(
    shipped_detector: Detector,
) -> None:
    """Each case alone, against a fresh story: precision and recall of alerting at all."""
    true_alerts = false_alerts = missed = 0
    failures = []
    for n, (title, text, rules) in enumerate(detection_cases()):
        shipped_detector.book.reset([])
        alerts = shipped_detector.examine(article(title, text, ident=f"case-{n}"))
        if alerts and rules:
            true_alerts += 1
        elif alerts:
            false_alerts += 1
            failures.append(f"alerted: {title}")
        elif rules:
            missed += 1
            failures.append(f"missed: {title}")
    precision = true_alerts / max(1, true_alerts + false_alerts)
    recall = true_alerts / max(1, true_alerts + missed)
    summary = f"precision {precision:.2f}, recall {recall:.2f}\n" + "\n".join(failures)
    assert precision >= CASE_PRECISION and recall >= CASE_RECALL, summary


# Style cases the shipped model gets wrong, each with what it does. The model trained with
# headline-only copies (scripts/train_detector.py, HEADLINE_COPY_WEIGHT) found more events on
# the held-out sets, whole (d, z) and as headlines alone (ac, d, h, r, v, z), and lost the
# first two, which the model before it got right; the model that learns from the hedged sets
# ar and as too (stop 36) lost the order signed for Catterick: it scores 0.32, 'in march' and
# 'a week' weighing against it (docs/detection-history.md). The model that learns from twelve
# more writers (stop 45) lost two one-line cases: Moscow turning down a named proposal scores
# under the floor, and the Victory Day truce 0.09 (0.36 before), "May 8" read as the modal "may"
# and "Day" in the headline as a look back's (docs/detection-history.md). The model of stop 47
# (sixty-five writers, corroboration left out) gets three of those right (the German pledge
# considered stays quiet; the Catterick orders and the turned-down plan alert) and three others
# wrong: aid and a trade deal in the story's words alert, and the division on the motion scores
# under the floor (since stop 51 named all the same: its pattern holds and the vote's head is sure,
# ``SURE_HEAD``). A non-binding resolution headlined as such is set aside since stop 57
# (``headline.set_aside``).
KNOWN_WRONG = {
    "Commons vote on Ukraine troops postponed": "quiet (expected ['new-development'])",
    "Putin announces three-day Victory Day truce": (
        "quiet (expected ['ceasefire', 'new-development'])"
    ),
    "Japan pledges $500m to Ukraine reconstruction fund": "['new-development'] (expected quiet)",
    "Ukraine and Poland sign grain transit deal": (
        "['ceasefire', 'new-development'] (expected quiet)"
    ),
}


def test_other_styles_and_near_misses_in_the_same_words(shipped_detector: Detector) -> None:
    """Hedged and attributed reports of done things alert and are named; plans, appeals,
    aid and gestures written in the same words stay quiet. Each case alone; the cases in
    ``KNOWN_WRONG`` go wrong as listed there (one that goes right must leave the list)."""
    failures = []
    for n, (title, text, rules) in enumerate(detection_cases("style_cases.txt")):
        shipped_detector.book.reset([])
        alerts = shipped_detector.examine(article(title, text, ident=f"style-{n}"))
        named = set(alerts[0].rules) if alerts else set()
        if not rules <= named or bool(alerts) != bool(rules):
            failures.append(
                f"{sorted(named) or 'quiet'} (expected {sorted(rules) or 'quiet'}): {title}"
            )
    known = [f"{outcome}: {title}" for title, outcome in KNOWN_WRONG.items()]
    assert sorted(failures) == sorted(known), "\n".join(failures)


def test_one_alert_lists_every_rule_most_specific_first(shipped_detector: Detector) -> None:
    (alert,) = shipped_detector.examine(article("Commons votes to send troops to Ukraine", VOTE))
    assert alert.type == "alert"
    assert alert.rules[0] == "uk-parliament-vote" == alert.rule
    assert alert.rules[-1] == "new-development"
    assert alert.severity == "high"
    assert 0.0 < alert.confidence <= 1.0
    assert alert.outlets == 1


def test_second_report_is_an_update_and_old_news_stays_quiet(shipped_detector: Detector) -> None:
    second = "The Commons backed the deployment of UK troops to Ukraine by 380 votes to 95."
    a1 = shipped_detector.examine(article("MPs back Ukraine deployment", VOTE, T0, "a1"))
    later = T0 + timedelta(hours=5)
    a2 = shipped_detector.examine(
        Article(
            id="a2", feed="other", title="Commons approves troops", text=second, published=later
        )
    )
    a3 = shipped_detector.examine(
        article("MPs back Ukraine deployment", VOTE, T0 + timedelta(days=60), "a3")
    )
    assert [a.type for a in a1] == ["alert"]
    assert [a.type for a in a2] == ["update"]
    assert a2[0].development == a1[0].development
    assert a2[0].outlets == 2
    assert a3 == []


def test_a_time_without_an_offset_is_read_as_utc(shipped_detector: Detector) -> None:
    """An article dated without an offset after one with (a caller of the API, not a feed
    parser) is read as UTC: its report is the same development's update, not a crash."""
    second = "The Commons backed the deployment of UK troops to Ukraine by 380 votes to 95."
    first = shipped_detector.examine(article("MPs back Ukraine deployment", VOTE, T0, "a1"))
    naive = (T0 + timedelta(hours=5)).replace(tzinfo=None)
    later = Article(
        id="a2", feed="other", title="Commons approves troops", text=second, published=naive
    )
    (update,) = shipped_detector.examine(later)
    assert update.type == "update" and update.development == first[0].development


def test_every_alert_explains_itself(shipped_detector: Detector) -> None:
    text = "MPs voted to approve sending British troops to Ukraine."
    (alert,) = shipped_detector.examine(article("Vote", text))
    evidence = alert.evidence[0]
    assert evidence.sentence == text
    assert evidence.nearest_claim.startswith("Starmer pledged that MPs would get a vote")
    assert 0.3 <= evidence.novelty <= 1.0
    assert alert.score == alert.confidence


def test_explain_agrees_with_examine(shipped_detector: Detector) -> None:
    for title, text, _ in detection_cases()[:40]:
        shipped_detector.book.reset([])
        shipped_detector.recent = RecentReports()  # no outlet reported anything before
        assessment = shipped_detector.explain(title, text, T0)
        alerts = shipped_detector.examine(article(title, text))
        assert assessment.alerts == bool(alerts), title
        assert [v.rule for v in assessment.holding] == list(alerts[0].rules if alerts else [])


def test_the_storys_history_alerts_neither_in_examine_nor_in_explain(
    shipped_detector: Detector,
) -> None:
    """Read on 1 March 2027, a report whose evidence tells only of October is the story's
    history: examine sends nothing and explain says no rule holds, and why; read in
    October it is news to both."""
    title = "In October, the Commons backed the deployment"
    # the tally and the nationality keep it a development to the model read in October (the
    # bare "MPs voted to send troops" scores 0.29 with the model of stop 45, under the floor)
    text = "On 20 October, MPs voted 350 to 120 to send British troops to Ukraine."
    october = datetime(2026, 10, 21, 9, 0, tzinfo=UTC)
    for at, news in ((T0, False), (october, True)):
        shipped_detector.book.reset([])
        shipped_detector.recent = RecentReports()
        assessment = shipped_detector.explain(title, text, at)  # before the story tells it
        assert bool(shipped_detector.examine(article(title, text, at))) is news
        assert assessment.alerts is news
        vote = next(v for v in assessment.rules if v.rule == "uk-parliament-vote")
        assert vote.holds is news
        history = "but it tells only of times 14 days or more before it: no alert"
        assert vote.reason.endswith(history) is not news, vote.reason


@pytest.mark.parametrize(
    "headline",
    [
        "2027 in review: the year the Commons said yes",
        "Factbox: what MPs approved in the vote",
        "EXCLUSIVE-Factbox: what MPs approved in the vote",  # under a wire slug
    ],
)
def test_a_piece_packaged_as_a_look_back_or_explainer_does_not_alert(
    shipped_detector: Detector, headline: str
) -> None:
    """The same news under a headline of news alerts; under a headline that packages the
    piece as a look back or an explainer it does not, and explain says why."""
    shipped_detector.book.reset([])
    shipped_detector.recent = RecentReports()
    assert shipped_detector.examine(article("MPs back sending UK troops to Ukraine", VOTE))
    shipped_detector.book.reset([])
    shipped_detector.recent = RecentReports()
    assert shipped_detector.examine(article(headline, VOTE, ident="a2")) == []
    assessment = shipped_detector.explain(headline, VOTE, T0)
    assert not assessment.alerts
    vote = next(v for v in assessment.rules if v.rule == "uk-parliament-vote")
    assert vote.hit is not None
    # explain gives the first reason that stops it: the model of stop 47 scores the year in
    # review under the development threshold itself, before its headline is read
    packaged = "the headline packages" in vote.reason
    assert packaged or (headline.startswith("2027") and vote.reason == "not a development"), (
        vote.reason
    )


def test_explain_names_the_topic_a_rule_missed(shipped_detector: Detector) -> None:
    """A rule whose topic the text misses says which topic group; one on topic does not."""
    # (the words of a report the rule's head names whatever its topic are left out: "a shift")
    text = "Russia said on Tuesday it would allow observers, a change from its stance."
    reasons = {v.rule: v.reason for v in shipped_detector.explain("Observers", text).rules}
    assert reasons["russia-position-change"].endswith(
        "topic not found: Ukraine or the peace process"
    )
    assert "topic not found" not in reasons["ceasefire"]  # Russia is its topic
    in_kyiv = text.replace("observers", "observers in Kyiv")
    verdicts = {v.rule: v for v in shipped_detector.explain("Observers", in_kyiv).rules}
    assert "topic not found" not in verdicts["russia-position-change"].reason


def test_future_dates_are_clamped_to_now(shipped_detector: Detector) -> None:
    (alert,) = shipped_detector.examine(article("Vote", VOTE, T0 + timedelta(days=400)), T0)
    (development,) = [d for d in shipped_detector.book.developments if d.id == alert.development]
    assert development.first_seen == T0


def test_an_entry_dated_in_the_year_1_is_examined_and_explained(
    shipped_detector: Detector,
) -> None:
    """The story's history is measured back from the publication: from 5 January of the
    year 1 it cannot be, and a feed's odd date must not stop detection."""
    first = datetime(1, 1, 5, 9, 0, tzinfo=UTC)
    title = "On Monday, in December and yesterday, MPs voted"
    (vote, *_) = shipped_detector.explain(title, VOTE, first).rules
    assert vote.reason.endswith("published by 2026-01-08, within the story the baseline tells")
    east = first.replace(hour=1, tzinfo=timezone(timedelta(hours=2)))  # the year 0 in UTC
    assert not shipped_detector.explain(title, VOTE, east).alerts
    shipped_detector.as_of = None  # a baseline that does not say its day
    assert shipped_detector.explain(title, VOTE, first).alerts  # before the story tells it
    assert shipped_detector.explain(title, VOTE, east).alerts
    (alert,) = shipped_detector.examine(article(title, VOTE, first))
    assert alert.type == "alert"


@pytest.mark.parametrize(
    ("published", "alerts"),
    [
        (datetime(2026, 1, 7, 10, 0, tzinfo=UTC), False),
        (datetime(2026, 1, 8, 23, 59, tzinfo=UTC), False),
        (datetime(2026, 1, 9, 1, 0, tzinfo=timezone(timedelta(hours=2))), False),  # 8th in UTC
        (datetime(2026, 1, 8, 23, 30, tzinfo=timezone(timedelta(hours=-2))), True),  # 9th
        (datetime(2026, 1, 9, 0, 0, tzinfo=UTC), True),
    ],
)
def test_news_published_within_the_story_the_baseline_tells_does_not_alert(
    shipped_detector: Detector, published: datetime, alerts: bool
) -> None:
    """The shipped baseline tells the story up to 8 January 2026 (its ``as_of``): a report
    published on or before that day (in UTC) is part of it, whatever it says, and explain
    says so; from the next day the same words alert."""
    assert shipped_detector.as_of == date(2026, 1, 8)
    alerted = shipped_detector.examine(
        article("MPs back sending UK troops to Ukraine", VOTE, published)
    )
    assert bool(alerted) is alerts
    verdicts = shipped_detector.explain("MPs back sending UK troops to Ukraine", VOTE, published)
    assert verdicts.alerts is alerts
    vote = next(v for v in verdicts.rules if v.rule == "uk-parliament-vote")
    assert vote.reason.endswith("within the story the baseline tells") is not alerts, vote.reason


def test_a_paragraph_told_in_an_earlier_report_is_background(
    shipped_detector: Detector,
) -> None:
    """Agency copy repeats its earlier paragraphs: three days after the vote was alerted, a
    report of a truce that repeats the vote's sentence is the truce's alert (not an update
    of the vote), measured without the repeated sentence, which is out of its evidence; an
    opinion piece that repeats it sends nothing. A repeated headline is known."""
    shipped_detector.book.reset([])
    shipped_detector.examine(article("MPs back Ukraine deployment", VOTE, T0, "a1"))
    later = T0 + timedelta(days=3)
    truce = "Russia and Ukraine agreed a 30-day ceasefire on Friday, US mediators said."
    report = article("Russia and Ukraine agree ceasefire", f"{truce} {VOTE}", later, "a2")
    signals = shipped_detector.assess(report, later).signals
    assert (signals.sentences, signals.told) == (
        ("Russia and Ukraine agree ceasefire", truce),
        (VOTE,),
    )
    headline = shipped_detector.assess(article(VOTE, truce, later, "a4"), later).signals
    assert (headline.evidence[0].novelty, headline.evidence[0].nearest_claim) == (0.0, VOTE)
    (alert,) = shipped_detector.examine(report)
    assert (alert.type, alert.rules) == ("alert", ("ceasefire", "new-development"))
    assert VOTE not in [e.sentence for e in alert.evidence]
    opinion = "The deployment is a mistake Britain will come to regret, writes our columnist."
    comment = article("Comment: a costly mission", f"{opinion} {VOTE}", later, "a3")
    assert shipped_detector.examine(comment) == []


# five developments, one report each, two days apart
EARLIER_REPORTS = {
    "MPs back Ukraine deployment": f"{VOTE} The motion was tabled by the defence secretary"
    " after a six-hour debate. Reform UK and the Greens voted against.",
    "Russia and Ukraine agree ceasefire": "Russia and Ukraine agreed a 30-day ceasefire on"
    " Friday, US mediators said. The truce takes effect at midnight along the whole front"
    " line. Monitors from the OSCE will patrol the line.",
    "Bundestag ratifies Ukraine security pact": "German lawmakers ratified the security"
    " guarantees treaty with Ukraine by 512 votes to 120. The treaty commits Berlin to supply"
    " air defence for ten years. It enters into force next month.",
    "First British troops arrive in Ukraine": "The first 400 British soldiers of the"
    " multinational force crossed into Ukraine from Poland on Tuesday. They will set up a"
    " logistics hub near Lviv. French engineers are due to follow within days.",
    "Kremlin drops objection to observers": "Russia said it would accept unarmed European"
    " observers along the ceasefire line, dropping its demand that only neutral states take"
    " part. Lavrov announced the shift in Moscow. Kyiv welcomed the move cautiously.",
}


@pytest.mark.parametrize(
    ("title", "own"),
    [
        (
            "Village fete raises money for church roof",
            "The summer fete in Little Whitby raised 4,000 pounds for the church roof.",
        ),
        (
            "Comment: a costly mission",
            "The deployment is a mistake Britain will come to regret, writes our columnist.",
        ),
    ],
)
def test_a_report_among_paragraphs_of_earlier_reports_is_read_on_its_own_words(
    shipped_detector: Detector, title: str, own: str
) -> None:
    """Other news, or an opinion, told among the paragraphs of five earlier developments'
    reports (as agency copy repeats them) sends nothing: those paragraphs lent it their
    relevance and their words (an alert at 0.99, an update) until the article was measured
    without them."""
    shipped_detector.book.reset([])
    for n, (headline, text) in enumerate(EARLIER_REPORTS.items()):
        at = T0 + timedelta(days=2 * n)
        assert shipped_detector.examine(article(headline, text, at, f"r{n}"))
    texts = list(EARLIER_REPORTS.values())
    later = article(title, " ".join([*texts[:2], own, *texts[2:]]), T0 + timedelta(days=14), "x")
    assert shipped_detector.examine(later) == []


def test_huge_entries_are_bounded(shipped_detector: Detector) -> None:
    filler = "Nothing of note happened in the village today. " * 20_000
    assert shipped_detector.examine(article("Village news", filler + VOTE)) == []


def test_a_pattern_names_the_stage(shipped_detector: Detector) -> None:
    text = "Russia and Ukraine agreed a ceasefire that takes effect at midnight."
    (alert,) = shipped_detector.examine(article("Truce agreed", text))
    (development,) = [d for d in shipped_detector.book.developments if d.id == alert.development]
    assert development.stage == "agreed"
    assert alert.rules[0] == "ceasefire"


def test_confirm_waits_for_a_second_independent_outlet() -> None:
    ruleset = load_ruleset(RULES)
    rules = [rule.model_copy(update={"confirm": 2}) for rule in ruleset.rules]
    detector = Detector(ruleset.claims, rules)
    first = Article(
        id="a1", feed="wire", title="MPs back Ukraine deployment", text=VOTE, published=T0
    )
    copy = Article(
        id="a2", feed="copy", title="MPs back Ukraine deployment", text=VOTE, published=T0
    )
    second = Article(
        id="a3",
        feed="desk",
        title="Commons approves troops",
        text="The Commons backed the deployment of UK troops to Ukraine by 380 votes to 95.",
        published=T0 + timedelta(hours=2),
    )
    assert detector.examine(first) == []
    assert detector.examine(copy) == [], "a republished wire story is not a second outlet"
    (alert,) = detector.examine(second)
    assert (alert.type, alert.outlets) == ("alert", 2)


def test_a_rule_yields_to_the_rule_that_fits_better(shipped_detector: Detector) -> None:
    ended = "Russia said on Monday it is no longer bound by the ceasefire with Ukraine."
    assessment = shipped_detector.assess(article("Moscow ends truce", ended))
    verdicts = {v.rule: v for v in assessment.rules}
    assert verdicts["ceasefire"].holds
    russia = verdicts["russia-position-change"]
    assert russia.hit is not None, "its own pattern holds"
    assert (russia.holds, russia.reason) == (False, "yields to ceasefire")


def test_a_pattern_that_never_yields_keeps_its_rule_named(shipped_detector: Detector) -> None:
    """Moscow accepting foreign troops, in a report of the truce signed, is named beside it:
    the shipped rule's ``softens`` pattern does not yield."""
    signed = (
        "Russia and Ukraine signed a ceasefire agreement in Geneva on Friday. The Kremlin said"
        " it would no longer object to European troops west of the Dnipro."
    )
    assessment = shipped_detector.assess(article("Truce signed in Geneva", signed))
    verdicts = {v.rule: v for v in assessment.rules}
    assert verdicts["ceasefire"].holds
    russia = verdicts["russia-position-change"]
    assert russia.holds, russia.reason
    assert "beside ceasefire: pattern softens does not yield" in russia.reason
    # told as background, far below the lead, it is no news of the report: the rule yields
    background = " ".join(
        [
            "Russia and Ukraine signed a ceasefire agreement in Geneva on Friday.",
            "The truce takes effect at midnight along the whole front line.",
            "Monitors from the OSCE will patrol the line of contact.",
            "Prisoner exchanges are to begin within a week.",
            "Talks on a final settlement resume in September.",
            "In March the Kremlin said it would no longer object to European troops west of"
            " the Dnipro.",
        ]
    )
    assessment = shipped_detector.assess(article("Truce signed in Geneva", background))
    verdicts = {v.rule: v for v in assessment.rules}
    assert verdicts["ceasefire"].holds
    assert any(h.rule == "russia-position-change" for h in assessment.signals.hits)
    assert verdicts["russia-position-change"].reason == "yields to ceasefire"


def test_a_headline_of_a_kind_of_its_own_names_no_rule_by_its_head_alone(
    shipped_detector: Detector,
) -> None:
    """A referendum called on the peace deal is news of its own kind: the ceasefire rule,
    whose head reads the deal's words, is not named without a pattern of its own."""
    called = "Ukraine's president signed a decree putting the peace agreement to a national vote."
    assessment = shipped_detector.assess(
        article("Zelensky calls referendum on Istanbul peace deal for 21 February", called)
    )
    verdicts = {v.rule: v for v in assessment.rules}
    assert verdicts["new-development"].holds
    ceasefire = verdicts["ceasefire"]
    assert ceasefire.hit is None and ceasefire.score is not None
    assert ceasefire.score.holds, "its head alone would name it"
    assert (ceasefire.holds, ceasefire.reason) == (
        False,
        "the headline reports a development of its own kind (new-development/referendum)",
    )


def test_a_brief_naming_the_storys_declaration_and_not_the_country_is_on_topic(
    shipped_detector: Detector,
) -> None:
    """new-development's topic reads the story's own names (the Paris declaration, the
    reassurance force) as well as Ukraine's: a brief may give those instead."""
    brief = (
        "The Portuguese defence minister signed an accession letter to the UK-French declaration"
        " of intent on Friday, offering an engineer company for the reassurance force."
    )
    assessment = shipped_detector.assess(
        article("Lisbon puts its name to the Paris declaration", brief)
    )
    verdicts = {v.rule: v for v in assessment.rules}
    assert verdicts["new-development"].reason == "pattern signs-declaration holds"


def test_another_coalition_of_the_willing_is_not_the_storys(shipped_detector: Detector) -> None:
    """The story's own names in the topic are its declaration and its force, not phrases other
    coalitions and declarations share: a Gulf mission's "coalition of the willing" stays quiet."""
    gulf = (
        "A coalition of the willing led by the United States began a naval mission in the Strait"
        " of Hormuz. Britain committed three minehunters and 250 personnel to the mission."
    )
    shipped_detector.book.reset([])
    assert (
        shipped_detector.examine(article("Norway joins Gulf coalition of the willing", gulf)) == []
    )


def test_a_later_report_naming_the_development_anew_is_an_update(
    shipped_detector: Detector,
) -> None:
    """One development, one alert: a report that first names its kind updates it."""
    shipped_detector.book.reset([])
    first = (
        "Britain approved a 4,500-strong mission to Ukraine on Tuesday night, clearing the way"
        " for the first units to leave in March."
    )
    named = "The Commons voted 380 to 95 on Tuesday night to approve the 4,500-strong mission."
    (alert,) = shipped_detector.examine(
        article("Britain approves 4,500-strong Ukraine mission", first, T0, "a1")
    )
    assert alert.rules == ("new-development",)
    (update,) = shipped_detector.examine(
        Article(
            id="a2",
            feed="other",
            title="MPs approve Ukraine deployment",
            text=named + " It was the first vote of its kind on Ukraine.",
            published=T0 + timedelta(hours=1),
        )
    )
    assert (update.type, update.development) == ("update", alert.development)
    assert update.rules == ("uk-parliament-vote", "new-development")


def test_news_off_the_story_never_holds_in_explain_either(shipped_detector: Detector) -> None:
    council = "The council approved a new bus timetable for the town centre on Tuesday."
    assessment = shipped_detector.assess(article("Buses change", council))
    assert not assessment.alerts
    assert all(v.reason.startswith("not about the story") for v in assessment.rules)
    assert shipped_detector.examine(article("Buses change", council)) == []


# Style cases the model decides differently under a slug and a dateline (docs/detection-history.md,
# stops 42 and 43): the truce's capitalised headline alone moves its score from 0.36
# to 0.32, under the pattern floor ("VICTORY DAY" is written "victory day" for the embedding: the
# baseline never writes the name; taking the article's own forms measured no better, stop 43).
# A one-line case whose headline repeats its body in capitals is one sentence since stop 43.
# Since stop 45 the truce stays quiet in ordinary type too (KNOWN_WRONG): no case differs.
KNOWN_WIRE_DIFFERENCES: dict[str, str] = {}


def test_wire_conventions_change_no_decision(shipped_detector: Detector) -> None:
    """A headline in capitals behind a slug and a body behind a dateline decide as the
    same words in ordinary type do (the style cases, each alone), but for
    ``KNOWN_WIRE_DIFFERENCES`` (one that no longer differs must leave the list)."""
    differences = []
    for n, (title, text, _) in enumerate(detection_cases("style_cases.txt")):
        body = text or title
        named = []
        for headline, lead in (
            (title, body),
            (f"UPDATE 2-{title.upper()}", f"MOSCOW, March 3 (Reuters) - {body}"),
        ):
            shipped_detector.book.reset([])
            alerts = shipped_detector.examine(article(headline, lead, ident=f"wire-{n}"))
            named.append(alerts[0].rules if alerts else ())
        if named[0] != named[1]:
            differences.append(f"{list(named[0])} became {list(named[1])}: {title}")
    known = [f"{change}: {title}" for title, change in KNOWN_WIRE_DIFFERENCES.items()]
    assert sorted(differences) == sorted(known), "\n".join(differences)


def test_a_truce_in_force_the_night_after_it_was_agreed_is_one_development() -> None:
    """The shipped ceasefire rule says "in-force" continues "agreed": the guns falling silent
    as announced updates the agreement's alert (written for this test, in no corpus)."""
    ruleset = load_ruleset(RULES)
    detector = Detector(ruleset.claims, ruleset.rules)
    agreed = "Russia and Ukraine signed a ceasefire in Baku that takes effect at midnight Friday."
    in_force = (
        "A ceasefire between Russia and Ukraine took effect at midnight on Friday, and officials"
        " in Kharkiv and Zaporizhzhia reported no shelling in the first hours."
    )
    (first,) = detector.examine(article("Truce signed in Baku", agreed, T0, "t1"))
    title, night = "Ceasefire takes effect across Ukraine front line", T0 + timedelta(hours=30)
    (second,) = detector.examine(article(title, in_force, night, "t2"))
    assert (first.type, second.type) == ("alert", "update")
    assert second.development == first.development


def test_a_parliaments_mandate_and_the_order_after_it_are_two_developments(
    shipped_detector: Detector,
) -> None:
    """Another country's parliament authorising its troops for Ukraine is named a deployment
    at the stage ``mandated``; a second report of it that day updates it, and the order that
    sends the troops two days later is a development of its own (written for this test)."""
    reports = [
        (
            "French parliament authorises deployment of up to 2,000 troops to Ukraine",
            "The National Assembly voted 380 to 150 to authorise the deployment of up to 2,000"
            " French soldiers to the multinational force in Ukraine.",
            T0,
        ),
        (
            "French lawmakers back Ukraine troop mandate",
            "French deputies approved sending up to 2,000 soldiers to Ukraine, hours after a"
            " heated debate.",
            T0 + timedelta(hours=3),
        ),
        (
            "Macron signs order sending first French troops to Ukraine",
            "President Macron signed the order on Thursday for the first 600 French soldiers to"
            " deploy to the multinational force in Ukraine.",
            T0 + timedelta(days=2),
        ),
    ]
    given = examined_in_turn(shipped_detector, reports)
    assert [[(a.type, a.rule) for a in alerts] for alerts in given] == [
        [("alert", "foreign-troops-deployed")],
        [("update", "foreign-troops-deployed")],
        [("alert", "foreign-troops-deployed")],
    ]
    stages = {d.id: d.stage for d in shipped_detector.book.developments}
    assert [stages[alerts[0].development] for alerts in given] == ["mandated"] * 2 + ["ordered"]


def test_the_lords_vote_a_day_after_the_commons_is_a_development_of_its_own(
    shipped_detector: Detector,
) -> None:
    """The Commons' vote told as "UK lawmakers" (the Commons' party), and the Lords' approval
    the next day: two parliaments' votes, two alerts (written for this test)."""
    reports = [
        (
            "UK lawmakers approve sending troops to Ukraine",
            "British lawmakers voted 390 to 120 on Tuesday to approve sending up to 5,000 troops"
            " to the multinational force in Ukraine.",
            T0,
        ),
        (
            "UK House of Lords backs Ukraine deployment motion",
            "The House of Lords approved the government's motion on deploying forces to Ukraine"
            " by 298 votes to 41 on Wednesday.",
            T0 + timedelta(hours=20),
        ),
    ]
    given = examined_in_turn(shipped_detector, reports)
    assert [[(a.type, a.rule) for a in alerts] for alerts in given] == [
        [("alert", "uk-parliament-vote")],
        [("alert", "uk-parliament-vote")],
    ]


BACKGROUND = [
    "The UK and France signed a declaration of intent in Paris on 6 January.",
    "It set out plans to deploy troops to Ukraine after a ceasefire.",
    "Keir Starmer pledged that MPs would vote on any deployment.",
    "Russia called the coalition an axis of war on 8 January.",
    "Moscow said any Western troops in Ukraine would be legitimate targets.",
    "The coalition of the willing met in Paris to sign the declaration.",
    "France and Britain would lead the multinational force after a ceasefire.",
    "Russia's foreign ministry repeated that foreign troops would be targets.",
]


def test_a_long_report_reads_its_background_apart_from_its_news(
    shipped_detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``LONG_ARTICLE`` sentences on, the headline and the novel sentences are the
    model's text and the sentences restating the baseline its background, whose terms weigh
    less: the development scores higher than with the article read whole. A shorter article
    is read whole."""
    long_text = " ".join([*BACKGROUND[:4], VOTE, *BACKGROUND[4:]])
    assert len(BACKGROUND) + 2 >= features.LONG_ARTICLE
    signals = shipped_detector.extractor.signals(article("Commons decides on troops", long_text))
    news, background = signals.lexical_parts()
    assert news == f"Commons decides on troops {VOTE}"
    assert background == " ".join(BACKGROUND)
    short = shipped_detector.extractor.signals(article("Commons decides", VOTE))
    assert short.lexical_parts() == (short.text, "")
    parted = shipped_detector.assess(article("Commons decides on troops", long_text, ident="p"))
    monkeypatch.setattr(features, "LONG_ARTICLE", 10**6)
    whole = shipped_detector.assess(article("Commons decides on troops", long_text, ident="w"))
    assert parted.development.probability > whole.development.probability


def test_an_explainer_where_a_pattern_holds_is_news(shipped_detector: Detector) -> None:
    """A pattern holding on a sentence new enough for its rule is news under any headline,
    however little the sentence's words differ from the baseline's."""
    shipped_detector.book.reset([])
    shipped_detector.recent = RecentReports()
    title = "Analysis: Russia and Ukraine ceasefire"
    text = "The ceasefire collapsed overnight as Russian forces attacked near Orikhiv."
    assessment = shipped_detector.explain(title, text, T0)
    assert assessment.signals.hits
    assert "ceasefire" in [v.rule for v in assessment.holding]


def test_other_outlets_reports_are_compared_only_for_a_model_weighing_them(
    shipped_detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped model gives corroboration no weight, so a full memory of other outlets'
    reports (about 0.1 ms an article to compare) is not read; a model that weighs it is
    moved by an earlier report of the same news from another outlet."""
    report = article("MPs back sending UK troops to Ukraine", VOTE, T0, "a1")
    assert "corroboration" not in shipped_detector.model.weighed

    def unexpected(*_: object) -> float:
        raise AssertionError("other outlets' reports compared for a model that ignores them")

    monkeypatch.setattr(shipped_detector.recent, "strongest", unexpected)
    assert shipped_detector.examine(report)
    spec = shipped_detector.model.spec.model_dump()
    spec["heads"]["development"]["dense"]["corroboration"] = 2.0
    spec["scaling"]["corroboration"] = {"mean": 0.2, "scale": 0.2}
    weighing = ScoringModel(ModelFile.model_validate(spec))
    ruleset = load_ruleset(RULES)
    scores = []
    for earlier in (False, True):
        detector = Detector(ruleset.claims, ruleset.rules, model=weighing)
        if earlier:
            vector = detector.assess(report, T0).signals.vector
            detector.recent.observe(vector, "another outlet", T0 - timedelta(hours=2))
        scores.append(detector.assess(report, T0).development.probability)
    assert scores[1] > scores[0], scores


def test_a_pattern_names_the_development_when_its_rule_head_is_sure(
    shipped_detector: Detector,
) -> None:
    """Under the pattern floor, a pattern on a novel lead sentence still names the development
    when its rule's own head is at least ``SURE_HEAD`` sure (a vote reported with the words of
    near-misses: a month, "a year"); with that head unsure, the article stays quiet."""
    report = article("MPs back sending UK troops to Ukraine", VOTE)
    spec = shipped_detector.model.spec.model_dump()
    spec["heads"]["development"]["bias"] -= 40.0  # every article under the pattern floor
    ruleset = load_ruleset(RULES)
    verdicts = []
    for vote_bias in (0.0, -40.0):
        changed = copy.deepcopy(spec)
        changed["heads"]["uk-parliament-vote"]["bias"] += vote_bias
        detector = Detector(
            ruleset.claims, ruleset.rules, model=ScoringModel(ModelFile.model_validate(changed))
        )
        assessment = detector.assess(report, T0)
        assert assessment.development.probability < detector.model.spec.pattern_floor
        assert {h.rule for h in assessment.signals.hits} == {"uk-parliament-vote"}
        verdicts.append({v.rule: v for v in assessment.rules}["uk-parliament-vote"])
    sure, unsure = verdicts
    assert sure.holds and sure.score is not None and sure.score.probability >= SURE_HEAD
    assert "sure" in sure.reason
    assert not unsure.holds


def test_a_headline_alone_is_read_at_its_own_relevance_bar(shipped_detector: Detector) -> None:
    """An entry with no text: "Verkhovna Rada ratifies Istanbul guarantee protocol and US
    treaty" comes 0.16 close to the story, under the bar for articles (0.2), and was never
    examined; a headline alone needs 0.12, and this one alerts. The same words with a line of
    text are measured at the article's bar, and a football score stays off the story."""
    shipped_detector.book.reset([])
    rada = "Verkhovna Rada ratifies Istanbul guarantee protocol and US treaty"
    assert features.OFF_STORY_HEADLINE < shipped_detector.extractor.relevance(article(rada))
    assert shipped_detector.extractor.relevance(article(rada)) < features.OFF_STORY
    (alert,) = shipped_detector.examine(article(rada))
    assert alert.type == "alert" and "guarantees-ratified" in alert.rules
    football = article("Arsenal beat Chelsea 2-0 at the Emirates", ident="f1")
    assert not shipped_detector.extractor.on_story(football)
    assert features.off_story_bar(2) == features.OFF_STORY


def test_examine_and_follow_count_the_same_sentences_for_the_relevance_bar(
    shipped_detector: Detector,
) -> None:
    """A headline whose one line of text an earlier report told: measured without that line,
    the article still has two sentences, so ``examine``'s gate and the signals' own agree
    (the headline-alone bar is for an entry with no text)."""
    from monitor.detect.similarity import content_key

    line = "Shares in European airlines rose in early trading on Tuesday."
    entry = article("Verkhovna Rada ratifies Istanbul guarantee protocol and US treaty", line)
    signals = shipped_detector.extractor.signals(entry, {content_key(line): "earlier report"})
    assert len(signals.sentences) == 1 and signals.told == (line,)
    assert signals.sentence_count == 2
    assert not signals.on_story and not shipped_detector.extractor.on_story(entry)


def test_a_floor_above_the_threshold_keeps_the_rule_a_pattern_names() -> None:
    """A calibrated pattern floor above the alert threshold only tightens the sure-head
    path: an article over the threshold with a pattern in its lead is still named by it."""
    ruleset = load_ruleset(RULES)
    shipped = Detector.of(ruleset)
    spec = shipped.model.spec.model_copy(update={"pattern_floor": 1.0})
    strict = Detector.of(ruleset, model=ScoringModel(spec))
    text = "MPs voted to approve sending British troops to Ukraine."
    assessment = strict.assess(article("Commons backs Ukraine deployment", text))
    assert 0.85 <= assessment.development.probability < 1.0
    (vote,) = [v for v in assessment.rules if v.rule == "uk-parliament-vote"]
    assert vote.holds and vote.hit is not None and vote.reason == vote.hit.describe()
