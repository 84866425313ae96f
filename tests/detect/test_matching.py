"""Each rule condition, as a table: the sentence, the rule fragment, held or not and why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from monitor.detect.matching import _MONTH, CompiledRule, Held, Sentence, compile_rules
from monitor.detect.regex_strings import required_strings
from monitor.detect.rules import Rule


def rule(**fields: Any) -> CompiledRule:
    base: dict[str, Any] = {"id": "r", "description": "test rule"}
    return CompiledRule(Rule.model_validate({**base, **fields}))


VOTE = [{"any": ["MPs", "Commons"]}, {"any": ["voted", "approved"]}, {"any": ["troops", "deploy*"]}]


@pytest.mark.parametrize(
    ("fields", "sentence", "held", "reason"),
    [
        (
            {"patterns": [{"name": "p", "all": VOTE}]},
            "MPs voted to send troops.",
            True,
            "held: MPs, voted, troops",
        ),
        (
            {"patterns": [{"name": "p", "all": VOTE}]},
            "MPs debated troops.",
            False,
            "no match for: voted | approved",
        ),
        # a trailing * matches any ending
        (
            {"patterns": [{"name": "p", "all": VOTE}]},
            "The Commons approved the deployment.",
            True,
            "held: Commons, approved, deploy*",
        ),
        # phrases match whole words in order
        (
            {"patterns": [{"name": "p", "all": [{"any": ["came into force"]}]}]},
            "The truce came into force at noon.",
            True,
            "held: came into force",
        ),
        (
            {"patterns": [{"name": "p", "all": [{"any": ["came into force"]}]}]},
            "It came, into the force.",
            False,
            "no match for: came into force",
        ),
        # whole words only: "MP" does not match inside "MPs" nor "vote" inside "voted"
        (
            {"patterns": [{"name": "p", "all": [{"any": ["vote"]}]}]},
            "MPs voted.",
            False,
            "no match for: vote",
        ),
        # regex on the normalised sentence
        (
            {"patterns": [{"name": "p", "all": [{"regex": [r"\bfeb(ruary)? \d{1,2}\b"]}]}]},
            "The debate is on February 9.",
            True,
            r"held: /\bfeb(ruary)? \d{1,2}\b/",
        ),
        # within: all groups inside a span of N words
        (
            {"patterns": [{"name": "p", "within": 3, "all": VOTE}]},
            "MPs voted on many other things before turning to troops.",
            False,
            "terms too far apart",
        ),
        (
            {"patterns": [{"name": "p", "within": 3, "all": VOTE}]},
            "MPs voted troops home.",
            True,
            "held: MPs, voted, troops",
        ),
        # unless anywhere in the sentence vetoes
        (
            {"patterns": [{"name": "p", "all": VOTE}], "unless": [{"any": ["would"]}]},
            "MPs would have voted to send troops.",
            False,
            "vetoed by: would (would)",
        ),
        # unless with within: only near the pattern's own matches
        (
            {"patterns": [{"name": "p", "all": VOTE, "unless": [{"any": ["not"], "within": 1}]}]},
            "MPs voted to send troops, not tanks.",
            False,
            "vetoed by: not (not)",
        ),
        (
            {"patterns": [{"name": "p", "all": VOTE, "unless": [{"any": ["not"], "within": 1}]}]},
            "MPs voted to send troops, and Lords were not consulted.",
            True,
            "held: MPs, voted, troops",
        ),
        # "May" beside a day is the month, not the modal verb
        (
            {"patterns": [{"name": "p", "all": VOTE}], "unless": [{"any": ["may"]}]},
            "MPs voted on 21 May to send troops.",
            True,
            "held: MPs, voted, troops",
        ),
        (
            {"patterns": [{"name": "p", "all": VOTE}], "unless": [{"any": ["may"]}]},
            "MPs may have voted to send troops by May 2027.",
            False,
            "vetoed by: may (may)",
        ),
        # a regex veto
        (
            {
                "patterns": [{"name": "p", "all": [{"any": ["truce"]}, {"any": ["began"]}]}],
                "unless": [{"regex": [r"\bsince (it|the truce) began"]}],
            },
            "Violations rose since the truce began.",
            False,
            r"vetoed by: /\bsince (it|the truce) began/ (/\bsince (it|the truce) began/)",
        ),
    ],
)
def test_pattern_conditions(fields: dict[str, Any], sentence: str, held: bool, reason: str) -> None:
    outcome = rule(**fields).evaluate(Sentence.of(sentence))[0]
    assert outcome.held is held
    assert outcome.reason() == reason


def test_topic_must_appear_somewhere_in_the_article() -> None:
    compiled = rule(patterns=[{"name": "p", "all": VOTE}], topic=[{"any": ["Ukraine"]}])
    article = [Sentence.of("MPs voted."), Sentence.of("Troops go to Ukraine.")]
    assert compiled.topic_missing(article) == []
    assert compiled.topic_missing([Sentence.of("MPs voted on troops for Estonia.")]) == ["Ukraine"]


@pytest.mark.parametrize(
    "sentence",
    [
        "A Nordic battalion reached a training hub in Zhytomyr region.",
        "The first British engineers arrived in Mykolaiv overnight.",
        "The truce held overnight, Ukrenergo said.",
    ],
)
def test_the_shipped_rules_read_ukraines_cities_as_their_topic(sentence: str) -> None:
    """A brief may name only a Ukrainian city, the river or the grid operator."""
    for rule_id in ("ceasefire", "foreign-troops-deployed", "new-development"):
        assert _shipped_rule(rule_id).topic_missing([Sentence.of(sentence)]) == [], rule_id


@pytest.mark.parametrize(
    ("sentence", "on_topic"),
    [
        ("Turkey formally joins the Paris coalition, will lead its Black Sea component.", True),
        ("Canada signs on to the Paris declaration of intent.", True),
        # "the coalition of the willing" is this story's (writers name it without Ukraine), not
        # "a coalition of the willing led by" someone else; other multinational forces share
        # that name
        ("Japan joins the coalition of the willing, a first for Tokyo's security policy.", True),
        (
            "A coalition of the willing led by the United States patrols the Strait of Hormuz.",
            False,
        ),
        ("Spain joins the coalition of the willing on climate finance.", False),
        ("Canada formally joined the coalition of the willing on Tuesday.", True),
        ("The multinational force's permanent headquarters opens at Mont Valerien.", False),
    ],
)
def test_the_development_rule_reads_the_storys_own_names_as_its_topic(
    sentence: str, on_topic: bool
) -> None:
    """A piece may name the Paris coalition or declaration alone, never Ukraine."""
    missing = _shipped_rule("new-development").topic_missing([Sentence.of(sentence)])
    assert (missing == []) is on_topic


def test_a_topic_word_among_the_article_words_spares_reading_its_sentences() -> None:
    """A topic group with a one-word term among the words of all the article's sentences is
    found without reading them; a phrase, a prefix or "may" (read as the month in "in May
    2026") still needs the sentences, and the answers are those of reading them."""
    from monitor.detect.matching import topic_reading

    def missing(terms: list[str], texts: list[str], read: list[str]) -> list[str]:
        compiled = rule(patterns=[{"name": "p", "all": VOTE}], topic=[{"any": terms}])
        _, vocabulary = topic_reading(texts)

        def sentences() -> Any:
            for text in texts:
                read.append(text)
                yield Sentence.of(text)

        found = compiled.topic_missing(sentences(), vocabulary)
        assert found == compiled.topic_missing([Sentence.of(text) for text in texts])
        return found

    texts = ["MPs voted.", "Troops go to Kyiv in May 2026.", "A peace plan."]
    read: list[str] = []
    assert missing(["Ukraine", "Kyiv"], texts, read) == [] and read == []
    assert missing(["peace deal", "Moscow"], texts, read) != [] and read == texts
    read.clear()
    assert missing(["peace plan"], texts, read) == [] and read == texts
    read.clear()
    assert missing(["may"], texts, read) != [] and read == texts


def test_stage_defaults_to_pattern_name_and_can_be_shared() -> None:
    compiled = rule(
        patterns=[
            {"name": "tabled", "all": [{"any": ["tabled"]}]},
            {"name": "scheduled", "stage": "tabled", "all": [{"any": ["scheduled"]}]},
        ]
    )
    outcomes = compiled.evaluate(Sentence.of("The vote was scheduled."))
    assert [(o.pattern, o.stage, o.held) for o in outcomes] == [
        ("tabled", "tabled", False),
        ("scheduled", "tabled", True),
    ]


def test_an_article_that_surely_misses_the_topic_is_never_prepared_for_matching() -> None:
    compiled = rule(
        patterns=[{"name": "p", "all": VOTE}],
        topic=[{"any": ["Ukraine", "Kyiv", "peace deal", "peacekeep*"]}],
    )
    assert compiled.off_topic(["MPs voted on troops for Estonia.", "Tallinn welcomed it."])
    assert not compiled.off_topic(["MPs voted.", "Troops go to Kyiv."])
    assert not compiled.off_topic(["MPs voted.", "A peacekeeping mission."])
    # words, not substrings: the exact check would find nothing either
    assert compiled.off_topic(["The Ukrainesque style."])
    assert compiled.topic_missing([Sentence.of("The Ukrainesque style.")]) != []
    # a phrase's first word is only a hint: the exact check still runs on the sentences
    assert not compiled.off_topic(["A peace plan."])
    assert compiled.topic_missing([Sentence.of("A peace plan.")]) != []
    with_regex = rule(patterns=[{"name": "p", "all": VOTE}], topic=[{"regex": [r"\bkyiv\b"]}])
    assert with_regex.off_topic(["Nothing to see."])  # a regex requires "kyiv"
    assert not with_regex.off_topic(["Kyiv said."])
    anything = rule(patterns=[{"name": "p", "all": VOTE}], topic=[{"regex": [r"\w+"]}])
    assert not anything.off_topic(["Nothing to see."])


@pytest.mark.parametrize(
    ("rule_id", "sentence", "held"),
    [
        # hedging next to the event itself is a plan; elsewhere in a real report it is not
        ("foreign-troops-deployed", "British troops could arrive in Ukraine next month.", False),
        (
            "foreign-troops-deployed",
            "The first British troops arrived in Lviv on Tuesday, and more could follow in May.",
            True,
        ),
        ("uk-parliament-vote", "MPs would vote on sending troops to Ukraine.", False),
        (
            "uk-parliament-vote",
            "MPs voted 380 to 95 to approve sending troops to Ukraine, which could begin in May.",
            True,
        ),
    ],
)
def test_shipped_rules_read_hedging_only_near_the_event(
    rule_id: str, sentence: str, held: bool
) -> None:
    assert (_shipped_rule(rule_id).first_held(Sentence.of(sentence)) is not None) is held


@pytest.mark.parametrize(
    ("sentence", "held"),
    [
        # another country's parliament, however far the vote's other words run from its name
        ("Canada's House of Commons voted on Tuesday to extend the troop deployment.", False),
        ("Irish lawmakers approved sending officers to the Ukraine mission.", False),
        ("The Canadian House of Commons backed the deployment of troops to Ukraine.", False),
        # other parliaments a report of the Commons vote mentions besides are not the one that voted
        ("British MPs voted to send troops to Ukraine alongside French soldiers.", True),
        ("UK MPs approve sending troops to Ukraine, 412 votes to 118.", True),
        (
            "MPs voted 412 to 118 to approve sending British troops to Ukraine, days after"
            " France's National Assembly backed its own deployment.",
            True,
        ),
        (
            "MPs voted to approve sending British troops to Ukraine, and Ukraine's parliament"
            " welcomed the result.",
            True,
        ),
        (
            "Scottish and Northern Irish MPs joined the majority as the Commons approved the"
            " deployment of troops to Ukraine.",
            True,
        ),
        (
            "The Ukraine Commons vote went the government's way as MPs approved the deployment"
            " of troops.",
            True,
        ),
        # a government decides, however near the parliament it informs
        (
            "In a letter to parliament on Tuesday, ministers said the cabinet had approved the"
            " deployment of 650 troops to Ukraine.",
            False,
        ),
        (
            "MPs approved the deployment of troops to Ukraine a week after the cabinet endorsed"
            " the mission.",
            True,
        ),
    ],
)
def test_shipped_vote_rule_knows_another_countrys_parliament(sentence: str, held: bool) -> None:
    rule = _shipped_rule("uk-parliament-vote")
    assert (rule.first_held(Sentence.of(sentence)) is not None) is held


@pytest.mark.parametrize(
    ("sentence", "held"),
    [
        # an arrival told as the time of something else is background, however many
        # nationalities name the soldiers
        (
            "Two weeks after the first British and French soldiers of the multinational force"
            " arrived in Ukraine, residents are getting used to the uniforms.",
            False,
        ),
        ("Since the first French troops arrived in Kyiv, the city has changed.", False),
        # a time before the arrival is not the arrival as a time
        ("Two days after the vote the first British soldiers arrived in Kyiv.", True),
        ("Two days after the Commons vote British soldiers arrived in Kyiv.", True),
        ("Two days after MPs voted British troops arrived in Kyiv.", True),
        (
            "Kyiv residents waved flags on Saturday after hundreds of British soldiers arrived"
            " in Ukraine overnight.",
            True,
        ),
        ("The first British and French soldiers arrived in Ukraine on Friday.", True),
    ],
)
def test_shipped_deployment_rule_reads_an_arrival_as_a_time_as_background(
    sentence: str, held: bool
) -> None:
    rule = _shipped_rule("foreign-troops-deployed")
    assert (rule.first_held(Sentence.of(sentence)) is not None) is held


TRUCE, TREATY, SHIFT = "ceasefire", "guarantees-ratified", "russia-position-change"


@pytest.mark.parametrize(
    ("rule_id", "stage", "sentence", "held"),
    [
        # the truce named by what befell it before: the news is its restoring
        (
            TRUCE,
            "collapsed",
            "A protocol signed in Geneva restores the truce that collapsed in May.",
            False,
        ),
        (
            TRUCE,
            "collapsed",
            "The ceasefire which broke down in March is back in force from Saturday.",
            False,
        ),
        (
            TRUCE,
            "collapsed",
            "The truce collapsed overnight as Russian forces attacked near Orikhiv.",
            True,
        ),
        # the truce destroyed, no longer existing: a collapse in other words; not something
        # destroyed during it
        (
            TRUCE,
            "collapsed",
            "Zelensky said the ceasefire had been destroyed by the overnight assault.",
            True,
        ),
        (TRUCE, "collapsed", '"Russia has destroyed the ceasefire," Zelensky said.', True),
        (TRUCE, "collapsed", "Kyiv says the Black Sea truce no longer exists.", True),
        (
            TRUCE,
            "collapsed",
            "The village where the truce was signed no longer exists after the shelling.",
            False,
        ),
        (
            TRUCE,
            "collapsed",
            "The joint commission overseeing the ceasefire ceased to function in March.",
            False,
        ),
        (TRUCE, "collapsed", "Russian forces wrecked a truce-monitoring post near Orikhiv.", False),
        # a call for ratified guarantees is no ratification; a ratification called for is one
        (
            TREATY,
            "ratified",
            "Zelenskyy has continued to press for guarantees ratified by national parliaments.",
            False,
        ),
        (
            TREATY,
            "ratified",
            "The Bundestag ratified the security guarantees treaty, as Kyiv had long demanded.",
            True,
        ),
        (
            TREATY,
            "ratified",
            "Kyiv demanded that the Bundestag ratify the security guarantees treaty.",
            False,
        ),
        # the treaty named by its signing months before: the news is something else
        (
            TREATY,
            "signed",
            "Senate leaders said a vote on the security agreement signed in October was likely.",
            False,
        ),
        (
            TREATY,
            "signed",
            "Full text of the UK-Ukraine security guarantee treaty signed last May",
            False,
        ),
        (
            TREATY,
            "signed",
            "Kyiv and London signed the security guarantee treaty in Downing Street on Tuesday.",
            True,
        ),
        (
            TREATY,
            "signed",
            "Security pact signed in London as allies pledge to defend Ukraine",
            True,
        ),
        # declining to comment on reports of a shift confirms nothing
        (
            SHIFT,
            "stance",
            "Peskov declined to comment on media reports that Moscow could accept observers.",
            False,
        ),
        (
            SHIFT,
            "stance",
            "The Kremlin refused to comment on claims Russia now accepts observers.",
            False,
        ),
        (SHIFT, "stance", "Russia said on Thursday it now accepts international observers.", True),
    ],
)
def test_a_stage_named_as_background_or_unconfirmed_is_not_news(
    rule_id: str, stage: str, sentence: str, held: bool
) -> None:
    outcomes = _shipped_rule(rule_id).evaluate(Sentence.of(sentence))
    assert (stage in {o.stage for o in outcomes if o.held}) is held


BROAD, TRUCE_RULE = "new-development", "ceasefire"


@pytest.mark.parametrize(
    ("rule_id", "sentence", "pattern"),
    [
        # a step of a parliament short of ratifying is no ratification
        (
            "guarantees-ratified",
            "The Verkhovna Rada's foreign policy committee recommended that parliament ratify"
            " the Lancaster House treaty.",
            None,
        ),
        (
            "guarantees-ratified",
            "German lawmakers held a first reading of the bill to ratify the Hague treaty on"
            " Ukraine's security; no vote was taken.",
            None,
        ),
        (
            "guarantees-ratified",
            "The secretary of state urged senators to ratify the security agreement with Ukraine.",
            None,
        ),
        (
            "guarantees-ratified",
            "MPs approved the security treaty with Ukraine at first reading by 400 votes to 50.",
            None,
        ),
        (
            "guarantees-ratified",
            "The Bundestag voted to ratify the security guarantee treaty with Ukraine on Friday.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "The Senate voted 75-22 to ratify the security agreement with Ukraine.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "The U.S. Senate voted 71 to 27 on Thursday to ratify a security agreement with"
            " Ukraine.",
            "ratified",
        ),
        # a headline's present tense is the act, its "to ratify" one to come (the signing
        # stands); the Senate's advice and consent is its ratification
        ("guarantees-ratified", "German lawmakers ratify Ukraine defence pact", "ratified"),
        (
            "guarantees-ratified",
            "Ukraine and U.S. sign binding security agreement; Senate and Rada to ratify",
            "signed",
        ),
        ("guarantees-ratified", "Dutch parliament to ratify Ukraine security pact", None),
        (
            "guarantees-ratified",
            "The US Senate voted 71 to 27 on Wednesday to give its advice and consent to"
            " ratification of the US-Ukraine Security Agreement signed in May, clearing the way"
            " for the president to ratify it.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "France becomes first country to ratify binding guarantee for Ukraine",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "The Senate ratified the security agreement with Ukraine 81-17, as the Foreign"
            " Relations Committee had recommended.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "The Rada ratified the security treaty with Ukraine's allies by 338 votes.",
            "ratified",
        ),
        # doubts raised over the force change nothing in it
        (
            BROAD,
            "Peers debate Ukraine mission as questions raised over the multinational force's"
            " rules of engagement",
            None,
        ),
        (
            BROAD,
            "The coalition raised the Ukraine force's size to 12,000 troops on Monday.",
            "force-change",
        ),
        (
            BROAD,
            "France raised its contingent in the Ukraine coalition force to 3,000 troops,"
            " answering concerns raised by Kyiv",
            "force-change",
        ),
        # "decrees" names the act; it is not the act of adopting one
        (
            BROAD,
            "The Verkhovna Rada of Ukraine supported the President's decrees on the extension of"
            " martial law from February 17, despite the ceasefire.",
            None,
        ),
        (
            BROAD,
            "Parliament adopted a law on the status of the multinational force in Ukraine.",
            "enacted",
        ),
        # the coalition's soldiers harmed is news, however the harm came; none harmed is not
        (
            BROAD,
            "Two British soldiers injured as drone hits coalition depot in Ukraine",
            "casualties",
        ),
        (
            BROAD,
            "Three British soldiers were wounded, none seriously, in the attack near Lviv.",
            "casualties",
        ),
        (
            BROAD,
            "The Ministry of Defence said no UK personnel were hurt when the depot in Ukraine was"
            " struck.",
            None,
        ),
        (BROAD, "The row hurt plans for British troops in Ukraine", None),
        # a government's decision not to send troops is news, a leader ruling them out is not
        # (writers read that as a stance, one more near-miss); Moscow's and Washington's
        # refusals are the story's start, and not ruling out is no refusal
        (BROAD, "Merz rules out German ground troops for Ukraine force", None),
        (BROAD, "Poland formally rules out sending troops to the Ukraine force", None),
        (BROAD, "Spain's cabinet rules out sending troops to the Ukraine force", "declines"),
        (
            BROAD,
            "Starmer decided the UK will not send troops to Ukraine before a ceasefire is agreed",
            None,
        ),
        (
            BROAD,
            "Poland's National Security Council decided it will not contribute ground troops"
            " to a multinational force in Ukraine.",
            "declines",
        ),
        (BROAD, "Germany hasn't ruled out sending troops to the Ukraine force", None),
        (BROAD, "But Donald Trump has ruled out sending American ground troops to Ukraine", None),
        # Moscow walking out is news, whoever is known to refuse what
        (BROAD, "Russia walks out of Ukraine truce commission over British troops", "withdraws"),
        (
            BROAD,
            "Zelensky rules out withdrawing troops from Donbas as part of any peace deal",
            None,
        ),
        (BROAD, "Moscow rules out coalition troops in Ukraine under any flag", None),
        (
            BROAD,
            "Foreign Minister Sergei Lavrov on Tuesday ruled out European troops in Ukraine",
            None,
        ),
        (BROAD, "U.S. backs European plan for Ukraine but rules out sending its own troops", None),
        # a truce named as the time of something else ("now that ...") is background
        (
            TRUCE_RULE,
            "Starmer said MPs will vote before Christmas, now that the armistice agreed in"
            " Istanbul has taken effect in Ukraine.",
            None,
        ),
        (TRUCE_RULE, "The armistice took effect across Ukraine at noon on Sunday.", "in-force"),
        (TRUCE_RULE, "Despite the armistice, Russian drones struck Odesa overnight.", None),
        # Moscow accepting others at the table is talks in a new format, not a new stance
        (
            "russia-position-change",
            "British, French and German advisers took part in talks in Riyadh alongside US,"
            " Russian and Ukrainian delegations, the first time Moscow has accepted coalition"
            " envoys in the negotiating room.",
            None,
        ),
        (
            "russia-position-change",
            "Moscow accepted coalition monitors on the ceasefire line for the first time.",
            "softens",
        ),
        (
            "russia-position-change",
            "Moscow signalled openness to European monitors along the ceasefire line as"
            " delegations met in Riyadh",
            "softens",
        ),
        # Russia and Ukraine agreeing together is an agreement, not Russia's own decision
        (
            "russia-position-change",
            "Russia, Ukraine agree map of demilitarised zone in Donbas",
            None,
        ),
        ("russia-position-change", "Russia, U.S. agree to restore embassy staff in Ukraine", None),
        # a law on foreign troops passed by the Duma or signed by Putin is a new action; the
        # upper house's speaker opening a session is none
        (
            "russia-position-change",
            "Duma passes law treating foreign troops in Ukraine as 'illegal armed formations'",
            "decides",
        ),
        ("russia-position-change", "Putin signs foreign-contingents law", "decides"),
        (
            "russia-position-change",
            "Federation Council Speaker Valentina Matviyenko opened the plenary session with a"
            " statement on foreign troops in Ukraine.",
            None,
        ),
        # Moscow stepping back from its threat, or no longer regarding troops as targets
        (
            "russia-position-change",
            "Russia quietly steps back from threat to hit Western troops in Ukraine",
            "softens",
        ),
        (
            "russia-position-change",
            "Moscow will no longer regard coalition bases in western Ukraine as legitimate"
            " targets, the Kremlin said.",
            "softens",
        ),
        (
            "russia-position-change",
            "Putin said Russia would regard any Western troops in Ukraine as legitimate targets.",
            None,
        ),
        # a court throwing out a challenge to the mission rules on it
        (
            "new-development",
            "High Court throws out challenge to Ukraine troops plan: deployment is a matter for"
            " ministers",
            "ruling",
        ),
        # a government deciding not to send troops declines a role; repeating a refusal does not
        (
            "new-development",
            "Italy will not send ground troops to Ukraine force, cabinet decides",
            "declines",
        ),
        (
            "new-development",
            "The Dutch government decided it will not send troops to the Ukraine force.",
            "declines",
        ),
        ("new-development", "Poland will not send troops to Ukraine, Tusk repeated.", None),
        # ... but not a refusal told again, nor a decision on something else
        (
            "new-development",
            "Poland confirms it will not send troops to the Ukraine force, as Tusk has said"
            " since January.",
            None,
        ),
        (
            "new-development",
            "Tusk repeated that Poland decided it would not send troops to the force in Ukraine.",
            None,
        ),
        (
            "new-development",
            "Germany decided it would not commit to a timetable for the force.",
            None,
        ),
        # Moscow never considering troops acceptable is its refusal, not a softening
        (
            "russia-position-change",
            "Moscow would never consider Western troops in Ukraine acceptable.",
            None,
        ),
        # a court dismissing a challenge rules; a president dismissing a commander does not
        (
            "new-development",
            "The court dismissed the challenge to the deployment of troops to Ukraine.",
            "ruling",
        ),
        (
            "new-development",
            "Zelensky dismissed the commander of the troops after a court martial.",
            None,
        ),
        # adopting rules or a name for the force commits nothing to it
        (
            "new-development",
            "The force adopted rules of engagement for its 2,000 troops in Ukraine.",
            None,
        ),
        # a council adopting a measure that pays for the force commits money to it
        (
            "new-development",
            "EU Council adopts assistance measure of EUR 3.4 billion for the Multinational"
            " Force Ukraine",
            "commitment",
        ),
        (
            "russia-position-change",
            "Russia agrees to a demilitarised zone in Donbas, dropping its earlier demand",
            "decides",
        ),
        # another parliament's mandate for its troops in Ukraine, and a cabinet's, are named;
        # the UK Parliament's vote, a vote to come, a mandate elsewhere and a hub at home not
        (
            "foreign-troops-deployed",
            "The Storting approved sending 300 Norwegian engineers to the multinational force.",
            "mandated",
        ),
        (
            "foreign-troops-deployed",
            "Turkish lawmakers authorised naval units for mine clearance off Ukraine's coast.",
            "mandated",
        ),
        (
            "foreign-troops-deployed",
            "The Czech cabinet approved a mandate for 200 soldiers to serve in Ukraine.",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "The French National Assembly voted to send 2,000 troops to join the UK-led force in"
            " Ukraine.",
            "mandated",
        ),
        (
            "foreign-troops-deployed",
            "Macron signs order sending French troops to Ukraine, two days after deputies"
            " approved the mission",
            "ordered",
        ),
        # a parliament that voted to approve (not one that is to), a day told between the
        # approval and what it approves, the mission or a city of Ukraine as the destination
        (
            "foreign-troops-deployed",
            "The Bundestag voted to approve the deployment of 800 Bundeswehr soldiers to Ukraine.",
            "mandated",
        ),
        (
            "foreign-troops-deployed",
            "The Italian Senate approves up to 500 soldiers for the Ukraine mission",
            "mandated",
        ),
        (
            "foreign-troops-deployed",
            "The Spanish government approved on Monday the dispatch of 250 soldiers to Ukraine.",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "The Czech cabinet approved on 3 June a mandate for 200 soldiers to serve in Ukraine.",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "The Romanian government approved sending 150 Romanian engineers to Odesa.",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "The Bundestag is due to vote to approve the deployment of 800 soldiers to Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Bundestag is expected to approve the deployment of 800 soldiers to Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The cabinet approved on Monday a plan for sending 200 soldiers to Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The government approved on Tuesday the dispatch of 300 soldiers to a training area"
            " in Poland.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Italian Senate approves funding for the Ukraine mission",
            None,
        ),
        # contingents and brigades arrive as a contingent does; a demand that they leave is no
        # arrival
        (
            "foreign-troops-deployed",
            "Estonian and Danish contingents arrive in Ukraine to join the multinational force.",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "Two Polish brigades crossed into western Ukraine overnight.",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "Moscow's draft demands the withdrawal of all foreign contingents deployed to Ukraine.",
            None,
        ),
        # a truce extended or restored is agreed again; a push to extend it is not
        (
            "ceasefire",
            "The ceasefire in Ukraine was extended by 60 days after talks in Istanbul.",
            "agreed",
        ),
        (
            "ceasefire",
            "Kyiv and Moscow extended the energy truce for another month.",
            "agreed",
        ),
        (
            "ceasefire",
            "After a week of fighting, the ceasefire was restored along the southern front.",
            "agreed",
        ),
        ("ceasefire", "Washington is pushing to extend the truce as its expiry nears.", None),
        ("ceasefire", "The Kremlin said the door was open to restoring the ceasefire.", None),
        ("ceasefire", "Both sides could extend the ceasefire if talks progress.", None),
        ("ceasefire", "Israel and Hamas extended the Gaza ceasefire by two weeks.", None),
        # money put behind Ukraine's own army or a deterrence fund, in agency shorthand too
        (
            "new-development",
            "Allies pledge $25 billion over four years to sustain Ukraine's army after the war.",
            "commitment",
        ),
        (
            "new-development",
            "EU leaders agree a 30 bln euro fund for Ukraine's deterrence force.",
            "commitment",
        ),
        ("new-development", "The summit backs a €12bn deterrence fund for Ukraine.", "commitment"),
        ("new-development", "Allies could pledge $25 billion to sustain Ukraine's army.", None),
        # a country joining the coalition is a new actor; one that may join, or joined long ago
        # as background, is not; a newspaper revealing plans is a leak
        (
            "new-development",
            "Turkey joins the coalition for Ukraine and will lead its Black Sea component.",
            "joins",
        ),
        ("new-development", "Japan formally joined the Ukraine coalition on Tuesday.", "joins"),
        ("new-development", "Turkey could join the coalition if a ceasefire holds.", None),
        ("new-development", "Norway may have joined the coalition.", None),
        (
            "new-development",
            "Since Turkey joined the coalition, its navy has cleared mines off Odesa.",
            None,
        ),
        ("new-development", "Russia's allies joined in condemning the coalition.", None),
        (
            "new-development",
            "Revealed: MoD plans for an 8,000-strong rotating force in Ukraine, seen by this"
            " newspaper.",
            "leaked-plan",
        ),
        # a referendum on the peace terms called for a date; one promised, or demanded, is not
        (
            "new-development",
            "Zelensky calls a referendum on the peace settlement for 14 February.",
            "referendum",
        ),
        (
            "new-development",
            "The Rada set 28 March as the date for the referendum on the peace agreement.",
            "referendum",
        ),
        (
            "new-development",
            "Zelensky says he will call a referendum if a peace deal is reached.",
            None,
        ),
        ("new-development", "Farage demands a national referendum before any peace deal.", None),
        # the decree that calls it, in a release's nominal style too; not "calling it a trap"
        (
            "new-development",
            "Decree of the President of Ukraine on the Calling of an All-Ukrainian Referendum on"
            " the Approval of the Framework Agreement",
            "referendum",
        ),
        (
            "new-development",
            "Opposition leaders are calling a referendum on the peace deal a trap.",
            None,
        ),
        # its date between the verb and the referendum, the referendum called, an armistice
        (
            "new-development",
            "Zelensky calls 29 August referendum on Geneva peace agreement",
            "referendum",
        ),
        ("new-development", "Zelensky Calls Oct. 24 Referendum on Peace Deal", "referendum"),
        (
            "new-development",
            "Ukrainian referendum called on the Istanbul armistice for 28 February.",
            "referendum",
        ),
        ("new-development", "The referendum on the peace deal was called off.", None),
        # the first country beyond the signatories to sign, or one adding its name
        (
            "new-development",
            "Canada has become the first country outside Europe to sign the Paris declaration on"
            " a future force for Ukraine.",
            "first-to-sign",
        ),
        (
            "new-development",
            "Canada could become the first country outside Europe to sign the Paris declaration.",
            None,
        ),
        (
            "new-development",
            "Ottawa has formally added its name to the UK-French declaration of intent.",
            "signs-declaration",
        ),
        # the deal is what the referendum is on, not what was signed
        ("ceasefire", "Zelensky signs decree calling referendum on peace deal", None),
        # Moscow suspending the truce it announced is its end; a peace that ends years of war is
        # no collapse; another walkout suspended beside a truce declared leaves the truce
        (
            "ceasefire",
            "Russia announced on Thursday that it was suspending the ceasefire in Ukraine.",
            "collapsed",
        ),
        (
            "ceasefire",
            "Russia and Ukraine signed a peace agreement on Friday that formally ends more than"
            " five years of war.",
            "peace-signed",
        ),
        (
            "ceasefire",
            "Russia declares a 32-hour Easter ceasefire in Ukraine; the RMT suspends next week's"
            " walkout.",
            "announced",
        ),
        # a review's sentences: another moratorium suspended; a truce agreed beside something
        # else abandoned; an older agreement that ended the war, torn up
        ("ceasefire", "Russia suspends moratorium on nuclear tests.", None),
        (
            "ceasefire",
            "Russia agreed to a ceasefire after pulling out of the Kursk border villages.",
            "agreed",
        ),
        (
            "ceasefire",
            "The Kremlin agreed to a ceasefire, terminating its offensive in Zaporizhzhia.",
            "agreed",
        ),
        (
            "ceasefire",
            "Russia has torn up the peace agreement that ended nearly four years of war, and its"
            " troops crossed the line at dawn.",
            "collapsed",
        ),
        (
            "new-development",
            "Ukraine has become the 45th country to sign the Bletchley declaration on AI safety.",
            None,
        ),
        (
            "new-development",
            "Australia has become the first country outside Europe in line to join the reassurance"
            " force.",
            None,
        ),
        (
            "new-development",
            "Moldova called a referendum on the Transnistria settlement, with Ukraine watching"
            " closely.",
            None,
        ),
        # a second review's: a referendum whose country the sentence before named; this story's
        # declaration or coalition however qualified, not a Paris declaration on climate
        (
            "new-development",
            "The president called a referendum on the peace agreement, to be held in the spring.",
            "referendum",
        ),
        (
            "new-development",
            "Ireland became the latest country to join the UK-led coalition of the willing for"
            " Ukraine.",
            "first-to-sign",
        ),
        (
            "new-development",
            "Lithuania became the first country to sign the UK-France declaration on deploying"
            " troops in Ukraine.",
            "first-to-sign",
        ),
        (
            "new-development",
            "Denmark has become the latest country to sign the Paris declaration on climate"
            " finance.",
            None,
        ),
        # a review's sentences: what the widened patterns must still tell apart
        (
            "foreign-troops-deployed",
            "Polish lawmakers vote to approve sending 300 engineers to Ukraine.",
            "mandated",
        ),
        (
            "foreign-troops-deployed",
            "The Storting voted 120 to 49 to approve sending Norwegian troops to Ukraine.",
            "mandated",
        ),
        (
            "foreign-troops-deployed",
            "Danish lawmakers approved sending a frigate to escort grain ships for Ukraine"
            " through the Baltic.",
            None,
        ),
        ("foreign-troops-deployed", "Macron ordered the first French units to Kyiv.", "ordered"),
        (
            "foreign-troops-deployed",
            "The Pentagon ordered additional Marines to guard the US embassy in Kyiv.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Zelensky ordered the deployment of extra air defence units to Odesa after a night"
            " of drone strikes.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Two Ukrainian brigades trained by British instructors were deployed to Zaporizhzhia"
            " last week.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "NATO's eight battlegroups were deployed soon after the war in Ukraine began.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Moscow regards any European contingents sent to Ukraine as an occupying force.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "British troops arrived in Ukraine to monitor the withdrawal of heavy weapons from"
            " the front line.",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "French battlegroups reached western Ukraine overnight.",
            "deployed",
        ),
        (
            "ceasefire",
            "Kyiv had wanted the truce extended, but Moscow resumed strikes on Friday.",
            None,
        ),
        ("ceasefire", "Kyiv asked for the truce to be extended.", None),
        (
            "ceasefire",
            "The brief truce saw electricity restored to 200,000 homes in Kharkiv.",
            None,
        ),
        (
            "ceasefire",
            "Power to the nuclear station was restored during a ceasefire to allow repairs.",
            None,
        ),
        ("ceasefire", "Investors are betting on a prolonged truce in Ukraine this summer.", None),
        ("ceasefire", "Ukraine: second week of restored truce mostly calm", None),
        (
            "ceasefire",
            "Reports that Russia and Ukraine had agreed a ceasefire are premature, the Kremlin"
            " said.",
            None,
        ),
        (
            "ceasefire",
            "Russia extended its moratorium on gasoline exports until the end of the year.",
            None,
        ),
        (
            "ceasefire",
            "The ceasefire has been renewed for 60 days, Kyiv and Moscow said.",
            "agreed",
        ),
        (
            "ceasefire",
            "Russia and Ukraine agreed a local ceasefire around the Zaporizhzhia nuclear plant"
            " on Friday.",
            "agreed",
        ),
        (
            "ceasefire",
            "Inspectors took over under the arrangement agreed in the framework of the renewed"
            " ceasefire.",
            None,
        ),
        (
            "new-development",
            "Zelensky confirmed that Ukraine's army now has 880,000 soldiers under arms.",
            None,
        ),
        (
            "new-development",
            "Most analysts agree that the 25,000 troops Europe has offered are too few for the"
            " mission.",
            None,
        ),
        (
            "new-development",
            "A majority of Britons backs sending 10,000 troops to the mission, a YouGov poll"
            " found.",
            None,
        ),
        (
            "new-development",
            "NATO allies pledged $50bn last week to bolster deterrence on the eastern flank.",
            None,
        ),
        (
            "new-development",
            "Critics say Britain's pledge of 10,000 troops for the force was never realistic.",
            None,
        ),
        (
            "new-development",
            "Zelensky revealed plans to hold presidential elections within 90 days of a ceasefire.",
            None,
        ),
        (
            "new-development",
            "Turkey has not joined the coalition of the willing, Erdogan's office said.",
            None,
        ),
        (
            "new-development",
            "Canada, which joined the coalition last year, announced a new aid package for Kyiv.",
            None,
        ),
        (
            "new-development",
            "In Berlin the SPD, which joined the coalition in May, opposes sending German troops"
            " to Ukraine.",
            None,
        ),
        ("new-development", "Zelensky called for a referendum on the peace terms.", None),
        (
            "new-development",
            "Peskov called the referendum on the peace terms a delaying tactic.",
            None,
        ),
        (
            "new-development",
            "The referendum on the peace deal, announced last month, has divided Ukrainians.",
            None,
        ),
        (
            "new-development",
            "Ukraine's constitution sets a referendum as the bar for any peace deal that cedes"
            " land.",
            None,
        ),
        (
            "new-development",
            "Leaders agreed to set up a Ukraine Deterrence Facility worth 40 billion euros,"
            " which diplomats said would finance the army.",
            "commitment",
        ),
        # the House of Lords votes too; its debates without a vote are no vote
        (
            "uk-parliament-vote",
            "Peers voted 310 to 120 to approve the deployment of British troops to Ukraine.",
            "held",
        ),
        ("uk-parliament-vote", "Peers debate Ukraine deployment but hold no vote.", None),
        (
            "uk-parliament-vote",
            "Lords to debate Ukraine mission next week, but peers will not vote.",
            None,
        ),
        ("foreign-troops-deployed", "Parliament approved sending British troops to Ukraine.", None),
        (
            "foreign-troops-deployed",
            "The Bundestag is to vote on approving 600 Bundeswehr soldiers to serve in Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Bundestag approved sending 600 Bundeswehr soldiers to the Lithuania brigade.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Sejm approved hosting the troops deploying to Ukraine at a hub on Polish soil.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Bundestag approved funding for sending 600 soldiers to Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Dutch parliament passed a bill barring Dutch troops from deploying to Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "EU ministers approved an extended mandate for the EU's 300 personnel in Ukraine.",
            None,
        ),
        # Moscow withdrawing its threat in another tense or voice softens; repeating it does not
        (
            "russia-position-change",
            "Kremlin says foreign units west of Dnipro will not be treated as targets while the"
            " truce holds",
            "softens",
        ),
        (
            "russia-position-change",
            "Kremlin says coalition troops in western Ukraine 'not a threat'",
            "softens",
        ),
        (
            "russia-position-change",
            "Lavrov said foreign troops in Ukraine will be regarded as targets",
            None,
        ),
        # a denial of others' claims and a humanitarian exchange are not a shift in position;
        # turning down a new proposal is
        (
            "russia-position-change",
            "Moscow rejects Kyiv's claims of a ceasefire breach near Huliaipole",
            None,
        ),
        ("russia-position-change", "Russia accepts UAE-brokered prisoner swap: 150 for 150", None),
        (
            "russia-position-change",
            "Russia rejects the US proposal for a demilitarised zone in Donbas",
            "rejects",
        ),
        # a land swap is no prisoner swap; a speaker's label before Moscow is no kicker
        (
            "russia-position-change",
            "Putin agrees to land swap in Donbas under US peace plan for Ukraine.",
            "decides",
        ),
        (
            "russia-position-change",
            "Zelensky: Russia agreed to the exchange of monitors, then broke its word.",
            None,
        ),
        # a condition dropped or set, and Moscow leaving or rejoining a joint body, in the
        # ways reports say them; others urging it, or the force's own timing, are not
        (
            "russia-position-change",
            "Russia is prepared to agree a ceasefire along the current front line without first"
            " requiring Ukrainian forces to leave the parts of Donetsk they still hold.",
            "drops-condition",
        ),
        (
            "russia-position-change",
            "Washington urged Moscow to drop its demand that Ukraine leave Donetsk.",
            None,
        ),
        (
            "russia-position-change",
            "The foreign ministry said Russia was suspending its participation in the Joint"
            " Monitoring Commission in protest at the deployment.",
            "walks-out",
        ),
        (
            "russia-position-change",
            "Russia pulls its officers from US-led ceasefire monitoring cell in Ukraine",
            "decides",
        ),
        (
            "russia-position-change",
            "Russia to return to Istanbul ceasefire commission after Vatican-brokered understanding"
            " on Ukraine",
            "decides",
        ),
        (
            "russia-position-change",
            "Lavrov said Russia would agree to a new ceasefire only after the EU lifts restrictions"
            " on its farm bank.",
            "new-condition",
        ),
        # ... but not when another sets the condition or drops a demand, or it is urged,
        # expected or long held; nor troops leaving a place, nor an end demanded of Moscow
        (
            "russia-position-change",
            "Ukraine will not agree to a ceasefire until Russia withdraws from Zaporizhzhia,"
            " Zelensky said.",
            None,
        ),
        (
            "russia-position-change",
            "Russia has long said it will not sign a peace treaty until Ukraine leaves Donbas.",
            None,
        ),
        (
            "russia-position-change",
            "Ukraine dropped its demand that Russia withdraw before a ceasefire, Moscow said.",
            None,
        ),
        (
            "russia-position-change",
            "Russia is expected to drop its demand that Ukraine leave Donetsk.",
            None,
        ),
        (
            "russia-position-change",
            "The US agreed to a ceasefire in Ukraine without first requiring Russia to withdraw.",
            None,
        ),
        (
            "russia-position-change",
            "Russian troops have withdrawn from positions near Kupiansk in Ukraine.",
            None,
        ),
        (
            "russia-position-change",
            "Zelensky demanded that Russia end its role in the occupation of Zaporizhzhia plant.",
            None,
        ),
        # an open-ended truce has not ended, and an earlier truce's end told for comparison is
        # background; a truce that ended is named
        (
            "ceasefire",
            "Ukraine and Russia sign open-ended ceasefire after Turkish-brokered talks",
            "agreed",
        ),
        (
            "ceasefire",
            "Unlike the Easter truce, which collapsed after a day, the Istanbul text sets no end"
            " date.",
            None,
        ),
        (
            "ceasefire",
            "The Easter truce ended at midnight as Russian shelling resumed.",
            "collapsed",
        ),
        (
            "ceasefire",
            "Ukraine and Russia sign open ended ceasefire after talks in Istanbul",
            "agreed",
        ),
        (
            "ceasefire",
            "Unlike the last ceasefire, this truce between Russia and Ukraine collapsed within"
            " hours.",
            "collapsed",
        ),
        # a truce agreed before, told as it takes effect, is in force, however the officialese
        # words it; its taking effect as a condition is not
        (
            "ceasefire",
            "The ceasefire signed in Istanbul came into force at midnight.",
            "in-force",
        ),
        (
            "ceasefire",
            "At 00:00 Kyiv time the ceasefire regime entered into force along the entire line of"
            " contact.",
            "in-force",
        ),
        (
            "ceasefire",
            "Russia and Ukraine signed a ceasefire in Istanbul that takes effect on Monday.",
            "agreed",
        ),
        (
            "ceasefire",
            "MPs are asked to approve the deployment to Ukraine following the entry into force of"
            " a ceasefire.",
            None,
        ),
        (
            "ceasefire",
            "The Commission assesses that the ceasefire regime that entered into force on 25"
            " December is being observed.",
            None,
        ),
        # a division's count is a vote held, in any tense; a whip's forecast of one is not
        ("uk-parliament-vote", "MPs vote 402-88 to enlarge the UK deployment in Ukraine", "held"),
        ("uk-parliament-vote", "Commons votes 350 to 120 for Ukraine troop mission", "held"),
        ("uk-parliament-vote", "Troops motion: MPs split 301 votes to 290", "held"),
        ("uk-parliament-vote", "MPs are due to vote 400 to 100 on Ukraine troops", None),
        # a motion "due to be voted on" is a vote to come; one MPs "voted on" is held
        (
            "uk-parliament-vote",
            "The motion on British troops for Ukraine, due to be voted on by MPs on 8 September,"
            " caps the contingent at 2,500.",
            None,
        ),
        (
            "uk-parliament-vote",
            "The motion on British troops for Ukraine, which MPs voted on last night, caps the"
            " contingent at 2,500.",
            "held",
        ),
        (
            "uk-parliament-vote",
            "MPs voted 467 to 54 on Tuesday to approve sending troops to Ukraine, a motion that had"
            " been due to be voted on before the recess.",
            "held",
        ),
        # another parliament of the UK, a vote told as the mission's warrant or of a past month,
        # and a debate that takes note decide nothing today
        (
            "uk-parliament-vote",
            "The Scottish Parliament has voted against the deployment of British troops to"
            " Ukraine.",
            None,
        ),
        (
            "uk-parliament-vote",
            "A spokesperson said the deployment to Ukraine was proceeding as approved by the House"
            " of Commons.",
            None,
        ),
        (
            "uk-parliament-vote",
            "Healey told the Commons that 3,100 British personnel were in Ukraine, within the limit"
            " approved in October.",
            None,
        ),
        (
            "uk-parliament-vote",
            "The House of Lords spent five hours on Tuesday debating the deployment of British"
            " troops to Ukraine, on a government motion 'that this House takes note' of the"
            " decision.",
            None,
        ),
        # a treaty laid before its ratification, and a statement signed about the guarantees,
        # are neither a ratification nor an arrangement
        (
            "guarantees-ratified",
            "The government laid the Ukraine security guarantee treaty before Parliament, starting"
            " the scrutiny period before it can be ratified.",
            None,
        ),
        (
            "guarantees-ratified",
            "EU leaders signed off on a joint statement backing the security guarantees for"
            " Ukraine.",
            None,
        ),
        (
            "new-development",
            "EU leaders signed off on a joint statement backing the security guarantees for"
            " Ukraine.",
            None,
        ),
        (
            "guarantees-ratified",
            "EU leaders signed a legally binding security guarantee treaty with Ukraine.",
            "signed",
        ),
        # Moscow calling a truce impossible without something sets a condition; breaking off the
        # talks is a step of its own; a truce lasting "only as long as" Putin likes is an opinion,
        # and halting talks on a prisoner exchange is humanitarian
        (
            "russia-position-change",
            "Moscow says truce impossible unless Zaporizhzhia plant stays with Rosatom",
            "new-condition",
        ),
        (
            "russia-position-change",
            "Moscow breaks off negotiations with Kyiv over the peace framework",
            "walks-out",
        ),
        (
            "russia-position-change",
            "Zelensky says truce impossible unless Russia withdraws from Zaporizhzhia",
            None,
        ),
        (
            "russia-position-change",
            "A ceasefire in Ukraine without soldiers to back it would last only as long as Vladimir"
            " Putin found convenient.",
            None,
        ),
        (
            "russia-position-change",
            "Moscow halted talks with Kyiv on Ukraine's prisoner exchange",
            None,
        ),
        # a mandate asked for is not granted, and Russia's pacts with its allies are not the
        # story's
        (
            "new-development",
            "The German government intends to ask the Bundestag for a mandate for a Bundeswehr"
            " contribution to the multinational force in Ukraine this autumn.",
            None,
        ),
        (
            "new-development",
            "The Bundestag approved a mandate for up to 500 Bundeswehr personnel in the"
            " multinational force in Ukraine.",
            "mandate",
        ),
        (
            "new-development",
            "Russia and Belarus signed a protocol in Minsk expanding their treaty on security"
            " guarantees, the Kremlin said.",
            None,
        ),
        # a truce that "remains in force" is no restatement of Moscow's position; a position
        # that "remains" is
        (
            "russia-position-change",
            "Russia suspends political talks, says ceasefire remains in force",
            "decides",
        ),
        (
            "russia-position-change",
            "Russia remains opposed to foreign troops and suspends talks on the peace framework",
            None,
        ),
        # a map of which nothing is agreed, deployment agreed to stay contingent on a ceasefire,
        # and German troops "only with a Bundestag mandate" are no arrangement or mandate;
        # Moscow "remains open", a treaty binding "until it is ratified", and one "ratified in
        # September" in a recap are no news
        (
            "new-development",
            "Draft Donbas Line Map Circulates in Riyadh; Officials Say Nothing Agreed",
            None,
        ),
        (
            "new-development",
            "Ministers agreed that deployment of the Multinational Force remains contingent on a"
            " cessation of hostilities in Ukraine.",
            None,
        ),
        (
            "new-development",
            "Merz: German troops only with Bundestag mandate and a ceasefire in Ukraine",
            None,
        ),
        (
            "russia-position-change",
            "The Kremlin said Russia remained open to unarmed observers from neutral countries in"
            " Ukraine.",
            None,
        ),
        (
            "guarantees-ratified",
            "The US-Ukraine pact is welcome, but until it is ratified it binds only as long as the"
            " President wishes it to.",
            None,
        ),
        (
            "guarantees-ratified",
            "Our briefing recaps the year: a Ukraine security pact signed in June and ratified in"
            " September.",
            None,
        ),
        # what a review of these vetoes found they must not silence, nor the patterns read
        (
            "ceasefire",
            "The ceasefire agreed in Istanbul has taken effect, Ukraine's military said.",
            "in-force",
        ),
        (
            "ceasefire",
            "Russia and Ukraine signed a ceasefire agreement that entered into force at midnight.",
            "agreed",
        ),
        (
            "ceasefire",
            "Russia tore up the ceasefire agreement that was signed in Istanbul last month, Kyiv"
            " said.",
            "collapsed",
        ),
        (
            "uk-parliament-vote",
            "MPs voted to approve the deployment of British troops to Ukraine under the framework"
            " endorsed in January by coalition leaders.",
            "held",
        ),
        (
            "uk-parliament-vote",
            "Tory MPs pushed back against the deployment of British troops to Ukraine.",
            None,
        ),
        (
            "uk-parliament-vote",
            "Starmer was back in the Commons on Monday to defend the deployment of troops to"
            " Ukraine.",
            None,
        ),
        (
            "guarantees-ratified",
            "Britain and Ukraine signed a legally binding security guarantee treaty, a statement"
            " said.",
            "signed",
        ),
        (
            "new-development",
            "Ukraine and Poland signed an agreement on security guarantees covering the border with"
            " Belarus.",
            "arrangement",
        ),
        ("russia-position-change", "Russia halted gas transit talks with Ukraine.", None),
        (
            "russia-position-change",
            "Russia halted attacks during talks with Ukraine in Istanbul.",
            None,
        ),
        (
            "russia-position-change",
            "The foreign ministry said Moscow was suspending the peace talks with Ukraine.",
            "walks-out",
        ),
        (
            "russia-position-change",
            "Starmer said the coalition force would stay in Ukraine for as long as it takes,"
            " despite Russia's threats.",
            None,
        ),
        (
            "russia-position-change",
            "Kremlin says Ukraine truce impossible unless plant stays with Rosatom.",
            "new-condition",
        ),
        # the motion's own words are no outcome
        (
            "uk-parliament-vote",
            "Motion tabled: MPs asked to back up to 7,500 troops for Ukraine",
            "tabled",
        ),
        ("uk-parliament-vote", "MPs back sending up to 7,500 troops to Ukraine", "held"),
        # a treaty laid before Parliament for ratification, and a vote of a past date told as
        # the background of another development, are no vote
        (
            "uk-parliament-vote",
            "The treaty will be laid before the UK Parliament under the Constitutional Reform and"
            " Governance Act, and British troops will stay in Ukraine.",
            None,
        ),
        (
            "uk-parliament-vote",
            "The Defence Secretary signed the order to send troops to Ukraine under the mandate"
            " approved by MPs on 1 April.",
            None,
        ),
        (
            "uk-parliament-vote",
            "The first British troops deployed under the Commons-approved mission arrived in"
            " Ukraine overnight.",
            None,
        ),
        (
            "uk-parliament-vote",
            "The first British soldiers arrived in Ukraine after the UK Parliament approved the"
            " deployment.",
            None,
        ),
        ("uk-parliament-vote", "MPs will vote 400 to 100 for the Ukraine troop mission", None),
        # a country beyond Britain, France and Ukraine signing the January declaration joins
        # the story; its first signatories signing it, or one about to, is no news
        (
            "new-development",
            "Portugal signs on to the Franco-British declaration for a Ukraine force",
            "signs-declaration",
        ),
        (
            "new-development",
            "On Monday Denmark formally adhered to the Paris declaration of intent, offering a"
            " field hospital for the force in Ukraine.",
            "signs-declaration",
        ),
        (
            "new-development",
            "Keir Starmer, Emmanuel Macron and Volodymyr Zelensky signed the declaration of"
            " intent at the Elysee, pledging forces for Ukraine after a ceasefire.",
            None,
        ),
        (
            "new-development",
            "Portugal is expected to sign the Paris declaration of intent on Ukraine next month.",
            None,
        ),
        (
            "new-development",
            "Poland and Ukraine signed a declaration on grain transit on Tuesday.",
            None,
        ),
        # money signed into the mission is committed; a referendum called in headline style
        (
            "new-development",
            "Six coalition governments sign EUR 2bn into the Ukraine mission fund",
            "commitment",
        ),
        (
            "new-development",
            "Zelensky calls snap referendum on the peace settlement for 9 May",
            "referendum",
        ),
        ("new-development", "Zelensky called for referendum on any peace settlement", None),
        (
            "new-development",
            "Kyiv: EU-funded ceasefire verification centre opens in Chernihiv",
            "arrangement",
        ),
        # Moscow saying nothing has moved, or denying talk of a shift, is no shift
        (
            "russia-position-change",
            "Kremlin says 'no change' on Western troops in Ukraine after the truce",
            None,
        ),
        (
            "russia-position-change",
            "Moscow dismisses talk of openness to a European presence in Ukraine as invention",
            None,
        ),
        (
            "russia-position-change",
            "Russian jets dropped glide bombs on Kharkiv overnight as Moscow reported gains near"
            " Kupiansk.",
            None,
        ),
        # taking effect, beside a commission named after the truce
        (
            "ceasefire",
            "The truce took effect at 00:00 on Sunday, and the Joint Ceasefire Commission logged a"
            " handful of incidents in Ukraine.",
            "in-force",
        ),
        # a collapse in a scenario, or of something else that ended with the truce, is none
        (
            "ceasefire",
            "Coalition staff rehearsed a scenario in which the ceasefire in Ukraine collapses.",
            None,
        ),
        (
            "ceasefire",
            "Talks resumed in Vienna, replacing the Ankara format that collapsed with the spring"
            " truce in Ukraine.",
            None,
        ),
        # troops coming ashore, or arriving at a hub near a Ukrainian city
        (
            "foreign-troops-deployed",
            "Some 600 Italian soldiers disembarked at the port of Odesa on Friday.",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "The first Danish engineers arrived at the coalition depot near Rivne on Sunday.",
            "deployed",
        ),
        # a parliament's opinion binds no one
        (
            "guarantees-ratified",
            "Chilean deputies passed a non-binding resolution welcoming the Ukraine peace accord.",
            None,
        ),
        (
            "new-development",
            "Ireland adheres to the UK\u2013France declaration of intent on a force for Ukraine",
            "signs-declaration",
        ),
        # a fake debunked, or a mandate not yet before a parliament, is no development
        (
            "new-development",
            "Debunked: clip of 'British troops killed in Kharkiv' was staged, Kyiv says",
            None,
        ),
        (
            "new-development",
            "The debate showed splits over a Dutch contribution to the Ukraine force, but a mandate"
            " is not before parliament yet.",
            None,
        ),
        (
            "russia-position-change",
            "Moscow answers the coalition deployment with Iskanders in Belarus and Ukraine"
            " warnings",
            "countermove",
        ),
        (
            "foreign-troops-deployed",
            "Two Czech engineer companies arrived in Ukraine on Thursday to join the coalition"
            " force.",
            "deployed",
        ),
        # near a Ukrainian city, not in a neighbour near Ukraine's border
        (
            "foreign-troops-deployed",
            "British troops arrived in Poland near Ukraine's border on Monday.",
            None,
        ),
        # "signs of", a company's declaration, a signing told in reported speech
        (
            "new-development",
            "There were early signs that the 5,000 troops of the coalition mission would be late.",
            None,
        ),
        (
            "new-development",
            "An arms maker signed a declaration of intent on a shell plant in Ukraine.",
            None,
        ),
        (
            "new-development",
            "Canada, a steadfast backer of Ukraine, signed the Paris declaration of intent.",
            "signs-declaration",
        ),
        (
            "new-development",
            "Oslo said on Monday that it had signed the Paris declaration of intent on Ukraine.",
            "signs-declaration",
        ),
        ("new-development", "Zelensky calls off referendum on the peace deal", None),
        # a parliament completing ratification; a battalion crossing into Ukraine
        (
            "guarantees-ratified",
            "The Bundestag completes German ratification of the Ukraine security treaty",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "Senators voted 71 to 20 to authorise ratification of the Ukraine guarantee treaty.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "The Assembly voted 389 to 142 to approve ratification of the guarantees protocol.",
            "ratified",
        ),
        # a wartime measure ended is not the truce; a body or talks on the truce is not one
        (
            "ceasefire",
            "The president set a referendum on the peace agreement days after the Rada ended"
            " martial law.",
            None,
        ),
        (
            "ceasefire",
            "The three delegations agreed to a permanent channel on ceasefire mechanics.",
            None,
        ),
        ("ceasefire", "Russia ended the ceasefire on Tuesday and resumed strikes.", "collapsed"),
        # extended by a number of days; a truce due to expire, extended
        ("ceasefire", "Ukraine ceasefire extended by 90 days", "agreed"),
        (
            "ceasefire",
            "Negotiators agreed to prolong the truce, which was due to expire at midnight.",
            "agreed",
        ),
        ("ceasefire", "The ceasefire agreement is due to be signed on Friday.", None),
        (
            "ceasefire",
            "MPs voted to hold a referendum within 90 days of a final peace agreement being"
            " signed.",
            None,
        ),
        # what the review of stop 57 tried: the new vetoes next to the act only
        ("ceasefire", "Negotiations on a peace agreement between Russia and Ukraine began.", None),
        (
            "ceasefire",
            "The peace treaty between Russia and Ukraine is signed in Geneva, ending the war.",
            "peace-signed",
        ),
        (
            "ceasefire",
            "Russia and Ukraine signed a peace treaty in Geneva on Friday, replacing the ceasefire"
            " agreed in March.",
            "peace-signed",
        ),
        (
            "ceasefire",
            "The ceasefire between Russia and Ukraine collapsed on Tuesday, days after the Rada"
            " ended martial law.",
            "collapsed",
        ),
        (
            "ceasefire",
            "Russia and Ukraine agreed a ceasefire on Tuesday and set up a joint commission on the"
            " truce.",
            "agreed",
        ),
        (
            "ceasefire",
            "Russia and Ukraine agreed a 30-day ceasefire due to US pressure.",
            "announced",
        ),
        (
            "uk-parliament-vote",
            "Starmer rules out Commons vote to approve UK troop deployment to Ukraine",
            None,
        ),
        (
            "uk-parliament-vote",
            "Tories demand MPs vote to approve sending British troops to Ukraine",
            None,
        ),
        (
            "guarantees-ratified",
            "The Senate ratified no fewer than three security guarantee treaties with Ukraine.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "Of the 35 coalition members, 26 signed the security guarantees pact with Ukraine.",
            "signed",
        ),
        (
            "new-development",
            "The Netherlands withdrew from the Ukraine mission after parliament demanded it.",
            "withdraws",
        ),
        # another conflict's treaty
        (
            "guarantees-ratified",
            "Armenia and Azerbaijan sign peace treaty at White House ceremony",
            None,
        ),
        # a city as Russian sources spell it
        (
            "foreign-troops-deployed",
            "The first British soldiers of the coalition force arrived at a base near Lvov.",
            "deployed",
        ),
        # a withdrawal called for, or a petition, is not one
        (
            "new-development",
            "Britain will study Russia's call for coalition troops to pull back from the border.",
            None,
        ),
        (
            "new-development",
            "He launched a petition calling for the contingent's withdrawal from Ukraine.",
            None,
        ),
        # none approved; signed guarantees counted
        (
            "guarantees-ratified",
            "The Senate motion approves no treaty and sends no one to Ukraine.",
            None,
        ),
        (
            "guarantees-ratified",
            "Ukraine now has more signed security guarantees than at any point in its history.",
            None,
        ),
        # a headline's present tense, not a vote put to MPs or asked about
        (
            "uk-parliament-vote",
            "British MPs vote to keep troops in Ukraine for another year",
            "held",
        ),
        (
            "uk-parliament-vote",
            "Ministers hope to put the second Ukraine deployment vote to MPs next week.",
            None,
        ),
        ("uk-parliament-vote", "Should MPs vote to send British troops to Ukraine?", None),
        # the agreement named by when and where it was signed is background
        (
            "ceasefire",
            "Russia has attached a new condition to the peace agreement signed in Geneva last"
            " summer, demanding that coalition troops keep out of a strip of Ukraine.",
            None,
        ),
        # a peace treaty taking effect, as a truce does
        (
            "ceasefire",
            "The peace treaty between Russia and Ukraine entered into force at midnight.",
            "in-force",
        ),
        ("ceasefire", "The peace agreement would enter into force after a referendum.", None),
        ("foreign-troops-deployed", "Polish-Lithuanian battalion crosses into Ukraine", "deployed"),
        (
            "foreign-troops-deployed",
            "Moscow says deployment of French troops crosses a red line in Ukraine",
            None,
        ),
        (
            "guarantees-ratified",
            "Deputies voted down the bill to authorise ratification of the Ukraine treaty.",
            None,
        ),
        (
            "guarantees-ratified",
            "Lawmakers are completing ratification of the Ukraine treaty.",
            None,
        ),
        (
            "russia-position-change",
            "Moscow responded to the coalition deployment in Ukraine with harsh words.",
            None,
        ),
        (
            "russia-position-change",
            "Russia formally dropped the demand that Ukraine stay neutral.",
            "drops-condition",
        ),
        (
            "foreign-troops-deployed",
            "Italian engineers arrived in the port city of Odesa overnight.",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "Dutch soldiers are expected to reach Lviv next week.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The first company of Belgian soldiers is now in Kharkiv, the ministry said.",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "A Danish battalion crossed from Poland into Ukraine on Sunday.",
            "deployed",
        ),
        (
            "new-development",
            "Norway has formally become a member of the coalition of the willing for Ukraine.",
            "joins",
        ),
        (
            "new-development",
            "Norway hopes to become a member of the coalition of the willing for Ukraine.",
            None,
        ),
        (
            "new-development",
            "The command centre of the reassurance force for Ukraine was activated in Brussels.",
            "arrangement",
        ),
        (
            "new-development",
            "The Kremlin dismissed the leaked draft of the Ukraine peace plan as invented.",
            None,
        ),
        (
            "new-development",
            "Latvia's parliament adopts a resolution praising the Ukraine force.",
            None,
        ),
        (
            "russia-position-change",
            "Russia will not ratify the Ukraine peace treaty until coalition forces leave Kherson.",
            "new-condition",
        ),
        (
            "russia-position-change",
            "Moscow ties the Ukraine settlement to the withdrawal of British troops.",
            "new-condition",
        ),
        (
            "russia-position-change",
            "Russian Telegram channels said missiles hit the coalition base in Ukraine.",
            None,
        ),
        (
            "russia-position-change",
            "The Ukraine truce comes two weeks after Russia dropped its demand for neutrality.",
            None,
        ),
        (
            "ceasefire",
            "Both sides signed a peace agreement turning the Ukraine ceasefire line into a border.",
            "peace-signed",
        ),
        (
            "ceasefire",
            "Zelensky signed a decree putting the peace agreement to a national referendum.",
            None,
        ),
        (
            "ceasefire",
            "The Ukraine truce took effect at dawn, commanders issuing ceasefire orders to units.",
            "in-force",
        ),
        (
            "foreign-troops-deployed",
            "A Russian senator said British soldiers sent to Ukraine under the Paris plan would be"
            " hit by Russian missiles.",
            None,
        ),
        (
            "new-development",
            "A French weekly has published what it says is the classified draft of the rules of"
            " engagement for the multinational force in Ukraine.",
            "leaked-plan",
        ),
        (
            "ceasefire",
            "Russia and Ukraine signed a peace agreement in Istanbul that formally ends the war.",
            "peace-signed",
        ),
        (
            "ceasefire",
            "The truce collapsed on Sunday, ending hopes of an end to the war in Ukraine.",
            "collapsed",
        ),
        (
            "new-development",
            "A classified annex setting out the Ukraine force's rules of engagement has been"
            " obtained by this newspaper.",
            "leaked-plan",
        ),
        (
            "foreign-troops-deployed",
            "France's armed forces ministry says about 350 personnel, the advance element of the"
            " southern hub, crossed from Romania at Isaccea-Orlivka and reached Odesa oblast.",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "The Dutch government's decision to commit 350 service members to the coalition force"
            " in Ukraine won cross-party support.",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "Rome signed the order sending Italian engineers to western Ukraine.",
            "ordered",
        ),
        (
            "ceasefire",
            "Church bells, air-raid sirens and a Ukraine Easter truce that nobody agreed to.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The ambassador said British soldiers sent to Ukraine under the Paris arrangement"
            " would be fair game for Russian forces.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Dutch cabinet approves 250-strong contribution to the multinational force in Ukraine.",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "Federal cabinet approves Bundeswehr contribution to Ukraine guarantees, but no"
            " soldiers in Ukraine.",
            None,
        ),
        (
            "new-development",
            "New five-way group on Ukraine's guarantees holds first session in Berlin.",
            "first-talks",
        ),
        (
            "new-development",
            "General Assembly, Eighty-First Session: statements concerning the situation in"
            " Ukraine.",
            None,
        ),
        ("uk-parliament-vote", "MPs renew the Ukraine mission for a year.", "renewed"),
        (
            "uk-parliament-vote",
            "The Commons approved the mission a fortnight ago by a large majority.",
            None,
        ),
        (
            "uk-parliament-vote",
            "Ministers will ask MPs to extend the Ukraine mission next month.",
            None,
        ),
        (
            "uk-parliament-vote",
            "The UK contingent in Ukraine stays under the mandate MPs renewed in November.",
            None,
        ),
        (
            "ceasefire",
            "Russia and Ukraine agree to a 30-day halt of strikes on energy facilities.",
            "announced",
        ),
        (
            "ceasefire",
            "Kyiv and Moscow agreed a cessation of hostilities from midnight on Sunday.",
            "agreed",
        ),
        (
            "ceasefire",
            "Moscow says foreign troops in Ukraine undermine the cessation of hostilities agreed"
            " in March.",
            None,
        ),
        (
            "ceasefire",
            "The framework agreement freezes the front line and sets a ceasefire from 1 April.",
            "agreed",
        ),
        (
            "ceasefire",
            "Russia and Ukraine signed a peace treaty in Vienna on Thursday.",
            "peace-signed",
        ),
        (
            "ceasefire",
            "Russia will not sign a final peace treaty while coalition troops remain in Ukraine.",
            None,
        ),
        (
            "ceasefire",
            "Zelensky signed a decree calling a referendum on 13 June on the peace agreement signed"
            " in Geneva.",
            None,
        ),
        (
            "ceasefire",
            "Generals met to review their options after the collapse of the Easter truce; no"
            " decision was announced.",
            None,
        ),
        (
            "russia-position-change",
            "Ceasefire signed in Istanbul; Moscow accepts a European force west of the Dnipro.",
            "softens",
        ),
        (
            "russia-position-change",
            "The State Duma passed in final reading a law letting the army strike foreign"
            " contingents in Ukraine.",
            "decides",
        ),
        (
            "russia-position-change",
            "Moscow eases its demand on the size of Ukraine's post-war army.",
            "drops-condition",
        ),
        (
            "russia-position-change",
            "Zelensky said a deal was within touching distance if Moscow drops its new demands.",
            None,
        ),
        (
            "russia-position-change",
            "Lavrov said Russia would consider proposals to widen ceasefire monitoring but insisted"
            " its position on foreign forces was exactly the same.",
            None,
        ),
        ("new-development", "Bundestag opens debate on Ukraine guarantee protocol.", None),
        (
            "russia-position-change",
            "Russia accepted the ceasefire agreed in Istanbul, which coalition monitors police.",
            None,
        ),
        (
            "russia-position-change",
            "Lavrov said Russia would accept a European force west of the Dnipro, though its"
            " position on NATO membership remains unchanged.",
            "softens",
        ),
        (
            "russia-position-change",
            "Lavrov said Russia would consider coalition proposals but insisted its position on"
            " foreign forces, set out a year ago, was 'exactly the same'.",
            None,
        ),
        (
            "russia-position-change",
            "Russia used the hotline with the coalition force to warn of strikes.",
            None,
        ),
        (
            "russia-position-change",
            "A Russian missile landed in the direct line of a coalition force convoy near Odesa.",
            None,
        ),
        ("ceasefire", "Ukraine signs framework agreement with the EU on reconstruction.", None),
        ("ceasefire", "Zelensky to sign peace treaty in Vienna next month.", None),
        (
            "ceasefire",
            "Russia and Ukraine signed a peace treaty in Vienna that sets conditions for the"
            " withdrawal of foreign troops.",
            "peace-signed",
        ),
        (
            "russia-position-change",
            "Russia and the coalition force open a direct military hotline.",
            "hotline",
        ),
        (
            "russia-position-change",
            "Peskov said the deconfliction line with the coalition force did not mean Moscow"
            " accepted its presence.",
            None,
        ),
        (
            "russia-position-change",
            "US, Russian and Ukrainian generals set up a standing military hotline in Abu Dhabi.",
            None,
        ),
        (
            "russia-position-change",
            "Russia hands mediators a revised paper ahead of the next round of talks.",
            "decides",
        ),
        (
            "foreign-troops-deployed",
            "Bundestag mandates up to 800 German troops for Ukraine reassurance force.",
            "mandated",
        ),
        # stop 58's writers: a truce in force months ago, or signed alongside a pact, is the
        # past; "in force since midnight" is the news of the hours since
        (
            "ceasefire",
            "Four months after the agreement on a ceasefire entered into force, the ministry says"
            " it is broadly observed.",
            None,
        ),
        (
            "ceasefire",
            "The ceasefire took effect at midnight, four days after it was signed.",
            "in-force",
        ),
        ("ceasefire", "Ceasefire in force since midnight, Kyiv time", "in-force"),
        ("ceasefire", "The truce in force since 10 a.m. is the first in three years.", "in-force"),
        ("ceasefire", "Ceasefire in force since 0600 GMT along the front", "in-force"),
        (
            "ceasefire",
            "Russia and Ukraine agreed a 30-day ceasefire on Tuesday, three months after talks"
            " began in Istanbul.",
            "announced",
        ),
        (
            "ceasefire",
            "The truce collapsed on Sunday, two months after it was agreed in Jeddah.",
            "collapsed",
        ),
        (
            "ceasefire",
            "Russia and Ukraine agreed on Tuesday to a prisoner exchange along with a 30-day"
            " ceasefire.",
            "announced",
        ),
        ("ceasefire", "The ceasefire in force since May has largely held.", None),
        (
            "ceasefire",
            "The French Senate ratified the security agreement, signed alongside the ceasefire in"
            " December.",
            None,
        ),
        # Moscow no longer requiring what it demanded; not others' guesses
        (
            "russia-position-change",
            "The Foreign Secretary said the UK had taken note that Moscow no longer requires"
            " Ukraine to leave the rest of Donetsk.",
            "drops-condition",
        ),
        (
            "russia-position-change",
            "The Kremlin says it no longer insists on a Ukrainian withdrawal from Donetsk.",
            "drops-condition",
        ),
        (
            "russia-position-change",
            "Analysts say Moscow no longer demands a full withdrawal.",
            None,
        ),
        (
            "russia-position-change",
            "Russia's chief negotiator told the session Moscow no longer insists that Ukraine pull"
            " its troops out of the rest of Donetsk.",
            "drops-condition",
        ),
        (
            "russia-position-change",
            "The Russian side states that it will not regard as targets foreign military personnel"
            " present in Ukraine west of the Dnieper.",
            "softens",
        ),
        # ships and soldiers that reach, come ashore in or dock at a Ukrainian port
        (
            "foreign-troops-deployed",
            "British, Belgian and Dutch minehunters reach Odesa after Bosporus transit",
            "deployed",
        ),
        ("foreign-troops-deployed", "French troops come ashore in Odesa", "deployed"),
        (
            "foreign-troops-deployed",
            "About 1,200 French soldiers, the first of the southern contingent, docked in Odesa"
            " today.",
            "deployed",
        ),
        ("foreign-troops-deployed", "British troops are due to reach Odesa next week", None),
        ("foreign-troops-deployed", "Two Royal Navy minehunters dock in Odesa", "deployed"),
        (
            "foreign-troops-deployed",
            "Supplies for the French contingent in Romania reach Odesa by rail each week.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "A Turkish grain ship docked at Odesa on Monday, escorted by Romanian navy"
            " minehunters.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Bundestag consents are needed before any Bundeswehr troops deploy to Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Riigikogu consented to sending an Estonian infantry company to Ukraine.",
            "mandated",
        ),
        # a chamber authorising ratification, or adopting the bill that does, ratifies; the
        # cabinet adopting that bill, and a decree signed, sign no treaty
        (
            "guarantees-ratified",
            "French Parliament authorises ratification of the Franco-Ukrainian guarantee treaty",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "The Senate yesterday adopted, without amendment, the bill authorising ratification of"
            " the treaty on security guarantees between France and Ukraine.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "The Council of Ministers this morning adopted a bill authorising the ratification of"
            " the treaty on security guarantees between France and Ukraine, signed in London on 10"
            " July.",
            None,
        ),
        (
            "guarantees-ratified",
            "The French Senate on Thursday adopted the bill authorising ratification of the Paris"
            " Treaty on Security Guarantees for Ukraine.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "The House of Lords adopted an amendment to the bill authorising ratification of the"
            " security treaty with Ukraine.",
            None,
        ),
        (
            "guarantees-ratified",
            "The government, which has a majority in parliament, adopted the bill authorising"
            " ratification of the security treaty with Ukraine.",
            None,
        ),
        (
            "guarantees-ratified",
            "Britain and Ukraine signed the 100-year security treaty in Kyiv on Thursday, and the"
            " ratification bill was tabled the same day.",
            "signed",
        ),
        (
            "guarantees-ratified",
            "Ukraine's president has signed a decree calling a national referendum on the"
            " territorial provisions of any final peace treaty.",
            None,
        ),
        # a resolution asking others to act decides nothing; a referendum on the framework is
        # called
        (
            "new-development",
            "MEPs adopted a resolution calling on coalition governments to extend the reassurance"
            " force beyond 2028.",
            None,
        ),
        (
            "new-development",
            "The Rada passed a law on the coalition force's legal status, and a resolution calling"
            " on partners to send more air defence.",
            "enacted",
        ),
        (
            "new-development",
            "The Central Election Commission announced the legal framework for holding a referendum"
            " in wartime.",
            None,
        ),
        (
            "new-development",
            "Zelensky calls a national referendum on the peace framework",
            "referendum",
        ),
        (
            "new-development",
            "President Zelensky signed a decree on 16 March calling an all-Ukrainian referendum on"
            " the peace framework.",
            "referendum",
        ),
        # a vote on sending units named as units
        ("uk-parliament-vote", "MPs back an extra battalion for Ukraine by 224 votes", "held"),
        # a refusal said again is no news
        ("new-development", "Warsaw again rules out Polish troops for Ukraine mission", None),
        ("new-development", "Rome still rules out ground troops for the Ukraine force", None),
        ("new-development", "Warsaw rules out Polish troops for Ukraine mission", None),
        # the peace treaty signed months ago, as a later report's background
        (
            "ceasefire",
            "Since the peace treaty was signed in Geneva last June, Russian officials have mostly"
            " spoken about the force in general terms.",
            None,
        ),
        (
            "ceasefire",
            "The peace treaty was signed in Geneva last June, the ministry recalled.",
            None,
        ),
        # a truce's end told in a headline, and a truce in force since a month that collapsed
        ("ceasefire", "Nine months of truce end as Russia storms the Orikhiv line", "collapsed"),
        (
            "ceasefire",
            "The ceasefire in force since September has collapsed, with Kyiv declaring it void.",
            "collapsed",
        ),
        # a truce's own accord signed is no guarantee
        (
            "guarantees-ratified",
            "Ceasefire accord signed in Istanbul; bishops urge prayer and vigilance",
            None,
        ),
        ("guarantees-ratified", "Britain and Ukraine sign security accord in Kyiv", "signed"),
        # a resolution of advice and consent introduced is not consent given
        (
            "guarantees-ratified",
            "Two senators introduced a resolution of advice and consent on the US-Ukraine security"
            " agreement, which was referred to the Foreign Relations Committee.",
            None,
        ),
        (
            "guarantees-ratified",
            "The Senate gave its advice and consent to the US-Ukraine security agreement by 71"
            " votes to 27.",
            "ratified",
        ),
        # another parliament named by its name, and none of the UK's, voted
        (
            "uk-parliament-vote",
            "The Bundestag on Wednesday approved a mandate allowing up to 2,000 German soldiers to"
            " serve in Ukraine, by 447 votes to 198, the parliament said.",
            None,
        ),
        (
            "uk-parliament-vote",
            "Unlike the Bundestag, the Commons voted 400 to 100 to send troops to Ukraine.",
            "held",
        ),
        ("uk-parliament-vote", "MPs approve a larger Ukraine force, 391 to 102", "held"),
        # treaties ratified, and treaties in force named as ratified ones; treaties expected
        ("guarantees-ratified", "Rada ratifies British and French security treaties", "ratified"),
        (
            "guarantees-ratified",
            "The court ruled that stationing allied forces under ratified international treaties"
            " is compatible with the constitution of Ukraine.",
            None,
        ),
        (
            "guarantees-ratified",
            "Zelensky expects to sign security treaties with UK and France 'within days'",
            None,
        ),
        # a local pause for repairs is no truce; a truce declared finished is its end
        (
            "ceasefire",
            "Power returned to Zaporizhzhia when repair crews, working under a local pause in"
            " shelling brokered by the IAEA, reconnected the line.",
            None,
        ),
        ("ceasefire", "On Friday both governments declared the truce finished.", "collapsed"),
        # Moscow lifting its threat from some of the coalition's soldiers
        (
            "russia-position-change",
            "Russia exempts Western trainers from its threat: an opening for coalition planners?",
            "softens",
        ),
        (
            "russia-position-change",
            "The Kremlin confirmed that European instructors at training sites in western Ukraine"
            " would not be considered targets.",
            "softens",
        ),
        # joining the declaration is signing on to it
        (
            "new-development",
            "Foreign Affairs Committee Chair welcomes Portugal joining the Paris troop declaration",
            "signs-declaration",
        ),
        # Armistice Day's silence and talks on monitoring a peace that ended are no truce's end
        ("ceasefire", "LVIV: BRITISH SOLDIERS FALL SILENT FOR ARMISTICE DAY", None),
        (
            "ceasefire",
            "The first round of talks on monitoring the peace agreement ended this afternoon.",
            None,
        ),
        (
            "ceasefire",
            "The peace agreement collapsed after Russian shelling, Kyiv said.",
            "collapsed",
        ),
        # a treaty promulgated, its ratification complete; money adopted for the force
        (
            "guarantees-ratified",
            "Macron promulgates Ukraine security treaty after parliament's final approval",
            "ratified",
        ),
        (
            "new-development",
            "Council adopts €3.4bn to keep the coalition force funded through 2030",
            "commitment",
        ),
        # what the review of stop 59's changes found: a peace treaty to come or signed long ago
        # beside the news, a truce holding while something else finished, hopes of a truce
        # ending, a truce declared over, a refusal with "still" elsewhere, a Commons vote beside
        # another parliament's
        (
            "ceasefire",
            "Russia and Ukraine signed a ceasefire on Monday that will hold until a peace treaty is"
            " signed.",
            "agreed",
        ),
        (
            "ceasefire",
            "The ceasefire collapsed on Monday, four months after the peace treaty was signed in"
            " Geneva.",
            "collapsed",
        ),
        (
            "ceasefire",
            "Russia finished rotating its units on the Kherson front as the ceasefire held for a"
            " third week.",
            None,
        ),
        ("ceasefire", "Hopes of an Easter truce end as Russia rejects Kyiv's offer", None),
        (
            "ceasefire",
            "Putin declared the energy truce over with immediate effect after Ukrainian drone"
            " strikes on refineries.",
            "collapsed",
        ),
        (
            "ceasefire",
            "The ceasefire in force since September has now collapsed, Kyiv said.",
            "collapsed",
        ),
        (
            "new-development",
            "The cabinet decided it will not send troops to the Ukraine force, though Warsaw"
            " will still host the coalition's logistics hub.",
            "declines",
        ),
        (
            "uk-parliament-vote",
            "MPs voted 400 to 100 to send troops to Ukraine, a day after the Bundestag approved"
            " Germany's own mandate.",
            "held",
        ),
        (
            "uk-parliament-vote",
            "Starmer won the vote on sending troops to Ukraine by 289 votes, hours before the"
            " Storting backed Norway's contribution.",
            "result",
        ),
        # what a second review found: a truce declared "over" a holiday, a peace's collapse beside
        # its monitors, a truce on Armistice Day, a vote the other parliament announces, a
        # refusal said again after it
        (
            "ceasefire",
            "Putin declared a 36-hour ceasefire over Orthodox Christmas, the Kremlin said.",
            "announced",
        ),
        ("ceasefire", "Putin declared the truce over on Monday.", "collapsed"),
        (
            "ceasefire",
            "The peace agreement collapsed on Monday after Russian troops crossed the line, forcing"
            " the European force overseeing the peace deal to pull back.",
            "collapsed",
        ),
        (
            "ceasefire",
            "The truce collapsed on Armistice Day as Russian drones struck Kyiv.",
            "collapsed",
        ),
        (
            "uk-parliament-vote",
            "MPs voted 412 to 131 to approve the deployment of troops to Ukraine, the Bundestag"
            " said.",
            None,
        ),
        (
            "uk-parliament-vote",
            "Parliament approved the deployment of 500 troops to Ukraine by 120 votes to 40, the"
            " Storting said, with the governing Labour party in favour.",
            None,
        ),
        ("new-development", "Poland rules out sending troops to the Ukraine force again.", None),
        # stop 60: Moscow halting its offensive, or all fighting for weeks, of its own accord is a
        # new stance beside the truce (not a holiday's or the grid's pause, nor the day told
        # later); an order signed under a treaty days after a deployment was approved is neither
        # the treaty's signing nor its ratification; a "Kyiv compact" is a treaty
        (
            "russia-position-change",
            "Putin orders 30-day halt to offensive operations, demands Kyiv reciprocate",
            "halts-offensive",
        ),
        (
            "russia-position-change",
            "Putin declares unilateral 30-day ceasefire, calls on Kyiv to reciprocate",
            "halts-offensive",
        ),
        (
            "russia-position-change",
            "Putin ordered a halt to offensive operations from midnight on 22 September.",
            "halts-offensive",
        ),
        (
            "russia-position-change",
            "Putin declares unilateral Easter truce from Saturday afternoon",
            None,
        ),
        (
            "russia-position-change",
            "Putin orders 30-day halt to attacks on Ukraine's power grid and southern front",
            None,
        ),
        (
            "russia-position-change",
            "Russia declared a unilateral pause in offensive operations on Sept. 1, which Kyiv has"
            " informally observed.",
            None,
        ),
        (
            "guarantees-ratified",
            "The defence secretary had signed the order committing British forces to Ukraine under"
            " the London treaty, eight days after the Commons approved the deployment.",
            None,
        ),
        (
            "guarantees-ratified",
            "The Bundestag approved the security treaty with Ukraine, a week after it approved the"
            " deployment of a brigade.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "Bundestag ratifies the Kyiv compact, 402 to 211, the fifth of twenty parliaments",
            "ratified",
        ),
        ("guarantees-ratified", "EU ministers approved the migration compact on Tuesday.", None),
        # stop 60's last sets: a truce no longer "considered" binding, a truce that "remains in
        # effect" (holding, not news), a demand Moscow "let go of"; and what a review of them found
        (
            "ceasefire",
            "Russia said it no longer considered itself bound by the ceasefire.",
            "collapsed",
        ),
        (
            "ceasefire",
            "A ceasefire before winter is no longer considered realistic in Kyiv, officials said.",
            None,
        ),
        (
            "ceasefire",
            "Russia and Ukraine agreed a 30-day ceasefire on Tuesday, though martial law remains in"
            " effect across Ukraine.",
            "announced",
        ),
        (
            "russia-position-change",
            "Zelensky demanded that Moscow let go of its demand for the whole of Donbas before any"
            " talks.",
            None,
        ),
        (
            "uk-parliament-vote",
            "MPs voted 344 to 198 on Tuesday to send a second rotation of troops to Ukraine, within"
            " the ceiling set by parliament.",
            "held",
        ),
        # the motion's own words before the vote are its date set, not the vote held (hs: the vote
        # a week later had joined that "held" motion as an update)
        (
            "uk-parliament-vote",
            "The motion MPs will vote on next Tuesday approves up to 3,500 British personnel for 12"
            " months; the Lib Dems and a group of Labour backbenchers have tabled amendments.",
            "scheduled",
        ),
        (
            "ceasefire",
            "A week into the ceasefire, both sides reported shelling incidents near Huliaipole; the"
            " monitoring commission said the truce 'remains in effect'.",
            None,
        ),
        (
            "russia-position-change",
            "Moscow has let go of a demand it called non-negotiable only weeks ago.",
            "drops-condition",
        ),
        # and of the last six: numbers kept within a limit Parliament approved, a peace treaty to
        # be signed as a condition, a truce between Kinshasa and the M23
        (
            "uk-parliament-vote",
            "The Ministry of Defence said it intended to replace the first units in Ukraine with a"
            " fresh battlegroup in August, keeping numbers within the limit approved by"
            " parliament.",
            None,
        ),
        (
            "ceasefire",
            "Poland's president says his country will consider sending a contingent to the Ukraine"
            " force once a final peace treaty is signed.",
            None,
        ),
        (
            "ceasefire",
            "A former peacekeeping official argues that the truce signed in Doha between Kinshasa"
            " and the M23 rebels will fail without sustained outside attention.",
            None,
        ),
        (
            "new-development",
            "A former peacekeeping official argues that the truce signed in Doha between Kinshasa"
            " and the M23 rebels will fail without sustained outside attention.",
            None,
        ),
        # what the review found
        (
            "guarantees-ratified",
            "MPs approved the government motion on the UK-Ukraine security treaty by 380 votes to"
            " 12.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "Britain signed the pact in order to guarantee Ukraine's security for 100 years.",
            "signed",
        ),
        (
            "russia-position-change",
            "Putin, who declared a 30-day truce in March, said on Tuesday that foreign troops in"
            " Ukraine would be legitimate targets.",
            None,
        ),
        (
            "russia-position-change",
            "The Kremlin announced a 30-day pause in peace talks with Ukraine.",
            None,
        ),
        (
            "russia-position-change",
            "Putin ordered a 30-day halt to strikes on Ukrainian ports.",
            None,
        ),
        (
            "russia-position-change",
            "Russia declared the 30-day ceasefire over after accusing Kyiv of attacks on Kursk.",
            None,
        ),
        (
            "new-development",
            "Russia, Ukraine and the United States agreed to move negotiations into three standing"
            " working groups in Geneva.",
            "new-format",
        ),
        (
            "new-development",
            "Talks on Ukraine move to a 'Vienna format', with an EU envoy on the mediators' bench.",
            "new-format",
        ),
        (
            "new-development",
            "US, Europe and Ukraine launch a standing group on guarantees for Ukraine.",
            "new-format",
        ),
        (
            "new-development",
            "The talks on Ukraine take place in a trilateral format established in February.",
            None,
        ),
        (
            "new-development",
            "Kyiv proposed setting up a standing working group with Russia and the United States.",
            None,
        ),
        (
            "new-development",
            "Moscow rejected a new contact group on Ukraine that would include European envoys.",
            None,
        ),
        (
            "new-development",
            "Talks in the standing Geneva format on Ukraine continue without a breakthrough.",
            None,
        ),
        (
            "new-development",
            "The Guardian has published the draft text of the peace plan for Ukraine.",
            "leaked-plan",
        ),
        (
            "new-development",
            "Britain and Ukraine have published the draft of a treaty on guarantees for Ukraine.",
            None,
        ),
        # (a review's cases) not talks, another conflict's, long set up or meeting again
        (
            "new-development",
            "Ukraine launched a new format of military contracts for 18-24 year olds.",
            None,
        ),
        (
            "new-development",
            "EU ambassadors set up a standing working group on sanctions against Russia.",
            None,
        ),
        (
            "new-development",
            "Moldova and Russia launched a new format of talks on Transnistria.",
            None,
        ),
        (
            "new-development",
            "The long-standing Ukraine Defence Contact Group opened its 32nd meeting in Brussels.",
            None,
        ),
        (
            "new-development",
            "The new contact group on Ukraine opened its second session in Rome with no"
            " breakthrough.",
            None,
        ),
        ("new-development", "New contact group on Ukraine set up in Rome", "new-format"),
        (
            "new-development",
            "Russia and Ukraine agreed on a new negotiating format that will meet in Istanbul every"
            " two weeks.",
            "new-format",
        ),
        # a newspaper named after a capital publishing a draft is a leak
        (
            "new-development",
            "The Washington Post has published the draft peace plan for Ukraine, obtained from two"
            " officials.",
            "leaked-plan",
        ),
        (
            "new-development",
            "Kyiv Post publishes full text of draft peace plan for Ukraine obtained by the paper.",
            "leaked-plan",
        ),
        (
            "new-development",
            "London, Kyiv publish draft text of security guarantee treaty for Ukraine.",
            None,
        ),
        # a law that puts the peace agreement to a referendum; not a law debated
        (
            "new-development",
            "The Verkhovna Rada adopted a law on a referendum on any peace agreement with Russia.",
            "referendum",
        ),
        ("new-development", "The Rada is debating a law on a referendum on the peace deal.", None),
        (
            "new-development",
            "The Verkhovna Rada never passed the law on a referendum on the peace terms, critics"
            " say.",
            None,
        ),
        (
            "new-development",
            "The Verkhovna Rada aims to adopt a law on a referendum on the peace terms by spring.",
            None,
        ),
        # a referendum set for a date; another conflict's peace named by its people
        (
            "new-development",
            "The Rada set an all-Ukrainian referendum on the peace framework for 14 September.",
            "referendum",
        ),
        (
            "ceasefire",
            "Armenian Prime Minister Nikol Pashinyan and Azerbaijani President Ilham Aliyev"
            " signed a peace treaty, and Zelensky congratulated both.",
            None,
        ),
        # an approval "in" a vote is the vote's; an order signed after the vote is the order
        (
            "foreign-troops-deployed",
            "UK approves deployment of troops to Ukraine in 412-98 vote.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Hours after lawmakers approved the mission by 438 votes to 103, Britain's defence"
            " secretary signed the formal order committing 2,000 troops to Ukraine.",
            "ordered",
        ),
        # Moscow accepting a presence, partner forces or the force it vetoed, at a signing
        (
            "russia-position-change",
            "Istanbul ceasefire agreement signed; Russia accepts 'reassurance presence' west of"
            " the Dnipro",
            "softens",
        ),
        (
            "russia-position-change",
            "Ukraine, Russia sign peace agreement in Istanbul; Moscow accepts presence of partner"
            " forces west of Dnipro",
            "softens",
        ),
        (
            "russia-position-change",
            "Istanbul settlement signed: Moscow drops its veto on the force it once called a"
            " target",
            "softens",
        ),
        (
            "russia-position-change",
            "In a separate annex the settlement commits Moscow not to obstruct the presence of the"
            " multinational force west of the Dnipro.",
            "softens",
        ),
        # ... not a question put to it
        (
            "russia-position-change",
            "Asked whether Moscow could tolerate any international presence in Ukraine after a"
            " truce, the Kremlin spokesman said only that proposals 'will be studied'.",
            None,
        ),
        # a division's words that run long; a document "passed to" a newspaper is no vote
        (
            "uk-parliament-vote",
            "The House of Commons voted 391 to 88 in favour of a motion allowing up to 7,500"
            " British personnel to deploy once a truce is in place.",
            "held",
        ),
        (
            "uk-parliament-vote",
            "The document was passed to us by a person who said Parliament had been told too"
            " little about the mission.",
            None,
        ),
        # another parliament's mandate for "the Ukraine force"
        (
            "foreign-troops-deployed",
            "Bundestag approves German troops for Ukraine force",
            "mandated",
        ),
        # money put behind the force by setting up a fund
        (
            "new-development",
            "Ukraine's allies set up \u20ac12 billion fund to pay for post-war force",
            "commitment",
        ),
        # the seed's condition, however the peace is named
        (
            "new-development",
            "Under the declaration, Britain and France would deploy forces to Ukraine once a peace"
            " agreement is in place, and set up military hubs.",
            None,
        ),
        # a credit guarantee, none signed, or a signing dated long ago wherever it was
        (
            "guarantees-ratified",
            "The ministry presented a EUR 300 million export credit guarantee scheme for firms"
            " working in Ukraine; no contracts were signed.",
            None,
        ),
        (
            "guarantees-ratified",
            "The Government approved the draft law on the agreement on security guarantees"
            " between Romania and Ukraine, signed in Kyiv in November 2027.",
            None,
        ),
        # a share of the text agreed, a truce still in force, its end named, a time into it,
        # or a signing that other news followed, is no truce agreed
        ("ceasefire", "Peace deal text '95% agreed', Ukrainian negotiator says", None),
        ("ceasefire", "The truce remains formally in force.", None),
        (
            "ceasefire",
            "He also criticised the collapse of a 30-day moratorium on energy strikes, which"
            " Moscow blames on Kyiv.",
            None,
        ),
        (
            "ceasefire",
            "Two weeks into the ceasefire, London and Paris have formally ordered their first"
            " troops into Ukraine.",
            None,
        ),
        (
            "ceasefire",
            "Canada will send 800 troops, after the cabinet approved the deployment following the"
            " signing of the Geneva peace treaty.",
            None,
        ),
        # Russia's markets, media or soldiers leading or conditioning a sentence are no stance
        (
            "russia-position-change",
            "Russian equities opened lower after Moscow said any Western units sent to Ukraine"
            " would be treated as legitimate targets.",
            None,
        ),
        (
            "russia-position-change",
            "Russian TV: UK government tables troop motion, Commons to vote on 13 January",
            None,
        ),
        (
            "russia-position-change",
            "Moldova will not take part in any military mission there, calling neutrality"
            " 'non-negotiable' as long as Russian troops remain in the Transnistrian region.",
            None,
        ),
        # a hub still "to be set up"
        (
            "new-development",
            "Parliament began debating a bill that would allow a logistics hub for the"
            " multinational force in Ukraine to be set up near Constanta.",
            None,
        ),
        # a main force moving in, minehunters sailing in, a parliament sending soldiers; not
        # a parliament's approval read as an order
        ("foreign-troops-deployed", "Coalition main force begins moving into Ukraine", "deployed"),
        (
            "foreign-troops-deployed",
            "Turkish navy minehunters sail into Odesa as Ankara joins Ukraine force",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "Bundestag ratifies the Rome compact and sends up to 2,500 German soldiers to Ukraine",
            "mandated",
        ),
        (
            "foreign-troops-deployed",
            "After the Commons approved sending up to 5,000 British personnel to Ukraine, aid"
            " groups urged ministers to protect civilians.",
            None,
        ),
        # a vote's result, then the renewal it makes
        (
            "uk-parliament-vote",
            "UK lawmakers back sending 1,200 more troops to Ukraine, extending mission to 2030",
            "renewed",
        ),
        # what a review of the change found: Moscow telling others not to block, a business
        # presence, partner troops from North Korea are no softening; Moscow's condition while
        # its troops stay is one; a division "passed on a vote"; a renewal with no vote; merchant
        # ships, a move to come, a request sent back, Ukrainians trained; a truce agreed once its
        # text is wholly agreed, in force beside a curfew, or extended weeks into it; a treaty
        # signed beside another's signing or beside "credit"; a hotline opened after the truce
        (
            "russia-position-change",
            "Lavrov urged London not to block the US peace plan for Ukraine.",
            None,
        ),
        (
            "russia-position-change",
            "Peskov said Russia would be open to a renewed Western business presence once a peace"
            " deal in Ukraine is signed.",
            None,
        ),
        (
            "russia-position-change",
            "Russia for the first time acknowledged that partner troops from North Korea fought in"
            " Kursk, near the Ukrainian border.",
            None,
        ),
        (
            "russia-position-change",
            "Peskov said a peace treaty was possible as long as Russian troops stayed in the four"
            " annexed regions.",
            "new-condition",
        ),
        (
            "uk-parliament-vote",
            "The government motion authorising the deployment of British troops to Ukraine passed"
            " on a vote of 412 to 98 in the Commons.",
            "held",
        ),
        (
            "uk-parliament-vote",
            "The defence secretary signed the order on Monday, extending the deployment in Ukraine"
            " to 2028 without a fresh Commons vote, angering MPs.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Turkish ships sailed into Odesa with grain on Tuesday, the first since the ceasefire.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Royal Navy minehunters sail to Odesa next month to clear the approaches to the port.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Sejm sent the government's request to deploy Polish troops to Ukraine back to the"
            " cabinet for revisions.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "The Bundestag approved the training of Ukrainian soldiers for the Ukraine force at"
            " bases in Bavaria.",
            None,
        ),
        (
            "ceasefire",
            "Russia and Ukraine signed the ceasefire on Tuesday once the text was 100% agreed,"
            " Turkish mediators said.",
            "agreed",
        ),
        (
            "ceasefire",
            "A ceasefire between Russia and Ukraine took effect at midnight, but the curfew in Kyiv"
            " remains officially in place.",
            "in-force",
        ),
        (
            "ceasefire",
            "Three weeks into the truce, Moscow and Kyiv agreed on Tuesday to extend the ceasefire"
            " by 60 days.",
            "agreed",
        ),
        (
            "guarantees-ratified",
            "Britain and Ukraine signed a legally binding security guarantee treaty in London on"
            " Tuesday, a day after the peace treaty was signed in Geneva.",
            "signed",
        ),
        (
            "guarantees-ratified",
            "Britain and Ukraine signed a security guarantee treaty, and Zelensky gave Britain"
            " credit for its support.",
            "signed",
        ),
        (
            "new-development",
            "Russia and Ukraine opened a military hotline on Monday, a week after the truce took"
            " effect.",
            "arrangement",
        ),
        (
            "new-development",
            "Russia has created a 60,000-strong reserve force in Belgorod, opposite the Ukrainian"
            " border.",
            None,
        ),
        # Moscow "opened fire" is no decision, nor the January warning named as a subject, nor
        # rejecting "any foreign contingents"; dropping the warning's label still is one
        (
            "russia-position-change",
            "Moscow accuses the Ukrainian forces of having opened fire first.",
            None,
        ),
        (
            "russia-position-change",
            "Moscow's 'legitimate targets' warning hardens the ground beneath the Paris pledge",
            None,
        ),
        (
            "russia-position-change",
            "Kremlin says it will study US ideas but rejects 'any' foreign contingents",
            None,
        ),
        (
            "russia-position-change",
            "Russia drops 'legitimate target' label for coalition guarantor forces",
            "decides",
        ),
        # a referendum set for a month, or won by a framework; first talks "on" a treaty; a
        # monitor "unable to establish" what happened
        (
            "new-development",
            "Ukraine to hold referendum on peace framework in September",
            "referendum",
        ),
        (
            "new-development",
            "Ukrainians back Abu Dhabi framework in referendum, preliminary results show",
            "referendum",
        ),
        (
            "new-development",
            "Helsinki hosts first round of talks on final peace treaty",
            "first-talks",
        ),
        (
            "new-development",
            "The US-led monitoring mission said it had been unable to establish which side fired"
            " first.",
            None,
        ),
        # what a second review found: first talks still to come, a referendum only aimed at or
        # denied, another's inability beside money pledged, the warning reversed or extended, a
        # new proposal of foreign forces rejected
        (
            "new-development",
            "The first round of talks on a final peace treaty will take place in Abu Dhabi next"
            " week, Ukraine's negotiator said.",
            None,
        ),
        (
            "new-development",
            "Russian and Ukrainian delegations will hold their first direct talks in Istanbul next"
            " week, the Kremlin said.",
            None,
        ),
        (
            "new-development",
            "Kyiv aims to hold a referendum on the peace agreement in February 2027, officials"
            " said.",
            None,
        ),
        (
            "new-development",
            "Ukraine is not going to hold a referendum on the peace deal in February 2027,"
            " Zelensky's office said.",
            None,
        ),
        (
            "new-development",
            "Coalition partners pledged 3,000 troops to the reassurance force after the US said it"
            " was unable to commit ground forces.",
            "commitment",
        ),
        (
            "russia-position-change",
            "Russia offers to let foreign forces guard the Zaporizhzhia plant, reversing its"
            " 'legitimate targets' warning.",
            "decides",
        ),
        (
            "russia-position-change",
            "Putin signs decree extending 'legitimate targets' label to coalition logistics hubs in"
            " Poland and Romania.",
            "decides",
        ),
        (
            "russia-position-change",
            "Russia rejects Trump's foreign forces proposal for the Zaporizhzhia plant",
            "rejects",
        ),
        # a visit to troops already there, not their arrival
        (
            "foreign-troops-deployed",
            "Emmanuel Macron on Wednesday made his first visit to French soldiers deployed in"
            " Ukraine, sharing a meal with troops at their base in the Lviv region.",
            None,
        ),
        ("foreign-troops-deployed", "French soldiers deployed to Odesa on Wednesday.", "deployed"),
        (
            "foreign-troops-deployed",
            "British troops arrived in Odesa on Monday as Defence Secretary John Healey visited"
            " French soldiers already deployed in Ukraine.",
            "deployed",
        ),
        # units told to get ready, no order given
        (
            "foreign-troops-deployed",
            "Soldiers from 4th Light Brigade have been told to get ready to take over the British"
            " mission in Ukraine in 2028, though no deployment has been ordered.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Macron ordered the deployment of French troops to Ukraine on Thursday, though no"
            " orders have yet been issued to German units.",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "France ordered the first 500 soldiers to Ukraine on Friday, a week after the Elysee"
            " insisted no order had been given.",
            "ordered",
        ),
        # a naval task force arriving, and another parliament's mandate for a force so named
        ("foreign-troops-deployed", "Turkish-led naval task force arrives in Odesa", "deployed"),
        (
            "foreign-troops-deployed",
            "The Bundestag approved the government's mandate for Bundeswehr participation in the"
            " Multinational Reassurance Force Ukraine by 498 votes to 121.",
            "mandated",
        ),
        # a signing scheduled is no signing
        (
            "ceasefire",
            "A signing ceremony for a peace agreement between Russia and Ukraine has been"
            " tentatively scheduled for mid-June in Geneva, diplomats told dpa.",
            None,
        ),
        (
            "ceasefire",
            "Russian and Ukrainian delegations signed the peace treaty in Geneva on Sunday, a"
            " ceremony earlier pencilled in for January having been brought forward.",
            "peace-signed",
        ),
        # a treaty signed in Paris is not the January declaration signed there
        (
            "guarantees-ratified",
            "The heads of state and government of 26 countries have signed a legally binding"
            " treaty on security guarantees for Ukraine in Paris.",
            "signed",
        ),
        (
            "guarantees-ratified",
            "The leaders signed the declaration of intent on security guarantees in Paris.",
            None,
        ),
        (
            "guarantees-ratified",
            "Coalition leaders meeting in Paris on Tuesday endorsed the outline of a security"
            " guarantees treaty for Ukraine.",
            None,
        ),
        # the treaty's own condition ("if Russia attacks") is no hedge on its signing
        (
            "guarantees-ratified",
            "The U.S. and Ukraine signed a bilateral security agreement on Thursday that commits"
            " Washington to immediate consultations if Russia attacks after a ceasefire.",
            "signed",
        ),
        # a mandate drafted, or to be approved, is not granted
        (
            "new-development",
            "The federal cabinet is expected to approve a draft mandate for a Bundeswehr"
            " contribution to the multinational force in Ukraine on Wednesday.",
            None,
        ),
        (
            "new-development",
            "The defence ministry is preparing the text of a Bundeswehr mandate for the"
            " multinational force in Ukraine.",
            None,
        ),
        # when a peace was signed is no arrangement
        (
            "new-development",
            "Ukraine on Thursday marked six years since the invasion, the first anniversary since"
            " a framework peace agreement was signed in Geneva.",
            None,
        ),
        # an opinion poll before a referendum is not its count (an exit poll may be)
        (
            "new-development",
            "The election commission began printing ballots for the referendum on the Geneva"
            " framework, and the first independent polls show 'yes' ahead.",
            None,
        ),
        # a leak the reader knows of
        ("new-development", "About that leaked plan", None),
        # leaders agreeing to keep talking agree no truce; agreeing to continue one extends it
        (
            "ceasefire",
            "Putin and Trump discuss Ukraine truce idea by phone, agree to keep talking - Kremlin",
            None,
        ),
        (
            "ceasefire",
            "Russia and Ukraine agreed to continue the ceasefire for another 30 days.",
            "agreed",
        ),
        # a truce agreed with its start told is agreed, not wished for
        (
            "ceasefire",
            "Russia and Ukraine have agreed a ceasefire along the current front line, to come into"
            " force on Monday.",
            "agreed",
        ),
        ("ceasefire", "Kyiv wants a ceasefire to begin on Friday, officials said.", None),
        # talks on restoring a truce ended, not the truce
        (
            "ceasefire",
            "Talks between Russian and Ukrainian delegations on restoring the ceasefire ended in"
            " Istanbul on Saturday without an agreement.",
            None,
        ),
        (
            "ceasefire",
            "Two days after talks in Geneva, the ceasefire ended when Russian forces attacked.",
            "collapsed",
        ),
        # a truce in force since a day told, or a peace named by when it was signed
        (
            "ceasefire",
            "The European Council welcomes the cessation of hostilities in effect since 24 August"
            " 2026.",
            None,
        ),
        (
            "ceasefire",
            "Ukrainian voters approved the peace agreement signed with Russia in April by 61% to"
            " 39%.",
            None,
        ),
        # a vote told as the warrant of a later step, or one approving a plan
        (
            "uk-parliament-vote",
            "The first British soldiers arrived in Ukraine on Tuesday, less than two weeks after"
            " Britain's parliament approved the deployment.",
            None,
        ),
        (
            "uk-parliament-vote",
            "Healey told the House of Commons that the government had ordered the deployment 'in"
            " line with the motion approved by this House in April.'",
            None,
        ),
        (
            "uk-parliament-vote",
            "British lawmakers approve plan for troops in Ukraine after ceasefire",
            "held",
        ),
        (
            "uk-parliament-vote",
            "The British House of Commons on Wednesday voted 412 to 97 to approve, in principle,"
            " the participation of British armed forces in a multinational force in Ukraine.",
            "held",
        ),
        ("uk-parliament-vote", "MPs to debate plan for troops in Ukraine next week", None),
        # a truce agreed beside a promise to meet again, a start told by the truce agreed only
        (
            "ceasefire",
            "Russia and Ukraine agreed a 30-day ceasefire on Monday, and their leaders agreed to"
            " meet again in Istanbul next week.",
            "announced",
        ),
        (
            "ceasefire",
            "Zelensky, who signed the energy truce in March, wants a full ceasefire with Russia to"
            " take effect before Christmas.",
            None,
        ),
        # a truce's own end beside talks, and talks ended beside a collapse in other words
        (
            "ceasefire",
            "Talks on Friday in Riyadh broke up and the Russia-Ukraine truce ended hours later as"
            " Russian shelling of Kharkiv resumed.",
            "collapsed",
        ),
        (
            "ceasefire",
            "Talks on extending the Russia-Ukraine truce ended without a deal and the 30-day"
            " ceasefire collapsed at midnight.",
            "collapsed",
        ),
        # in force since last night, or since a date without its year, is the news itself
        (
            "ceasefire",
            "The ceasefire between Russia and Ukraine, in effect since last night, was welcomed by"
            " leaders in London and Paris.",
            "in-force",
        ),
        # a vote on British firms or the forces' pay is no deployment voted on
        (
            "uk-parliament-vote",
            "MPs voted 320 to 200 to back the participation of British firms in Ukraine's"
            " reconstruction.",
            None,
        ),
        (
            "uk-parliament-vote",
            "MPs voted on Tuesday to raise pay for the British armed forces, citing the war in"
            " Ukraine.",
            None,
        ),
        (
            "uk-parliament-vote",
            "MPs approved the plan to deploy British troops to Ukraine by 350 votes to 180 on"
            " Tuesday.",
            "held",
        ),
        # a vote set "paving the way for deployment" is set
        (
            "uk-parliament-vote",
            "The government has scheduled a Commons vote on Wednesday on sending British troops to"
            " Ukraine, paving the way for deployment in January.",
            "scheduled",
        ),
        # money funding the force's preparations
        (
            "new-development",
            "£45m for Salisbury Plain as government funds preparations for Ukraine force",
            "commitment",
        ),
        # the truce a peace turns into, told as a time before the signing, is its background;
        # "nearly" telling that time is no wish
        (
            "ceasefire",
            "Nearly 11 months after an armistice froze the front line, Russia and Ukraine have"
            " signed a framework peace agreement in Istanbul.",
            "peace-signed",
        ),
        (
            "ceasefire",
            "Russia and Ukraine are nearly agreed on a framework peace agreement to be signed in"
            " Istanbul.",
            None,
        ),
        (
            "ceasefire",
            "Since the peace agreement was signed in Geneva, Russian observers have visited the"
            " hubs.",
            None,
        ),
        # a peace named by what it does, or as a framework for peace
        ("ceasefire", "Russia and Ukraine sign a treaty formally ending the war.", "peace-signed"),
        ("ceasefire", "The Geneva Framework for Peace has been signed.", "peace-signed"),
        ("ceasefire", "Russia and Ukraine sign peace framework in Istanbul", "peace-signed"),
        (
            "ceasefire",
            "Crowds gathered on Kyiv's Maidan a day after the peace treaty was signed, while"
            " critics said the deal rewards aggression.",
            "peace-signed",
        ),
        # a treaty nobody has signed is not signed
        (
            "guarantees-ratified",
            "Lobby Letter: The security guarantees treaty with Ukraine nobody has signed",
            None,
        ),
        # an exercise rehearsing strikes on the coalition's bases is no strike
        (
            "russia-position-change",
            "Putin's war games: 100,000 Russian troops in Belarus drills 'rehearsing strikes on"
            " Western bases'",
            None,
        ),
        (
            "russia-position-change",
            "Russian missiles struck a British base near Lviv overnight, officials said.",
            "acts-against-coalition",
        ),
        # a truce in force that "continues to hold" is holding
        ("ceasefire", "The armistice, in force since 12 April, continues to hold.", None),
        # a signing prepared, or intended, is to come
        (
            "guarantees-ratified",
            "Zelenskyy and Rubio discussed preparations for the signing of the agreement on"
            " security guarantees.",
            None,
        ),
        (
            "guarantees-ratified",
            "Both sides intend to sign the security guarantees agreement in New York.",
            None,
        ),
        # a force named by who leads it or what it does
        (
            "foreign-troops-deployed",
            "Turkish-led mine-clearing force arrives in Odesa",
            "deployed",
        ),
        # (not another side's force, a police force, nor the force named as a whole)
        (
            "foreign-troops-deployed",
            "A Ukrainian-led force of volunteers, backed by Western drones, moved into Kharkiv.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "A French-led police force arrived in Kyiv to train Ukrainian officers, the EU said.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Putin said the multinational force deployed in Ukraine was a NATO army in disguise.",
            None,
        ),
        # ... but a force or troops already there, described, arrive nowhere
        (
            "foreign-troops-deployed",
            "Negotiators are still working on an article on the multinational force already"
            " deployed in Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Macron linked the memory of 1918 to the French troops now stationed in Ukraine.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "About 500 French troops are now stationed in Ukraine, the ministry said.",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "British troops now deployed in Ukraine, MoD confirms",
            "deployed",
        ),
        (
            "foreign-troops-deployed",
            "Around 300 British troops currently serving in Estonia were sent to Ukraine on"
            " Tuesday, the MoD said.",
            "deployed",
        ),
        # the vote and the order it warrants told together: the order is news of its own
        (
            "foreign-troops-deployed",
            "MPs approve British deployment to Ukraine; Healey signs order within the hour",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "Commons backs a second British brigade for Ukraine; order signed within hours",
            "ordered",
        ),
        # ... but the vote alone, or an order to come, is none
        (
            "foreign-troops-deployed",
            "MPs approved the deployment of 5,000 troops to Ukraine by 412 votes to 98.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "MPs will vote on the deployment to Ukraine before any order is signed.",
            None,
        ),
        # ... nor an order still to sign, one about something else, or one signed by someone
        # the news is not about
        (
            "foreign-troops-deployed",
            "MPs approve deployment of troops to Ukraine; Healey to sign order within hours",
            None,
        ),
        (
            "foreign-troops-deployed",
            "MPs back deployment of troops to Ukraine, but Healey has yet to sign the order",
            None,
        ),
        (
            "foreign-troops-deployed",
            "MPs approve British deployment to Ukraine; Healey signs order on reservist pay",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Senators question executive orders signed by Trump as US weighs troops for Ukraine"
            " force",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Healey to sign order sending British troops to Ukraine within hours",
            None,
        ),
        # a strike "during a joint exercise" is a strike
        (
            "russia-position-change",
            "Russian missiles struck a British base near Lviv during a joint exercise with"
            " Ukrainian troops, killing three soldiers.",
            "acts-against-coalition",
        ),
        # a ratification beside what someone intends, or nobody voting against, is one
        (
            "guarantees-ratified",
            "The Senate ratified the Ukraine security treaty, which the government intends to"
            " implement within weeks.",
            "ratified",
        ),
        (
            "guarantees-ratified",
            "Nobody in the Sejm voted against as Poland ratified the security treaty with Ukraine.",
            "ratified",
        ),
        # forces that "continue to hold" ground are not the truce holding
        (
            "ceasefire",
            "Russia and Ukraine agreed a ceasefire freezing the front line, with each side"
            " continuing to hold the territory it controls.",
            "agreed",
        ),
        # a treaty ending a war never signed, a framework for peace talks
        (
            "ceasefire",
            "Moscow and Tokyo, after all, have never signed a treaty formally ending the war.",
            None,
        ),
        (
            "ceasefire",
            "Russia and Ukraine sign framework for peace negotiations in Istanbul",
            None,
        ),
        (
            "ceasefire",
            "After nearly three and a half years of war, Russia and Ukraine agreed a ceasefire.",
            "agreed",
        ),
        # the truce named by where it was agreed is background (not the news of it, told with
        # its time, nor one agreed in principle)
        (
            "ceasefire",
            "A Ukrainian detachment opened the parade, alongside soldiers from the coalition"
            " nations, in a tribute to Ukraine's resistance and to the ceasefire agreed in"
            " Istanbul.",
            None,
        ),
        (
            "ceasefire",
            "The ceasefire agreed in Riyadh last night was announced by both presidents.",
            "agreed",
        ),
        (
            "ceasefire",
            "The ceasefire agreed in principle was announced by both presidents on Tuesday.",
            "agreed",
        ),
        # ... after a preposition only: what is done to it is news
        (
            "ceasefire",
            "Russia and Ukraine sign the ceasefire agreed in Riyadh, ending nearly four years of"
            " war",
            "agreed",
        ),
        (
            "ceasefire",
            "Zelensky and Putin accept the truce brokered in Riyadh hours earlier",
            "agreed",
        ),
        # ... or by its implementation supported (not extended or abandoned)
        (
            "ceasefire",
            "Canada will deploy 150 troops to Poland to train Ukrainian engineers, in support of"
            " the implementation of the Geneva Peace Agreement, the minister announced.",
            None,
        ),
        (
            "ceasefire",
            "Russia and Ukraine agree to extend the implementation of the ceasefire by 60 days",
            "agreed",
        ),
        (
            "ceasefire",
            "Ukraine says Russia has abandoned the implementation of the peace agreement and"
            " resumed shelling",
            "collapsed",
        ),
        # a truce that "stays in force" is holding (not one agreed that "will stay in force")
        ("ceasefire", "The ceasefire itself stays in force, the Kremlin says.", None),
        (
            "ceasefire",
            "Russia and Ukraine agreed a 30-day ceasefire that will stay in force until Orthodox"
            " Easter",
            "announced",
        ),
        (
            "ceasefire",
            "Russia and Ukraine agreed a truce which will remain in force for 30 days, Turkey said",
            "agreed",
        ),
        # a government's decree sending troops is the order (not a decree calling a vote)
        (
            "foreign-troops-deployed",
            "Italy's council of ministers on Tuesday approved a decree sending up to 1,200"
            " troops to Ukraine as part of the multinational force.",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "Macron signs decree for French troops to Ukraine",
            "ordered",
        ),
        (
            "foreign-troops-deployed",
            "Zelensky signs decree calling a referendum as French troops arrive in Ukraine"
            " next month.",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Macron signed a decree authorising the export of Rafale jets to Ukraine",
            None,
        ),
        (
            "foreign-troops-deployed",
            "Zelensky signed a decree authorising foreign troops to be stationed in Ukraine",
            None,
        ),
    ],
)
def test_shipped_rules_tell_news_from_process_steps_and_background(
    rule_id: str, sentence: str, pattern: str | None
) -> None:
    held = _shipped_rule(rule_id).first_held(Sentence.of(sentence))
    assert (held[1].pattern if held is not None else None) == pattern


def test_a_guarantee_protocol_is_the_guarantees_rules_topic() -> None:
    """A ratification report naming only "the Istanbul guarantee protocol" is on topic."""
    sentence = Sentence.of(
        "French National Assembly approves ratification of Istanbul guarantee protocol."
    )
    assert _shipped_rule("guarantees-ratified").topic_missing([sentence]) == []


def test_a_city_as_russian_sources_spell_it_is_the_deployment_rules_topic() -> None:
    """British troops arriving "in Lvov" are on topic without Ukraine named."""
    sentence = Sentence.of("The first British soldiers of the coalition force arrived in Lvov.")
    assert _shipped_rule("foreign-troops-deployed").topic_missing([sentence]) == []


def _shipped_rule(rule_id: str) -> CompiledRule:
    """The shipped watch rule ``rule_id``, compiled."""
    from monitor.detect.rules import load_rules
    from tests.conftest import RULES

    (shipped,) = [CompiledRule(r) for r in load_rules(RULES / "watch") if r.id == rule_id]
    return shipped


def _shipped_sentences() -> list[str]:
    """Sentences of the bundled demo feeds and of the shipped rules' examples."""
    from monitor.replay import collect_feed_files
    from monitor.ruleset import load_ruleset
    from monitor.sources.parse import parse_feed
    from monitor.text import split_sentences

    root = Path(__file__).resolve().parents[2]
    texts = [
        text
        for path in collect_feed_files([root / "examples" / "feeds"])
        for article in parse_feed(path.read_bytes(), path.stem).articles
        for text in (article.title, *split_sentences(article.text))
    ]
    for shipped in load_ruleset(root / "rules").rules:
        texts += [*shipped.examples, *shipped.counter_examples]
    return texts


@pytest.mark.parametrize("shared", [False, True])
def test_fast_paths_agree_with_the_full_evaluation_on_the_shipped_rules(shared: bool) -> None:
    """``first_held`` skips patterns by set and substring checks (its rule's own group index
    or one shared by all rules) and ``occurs`` stops at the first occurrence; both must say
    what the full evaluation and ``find`` say, and ``may_match`` is False only where
    ``find`` finds nothing."""
    from monitor.ruleset import load_ruleset

    root = Path(__file__).resolve().parents[2]
    rules = [r for r in load_ruleset(root / "rules").rules if r.patterns]
    compiled = compile_rules(rules) if shared else [CompiledRule(r) for r in rules]
    sentences = [Sentence.of(text) for text in _shipped_sentences()]
    held_somewhere = 0
    for each in compiled:
        groups = [
            *each.topic,
            *(g for p in each.patterns for g in (*p.groups, *p.vetoes)),
        ]
        for sentence in sentences:
            slow = next(
                (
                    (index, outcome)
                    for index, outcome in enumerate(each.evaluate(sentence))
                    if outcome.held
                ),
                None,
            )
            assert each.first_held(sentence) == slow, (each.rule.id, sentence.text)
            held_somewhere += slow is not None
            for group in groups:
                found = bool(group.find(sentence))
                assert group.occurs(sentence) is found, group.name
                assert group.may_match(sentence) or not found, group.name
    assert held_somewhere  # the table exercises patterns that hold, not only misses


# Two tightest combinations of equal width, one vetoed by "will" nearby and one not: which
# is taken followed the order of a set of words, so it changed with the hash seed.
TIED = (
    "France will send an initial contingent of around 1,200 soldiers to Ukraine after"
    " President Emmanuel Macron signed off on the deployment, the presidency said."
)
_OUTCOMES = """
import json, sys
from pathlib import Path
from monitor.detect.matching import Sentence, compile_rules
from monitor.ruleset import load_ruleset
rules = compile_rules(r for r in load_ruleset(Path(sys.argv[1])).rules if r.patterns)
texts = json.loads(sys.stdin.read())
print(json.dumps([[str(r.evaluate(Sentence.of(t))) for r in rules] for t in texts]))
"""


def test_pattern_outcomes_do_not_depend_on_the_hash_seed() -> None:
    """Each process salts the hashes of strings differently; the outcomes (which terms
    matched, which veto) of every shipped pattern must not change with it."""
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    texts = json.dumps([TIED, *_shipped_sentences()])
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _OUTCOMES, str(root / "rules")],
            input=texts,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
        ).stdout
        for seed in ("0", "5", "6")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("shared", [False, True])
