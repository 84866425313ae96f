"""Evaluate watch rules on sentences, returning what held and what failed, not a bool.

``CompiledRule.evaluate(sentence)`` gives one ``PatternOutcome`` per pattern: which term
of each group matched (or that none did), whether the ``within`` distance held, and which
``unless`` group vetoed it. ``explain`` and detection both read these outcomes. A group's
regexes run only where a string they require occurs (``regex_strings``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from monitor.detect.regex_strings import required_strings
from monitor.detect.rules import Pattern, Rule, TermGroup
from monitor.text import comparable, word_starts, words

Span = tuple[int, int]  # first and last word index, inclusive
_MONTH = "may (the month)"  # so that "from May 21" is not read as the modal "may"
_MAX_COMBINATIONS = 4096


@dataclass(frozen=True)
class Sentence:
    """A sentence prepared once for every rule: comparable text, words, offsets, positions."""

    text: str
    lowered: str
    words: tuple[str, ...]
    positions: dict[str, tuple[int, ...]]
    vocabulary: frozenset[str]  # the keys of ``positions``, for set operations in C
    # answers kept with the sentence, so that one that recurs (in another article, or for
    # another rule) is not searched again: ``first_held`` by rule and ``occurs`` by the
    # group's alternatives (rules share topic groups), each by its serial number
    held: dict[int, Held | None] = field(default_factory=dict, compare=False, repr=False)
    seen: dict[int, bool] = field(default_factory=dict, compare=False, repr=False)
    # and the groups that may match it, by ``GroupIndex`` (serial numbers of both)
    possible: dict[int, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, text: str) -> Sentence:
        lowered, tokens = comparable(text), words(text)
        if "may" in tokens:
            starts = word_starts(lowered)
            tokens = [
                _MONTH if _is_the_month(tokens, i, text, starts[i]) else word
                for i, word in enumerate(tokens)
            ]
        positions: dict[str, tuple[int, ...]] = {}
        for index, word in enumerate(tokens):  # a word rarely recurs: tuples from the start
            positions[word] = (*positions[word], index) if word in positions else (index,)
        return cls(text, lowered, tuple(tokens), positions, frozenset(positions))

    @functools.cached_property
    def starts(self) -> tuple[int, ...]:
        """The offset of each word in ``lowered``: found only for a sentence where a prefix
        or a regex matches, to place the match among the words."""
        return tuple(word_starts(self.lowered))

    def word_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


_BEFORE_A_MONTH = frozenset(
    {"in", "since", "last", "next", "until", "by", "early", "late", "mid", "from", "during"}
)


def _is_the_month(words: Sequence[str], index: int, text: str, start: int) -> bool:
    """Whether ``words[index]`` is "may" beside a day or a year ("May 21", "21 May"), or
    written "May" after a word that a month often follows ("signed in May", "since May";
    lower-case "in may not arrive" stays the verb)."""
    if words[index] != "may":
        return False
    if index > 0 and words[index - 1] in _BEFORE_A_MONTH and text.startswith("May", start):
        return True
    beside = (words[i] for i in (index - 1, index + 1) if 0 <= i < len(words))
    return any(word.isdigit() for word in beside)


_LETTERS_AND_DIGITS = re.compile(r"[a-z0-9]+")


def _word_parts(needs: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    """For regexes that require one of ``needs[i]`` each (``required_strings``): the longest
    run of letters and digits of each required string. Such a run lies within one word of
    any ``comparable`` text that holds it, so a set of words tells where none of the regexes
    can match. None when a regex requires nothing known, or a string with no such run."""
    parts = set()
    for strings in needs:
        if strings is None:
            return None
        for string in strings:
            runs = _LETTERS_AND_DIGITS.findall(string)
            if not runs:
                return None
            parts.add(max(runs, key=len))
    return frozenset(parts)


@functools.lru_cache(maxsize=65_536)
def _parts_in(word: str, parts: frozenset[str]) -> frozenset[str]:
    """The ``parts`` (strings of letters and digits) that ``word`` holds."""
    return frozenset(
        part
        for start in range(len(word))
        for end in range(start + 1, len(word) + 1)
        if (part := word[start:end]) in parts
    )


@dataclass(frozen=True)
class Hit:
    term: str
    span: Span


# One serial number per distinct list of alternatives, whatever the group's label or
# ``within``: groups with the same number find the same terms in a sentence.
_ALTERNATIVES: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
_RULES = itertools.count()  # serial numbers of compiled rules
_INDEXES = itertools.count()  # serial numbers of group indexes
_PART_SETS: dict[frozenset[str], frozenset[str]] = {}  # each index's parts, one object each


class CompiledGroup:
    """A ``TermGroup`` ready to search sentences."""

    def __init__(self, group: TermGroup) -> None:
        self.group = group
        self.name = group.describe()
        alternatives = (tuple(group.any), tuple(group.regex))
        self.serial = _ALTERNATIVES.setdefault(alternatives, len(_ALTERNATIVES))
        # Phrases indexed by their first word; one-word prefixes ("deploy*") become one regex.
        self._by_first: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
        prefixes: list[str] = []
        for term in group.any:
            prefix = term.endswith("*")
            tokens = tuple(words(term.rstrip("*")))
            if prefix and len(tokens) == 1:
                prefixes.append(tokens[0])
            else:
                self._by_first.setdefault(tokens[0], []).append((term, tokens, prefix))
        self._first_words = frozenset(self._by_first)
        # its one-word terms: each is found wherever its word is ("may" but for the month)
        self._words = frozenset(
            first
            for first, terms in self._by_first.items()
            if first != "may" and any(len(tokens) == 1 for _, tokens, _ in terms)
        )
        self._prefix = (
            re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, prefixes)) + ")")
            if prefixes
            else None
        )
        self._regexes = [
            (pattern, re.compile(pattern), required_strings(pattern)) for pattern in group.regex
        ]
        self._parts = _word_parts(needs for _, _, needs in self._regexes)
        self._prefixes = tuple(prefixes)

    @property
    def first_words(self) -> frozenset[str]:
        """The first words of the group's words and phrases."""
        return self._first_words

    def named_in(self, vocabulary: frozenset[str]) -> bool:
        """Whether one of the group's one-word terms is among the words (``words``) of some
        texts: ``find`` then finds it in the text that holds it (True only then)."""
        return not self._words.isdisjoint(vocabulary)

    @property
    def prefixes(self) -> tuple[str, ...]:
        """The group's one-word prefixes ("deploy" for "deploy*")."""
        return self._prefixes

    @property
    def regex_parts(self) -> frozenset[str] | None:
        """Runs of letters and digits one of which is in a word of every sentence where one
        of the group's regexes matches (empty without regexes); None when unknown."""
        return self._parts

    def may_occur(self, lowered: str, vocabulary: frozenset[str]) -> bool:
        """False only when no alternative can match any of some texts, given as their
        comparable forms joined by spaces and the set of their words (``words``): set and
        substring checks that spare preparing their sentences for nothing."""
        return (
            not self._first_words.isdisjoint(vocabulary)
            or any(map(lowered.__contains__, self._prefixes))
            or any(True for _ in self._runnable(lowered))
        )

    def may_match(self, sentence: Sentence) -> bool:
        """False only when ``find`` surely finds nothing in ``sentence``: a set check on its
        words and a substring check for prefixes, without building any hit."""
        return (
            not self._first_words.isdisjoint(sentence.vocabulary)
            or any(map(sentence.lowered.__contains__, self._prefixes))
            or self._parts is None
            or any(map(sentence.lowered.__contains__, self._parts))
        )

    def occurs(self, sentence: Sentence) -> bool:
        """Whether ``find`` finds anything in ``sentence``; stops at the first occurrence.
        Asked once per sentence for all groups with the same alternatives."""
        seen = sentence.seen.get(self.serial)
        if seen is None:
            seen = sentence.seen[self.serial] = self._occurs(sentence)
        return seen

    def _occurs(self, sentence: Sentence) -> bool:
        if not self.may_match(sentence):
            return False
        if self._phrases(sentence):
            return True
        if self._prefix is not None and self._prefix.search(sentence.lowered):
            return True
        lowered = sentence.lowered
        return any(regex.search(lowered) for _, regex in self._runnable(lowered))

    def _runnable(self, lowered: str) -> Iterator[tuple[str, re.Pattern[str]]]:
        """The group's regexes (source, compiled) that may match ``lowered``: each one only
        where one of the strings it requires occurs (a substring test is far cheaper than a
        regex scan)."""
        for pattern, regex, needs in self._regexes:
            if needs is None or any(map(lowered.__contains__, needs)):
                yield pattern, regex

    def _phrases(self, sentence: Sentence) -> list[Hit]:
        """The occurrences of the group's words and phrases (not its prefixes or regexes)."""
        firsts = self._first_words & sentence.vocabulary
        if not firsts:
            return []
        hits = []
        words = sentence.words
        for first in firsts:
            for i in sentence.positions[first]:
                for term, tokens, prefix in self._by_first[first]:
                    end = i + len(tokens) - 1
                    if end >= len(words) or words[i + 1 : end] != tokens[1:-1]:
                        continue
                    last = words[end]
                    if (
                        len(tokens) == 1
                        or last == tokens[-1]
                        or (prefix and last.startswith(tokens[-1]))
                    ):
                        hits.append(Hit(term, (i, end)))
        return hits

    def find(self, sentence: Sentence) -> list[Hit]:
        """Every occurrence of every alternative, as word spans, in the sentence's order (a
        pattern's tightest combination is the first found, so the order must not depend on
        how a set of words happens to iterate in this process)."""
        hits = self._phrases(sentence) if self._by_first else []
        lowered = sentence.lowered
        if self._prefix is not None:
            for match in self._prefix.finditer(lowered):
                index = sentence.word_at(match.start())
                hits.append(Hit(match.group(1) + "*", (index, index)))
        for pattern, regex, needs in self._regexes:  # ``_runnable``, without a generator
            if needs is not None and not any(map(lowered.__contains__, needs)):
                continue
            for match in regex.finditer(lowered):
                end = max(match.start(), match.end() - 1)
                hits.append(
                    Hit(f"/{pattern}/", (sentence.word_at(match.start()), sentence.word_at(end)))
                )
        if len(hits) > 1:
            hits.sort(key=_order)
        return hits


