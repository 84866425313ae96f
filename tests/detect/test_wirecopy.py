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
    assert recap_lines([news, "Since then the truce has held."]) == {1}