def test_the_group_index_says_what_each_group_says_on_the_shipped_rules(shared: bool) -> None:
    """``GroupIndex.possible`` answers ``may_match`` for all of a rule's pattern groups (or,
    shared by ``compile_rules``, of all rules) in one pass; it must name exactly the groups
    that may match, or ``first_held`` would skip a pattern that holds (or search one that
    cannot). ``may_match`` itself is checked against ``find`` by the test above."""
    from monitor.ruleset import load_ruleset

    root = Path(__file__).resolve().parents[2]
    rules = [r for r in load_ruleset(root / "rules").rules if r.patterns]
    compiled = compile_rules(rules) if shared else [CompiledRule(r) for r in rules]
    sentences = [Sentence.of(text) for text in _shipped_sentences()]
    groups = {g.serial: g for each in compiled for g in each.groups}
    for each in compiled:
        mine = {g.serial for g in each.groups}
        assert each.index.serials == (set(groups) if shared else mine)
        for sentence in sentences:
            expected = {n for n in each.index.serials if groups[n].may_match(sentence)}
            assert each.index.possible(sentence) == expected, (each.rule.id, sentence.text)


def test_answers_kept_with_a_sentence_belong_to_their_rule_and_their_alternatives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sentence keeps each rule's ``first_held`` and each group's ``occurs``, so that one
    that recurs is not searched again: a rule is never given another rule's answer, nor a
    group another group's under the same label; groups with the same alternatives share."""
    sentence = Sentence.of("MPs voted to send troops to Kyiv.")
    holds = rule(patterns=[{"name": "p", "all": VOTE}])
    misses = rule(patterns=[{"name": "p", "all": [{"any": ["Senate"]}, *VOTE[1:]]}])
    assert holds.first_held(sentence) is not None
    assert misses.first_held(sentence) is None
    searched: list[str] = []

    def counted(search: Callable[[Sentence], Held | None]) -> Callable[[Sentence], Held | None]:
        return lambda s: searched.append("!") or search(s)

    for compiled in (holds, misses):
        monkeypatch.setattr(compiled, "_first_held", counted(compiled._first_held))
    assert holds.first_held(sentence) is not None and misses.first_held(sentence) is None
    assert searched == []  # both answers were kept
    assert holds.first_held(Sentence.of(sentence.text)) is not None
    assert searched == ["!"]  # a sentence prepared anew is searched anew

    def on(label: str, place: str) -> CompiledRule:
        return rule(patterns=[{"name": "p", "all": VOTE}], topic=[{"label": label, "any": [place]}])

    assert on("place", "Kyiv").topic_missing([sentence]) == []
    assert on("place", "Moscow").topic_missing([sentence]) == ["place"]
    assert on("city", "Kyiv").topic_missing([sentence]) == []
    assert len(sentence.seen) == 2  # Kyiv under two labels was looked for once