def _order(hit: Hit) -> tuple[Span, str]:
    return hit.span, hit.term


@dataclass(frozen=True)
class PatternOutcome:
    """How one pattern fared on one sentence."""

    pattern: str
    stage: str
    matched: tuple[tuple[str, str | None], ...]  # (group, matched term or None)
    distance_ok: bool
    vetoed_by: str | None
    span: Span | None

    @property
    def held(self) -> bool:
        return self.span is not None and self.distance_ok and self.vetoed_by is None

    def reason(self) -> str:
        missing = [group for group, term in self.matched if term is None]
        if missing:
            return "no match for: " + "; ".join(missing)
        if not self.distance_ok:
            return "terms too far apart"
        if self.vetoed_by:
            return f"vetoed by: {self.vetoed_by}"
        return "held: " + ", ".join(f"{term}" for _, term in self.matched)


def _closest(hit_lists: list[list[Hit]], within: int | None) -> tuple[list[Hit], bool]:
    """Pick one hit per group, the tightest combination; say whether it fits ``within``."""
    combos = itertools.islice(itertools.product(*hit_lists), _MAX_COMBINATIONS)
    best: list[Hit] = [hits[0] for hits in hit_lists]
    best_width = None
    for combo in combos:
        width = max(h.span[1] for h in combo) - min(h.span[0] for h in combo)
        if best_width is None or width < best_width:
            best, best_width = list(combo), width
    fits = within is None or (best_width is not None and best_width <= within)
    return best, fits


