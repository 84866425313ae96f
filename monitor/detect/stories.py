"""Group reports into developments: the first is an alert, later ones are updates.

``StoryBook.decide`` is a pure decision over the developments recorded so far, with the clock
passed in (it keeps only a cache of the parties it read). Similarity joins two measures: the
cosine of the reports' embeddings and that of their TF-IDF terms (shared rare names and
numbers). A report is an ``UPDATE`` of a development last reported within the *burst* (reports
of one event cluster within a day) when it is similar enough or names the same specific rule at
the same pattern stage; within the longer *follow* one of the same rule at a stage no pattern
named updates it whatever its wording (the next day's analysis of a truce's end), one that no
specific rule names, no pattern stages or a broad rule's pattern names as no other kind than the
development was named (the model's own: the next day's feature or newsletter; an arrangement, then
a feature on it), updates a development it is clearly related to (``unnamed_similarity``), and one a
pattern stages updates a development of a specific rule no pattern staged when related
(``group_similarity``), within *follow* of its first report, and tells it its stage (which keeps
other stages apart once the burst of its first report is over; a restart trusts it at once).
Time is the distance from the development's reports, so a late-arriving older report is not "at
once". Similar enough rises with the time since the development's last report, from
``close_similarity`` at once to ``group_similarity`` at the end of the burst: reports of
distinct developments of one story share much of their wording, so closeness in time tells about
as much as wording does; a report naming a kind the development was never reported as needs
``group_similarity`` at once, and one sharing no specific kind with it (Russia's new terms for a
truce, named a truce by another outlet's wording) joins only within the burst, at
``other_kind_similarity``. Within the longer *window* a report updates a development when it
says nearly the same thing (``late_similarity``), or is related (``group_similarity``) and of
the same rule, at the same stage or at none a pattern named: features and analysis days after
the news. A different stage of the same specific rule (a vote *held* after it was *scheduled*)
is a development of its own, unless the rule says one stage ``continues`` another (a truce *in
force* the night after it was *agreed*, as announced): within ``follow`` of the development's
first report, in either order, at least ``close_similarity`` alike and naming no new kind, that
is the same development; so is a stage the rule says ``preceded_by`` it, reported after it
within that time (the motion *tabled*, told in a report on the day after the vote was *held*).
Within the window a report that tells of the day a development was first reported ("MPs voted on
Tuesday", read on Thursday) updates it when related (``group_similarity``) and naming no new
kind; one of the same kind and stage whose pattern sentence tells of that day alone ("the
ceasefire signed on 30 July", read two days on) does when at all alike (``close_similarity``).
A rule may name who acts (``parties``: the countries whose troops arrive): a report of it at a
stage a pattern named and a development at such a stage, whose pattern sentences name
parties and none in common, are two developments whatever else holds (French troops arriving a
week after British ones, or ordered hours after a Commons vote on British troops). A broad
rule's patterns name kinds of development in their own words ("pledged 3 billion", "agreed a
fund"), not stages, so they keep no reports apart, but a report one of them names as a kind the
development was not (a court's ruling, the day after a pact was signed) needs
``group_similarity`` at once, as a report naming a new kind does. A report headlined as an
explainer, an analysis or a question (``headline.explains``) that goes over a development it may
be (not another stage of its kind, nor another party's), of every kind it names, last reported
longer than the burst and at most ``EXPLAINED_WITHIN`` (a month) before (similarity at least
``explained_similarity``; ``group_similarity`` when a pattern names the same kind and stage and
the headline opens as a question or with a label), and updates none, is ``KNOWN`` too: "Why
Russia took the troops question to the UN", nine days after it did; "What the Commons vote did,
and didn't, authorise", weeks after it (the price: a second vote first reported under "Why MPs
backed ..." within the month would be taken for the first). A
report that restates an older development (similarity at least ``known_similarity``: nearly its
words, since another parliament ratifying the same treaty months later reads 0.7-0.8 alike) and
updates no other is ``KNOWN``, and so is one each of whose evidence sentences tells only of
times ``history`` or longer before it (a year in review, an anniversary piece); anything else is
a ``NEW_DEVELOPMENT``. ``record`` applies a decision and counts the independent outlets that
reported each development; the sentences of every report it records are what the story has
``told`` (a later article that repeats one, as agency copy repeats its earlier paragraphs for
background, says nothing new in it, and one that repeats them all is ``KNOWN``). Developments
are plain data so the store can persist them, each with its latest reports as the book compares
them (``Development.reports``) and whether a later report told its stage: a book reset from the
store (a restart, another replica) decides as the one that recorded them.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from monitor.detect.headline import explains, opens_as_explainer
from monitor.detect.matching import CompiledGroup, Sentence, parties_named
from monitor.detect.similarity import content_key, copy_similarity
from monitor.detect.timeref import Period, before
from monitor.models import Decision, Development, ReportTrace

if TYPE_CHECKING:
    from monitor.detect.rules import Pattern, Rule

DEFAULT_WINDOW = timedelta(days=7)
DEFAULT_BURST = timedelta(days=1)
DEFAULT_FOLLOW = timedelta(days=2)
DEFAULT_HISTORY = timedelta(days=14)
DEFAULT_GROUP_SIMILARITY = 0.2
DEFAULT_CLOSE_SIMILARITY = 0.1
DEFAULT_LATE_SIMILARITY = 0.45
DEFAULT_OTHER_KIND_SIMILARITY = 0.3
DEFAULT_KNOWN_SIMILARITY = 0.8
DEFAULT_EXPLAINED_SIMILARITY = 0.4
DEFAULT_UNNAMED_SIMILARITY = 0.3
WIRE_COPY_SIMILARITY = 0.9  # lexical overlap above which two reports are one wire story
UNSTAGED = "reported"  # the stage of a development named by the model, not by a pattern

Embed = Callable[[Sequence[str]], np.ndarray]
Terms = Mapping[str, float]
Vectorise = Callable[[str], Terms]
# an explainer or analysis goes over a development of the last weeks; months later a headline
# of that form ("What the papers say: MPs approve 800 more troops") tells news of its own
EXPLAINED_WITHIN = timedelta(days=30)
KEPT_REPORTS = 8  # reports compared per development: bounds the cost of long-running ones
KEPT_TOLD = 20_000  # sentences the story has told, latest kept (about 10 MB measured)
KEPT_PARTIES = 10_000  # texts whose parties are kept (the developments' first sentences)
TERM_WEIGHT = 2.0  # a shared rare name or number says "same event" more than wording does


@dataclass(frozen=True)
class Report:
    """What one article says about a development: its rules (most specific first), the
    pattern stage, its evidence sentences, their embedding, and the outlet."""

    rules: tuple[str, ...]
    stage: str
    evidence: tuple[str, ...]
    vector: np.ndarray
    terms: Terms
    outlet: str
    # the periods each evidence sentence names (``timeref.days_told``), in the same order
    times: tuple[tuple[Period, ...], ...] = ()
    sentences: tuple[str, ...] = ()  # all of the article's, for what the story has told
    headline: str = ""  # as measured (``ArticleSignals.title``)

    @property
    def rule(self) -> str:
        return self.rules[0]


@dataclass(frozen=True)
class _Kept:
    """A report kept to compare later ones with: its embedding, and its terms as the book's
    column numbers with their weights, so that one decision takes the term cosines of every
    kept report in a few array operations."""

    vector: np.ndarray
    columns: np.ndarray
    weights: np.ndarray


@dataclass(frozen=True)
class Verdict:
    """A decision, the development it concerns (if any) and why."""

    decision: Decision
    development: Development | None
    similarity: float
    reason: str


class StoryBook:
    """The developments of the story so far."""

    def __init__(
        self,
        developments: Iterable[Development] = (),
        *,
        embed: Embed | None = None,
        vectorise: Vectorise | None = None,
        window: timedelta = DEFAULT_WINDOW,
        burst: timedelta = DEFAULT_BURST,
        follow: timedelta = DEFAULT_FOLLOW,
        history: timedelta = DEFAULT_HISTORY,
        group_similarity: float = DEFAULT_GROUP_SIMILARITY,
        close_similarity: float = DEFAULT_CLOSE_SIMILARITY,
        late_similarity: float = DEFAULT_LATE_SIMILARITY,
        known_similarity: float = DEFAULT_KNOWN_SIMILARITY,
        explained_similarity: float = DEFAULT_EXPLAINED_SIMILARITY,
        other_kind_similarity: float = DEFAULT_OTHER_KIND_SIMILARITY,
        unnamed_similarity: float = DEFAULT_UNNAMED_SIMILARITY,
    ) -> None:
        self.embed = embed
        self.vectorise = vectorise
        self.broad: frozenset[str] = frozenset()  # rules that name no kind (``includes``)
        # (rule, earlier stage, later stage): the later follows as announced (``continues``)
        self.continuing: frozenset[tuple[str, str, str]] = frozenset()
        # (rule, earlier stage, later stage): the earlier, reported after the later, is its
        # past (``preceded_by``)
        self.preceding: frozenset[tuple[str, str, str]] = frozenset()
        # (rule, stage) -> rules whose developments a report at that stage never updates
        self.apart: dict[tuple[str, str], frozenset[str]] = {}
        # each rule's groups naming who acts (``parties``), and the parties found in a text
        self._party_groups: dict[str, list[CompiledGroup]] = {}
        self._parties_in: dict[tuple[str, str], frozenset[str]] = {}
        self.window = window
        self.burst = min(burst, window)
        self.follow = min(follow, window)
        self.history = history
        self.group_similarity = group_similarity
        if close_similarity > group_similarity:
            raise ValueError(
                f"close_similarity {close_similarity} is above group_similarity {group_similarity}"
            )
        self.close_similarity = close_similarity
        if late_similarity < group_similarity:
            raise ValueError(
                f"late_similarity {late_similarity} is below group_similarity {group_similarity}"
            )
        self.late_similarity = late_similarity
        if other_kind_similarity < group_similarity:
            raise ValueError(
                f"other_kind_similarity {other_kind_similarity} is below group_similarity "
                f"{group_similarity}"
            )
        self.other_kind_similarity = other_kind_similarity
        self.known_similarity = known_similarity
        self.explained_similarity = explained_similarity
        self.unnamed_similarity = unnamed_similarity
        self._developments: list[Development] = []
        self._kept: dict[str, list[_Kept]] = {}
        self._columns: dict[str, int] = {}  # every term of a kept report, numbered
        self._told: dict[str, str] = {}  # content key -> the sentence first told with it
        self.generation = 0  # how many times ``reset`` replaced what the book knows
        # set when the book forgot decisions the store never recorded and could not be told
        # what the store holds: it must be reset from the store before its next decision
        self.needs_reload = False
        self.reset(developments)

    def reset(self, developments: Iterable[Development]) -> None:
        """Replace what the book knows, e.g. with what the store actually recorded: each
        development's latest reports (``Development.reports``) are compared with later ones,
        and their sentences are what the story has told, as when they were recorded. A
        development stored without them (before they were kept, or by an embedding model of
        another size) is compared by its evidence, embedded and read as one text."""
        self._developments = list(developments)
        self.generation += 1
        self.needs_reload = False
        self._kept = {}
        self._columns = {}
        self._told = {}
        # the size of a stored embedding (reports stored by another model are not compared)
        size = self.embed([""]).shape[1] * 4 if self.embed else None
        self._retell(self._developments)
        for development in self._developments:
            fits = [trace for trace in development.reports if size in (None, len(trace.vector))]
            self._kept[development.id] = [self._keep(trace) for trace in fits]
            text = " ".join(development.evidence)
            if not fits and self.embed and self.vectorise and text:
                self._kept[development.id] = [self._keep(self._trace(text))]

    def _retell(self, developments: Sequence[Development]) -> None:
        """Learn what the story has told from the developments' evidence and latest reports:
        the latest ``KEPT_TOLD`` sentences or so (what a running book keeps), oldest first,
        so that a long story is not read again sentence by sentence."""
        latest: list[Sequence[str]] = []
        seen: set[str] = set()
        for development in reversed(developments):
            traces = (trace.sentences for trace in reversed(development.reports))
            for sentences in (*traces, development.evidence):
                if len(seen) >= KEPT_TOLD:
                    break
                latest.append(sentences)
                seen.update(sentences)
        for sentences in reversed(latest):
            self._tell(sentences)

    def know_rules(self, rules: Sequence[Rule]) -> None:
        """Learn from the rules in use which name no kind of development (``includes``)
        and which of their stages continue or come after others."""
        self.broad = frozenset(rule.id for rule in rules if rule.includes)
        self.continuing = _stage_pairs(rules, lambda pattern: pattern.continues)
        self.preceding = _stage_pairs(rules, lambda pattern: pattern.preceded_by)
        self.apart = {
            (rule.id, pattern.stage_name): frozenset(pattern.apart_from)
            for rule in rules
            for pattern in rule.patterns
            if pattern.apart_from
        }
        self._party_groups = {
            rule.id: [CompiledGroup(group) for group in rule.parties]
            for rule in rules
            if rule.parties
        }
        self._parties_in = {}

    @property
    def developments(self) -> list[Development]:
        return list(self._developments)

    @property
    def told(self) -> Mapping[str, str]:
        """The sentences of the reports recorded (after a ``reset``, the developments'
        evidence), by their content key (``similarity.content_key``)."""
        return self._told

    def _tell(self, sentences: Iterable[str]) -> None:
        """Add ``sentences`` to what the story has told; the oldest go past ``KEPT_TOLD``."""
        for sentence in sentences:
            key = content_key(sentence)
            if key and key not in self._told:
                self._told[key] = sentence
        for stale in list(itertools.islice(self._told, max(0, len(self._told) - KEPT_TOLD))):
            del self._told[stale]

    def _keep(self, trace: ReportTrace) -> _Kept:
        terms = trace.terms
        columns = [self._columns.setdefault(term, len(self._columns)) for term in terms]
        weights = np.fromiter(terms.values(), dtype=np.float64, count=len(terms))
        vector = np.frombuffer(trace.vector, dtype=np.float32)
        return _Kept(vector, np.array(columns, dtype=np.int64), weights)

    def _trace(self, text: str) -> ReportTrace:
        """A development's evidence, stored without its reports, read as one report."""
        assert self.embed is not None and self.vectorise is not None
        return _traced(self.embed([text])[0], self.vectorise(text), ())

    def _similarities(self, report: Report, developments: Sequence[str]) -> dict[str, float]:
        """How alike ``report`` and the closest kept report of each of ``developments`` are,
        at most 1: a weighted mean of the cosines of their embeddings and of their TF-IDF
        terms (0.0 for a development with no kept report)."""
        kept = [(name, k) for name in developments for k in self._kept.get(name) or []]
        found = dict.fromkeys(developments, 0.0)
        if not kept:
            return found
        query = np.zeros(len(self._columns))
        shared = [(self._columns[t], w) for t, w in report.terms.items() if t in self._columns]
        if shared:
            query[[column for column, _ in shared]] = [weight for _, weight in shared]
        columns = np.concatenate([k.columns for _, k in kept])
        weights = np.concatenate([k.weights for _, k in kept])
        owners = np.repeat(np.arange(len(kept)), [len(k.columns) for _, k in kept])
        cosines = np.bincount(owners, weights=query[columns] * weights, minlength=len(kept))
        best: dict[str, float] = {}
        for (name, k), cosine in zip(kept, cosines.tolist(), strict=True):
            embedded = float(report.vector.dot(k.vector))  # the same sdot as ``@``
            score = (embedded + TERM_WEIGHT * cosine) / (1.0 + TERM_WEIGHT)
            best[name] = max(best.get(name, score), score)
        found.update(best)
        return found

    def _comparable(self, development: Development, report: Report, now: datetime) -> bool:
        """Whether ``report`` may be (or restate) ``development``: not another stage of the
        same kind of development, which is news of its own, and not only kinds of development
        this one was never reported as, unless within the burst (one event that two outlets'
        wordings name apart)."""
        stage = self._stage(development, now)
        staged = UNSTAGED not in (stage, report.stage)
        # a broad rule's patterns name kinds of development in its own words, not stages
        specific = report.rule not in self.broad
        if specific and development.rule == report.rule and staged:
            return stage == report.stage
        return not self._named_apart(development, report) or _age(development, now) <= self.burst

    def _stage(self, development: Development, now: datetime) -> str:
        """The stage ``development`` is read at: one it took from a later report counts only
        after the burst of its first report (within it the model may have named the event
        itself, and a pattern only its background: the vote held, then "the vote set for
        Tuesday went ahead")."""
        if development.adopted and abs(now - development.first_seen) <= self.burst:
            return UNSTAGED
        return development.stage

    def _named_apart(self, development: Development, report: Report) -> bool:
        """Whether ``report`` and ``development`` name specific kinds and share none."""
        named = set(development.rules) - self.broad
        naming = set(report.rules) - self.broad
        return bool(named and naming and not named & naming)

    def _other_parties(self, development: Development, report: Report) -> bool:
        """Whether ``report``, of a rule that names who acts, and ``development``, each at a
        stage a pattern named, name parties of that rule in their pattern sentences (the first
        of their evidence) and none in common: two developments, whatever the development's
        kind (French troops ordered hours after a Commons vote on British ones)."""
        if report.rule not in self._party_groups:
            return False
        if UNSTAGED in (development.stage, report.stage):
            return False
        if development.adopted:  # its first sentence is the model's, not a pattern's
            return False
        if not report.evidence or not development.evidence:
            return False
        ours = self._parties(report.rule, report.evidence[0])
        theirs = self._parties(report.rule, development.evidence[0])
        return bool(ours and theirs and ours.isdisjoint(theirs))

    def _kept_apart(self, development: Development, report: Report) -> bool:
        """Whether the rule of ``report`` or of ``development`` keeps its stage ``apart_from``
        the other's rule: the deployment ordered and the Commons vote that allowed it, in
        either order, are two developments."""
        ours = self.apart.get((report.rule, report.stage), frozenset())
        theirs = self.apart.get((development.rule, development.stage), frozenset())
        return development.rule in ours or report.rule in theirs

    def _parties(self, rule: str, text: str) -> frozenset[str]:
        """The labels of ``rule``'s party groups found in ``text``, kept for the next time."""
        found = self._parties_in.get((rule, text))
        if found is None:
            if len(self._parties_in) >= KEPT_PARTIES:
                self._parties_in.clear()
            found = parties_named(self._party_groups[rule], Sentence.of(text))
            self._parties_in[(rule, text)] = found
        return found

    def _follows(self, development: Development, report: Report, now: datetime) -> str:
        """How ``report``'s stage and ``development``'s are one development, reported within
        ``follow`` of its first report: the next stage it announced (or the other way round),
        or a stage that came before it, told after it. Empty when they are not."""
        if report.rule in self.broad or development.rule != report.rule:
            return ""
        if abs(now - development.first_seen) > self.follow:
            return ""
        pairs = {(development.stage, report.stage), (report.stage, development.stage)}
        if any((report.rule, *pair) in self.continuing for pair in pairs):
            return f"{development.stage} and {report.stage} are one announced sequence"
        if (report.rule, report.stage, development.stage) in self.preceding:
            return f"{report.stage} came before {development.stage}, told after it"
        return ""

    def _window_threshold(self, kin: bool, unstaged_kin: bool) -> float:
        """The similarity that makes a report within the window one development with an
        older one: ``group_similarity`` for the same kind, at the same stage or at none a
        pattern named (a feature or analysis days after the news), ``late_similarity`` for
        anything else."""
        return self.group_similarity if kin or unstaged_kin else self.late_similarity

    def _at_once_threshold(self, age: timedelta, new_kind: bool, apart: bool) -> float:
        """The similarity that joins a report to a development within the burst:
        ``other_kind_similarity`` for one named apart, ``group_similarity`` for one naming a
        new kind besides, else ``_burst_threshold``."""
        if apart:
            return self.other_kind_similarity
        return self.group_similarity if new_kind else self._burst_threshold(age)

    def _burst_threshold(self, age: timedelta) -> float:
        """The similarity that makes a report within the burst one development with one
        reported ``age`` ago: from ``close_similarity`` at once up to ``group_similarity`` at
        the end of the burst (reports of one event come close together; those of distinct
        events of one story are alike in words, so time tells them apart)."""
        share = min(1.0, age / self.burst) if self.burst else 1.0
        return self.close_similarity + (self.group_similarity - self.close_similarity) * share

    def tells_history(self, times: Sequence[Sequence[Period]], now: datetime) -> str:
        """Why a report whose evidence sentences name ``times`` (one sequence per
        sentence) retells the story's history rather than news: each names a time, every one
        ended ``history`` or longer before ``now``. Empty when it does not."""
        days = math.ceil(self.history / timedelta(days=1))  # whole days, however set
        latest = before(now.date(), days)
        if latest is None:
            return ""
        if times and all(periods and all(p.last <= latest for p in periods) for periods in times):
            return f"tells only of times {days} days or more before it"
        return ""

    def decide(self, report: Report, now: datetime) -> Verdict:
        """Classify ``report`` at ``now`` against the developments recorded so far; an
        update is preferred to a restatement of another development."""
        if report.sentences and all(content_key(s) in self._told for s in report.sentences):
            return Verdict(Decision.KNOWN, None, 0.0, "repeats what the story has told")
        if history := self.tells_history(report.times, now):
            return Verdict(Decision.KNOWN, None, 0.0, history)
        # the single days before ``now`` the report tells of ("on Tuesday", read on Thursday)
        days_before = {
            period.first
            for periods in report.times
            for period in periods
            if period.first == period.last < now.date()
        }
        # the times the pattern's own sentence tells of ("the ceasefire signed on 30 July"), each
        # a single day, none today or later (not "on Friday, three days after Tuesday's vote")
        lead_times = report.times[0] if report.times else ()
        lead_days = (
            {period.first for period in lead_times}
            if all(period.first == period.last < now.date() for period in lead_times)
            else set()
        )
        best: tuple[float, Development, str] | None = None
        known: tuple[float, Development] | None = None
        # the development it may be, of every kind it names, last reported over the burst
        # before, most alike: what a piece headlined as an explainer goes over when related
        # enough or of the same kind and stage
        explained: tuple[float, Development] | None = None
        explaining = explains(report.headline)
        opening_explainer = explaining and opens_as_explainer(report.headline)
        # another party's development of the same kind is never this one
        candidates = [
            d
            for d in self._developments
            if not self._other_parties(d, report) and not self._kept_apart(d, report)
        ]
        following = {d.id: how for d in candidates if (how := self._follows(d, report, now))}
        compared = [d for d in candidates if d.id in following or self._comparable(d, report, now)]
        scores = self._similarities(report, [d.id for d in compared])
        specific = report.rule not in self.broad
        naming = set(report.rules) - self.broad
        for development in compared:
            score = scores[development.id]
            age = _age(development, now)
            from_first = abs(now - development.first_seen)
            same_rule = specific and development.rule == report.rule
            stage = self._stage(development, now)
            # the same specific kind and stage of development
            staged = UNSTAGED not in (stage, report.stage)
            kin = same_rule and staged and stage == report.stage
            # the same specific kind, in a report no pattern staged (analysis, a feature)
            unstaged_kin = same_rule and report.stage == UNSTAGED
            # the same specific kind, in a report a pattern staged, of a development no pattern
            # staged (the model named its first report)
            staged_after_unstaged = same_rule and stage == UNSTAGED and report.stage != UNSTAGED
            # a report naming a kind the development was never reported as needs the whole
            # similarity: joined, that kind would get no alert of its own
            # so does one a broad rule's pattern names as another kind than the development
            # was reported as (a ruling, beside a pact signed): kinds, not stages, but not alike
            new_kind = not naming.issubset(development.rules) or (
                not specific and _other_kind(development, report)
            )
            # named only as kinds it never was: one event two outlets' wordings name apart
            # ("Moscow drops its demand" and "ready to fix the truce line"), joined at once
            # only when alike
            apart = self._named_apart(development, report)
            reason = ""
            if development.id in following and not new_kind and score >= self.close_similarity:
                since = _hours(from_first)
                reason = f"{following[development.id]}, {since} from its first report"
            elif age <= self.burst and not new_kind and kin:
                reason = "the same kind of development, within a day"
            elif age <= self.follow and not new_kind and unstaged_kin:
                reason = f"the same kind of development, {_hours(age)} after its last report"
            elif (
                age <= self.follow
                and not naming
                and not _other_kind(development, report)
                and score >= self.unnamed_similarity
            ):
                # named by no specific rule, and by no other kind than the development (the next
                # day's feature or newsletter)
                reason = f"related ({score:.2f}), {_hours(age)} after its last report"
            elif age <= self.burst and score >= self._at_once_threshold(age, new_kind, apart):
                reason = f"similar ({score:.2f}) {_hours(age)} after its last report"
            elif (
                from_first <= self.follow
                and not new_kind
                and staged_after_unstaged
                and score >= self.group_similarity
            ):
                since = _hours(from_first)
                reason = f"similar ({score:.2f}), the same kind, {since} from its first report"
            elif age <= self.window and score >= self._window_threshold(kin, unstaged_kin):
                reason = f"says nearly the same ({score:.2f}) within the window"
            elif (
                age <= self.window
                and not new_kind
                and score >= self.group_similarity
                and _near(development.first_seen, days_before)
            ):
                reason = f"tells of the day it was first reported ({score:.2f})"
            elif (
                age <= self.window
                and kin
                and not new_kind
                and score >= self.close_similarity
                and lead_days
                and all(_near(development.first_seen, [day]) for day in lead_days)
            ):
                reason = f"its act told on the day it was first reported ({score:.2f})"
            if reason and (best is None or score > best[0]):
                best = (score, development, reason)
            elif (
                not reason
                and score >= self.known_similarity
                and (known is None or score > known[0])
            ):
                known = (score, development)
            if (
                explaining
                and not new_kind
                and self.burst < age <= EXPLAINED_WITHIN
                and (explained is None or score > explained[0])
                and (
                    score >= self.explained_similarity
                    # of the same kind and stage, related at all, under a headline opening as a
                    # question or a label, the piece goes over that one however told
                    or (kin and opening_explainer and score >= self.group_similarity)
                )
            ):
                explained = (score, development)
        if best is not None:
            score, development, reason = best
            return Verdict(
                Decision.UPDATE,
                development,
                score,
                f"same development as {development.id}: {reason}",
            )
        if known is not None:
            score, development = known
            return Verdict(
                Decision.KNOWN,
                development,
                score,
                f"restates development {development.id} ({score:.2f})",
            )
        if explained is not None:
            score, development = explained
            return Verdict(
                Decision.KNOWN,
                development,
                score,
                f"explains development {development.id} ({score:.2f}), "
                f"{_hours(_age(development, now))} after its last report",
            )
        return Verdict(Decision.NEW_DEVELOPMENT, None, 0.0, "no similar development")

    def record(
        self, verdict: Verdict, report: Report, entry: str, now: datetime
    ) -> Development | None:
        """Apply ``verdict``: open a development or extend one; return it (None if known)."""
        if verdict.decision is Decision.KNOWN:
            return None
        if verdict.decision is Decision.UPDATE and verdict.development is not None:
            development = verdict.development
            development.first_seen = min(development.first_seen, now)  # a late, older report
            development.last_seen = max(development.last_seen, now)
            development.entries.append(entry)
            specific = report.rule not in self.broad  # a broad rule's "stages" are kinds
            if specific and development.stage == UNSTAGED and report.rule == development.rule:
                # the first report a pattern stages tells which stage the development is at:
                # another stage of it, reported later, is news of its own
                development.stage = report.stage
                development.adopted = True
            for rule in report.rules:
                if rule not in development.rules:
                    development.rules.append(rule)
            self._add_outlet(development, report)
            new = [text for text in report.evidence if text not in development.evidence]
            development.evidence.extend(new)
        else:
            digest = hashlib.sha1(f"{report.rule}\0{report.stage}\0{entry}".encode()).hexdigest()
            development = Development(
                id=f"{report.rule}-{now:%Y%m%d}-{digest[:8]}",
                rule=report.rule,
                stage=report.stage,
                first_seen=now,
                last_seen=now,
                evidence=list(report.evidence),
                entries=[entry],
                rules=list(report.rules),
                alerted=False,
            )
            self._developments.append(development)
            self._kept[development.id] = []
            self._add_outlet(development, report)
        sentences = report.sentences or report.evidence
        self._tell(sentences)
        trace = _traced(report.vector, report.terms, sentences)
        # the latest reports speak for the development
        development.reports = [*development.reports, trace][-KEPT_REPORTS:]
        kept = self._kept[development.id]
        kept.append(self._keep(trace))
        del kept[:-KEPT_REPORTS]
        return development

    def _add_outlet(self, development: Development, report: Report) -> None:
        """Count ``report``'s outlet unless it only republishes a report already counted
        (one of the development's latest, or its evidence when stored without them)."""
        text = " ".join(report.sentences or report.evidence)
        copies = [" ".join(trace.sentences) for trace in development.reports]
        if not copies and len(development.entries) > 1:  # stored before reports were kept
            copies = [" ".join(development.evidence)]
        wire_copy = bool(copies) and copy_similarity(text, copies) >= WIRE_COPY_SIMILARITY
        if report.outlet not in development.outlets and not wire_copy:
            development.outlets.append(report.outlet)