def test_sentences_kept_across_articles_give_the_hits_of_fresh_ones() -> None:
    """The detector keeps sentences prepared for matching, with their answers, across
    articles; the hits must be those of a detector that sees each article alone."""
    from monitor.detect.engine import Detector
    from monitor.replay import collect_feed_files
    from monitor.ruleset import load_ruleset
    from monitor.sources.parse import parse_feed

    root = Path(__file__).resolve().parents[2]
    ruleset = load_ruleset(root / "rules")
    articles = [
        article
        for path in collect_feed_files([root / "examples" / "feeds"])
        for article in parse_feed(path.read_bytes(), path.stem).articles
    ]
    kept = Detector(ruleset.claims, ruleset.rules).extractor
    hits = [kept.signals(article).hits for article in articles]
    again = [kept.signals(article).hits for article in articles]
    assert again == hits
    assert any(hits)
    for article, found in zip(articles, hits, strict=True):
        alone = Detector(ruleset.claims, ruleset.rules).extractor
        assert alone.signals(article).hits == found, article.title


@pytest.mark.parametrize(
    ("pattern", "strings"),
    [
        (
            r"\b(run|used) by (uk|french)\b",
            {"run by uk", "run by french", "used by uk", "used by french"},
        ),
        # the parser reads "not|never" as "n" and "ot|ever": spelled out again
        (r"\b(not|never)\b(?! (object|oppose))", {"not", "never"}),
        (
            r"\bpost[- ](ceasefire|truce)",
            {"post-ceasefire", "post ceasefire", "post-truce", "post truce"},
        ),
        (r"\bsign(s|ed)?\s+(the\s+)?order\b", {"order"}),  # the longest of "sign", "order"
        (r"\b(19|20)\d\d\b.{0,40}\b(syria|iraq)\b", {"syria", "iraq"}),
        (r"(?:ab){2}", {"abab"}),
        (r"ab(?i:c)", {"ab"}),  # a part with its own flags requires nothing known
        (r"(€|\$)\s?\d", {"€", "$"}),
        (r"(a|)b?", None),  # may match the empty string
        (r"\w+", None),
        (r"(?i)ukraine", None),  # upper case would match too
        (r"x*y{0,3}", None),
    ],
)
def test_a_regex_requires_strings_that_a_substring_test_finds(
    pattern: str, strings: set[str] | None
) -> None:
    assert required_strings(pattern) == (frozenset(strings) if strings is not None else None)