def _vetoes(group: CompiledGroup, sentence: Sentence, span: Span) -> str | None:
    """The term of ``group`` that vetoes a match over ``span`` (anywhere, or within N words)."""
    for hit in group.find(sentence):
        gap = max(span[0] - hit.span[1], hit.span[0] - span[1], 0)
        if group.group.within is None or gap <= group.group.within:
            return hit.term
    return None


class CompiledPattern:
    """A ``Pattern`` ready to evaluate, with its own and its rule's vetoes."""

    def __init__(self, pattern: Pattern, rule_vetoes: list[CompiledGroup]) -> None:
        self.pattern = pattern
        self.stage = pattern.stage_name
        self.groups = [CompiledGroup(group) for group in pattern.all]
        self.vetoes = [CompiledGroup(group) for group in pattern.unless] + rule_vetoes

    def holds(self, sentence: Sentence, *, checked: bool = False) -> PatternOutcome | None:
        """The outcome if the pattern holds on ``sentence``, else None (stops early: no
        group is searched unless every group may match; ``checked`` says the caller has
        made sure they all may)."""
        if not checked and not all(group.may_match(sentence) for group in self.groups):
            return None
        hit_lists = []
        for group in self.groups:
            hits = group.find(sentence)
            if not hits:
                return None
            hit_lists.append(hits)
        outcome = self._judge(sentence, hit_lists)
        return outcome if outcome.held else None

    def evaluate(self, sentence: Sentence) -> PatternOutcome:
        """The full outcome on ``sentence``: what matched, what did not, what vetoed."""
        hit_lists = [group.find(sentence) for group in self.groups]
        if not all(hit_lists):
            matched = tuple(
                (g.name, hits[0].term if hits else None)
                for g, hits in zip(self.groups, hit_lists, strict=True)
            )
            return PatternOutcome(self.pattern.name, self.stage, matched, True, None, None)
        return self._judge(sentence, hit_lists)

    def _judge(self, sentence: Sentence, hit_lists: list[list[Hit]]) -> PatternOutcome:
        chosen, fits = _closest(hit_lists, self.pattern.within)
        span = (min(h.span[0] for h in chosen), max(h.span[1] for h in chosen))
        matched = tuple((g.name, h.term) for g, h in zip(self.groups, chosen, strict=True))
        vetoed_by = None
        for veto in self.vetoes:
            term = _vetoes(veto, sentence, span)
            if term is not None:
                vetoed_by = f"{term} ({veto.name})"
                break
        return PatternOutcome(self.pattern.name, self.stage, matched, fits, vetoed_by, span)