def _traced(vector: np.ndarray, terms: Terms, sentences: Sequence[str]) -> ReportTrace:
    """A report as the book keeps it: its embedding as float32 bytes (what the embedder
    gives; a restart reads back the same numbers), its terms and its sentences."""
    as_stored = np.asarray(vector, dtype=np.float32).tobytes()
    return ReportTrace(as_stored, dict(terms), tuple(sentences))


def _stage_pairs(
    rules: Sequence[Rule], earlier: Callable[[Pattern], Sequence[str]]
) -> frozenset[tuple[str, str, str]]:
    """(rule, earlier stage, later stage) for each stage a pattern names in ``earlier``."""
    return frozenset(
        (rule.id, stage, pattern.stage_name)
        for rule in rules
        for pattern in rule.patterns
        for stage in earlier(pattern)
    )


def _near(moment: datetime, days: Iterable[date]) -> bool:
    """Whether ``moment`` falls on one of ``days`` or a day either side (a report of late
    evening, news told "on Tuesday" first reported on Wednesday)."""
    return any(abs((moment.date() - day).days) <= 1 for day in days)


def _other_kind(development: Development, report: Report) -> bool:
    """Whether ``report``, named by a broad rule's pattern, names another kind of development
    than the pattern that named ``development`` (neither named by the model alone)."""
    if UNSTAGED in (report.stage, development.stage):
        return False
    return report.stage != development.stage


def _age(development: Development, now: datetime) -> timedelta:
    """How far ``now`` lies from ``development``'s reports (a late-arriving older report is
    as far from it as a newer one)."""
    return max(now - development.last_seen, development.first_seen - now, timedelta(0))


def _hours(age: timedelta) -> str:
    return f"{age.total_seconds() / 3600:.1f} h"