def test_no_shipped_regex_matches_where_its_required_strings_are_missing() -> None:
    """A regex runs only where one of its required strings occurs: on every sentence of
    the demo, the examples and the labelled sets, a match must contain one (and the test
    skips most runs, or the shortcut would be worth nothing)."""
    import json
    import re

    from monitor.ruleset import load_ruleset
    from monitor.text import comparable, split_sentences

    root = Path(__file__).resolve().parents[2]
    texts = _shipped_sentences()
    for path in sorted((root / "tests" / "fixtures").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            texts += [
                s
                for key in ("title", "summary", "content")
                for s in split_sentences(item.get(key) or "")
            ]
    lowered = [comparable(text) for text in texts]
    patterns = {
        pattern
        for shipped in load_ruleset(root / "rules").rules
        for group in [
            *shipped.topic,
            *shipped.unless,
            *(g for p in shipped.patterns for g in (*p.all, *p.unless)),
        ]
        for pattern in group.regex
    }
    skipped = runs = 0
    for pattern in sorted(patterns):
        regex, strings = re.compile(pattern), required_strings(pattern)
        if strings is None:  # runs everywhere
            continue
        for text in lowered:
            present = any(string in text for string in strings)
            assert present or regex.search(text) is None, (pattern, text)
            skipped += not present
            runs += 1
    assert skipped > runs / 2


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("The treaty, signed in Kyiv in May, obliges France to help.", True),
        ("Talks resumed on 21 May in Geneva.", True),
        ("Troops have patrolled the line since May.", True),
        ("Troops sent in may not arrive before the truce.", False),
        ("Those who arrive late may be turned back.", False),
        ("Russia may accept unarmed monitors.", False),
        ("The next may be the hardest round.", False),
    ],
)
def test_may_is_read_as_the_month_only_where_it_names_one(text: str, month: bool) -> None:
    """A hedge read as the month would let "troops sent in may not arrive" through the
    rules' "may" vetoes."""
    assert (_MONTH in Sentence.of(text).words) is month