class GroupIndex:
    """Which of many groups may match a sentence (``CompiledGroup.may_match`` of each), found
    in one pass and kept with the sentence: its words looked up among the groups' first
    words, each distinct prefix looked for once, and the parts of words the groups' regexes
    require (``regex_parts``) found among the parts of its words, which are kept per word
    across sentences. Groups are named by their ``serial``, so groups with the same
    alternatives (in several patterns or rules) are looked up once."""

    def __init__(self, groups: Iterable[CompiledGroup]) -> None:
        self.serial = next(_INDEXES)
        self.serials: set[int] = set()
        self._always: set[int] = set()
        self._by_word: dict[str, set[int]] = {}
        self._by_prefix: dict[str, set[int]] = {}
        self._by_part: dict[str, set[int]] = {}
        for group in groups:
            self.serials.add(group.serial)
            parts = group.regex_parts
            if parts is None:
                self._always.add(group.serial)
            for part in parts or ():
                self._by_part.setdefault(part, set()).add(group.serial)
            for word in group.first_words:
                self._by_word.setdefault(word, set()).add(group.serial)
            for prefix in group.prefixes:
                self._by_prefix.setdefault(prefix, set()).add(group.serial)
        # one object for equal sets, so that ``_parts_in`` finds its answers by identity
        parts = frozenset(self._by_part)
        self._parts = _PART_SETS.setdefault(parts, parts)

    def possible(self, sentence: Sentence) -> frozenset[int]:
        """The serials of the groups that may match ``sentence``."""
        found = sentence.possible.get(self.serial)
        if found is None:
            found = sentence.possible[self.serial] = self._possible(sentence)
        return found

    def _possible(self, sentence: Sentence) -> frozenset[int]:
        found = set(self._always)
        for word in self._by_word.keys() & sentence.vocabulary:
            found |= self._by_word[word]
        for prefix, serials in self._by_prefix.items():
            if prefix in sentence.lowered:
                found |= serials
        for part in self._word_parts(sentence):
            found |= self._by_part[part]
        return frozenset(found)

    def _word_parts(self, sentence: Sentence) -> set[str]:
        """The regexes' parts of words (``regex_parts``) that the sentence's words hold."""
        found: set[str] = set()
        for word in sentence.vocabulary:
            found |= _parts_in("may" if word == _MONTH else word, self._parts)
        return found


