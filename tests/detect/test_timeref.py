"""The days a sentence tells of, read against its publication (a Thursday in July)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime

import pytest

from monitor.detect.timeref import Period, before, days_told

PUBLISHED = datetime(2026, 7, 2, 18, 30, tzinfo=UTC)  # a Thursday


def day(month: int, number: int, year: int = 2026) -> Period:
    return Period(date(year, month, number), date(year, month, number))


def month(number: int) -> Period:
    return Period(date(2026, number, 1), date(2026, number, calendar.monthrange(2026, number)[1]))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The treaty signed in Kyiv on 12 June was ratified.", [day(6, 12)]),
        ("Talks resumed on June 12th in Geneva.", [day(6, 12)]),
        ("The motion tabled on 14 October, 2025 lapsed.", [day(10, 14, 2025)]),
        ("Feb. 3 talks ended without a deal.", [day(2, 3)]),
        ("MPs will vote on 14 September.", [day(9, 14)]),  # ahead, but within half a year
        ("In March, MPs approved the deployment.", [Period(date(2026, 3, 1), date(2026, 3, 31))]),
        ("The truce collapsed in May.", [Period(date(2026, 5, 1), date(2026, 5, 31))]),
        ("Talks may resume.", []),  # the verb
        ("The treaty signed last May holds.", [Period(date(2026, 5, 1), date(2026, 5, 31))]),
        ("Theresa May said so.", []),
        ("Talks ended in Dec 2025.", [Period(date(2025, 12, 1), date(2025, 12, 31))]),
        ("Jan Lipavsky said the troops arrived.", []),  # a name, not January
        ("Thousands march in Kyiv.", []),  # the verb
        ("The august body met.", []),
        ("A busy March lies ahead.", [Period(date(2026, 3, 1), date(2026, 3, 31))]),
        ("Parliament voted on Tuesday.", [day(6, 30)]),
        ("Parliament voted on Thursday.", [day(7, 2)]),  # the day itself
        ("Parliament will vote on Tuesday.", []),  # what will happen: which Tuesday is unsaid
        ("Parliament votes next Tuesday.", []),
        ("Yesterday Russia rejected the plan.", [day(7, 1)]),
        ("Tonight the first troops landed.", [day(7, 2)]),
        ("The vote on 31 February never was.", []),  # no such day, and not all of February
        ("Nothing here names a time.", []),
        # a time named to compare with is not one the sentence tells of
        ("Moscow's new line is narrower than January's threat.", []),
        ("Fewer troops than in March crossed on Tuesday.", [day(6, 30)]),
        ("The force must leave no later than 30 June.", [day(6, 30)]),  # a deadline is told
        # nor the time of a former stance the news is measured against
        ("In a shift from its January warning, Moscow said it would not target them.", []),
        ("A condition Moscow did not attach when it first floated the idea in February.", []),
        ("Moscow first floated the idea in February.", [month(2)]),
        # nor the month a thing the sentence names was done, which a day so named still is
        ("MPs voted to ratify the security treaty signed with Kyiv in March.", []),
        ("The Rada ratified the treaties signed with London and Paris in March.", []),
        # nor the month of an earlier step the news came after
        ("The Senate completed ratification after the lower house passed it in March.", []),
        ("The Senate ratified it in March, after the lower house had.", [month(3)]),
        ("The truce collapsed after heavy shelling of Kharkiv in March.", [month(3)]),
        ("The treaty was signed in March.", [Period(date(2026, 3, 1), date(2026, 3, 31))]),
        ("The agreement signed on Tuesday took effect.", [day(6, 30)]),
        ("The ceasefire agreed in Istanbul collapsed in March.", [month(3)]),
        # a date something is set for is the next such day
        ("The president called a referendum for 22 February.", [day(2, 22, 2027)]),
        ("The vote is scheduled for 3 March.", [day(3, 3, 2027)]),
        ("Commons to vote January 13 on sending troops.", [day(1, 13, 2027)]),
        ("MPs will vote on 3 March.", [day(3, 3, 2027)]),
        ("The Commons was recalled to vote on 14 March and approved it.", [day(3, 14)]),
        ("The referendum set for 30 June was held.", [day(6, 30)]),  # just gone: held
        ("Kyiv blamed Moscow for 12 June strikes.", [day(6, 12)]),  # no vote set for it
        # ... with words between the vote and its date ("Commons to vote on sending troops on")
        ("Commons to vote on sending troops to Ukraine on 13 March.", [day(3, 13, 2027)]),
        ("It will be debated and put to a vote on 3 March.", [day(3, 3, 2027)]),
        ("MPs will debate and vote on 3 March.", [day(3, 3, 2027)]),
        ("The deployment follows a Commons vote on 1 April.", [day(4, 1)]),  # past
        # a clause of its own closing a headline of a vote put down (not a recap's or timeline's)
        ("Government tables motion on deploying troops; vote on 3 March", [day(3, 3, 2027)]),
        ("MPs approved it; vote on 3 March was 400 to 100.", [day(3, 3)]),
        ("Commons vote on 1 April: a look back", [day(4, 1)]),
        ("Recap: motion tabled; vote on 3 March approved 400-100", [day(3, 3)]),
        ("Year in review: motion tabled in February; vote on 3 March", [day(3, 3), month(2)]),
        ("Key dates: vote on 13 March", [day(3, 13)]),
        # ... but not a vote told of another day, nor one that "would" come, told since
        ("MPs will vote on the motion debated on 3 March.", [day(3, 3)]),
        ("Peers are to vote on the bill the Commons passed on 14 March.", [day(3, 14)]),
        ("MPs will vote as they did on 3 March, the whip said.", [day(3, 3)]),
        ("MPs would vote on 3 March, the government had promised, but it slipped.", [day(3, 3)]),
        ("MPs who would later vote on 13 March to back the deployment", [day(3, 13)]),
    ],
)
def test_days_told(sentence: str, expected: list[Period]) -> None:
    assert days_told(sentence, PUBLISHED) == tuple(expected)


def test_a_date_more_than_half_a_year_ahead_without_a_year_is_last_years() -> None:
    february = datetime(2027, 2, 11, tzinfo=UTC)
    assert days_told("The ceasefire of 20 December held.", february) == (day(12, 20),)
    assert days_told("The vote is set for 20 March.", february) == (day(3, 20, 2027),)
    # ... but one something is set for is this year's up to nine months ahead
    assert days_told("Rada calls referendum on peace deal for 15 October.", february) == (
        day(10, 15, 2027),
    )
    assert days_told("The vote scheduled for 14 December was postponed.", february) == (
        day(12, 14, 2026),
    )


def test_a_weekday_written_before_a_date_weeks_gone_can_put_it_in_next_year() -> None:
    december = datetime(2026, 12, 9, tzinfo=UTC)  # a Wednesday
    # 13 January 2027 is a Wednesday, 13 January 2026 a Tuesday
    assert days_told("The Lords sit on Wednesday, 13 January.", december)[0] == day(1, 13, 2027)
    assert days_told("Lords sit Wednesday January 13.", december)[0] == day(1, 13, 2027)
    # a weekday that fits this year's date, or neither year's (a slip), changes nothing
    assert days_told("The Lords sat on Tuesday, 13 January.", december)[0] == day(1, 13)
    assert days_told("The Lords sat on Friday, 13 January.", december)[0] == day(1, 13)
    # nor one that is not the date's ("on Wednesday the 13 January vote", "13 January's vote")
    told = "Starmer told MPs on Wednesday the 13 January vote had been the hardest."
    assert days_told(told, december)[0] == day(1, 13)
    told = "Speaking on Wednesday, 13 January's vote was recalled as a turning point."
    assert days_told(told, december)[0] == day(1, 13)
    # nor does one beside a date not weeks gone: never a date moved on by a year
    assert days_told("The Lords sat on Thursday, 3 December.", december)[0] == day(12, 3)


def test_several_times_in_one_sentence_in_the_order_found() -> None:
    sentence = "Kyiv ratified on Tuesday the treaty it signed on 12 June."
    assert days_told(sentence, PUBLISHED) == (day(6, 12), day(6, 30))


def test_times_before_the_calendars_first_day_are_left_out() -> None:
    """A feed may date an entry in the year 1: nothing before 1 January 1 is told."""
    first = datetime(1, 1, 1, 12, 0, tzinfo=UTC)  # a Monday
    assert days_told("Yesterday and on Sunday MPs voted; on Monday, too.", first) == (day(1, 1, 1),)
    assert before(date(1, 1, 1), 1) is None
    assert before(date(1, 1, 2), 1) == date(1, 1, 1)
