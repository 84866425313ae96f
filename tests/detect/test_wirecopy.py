"""Wire-copy conventions removed before detection reads a report."""

from __future__ import annotations

import pytest

from monitor.detect.wirecopy import (
    Casing,
    in_capitals,
    recap_lines,
    without_dateline,
    without_slug,
)


@pytest.mark.parametrize(
    "paragraph",
    [
        "MOSCOW, March 3 (Reuters) - Russia said it could accept monitors.",
        "KYIV (AP) — Russia said it could accept monitors.",
        "NEW YORK, 3 March (AFP) -- Russia said it could accept monitors.",
        "MOSCOW, March 3. /TASS/. Russia said it could accept monitors.",
        "LONDON, Jan 21 (Thomson Reuters Foundation) - Russia said it could accept monitors.",
        "LONDON/KYIV, July 14 (CP) - Russia said it could accept monitors.",  # two places
    ],
)
def test_a_dateline_is_dropped(paragraph: str) -> None:
    assert without_dateline(paragraph.replace("—", "-")) == "Russia said it could accept monitors."


@pytest.mark.parametrize(
    "paragraph",
    [
        "Russia (the Kremlin said) - accepts nothing.",
        "NATO (a defensive alliance) is not a party.",
        "UK troops - 500 of them - arrived on Monday.",
        "UK/FRANCE talks (a new format) - no deal.",
    ],
)
def test_ordinary_openings_stay(paragraph: str) -> None:
    assert without_dateline(paragraph) == paragraph


def test_a_slug_is_dropped_from_a_headline() -> None:
    assert without_slug("UPDATE 2-UK MPS BACK DEPLOYMENT") == "UK MPS BACK DEPLOYMENT"
    assert without_slug("FLASH: Ceasefire takes effect") == "Ceasefire takes effect"
    assert without_slug("Updated plan for Ukraine") == "Updated plan for Ukraine"


def test_capitals_are_written_as_the_baseline_writes_the_words() -> None:
    casing = Casing(["Starmer told MPs that the UK and France would lead the force in Ukraine."])
    assert casing.restore("UK MPS BACK STARMER ON UKRAINE FORCE") == (
        "UK MPs back Starmer on Ukraine force"
    )
    assert casing.restore("Russia says NATO troops are targets") == (
        "Russia says NATO troops are targets"
    )
    assert not in_capitals("NATO AND EU")  # too short to tell a headline from acronyms


def test_timeline_lines_are_recaps_and_a_timeline_is_one_from_its_headline() -> None:
    news = "Russia and Ukraine signed a ceasefire in Geneva on Tuesday."
    assert recap_lines(["September: A ceasefire is signed in Geneva.", news]) == {0}
    assert recap_lines(["6 January 2026 - The Paris declaration is signed.", news]) == {0}
    ordinary = [news, "Mayors met on Tuesday: no deal.", "2,000 troops: the plan."]
    assert recap_lines(ordinary) == set()
    timeline = [
        "What the year brought",
        "March: The coalition is launched.",
        "September: A ceasefire is signed.",
        "MPs approve the deployment by 420 votes to 90.",
        "October 2026: The first troops arrive.",
    ]
    assert recap_lines(timeline) == {0, 1, 2, 3, 4}
    assert recap_lines(["Russia rejects Western peacekeepers: timeline", news]) == {0, 1}
    # news told first, then a box of key dates: the headline tells the news, not the past
    reported = [
        "Defence Secretary signs the deployment order",
        "The Defence Secretary authorised the deployment of British troops today.",
        "An advance party has left.",
        "Key dates since the invasion.",
        "Feb. 24, 2022: Russia launches a full-scale invasion.",
        "Nov. 2022: Ukraine retakes Kherson.",
        "Jan. 6, 2026: Britain and France sign a declaration of intent.",
    ]
    assert recap_lines(reported) == {4, 5, 6}
    assert recap_lines(reported[3:]) == {0, 1, 2, 3}  # a timeline under a short introduction
    # a box of key dates, an entry's second sentence, then today's news
    boxed = [*reported[3:], "It was signed in Paris.", "MPs voted 398-107 last night."]
    assert recap_lines(boxed) == {0, 1, 2, 3, 4}
    # the box first, then a report of several sentences: the headline is the report's
    treaty = ["UK and Ukraine sign security treaty", *reported[4:], "It was signed in Paris."]
    treaty += ["The treaty was signed today.", "It is legally binding.", "Parliament will see it."]
    assert recap_lines(treaty) == {1, 2, 3, 4}
    assert recap_lines([news, "Since then the truce has held."]) == {1}
    # an anniversary piece is a look back, but not news dated by one
    marked = ["Kyiv marks the anniversary of the invasion", news]
    assert recap_lines(marked) == {0, 1}
    dated = ["First British troops arrive in Ukraine on anniversary of Russia's invasion", news]
    assert recap_lines(dated) == set()


def _in_capitals_by_character(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def test_capitals_are_counted_as_character_by_character_on_every_kind_of_text() -> None:
    """``in_capitals`` counts ASCII letters in C; it must say what counting each character's
    ``isalpha`` and ``isupper`` says, at the bounds and on text that is not ASCII."""
    from monitor.replay import collect_feed_files
    from monitor.sources.parse import parse_feed
    from tests.conftest import ROOT

    texts = [
        "RUSSIA SAYS IT WILL ACCEPT MONITORS",
        "RUSSIA SAYS it will",  # too few capitals
        "ABCDEFGHIJK",  # 11 letters: too few to tell
        "ABCDEFGHIJKL",  # 12
        "ABCDEFGHIJKLmnop",  # 12 of 16 capitals: under 0.8
        "ABCDEFGHIJKLMNOPqrst",  # 16 of 20: exactly 0.8
        "ABCDEFGHIJKLMNOzzzzz",  # 15 of 20
        "KYIV — RUSSIA SAYS IT WILL ACCEPT MONITORS",
        "ÉTATS-UNIS: LA RUSSIE ACCEPTE",
        "РОССИЯ ПРИНЯЛА ПЛАН МИРА СЕГОДНЯ",
        "Ⅷ ⅧⅧⅧ ABCDEFGHIJ",  # numerals that are upper case but not letters
        "",
    ]
    for path in collect_feed_files([ROOT / "examples" / "feeds"]):
        for article in parse_feed(path.read_bytes(), path.stem).articles:
            texts += [article.title, article.title.upper(), *article.text.split("\n")]
    for text in texts:
        assert in_capitals(text) is _in_capitals_by_character(text), text
