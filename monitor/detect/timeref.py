"""The days a news sentence tells of, read against when it was published.

``days_told(sentence, published)`` finds the calendar periods a sentence names: a date
("12 June", "June 12, 2026"), a month alone ("in March", the whole month), a weekday ("on
Tuesday": the latest such day up to the publication, unless the sentence speaks of what will
happen), "yesterday", and "today" or "tonight"; not a time named to compare with ("narrower
than January's threat"), nor the month a thing it names was done ("the treaty signed in
December") or an earlier step the news came after ("after the lower house passed it in
September"). A date without a year is in the publication's year unless that puts
it more than half a year ahead, then in the year before; one something is set for ("a
referendum for 22 February") is the next such day. Pure; never raises on odd text.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.detect.novelty import speaks_hypothetically
from monitor.text import words

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name[:3]: number for name, number in list(_MONTHS.items()) if name != "may"}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\b\.?(?:,?\s+(20\d\d))?", re.I)
_MONTH_FIRST = re.compile(
    rf"\b({_MONTH})\b\.?(?:\s+(\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(20\d\d))?", re.I
)
_WEEKDAYS = [name.lower() for name in calendar.day_name]
_WEEKDAY_NAMES = "|".join(_WEEKDAYS)
_WEEKDAY = re.compile(rf"\b(next\s+|this\s+coming\s+)?({_WEEKDAY_NAMES})\b", re.I)
# a weekday written just before a date ("Wednesday, 13 January", "Wednesday January 13")
_WEEKDAY_BEFORE = re.compile(rf"\b({_WEEKDAY_NAMES}),?\s+$", re.I)
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_YESTERDAY = re.compile(r"\byesterday\b", re.I)
_TODAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)
_ABBREVIATED = frozenset(name for name in _MONTHS if len(name) == 3 and name != "may")
# a month named alone, without a day or a year, is one only when written with a capital
# ("Jan Lipavsky" and "Mar" are names, "thousands march" a verb, "august" a word), and "May"
# only after a word a month often follows ("in May", "last May": alone it is the verb far
# more often, and a name)
_VERBS = frozenset({"may"})
_AS_MONTH = re.compile(
    r"\b(?:in|of|since|until|early|late|mid|by|last|next|this|from|during)[\s-]+$", re.I
)
AHEAD = timedelta(days=183)
# a month that says when a thing the sentence names was done ("ratification of the treaty
# signed with Kyiv in December"), not when what the sentence tells happened (a day so named,
# "the agreement signed on Thursday", still ties a report to that day's news); only a place or
# the parties may come between ("the ceasefire agreed in Istanbul collapsed in March" tells
# of March)
_WHEN_IT_WAS_DONE = re.compile(
    r"\b(?:treat(?:y|ies)|agreements?|deals?|accords?|declarations?|pacts?|cease-?fires?"
    r"|truces?|armistices?|laws?|bills?|resolutions?|memorand(?:um|a)|guarantees?)"
    r"\s+(?:signed|agreed|reached|adopted|concluded|brokered"
    r"|struck|sealed|initialled|initialed)\b(?:\s+(?:with|by|between|in|at)\s+(?:the\s+)?"
    r"[\w'\u2019-]+(?:\s+and\s+[\w'\u2019-]+)?)?\s+in\s+$",
    re.I,
)
# a date a vote or talks are set for ("calls a referendum on the agreement for 22 February", "a
# vote scheduled on 3 March", "Commons to vote January 13", "MPs will vote on 3 March", "Commons
# to vote on sending troops on 13 January", "will be put to a vote on 13 January", "Government
# tables motion; vote on 14 January"; not "was
# recalled to vote on 14 September and approved") is the next such day when the one this year is
# weeks gone (one just gone is read as the day it was held: "the referendum set for 30 June was
# held")
_SET_FOR = re.compile(
    r"\b(?:(?:referendum|vote|ballot|election|talks|summit|debate)\b(?:\s+[\w'-]+){0,4}\s+for"
    r"|(?:set|scheduled|due|planned|slated)\s+(?:for|on)"
    r"|(?:(?:commons|mps|parliament|lawmakers|peers|lords)\s+(?:is\s+|are\s+)?to|will|shall)"
    r"\s+(?:debate\s+and\s+)?vote(?:\s+on\s+(?:sending|deploying|whether|troops|(?:the|a)\s+"
    r"(?:deployment|motion|mission))(?:\s+(?!(?:debated|passed|approved|did|had|was|were)\b)"
    r"[\w'-]+){0,4}?)?(?:\s+on)?"
    r"|(?:will|to)\s+be\s+(?:debated\s+and\s+)?put\s+to\s+a\s+vote(?:\s+on)?"
    r"|(?P<clause>[;:]\s*(?:(?:commons|final)\s+)?vote(?:\s+on)?))\s+$",
    re.I,
)
# ... a clause "; vote on 14 January" only closing a headline of a vote being put down
# ("Government tables Commons motion; vote on 14 January"), not a recap's or timeline's ("Recap:
# motion tabled; vote on 3 March approved 400-100", "Key dates: vote on 13 January")
_TABLING = re.compile(r"\b(?:tables|tabling|lays|schedules|puts\s+down)\b", re.I)
_ENDS = re.compile(r"[\s.!'\"\u2019\u201d]*$")
SET_FOR_GONE = timedelta(days=31)
# how far ahead a date something is set for may lie and still be this year's (a referendum set
# in February for October; a vote "scheduled for 14 December", read in February, was December's)
SET_FOR_AHEAD = timedelta(days=274)
# the time of a former stance the news is measured against ("in a shift from its January
# warning", "a condition it did not attach when it first floated the idea in February")
_FORMER_STANCE = re.compile(
    r"(?:\b(?:shift|change|departure|break|retreat|u-turn|climbdown)\s+(?:away\s+)?from"
    r"\s+(?:its|their|his|her|the|moscow's|russia's)\s+"
    r"|\bwhen\s+(?:it|they|he|she|moscow|russia|the\s+kremlin)\s+(?:first|originally|initially)"
    r"\s+(?:[\w'\u2019-]+\s+){1,6}?(?:in|on)\s+)$",
    re.I,
)
# the month of an earlier step the news came after ("completing ratification after the lower
# house passed it in September"), not when the news happened
_EARLIER_CLAUSE = re.compile(
    r"\bafter\s+(?:[\w'\u2019-]+\s+){1,3}?(?:had\s+)?(?:passed|approved|voted|ratified|signed"
    r"|adopted|backed|endorsed|agreed)\b(?:\s+[\w'\u2019-]+){0,4}?\s+in\s+$",
    re.I,
)
# what, just before a time, makes it one the sentence does not tell of
_NOT_TOLD_BEFORE = (_WHEN_IT_WAS_DONE, _FORMER_STANCE, _EARLIER_CLAUSE)
# "than" before a time ("narrower than January's threat", "more than in March"), and what
# makes it a deadline instead ("no later than 30 June")
_THAN = re.compile(
    r"\b(?:(no|not|nor)\s+(?:later|earlier|sooner)\s+)?than\s+(?:in\s+|on\s+|the\s+)?$", re.I
)


@dataclass(frozen=True)
class Period:
    """The days from ``first`` to ``last``, both included."""

    first: date
    last: date


def days_told(sentence: str, published: datetime) -> tuple[Period, ...]:
    """The periods ``sentence`` names, in the order found (see the module's docstring)."""
    today = published.date()
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for match in _DAY_FIRST.finditer(sentence):
        taken.append(match.span())
        if _not_told(sentence, match.start()):
            continue
        day = _day_told(sentence, match, today, _MONTHS[match[2].lower()], int(match[1]))
        if day is not None:
            found.append(Period(day, day))
    for match in _MONTH_FIRST.finditer(sentence):
        if any(start <= match.start() < end for start, end in taken):
            continue
        name = match[1].lower()
        if not (match[2] or match[3] or _alone_a_month(sentence, match.start(), match[1])):
            continue
        if _not_told(sentence, match.start()):
            continue
        month = _MONTHS[name]
        if match[2]:
            day = _day_told(sentence, match, today, month, int(match[2]))
            if day is not None:
                found.append(Period(day, day))
            continue
        first = _dated(today, month, 1, match[3])
        if first is not None:
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
            found.append(Period(first, last))
    if not speaks_hypothetically(words(sentence)):
        for match in _WEEKDAY.finditer(sentence):
            if match[1] or _not_told(sentence, match.start()):  # "next Tuesday" is ahead
                continue
            back = (today.weekday() - _WEEKDAYS.index(match[2].lower())) % 7
            day = before(today, back)
            if day is not None:
                found.append(Period(day, day))
    yesterday = before(today, 1)
    if yesterday is not None and _YESTERDAY.search(sentence):
        found.append(Period(yesterday, yesterday))
    if tells_of_today(sentence):
        found.append(Period(today, today))
    return tuple(found)


def tells_of_today(text: str) -> bool:
    """Whether ``text`` names today ("today", "tonight", "this morning")."""
    return _TODAY.search(text) is not None


def _not_told(sentence: str, start: int) -> bool:
    """Whether the time named at ``start`` is one the sentence does not tell of: one to
    compare with ("narrower than January's threat"; a deadline, "no later than", is told; a
    former stance, ``_FORMER_STANCE``), the month a thing it names was done
    (``_WHEN_IT_WAS_DONE``) or an earlier step the news came after (``_EARLIER_CLAUSE``)."""
    before = max(0, start - 80)
    if any(p.search(sentence, before, start) for p in _NOT_TOLD_BEFORE):
        return True
    match = _THAN.search(sentence, max(0, start - 32), start)
    return match is not None and match[1] is None


def _set_for(sentence: str, match: re.Match[str]) -> bool:
    """Whether the date ``match`` found is one a vote or talks are set for (``_SET_FOR``; a
    clause "; vote on 14 January" only as ``_TABLING`` and ``_ENDS`` allow)."""
    found = _SET_FOR.search(sentence, max(0, match.start() - 60), match.start())
    if found is None:
        return False
    if not found["clause"]:
        return True
    return bool(_TABLING.search(sentence, 0, found.start()) and _ENDS.match(sentence, match.end()))


def _day_told(
    sentence: str, match: re.Match[str], today: date, month: int, number: int
) -> date | None:
    """The day a date ``match`` found names (its year, when written, is group 3): one a vote
    is set for is read ahead (``_set_for``), and one without a year may be moved on by the
    weekday written before it (``_by_weekday``)."""
    day = _dated(today, month, number, match[3], _set_for(sentence, match))
    if day is None or match[3] is not None:
        return day
    return _by_weekday(sentence, match, day, today)


def _by_weekday(sentence: str, match: re.Match[str], day: date, today: date) -> date:
    """``day``, or the same date next year where the weekday written before it
    (``_WEEKDAY_BEFORE``) says so: a date weeks gone whose weekday is next year's ("MPs will
    vote on Wednesday, 13 January", read in December; not a date named by its event, "on
    Wednesday, 13 January's vote was recalled"). A weekday that fits neither year, as a slip of
    the writer's, changes nothing; none ever moves a date back."""
    written = _WEEKDAY_BEFORE.search(sentence, max(0, match.start() - 16), match.start())
    if written is None or today - day <= SET_FOR_GONE or _POSSESSIVE.match(sentence, match.end()):
        return day
    weekday = _WEEKDAYS.index(written[1].lower())
    try:
        later = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day
    return later if day.weekday() != weekday and later.weekday() == weekday else day


def _alone_a_month(sentence: str, start: int, written: str) -> bool:
    """Whether ``written``, a month's name at ``start`` with no day or year beside it, names
    the month (see ``_VERBS``)."""
    name = written.lower()
    if name in _ABBREVIATED or not written[0].isupper():
        return False
    return name not in _VERBS or bool(_AS_MONTH.search(sentence[:start]))


def before(day: date, days: int) -> date | None:
    """The date ``days`` before ``day``; None before the calendar's first day (a feed that
    dates its entries in the year 1)."""
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return None


def _dated(today: date, month: int, day: int, year: str | None, ahead: bool = False) -> date | None:
    """The date of ``day`` ``month`` (``year`` when given), None when there is no such day;
    ``ahead``: a date something is set for, this year's up to ``SET_FOR_AHEAD`` ahead (a
    referendum called in February "for 15 October"), next year's when this year's is weeks
    gone."""
    try:
        if year:
            return date(int(year), month, day)
        told = date(today.year, month, day)
        if ahead and today - told > SET_FOR_GONE:
            return date(today.year + 1, month, day)
        horizon = SET_FOR_AHEAD if ahead else AHEAD
        return told if told - today <= horizon else date(today.year - 1, month, day)
    except ValueError:
        return None