def topic_reading(texts: Sequence[str]) -> tuple[str, frozenset[str]]:
    """Texts as ``CompiledGroup.may_occur`` reads them: comparable forms joined, and words."""
    vocabulary = frozenset(word for text in texts for word in words(text))
    return " ".join(map(comparable, texts)), vocabulary


Held = tuple[int, PatternOutcome]  # the index of the pattern that holds, and its outcome


def parties_named(groups: Sequence[CompiledGroup], sentence: Sentence) -> frozenset[str]:
    """The labels of a rule's party ``groups`` (who acts) found in ``sentence``."""
    return frozenset(group.name for group in groups if group.occurs(sentence))


class CompiledRule:
    """A ``Rule`` ready to evaluate; included rules are resolved by the engine. Its patterns'
    groups are looked up in its own ``GroupIndex``, or in one that ``compile_rules`` shares
    between rules (so a sentence is looked up once for all of them)."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.serial = next(_RULES)
        rule_vetoes = [CompiledGroup(group) for group in rule.unless]
        self.patterns = [CompiledPattern(p, rule_vetoes) for p in rule.patterns]
        self.topic = [CompiledGroup(group) for group in rule.topic]
        self.parties = [CompiledGroup(group) for group in rule.parties]
        # the stages of patterns naming a kind of development of its own (``Pattern.own_kind``)
        self.own_kinds = frozenset(p.stage_name for p in rule.patterns if p.own_kind)
        self.groups = [group for pattern in self.patterns for group in pattern.groups]
        self.index = GroupIndex(self.groups)
        # the serials of each pattern's groups, as ``index`` names them
        self._needs = [frozenset(group.serial for group in p.groups) for p in self.patterns]

    def off_topic(self, texts: Sequence[str]) -> bool:
        """Whether a topic group surely matches none of ``texts`` (see ``may_occur``)."""
        return self.off_topic_in(*topic_reading(texts))

    def off_topic_in(self, lowered: str, vocabulary: frozenset[str]) -> bool:
        """``off_topic`` of texts read by ``topic_reading`` (once for every rule)."""
        return any(not group.may_occur(lowered, vocabulary) for group in self.topic)

    def topic_missing(
        self, sentences: Iterable[Sentence], vocabulary: frozenset[str] = frozenset()
    ) -> list[str]:
        """The topic groups found in none of the article's sentences (empty when on topic);
        reads ``sentences`` only as far as it must: not at all for a group with a one-word
        term among the words of all of them, when their ``vocabulary`` is given."""
        missing = [group for group in self.topic if not group.named_in(vocabulary)]
        unread = iter(sentences)
        while missing and (sentence := next(unread, None)) is not None:
            missing = [group for group in missing if not group.occurs(sentence)]
        return [group.name for group in missing]

    def evaluate(self, sentence: Sentence) -> list[PatternOutcome]:
        """Every pattern's full outcome, for explanations."""
        return [pattern.evaluate(sentence) for pattern in self.patterns]

    def first_held(self, sentence: Sentence) -> Held | None:
        """The first pattern (in priority order) that holds, with its index; else None. A
        pattern is searched only when each of its groups may match (one ``GroupIndex`` pass
        for all of them); the answer is kept with the sentence."""
        if self.serial in sentence.held:
            return sentence.held[self.serial]
        held = sentence.held[self.serial] = self._first_held(sentence)
        return held

    def _first_held(self, sentence: Sentence) -> Held | None:
        possible = self.index.possible(sentence)
        for index, pattern in enumerate(self.patterns):
            if self._needs[index] <= possible:
                outcome = pattern.holds(sentence, checked=True)
                if outcome is not None:
                    return index, outcome
        return None


def compile_rules(rules: Iterable[Rule]) -> list[CompiledRule]:
    """The rules compiled, sharing one ``GroupIndex`` of all their patterns' groups."""
    compiled = [CompiledRule(rule) for rule in rules]
    shared = GroupIndex(group for each in compiled for group in each.groups)
    for each in compiled:
        each.index = shared
    return compiled
