"""Conventions of news copy that a reader discounts: datelines, slugs, headlines in capitals
and timelines.

``without_dateline`` drops the "MOSCOW, March 3 (Reuters) -" opening of a paragraph and
``without_slug`` the "UPDATE 2-" or "FLASH:" before a headline, so that rules reading a
sentence see "Russia said ..." where the writer put it. ``Casing`` writes a sentence set in
capitals the way its words are usually written: word vectors are case-sensitive, and
"RUSSIA SAYS ..." lands far from "Russia says ..." (a cosine near 0.5 for the same words).
``recap_lines`` finds a timeline's lines, which rules do not read as news.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from monitor.detect.headline import found_beside_dated_anniversary

_DATELINE = re.compile(
    r"""^(?:[A-Z][A-Z.'\-]+(?:[\s/][A-Z][A-Z.'\-]+){0,3})   # the place(s), in capitals
    (?:,\s[^()\n]{1,30}?)?                              # a date
    \s*(?:\([A-Za-z][\w .&/-]{0,30}\)|/[A-Za-z\- ]{2,20}/\.?)  # (Agency) or /TASS/.
    \s*[-:.]+\s+""",
    re.VERBOSE,
)
_SLUG = re.compile(
    r"^(?:(?:UPDATE|REFILE|CORRECTED)(?:\s\d+)?|FLASH|BREAKING|URGENT|EXCLUSIVE|WRAPUP(?:\s\d+)?)"
    r"(?:\s?[-:]\s?|\s+)",
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CHRONOLOGY = re.compile(
    rf"^(?:(?:\d{{1,2}}\s+)?{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?|\d{{4}})"
    r"\s*(?::|\s[-\u2013\u2014]\s)",
    re.IGNORECASE,
)
_TIMELINE = 3  # lines of a timeline that make the article one
# A timeline with at most this many sentences besides the headline outside it (an
# introduction, a closing line) is the article, headline included; one with more around it
# is a box of key dates in a report, under a headline that tells the report's news.
_TIMELINE_AROUND = 2
# A timeline ends this many sentences after its last line (an entry's second sentence); what
# follows it is told of today.
_TIMELINE_TAIL = 1
_TIMELINE_TITLE = re.compile(
    r"^timeline\b|\btimeline$|\b(year|week|month) in review\b|\ba year (after|on|since)\b"
    r"|\banniversary\b",
    re.I,
)
_SINCE_THEN = re.compile(r"^since then\b", re.I)
_WORD = re.compile(r"[A-Za-z]+")
_MIN_LETTERS = 12  # fewer letters than this in capitals may be an acronym or a name
_CAPITAL_SHARE = 0.8
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))
_NOT_ASCII_LETTERS = bytes(c for c in range(256) if not chr(c).isascii() or not chr(c).isalpha())


def without_dateline(paragraph: str) -> str:
    """``paragraph`` without a wire dateline at its start."""
    return _DATELINE.sub("", paragraph, count=1)


def without_slug(headline: str) -> str:
    """``headline`` without a wire service's slug at its start."""
    return _SLUG.sub("", headline, count=1)


def chronology_entry(sentence: str) -> bool:
    """Whether ``sentence`` is a line of a timeline ("September: A ceasefire is signed.",
    "6 January 2026 - ..."): a recap of the past, not a report of today's news."""
    return _CHRONOLOGY.match(sentence) is not None


def recap_lines(sentences: Sequence[str]) -> set[int]:
    """Indices of the sentences (the headline first) that recap the past: a timeline's
    lines and sentences opening "Since then"; in an article of at least ``_TIMELINE`` such
    lines, everything from the first line to ``_TIMELINE_TAIL`` sentences after the last,
    and the headline too when at most ``_TIMELINE_AROUND`` other sentences lie outside that
    (the article is a timeline, not a box of key dates in a report); in one headed as a
    timeline or a review (not an anniversary told as the day of its news), every sentence."""
    if sentences and found_beside_dated_anniversary(_TIMELINE_TITLE, sentences[0]):
        return set(range(len(sentences)))
    lines = [i for i, sentence in enumerate(sentences) if chronology_entry(sentence)]
    if len(lines) >= _TIMELINE:
        end = min(len(sentences), lines[-1] + 1 + _TIMELINE_TAIL)
        around = len(sentences) - 1 - (end - lines[0])
        headline = {0} if around <= _TIMELINE_AROUND else set()
        return {*headline, *range(lines[0], end)}
    return set(lines) | {i for i, sentence in enumerate(sentences) if _SINCE_THEN.match(sentence)}


def in_capitals(text: str) -> bool:
    """Whether ``text`` is set in capitals (most of its letters, and enough of them)."""
    if text.isascii():  # the usual case: letters and capitals counted in C, not per character
        letters = text.encode("ascii").translate(None, _NOT_ASCII_LETTERS)
        count, capitals = len(letters), len(letters.translate(None, _ASCII_LOWER))
    else:
        found = [c for c in text if c.isalpha()]
        count, capitals = len(found), sum(c.isupper() for c in found)
    return count >= _MIN_LETTERS and capitals >= _CAPITAL_SHARE * count


class Casing:
    """The usual written form of words, learnt from ordinary text (the baseline's claims and
    the rules' examples): a word written with capitals inside a sentence, or at its start
    and never in lower case, keeps them."""

    def __init__(self, texts: Iterable[str]) -> None:
        forms: dict[str, Counter[str]] = {}
        openings: dict[str, str] = {}  # a sentence's first word, capitalised by position
        written_lower: set[str] = set()
        for text in texts:
            if in_capitals(text):
                continue
            for index, match in enumerate(_WORD.finditer(text)):
                word = match.group()
                if word == word.lower():
                    written_lower.add(word)
                elif index:
                    forms.setdefault(word.lower(), Counter())[word] += 1
                else:
                    openings.setdefault(word.lower(), word)
        self._proper = {lower: counts.most_common(1)[0][0] for lower, counts in forms.items()}
        for lower, word in openings.items():
            if lower not in written_lower:
                self._proper.setdefault(lower, word)

    def restore(self, text: str) -> str:
        """``text`` as usually written if it is set in capitals, else unchanged."""
        if not in_capitals(text):
            return text
        first = True

        def recase(match: re.Match[str]) -> str:
            nonlocal first
            lower = match.group().lower()
            word = self._proper.get(lower, lower)
            if first:
                first = False
                word = word[:1].upper() + word[1:]
            return word

        return _WORD.sub(recase, text)