@pytest.mark.parametrize(
    ("regex", "text", "possible"),
    [
        # the part a regex requires may lie inside a longer word ("agree" in "disagreement")
        (r"agree", "Their disagreement deepened.", True),
        (r"\bagreed\b", "Talks ended without a deal.", False),
        # a required string with spaces or punctuation stands by its longest run of letters
        (r"\d+ (days|weeks)\b", "A truce for 30 days.", True),
        (r"\d+ (days|weeks)\b", "A truce for 30 hours.", False),
        # "May" read as the month is still the word "may" to a regex
        (r"\bin may\b", "The deal was signed in May 2026.", True),
        # a regex that requires no known string, or only one without letters, may match anywhere
        (r"\w+", "Nothing here.", True),
        (r"[$]\d+", "Nothing here.", True),
    ],
)
def test_the_group_index_skips_a_regex_group_only_where_its_parts_are_absent(
    regex: str, text: str, possible: bool
) -> None:
    """A regex group is looked up by the parts of words its regexes require: it may match
    a sentence exactly when ``may_match`` says so, and never where ``find`` finds it."""
    compiled = rule(patterns=[{"name": "p", "all": [{"any": [], "regex": [regex]}]}])
    group = compiled.groups[0]
    sentence = Sentence.of(text)
    assert (group.serial in compiled.index.possible(sentence)) is possible
    assert group.may_match(sentence) is possible
    assert possible or not group.find(sentence)
