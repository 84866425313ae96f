"""The detector: articles in, alerts and updates out. Pure: no I/O, clock passed in.

``Detector.assess(article)`` is the scored decision: it measures the article
(``FeatureExtractor``: novelty against the baseline, relevance to the story, rule pattern
hits, similarity to rule examples), asks the model's ``development`` head how likely the
article reports a new development, and finds every rule that names it (its trained head,
its ``examples`` or its patterns as the fast path). ``Detector.examine`` lets the
``StoryBook`` decide whether that is a new development, an update of one, or already
known, and returns at most one ``Alert`` per article, listing every rule that holds, most
specific first. ``explain`` uses ``assess`` too, so it never disagrees with ``examine``.
An optional ``judge`` (``monitor.judge``) decides candidates; without one nothing leaves
the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, get_args

from monitor.detect.corroboration import RecentReports
from monitor.detect.embedding import Embedder, bundled_embedder
from monitor.detect.features import (
    CORROBORATION,
    LONG_ARTICLE,
    NOVEL,
    ArticleSignals,
    FeatureExtractor,
    RuleHit,
    dense_features,
    off_story_bar,
    rule_features,
)
from monitor.detect.headline import set_aside
from monitor.detect.matching import Sentence, compile_rules
from monitor.detect.model import DEVELOPMENT, Score, ScoringModel, default_model
from monitor.detect.novelty import KnownClaims
from monitor.detect.rules import Rule, Severity
from monitor.detect.stories import UNSTAGED, Report, StoryBook, Verdict
from monitor.detect.timeref import Period, days_told
from monitor.detect.wirecopy import without_slug
from monitor.models import Alert, AlertType, Article, Claim, Evidence, JudgeNote

if TYPE_CHECKING:
    from monitor.judge import Judge
    from monitor.ruleset import RuleSet

DEFAULT_MIN_NOVELTY = 0.3
MAX_EVIDENCE = 3
LEAD_SENTENCES = 3  # the headline and the first two sentences of the text that are news
# A rule's pattern on a novel lead sentence names the development whatever the development
# head says (below the pattern floor) when the rule's own head is at least this sure.
SURE_HEAD = 0.95
# In an article of LONG_ARTICLE sentences or more, a passage of this many sentences in which a
# rule's pattern holds (or under a headline in which one does), read with the headline alone,
# or the headline alone that holds one, gives the article its development probability when the
# model is at least PASSAGE_SURE of it and less of the whole: a development told once among
# paragraphs of background is not drowned by their words.
PASSAGE_SENTENCES = 3
PASSAGE_SURE = 0.95
_SEVERITY = get_args(Severity)  # in rising order


def surest_passage(
    model: ScoringModel, signals: ArticleSignals, dense: dict[str, float], development: Score
) -> tuple[Score, tuple[int, int] | None]:
    """The development score of the passage ``model`` is surest of (see
    ``PASSAGE_SENTENCES``; the headline alone is one too) and where it lies, or
    ``development`` and None."""
    sentences = signals.sentences
    if len(sentences) < LONG_ARTICLE:
        return development, None
    hit_at = {hit.sentence for hit in signals.hits}
    starts = range(1, len(sentences), PASSAGE_SENTENCES)
    passages = [(1, 1), *((s, min(s + PASSAGE_SENTENCES, len(sentences))) for s in starts)]
    best: tuple[Score, tuple[int, int] | None] = (development, None)
    for start, end in passages:
        if 0 not in hit_at and hit_at.isdisjoint(range(start, end)):
            continue
        text = " ".join([sentences[0], *sentences[start:end]])
        score = model.score(DEVELOPMENT, model.vectorise(text, signals.title), dense)
        if score is None or score.probability < PASSAGE_SURE:
            continue
        if score.probability > best[0].probability:
            best = (score, (start, end))
    return best


def sure_bar(pattern_floor: float) -> float:
    """The head probability from which a rule's pattern names the development below the
    pattern floor: never less than the floor (a judge that refused the article raised it
    out of reach; a calibration that raised it quiets what the desk found wrong)."""
    return max(SURE_HEAD, pattern_floor)


@dataclass(frozen=True)
class RuleVerdict:
    """Whether one rule names the article's development, and by which path."""

    rule: str
    holds: bool
    reason: str
    score: Score | None = None
    hit: RuleHit | None = None


@dataclass(frozen=True)
class Assessment:
    """The scored decision on one article, before the story book places it."""

    signals: ArticleSignals
    development: Score
    rules: tuple[RuleVerdict, ...]
    judge: JudgeNote | None = None  # the judge's answer, when it was asked and answered
    stream: str | None = None  # what the story made of it, when explained in a stream
    # the sentences (from, up to but not including to; the headline is 0; equal: the headline
    # alone) the development was read in, with the headline, when a passage decided it
    # (``PASSAGE_SENTENCES``)
    passage: tuple[int, int] | None = None

    @property
    def holding(self) -> list[RuleVerdict]:
        return [verdict for verdict in self.rules if verdict.holds]

    @property
    def alerts(self) -> bool:
        return bool(self.holding)


@dataclass(frozen=True)
class Followed:
    """What ``Detector.follow`` made of an article: its assessment, the story book's verdict
    (None when no rule held), the alert or update it gave (none or one) and the independent
    outlets its development has then (0 when none was recorded)."""

    assessment: Assessment
    verdict: Verdict | None
    alerts: list[Alert]
    outlets: int = 0


class Detector:
    """Turns articles into alerts; holds the baseline, rules, model and the story so far."""

    def __init__(
        self,
        claims: Sequence[Claim],
        rules: Sequence[Rule],
        book: StoryBook | None = None,
        *,
        min_novelty: float = DEFAULT_MIN_NOVELTY,
        model: ScoringModel | None = None,
        threshold: float | None = None,
        embedder: Embedder | None = None,
        judge: Judge | None = None,
        as_of: date | None = None,
    ) -> None:
        embedder = embedder or bundled_embedder()
        self.judge = judge
        self.as_of = as_of  # the baseline tells the story up to this day
        self.rules = [rule for rule in rules if rule.enabled]
        self._by_id = {rule.id: rule for rule in self.rules}
        self.model = model or default_model()
        self.threshold = threshold
        self.extractor = FeatureExtractor(
            KnownClaims(claim.text for claim in claims),
            compile_rules(self.rules),
            embedder,
            min_novelty=min_novelty,
        )
        self.recent = RecentReports()
        # the book (and its generation) that the settled developments are of
        self._settled_of: tuple[StoryBook, int] | None = None
        self.book = book if book is not None else StoryBook()
        self.book.know_rules(self.rules)
        if self.book.embed is None or self.book.vectorise is None:
            self.book.embed = embedder.embed
            self.book.vectorise = self.model.vectorise
            self.book.reset(self.book.developments)

    @classmethod
    def of(cls, ruleset: RuleSet, book: StoryBook | None = None, **options: Any) -> Detector:
        """A detector of ``ruleset``'s baseline (its claims and its day) and watch rules."""
        return cls(ruleset.claims, ruleset.rules, book, as_of=ruleset.as_of, **options)

    def assess(self, article: Article, now: datetime | None = None) -> Assessment:
        """Score ``article`` and name its development; no story state is changed."""
        return self._assess(article, _when(article, now))[0]

    def _settle(self, when: datetime) -> None:
        """Read the article published ``when`` knowing the developments the book would no
        longer join it to (last reported longer than its window before), as the book in use
        knows them since its last reset."""
        if self._settled_of != (self.book, self.book.generation):
            self.extractor.settled.forget()
            self._settled_of = (self.book, self.book.generation)
        year_one = when - datetime.min.replace(tzinfo=when.tzinfo) <= self.book.window
        before = None if year_one else when - self.book.window
        self.extractor.settled.settle(self.book.developments, before)

    def _assess(self, article: Article, when: datetime) -> tuple[Assessment, dict[str, float]]:
        self._settle(when)
        signals = self.extractor.without_retold(self.extractor.signals(article, self.book.told))
        corroboration = (  # other outlets' reports are compared only for a model weighing them
            self.recent.strongest(signals.vector, article.feed, when)
            if CORROBORATION in self.model.weighed
            else 0.0
        )
        dense = dense_features(signals, corroboration)
        vector = self.model.read(signals)
        development = self.model.score(DEVELOPMENT, vector, dense)
        if development is None:
            raise ValueError("the scoring model has no 'development' head")
        development, passage = surest_passage(self.model, signals, dense, development)
        if self.threshold is not None:
            development = replace(development, threshold=self.threshold)
        pattern_floor = self.model.spec.pattern_floor
        # a piece published while the story stood as the baseline tells it, packaged to
        # retell the story, or headlined as a denial holds no rule, whatever the judge would say
        aside = (
            (self._within_baseline(when) or set_aside(without_slug(article.title)))
            if signals.on_story
            else None
        )
        # The optional judge decides candidates about the story (issue 15); None keeps the
        # local decision.
        judged = (
            self.judge.consult(article, signals, development, pattern_floor, self.rules)
            if self.judge is not None and signals.on_story and aside is None
            else None
        )
        if judged is not None:
            development, pattern_floor = judged.development, judged.pattern_floor
        verdicts: dict[str, RuleVerdict] = {}
        hit_rules = {hit.rule for hit in signals.hits}
        for rule in (r for r in self.rules if not r.includes):
            # A rule's head matters only for a development or where its pattern holds (and
            # only a rule the model has a head for needs its features put together).
            head = (
                self.model.score(rule.id, vector, {**dense, **rule_features(signals, rule.id)})
                if rule.id in self.model.heads and (development.holds or rule.id in hit_rules)
                else None
            )
            verdicts[rule.id] = self._name(rule, signals, development, head, pattern_floor)
        held = {rule for rule, verdict in verdicts.items() if verdict.holds}
        for rule in (r for r in self.rules if r.id in held and r.yields_to):
            winners = [other for other in rule.yields_to if other in held]
            if not winners:
                continue
            verdict = verdicts[rule.id]
            if kept := _unyielding_lead_hit(rule, signals):
                reason = f"{verdict.reason}; beside {winners[0]}: pattern {kept} does not yield"
                verdicts[rule.id] = replace(verdict, reason=reason)
            else:
                verdicts[rule.id] = replace(verdict, holds=False, reason=f"yields to {winners[0]}")
        for rule in (r for r in self.rules if r.includes):
            verdicts[rule.id] = self._broad(rule, signals, development, verdicts, pattern_floor)
        ordered = sorted(
            verdicts.values(),
            key=lambda v: (
                bool(self._by_id[v.rule].includes),
                -(v.score.probability if v.score else 0.0),
            ),
        )
        if not signals.on_story:  # ``examine`` stops before measuring such an article
            closest = signals.closest
            bar = off_story_bar(signals.sentence_count)
            reason = f"not about the story (closest sentence {closest:.2f}, needs {bar})"
            ordered = [replace(verdict, holds=False, reason=reason) for verdict in ordered]
        elif aside is not None:
            ordered = [
                replace(verdict, holds=False, reason=f"{verdict.reason}, but {aside}")
                if verdict.holds
                else verdict
                for verdict in ordered
            ]
        note = judged.note if judged is not None else None
        return Assessment(signals, development, tuple(ordered), note, passage=passage), vector

    def _within_baseline(self, when: datetime) -> str | None:
        """Why an article published ``when`` is part of the story the baseline tells (on or
        before its ``as_of`` day, read in UTC), or None. ``when`` is compared, not converted:
        a date near the calendar's ends could not be."""
        if self.as_of is None:
            return None
        if self.as_of < date.max:
            next_day = datetime.combine(self.as_of + timedelta(days=1), time(), UTC)
            if when >= next_day:
                return None
        return f"it was published by {self.as_of.isoformat()}, within the story the baseline tells"

    def _name(
        self,
        rule: Rule,
        signals: ArticleSignals,
        development: Score,
        head: Score | None,
        pattern_floor: float,
    ) -> RuleVerdict:
        """A specific rule holds by its pattern (the fast path: over the pattern floor, or with its
        own head sure), its head or its examples."""
        hit = _lead_hit(signals, rule.id)
        # a development over the threshold is never less than a pattern's floor asks (a
        # calibrated floor above the threshold tightens the sure path, not the naming)
        if hit is not None and (development.probability >= pattern_floor or development.holds):
            return RuleVerdict(rule.id, True, hit.describe(), head, hit)
        sure = sure_bar(pattern_floor)
        if hit is not None and head is not None and head.probability >= sure:
            reason = f"{hit.describe()}, head {head.probability:.2f} (sure at {sure:.2f})"
            return RuleVerdict(rule.id, True, reason, head, hit)
        if not development.holds:
            return RuleVerdict(rule.id, False, "not a development", head, hit)
        if hit is None and (kind := self._own_kind_in_headline(signals)):
            # "Zelensky calls a referendum on the peace deal": the deal is what it is about (a
            # rule with no pattern in the lead is named neither by its head nor its examples)
            reason = f"the headline reports a development of its own kind ({kind})"
            return RuleVerdict(rule.id, False, reason, head, hit)
        if head is not None:
            reason = f"head {head.probability:.2f} (needs {head.threshold:.2f})"
            return RuleVerdict(rule.id, head.holds, reason, head, hit)
        example = signals.example_similarity.get(rule.id, 0.0)
        counter = signals.counter_similarity.get(rule.id, 0.0)
        holds = example >= self.model.spec.example_threshold(rule.id) and example > counter
        return RuleVerdict(rule.id, holds, f"example similarity {example:.2f}", None, hit)

    def _own_kind_in_headline(self, signals: ArticleSignals) -> str:
        """The pattern of a kind of its own (``Pattern.own_kind``) holding on the headline
        (the first sentence, as the model's title features read it) and retelling nothing, as
        "rule/pattern"; empty when none does."""
        for hit in signals.hits:
            if hit.sentence == 0 and self.extractor.of_own_kind(hit):
                return f"{hit.rule}/{hit.pattern}"
        return ""

    def _broad(
        self,
        rule: Rule,
        signals: ArticleSignals,
        development: Score,
        verdicts: dict[str, RuleVerdict],
        pattern_floor: float,
    ) -> RuleVerdict:
        """A rule with ``includes`` holds on any development, or where one it includes does."""
        hit = _lead_hit(signals, rule.id)
        included = [verdicts[r] for r in rule.includes if r in verdicts and verdicts[r].holds]
        if development.holds:
            reason = (
                f"development {development.probability:.2f} (needs {development.threshold:.2f})"
            )
            return RuleVerdict(rule.id, True, reason, development, hit)
        if included:
            return RuleVerdict(rule.id, True, f"{included[0].rule} holds", development, hit)
        if hit is not None and development.probability >= pattern_floor:
            return RuleVerdict(rule.id, True, hit.describe(), development, hit)
        reason = f"development {development.probability:.2f} (needs {development.threshold:.2f})"
        return RuleVerdict(rule.id, False, reason, development, hit)

    def examine(self, article: Article, now: datetime | None = None) -> list[Alert]:
        """The alert or update this article gives rise to (usually none, at most one)."""
        when = _when(article, now)
        if not self.extractor.on_story(article):
            return []
        return self._follow(article, when, *self._assess(article, when)).alerts

    def follow(self, article: Article, now: datetime | None = None) -> Followed:
        """``examine``, telling why: the assessment (also of an article off the story, which
        ``examine`` does not measure), the story book's verdict, and the alert or update."""
        when = _when(article, now)
        assessment, terms = self._assess(article, when)
        if not assessment.signals.on_story:
            return Followed(assessment, None, [])
        return self._follow(article, when, assessment, terms)

    def _follow(
        self, article: Article, when: datetime, assessment: Assessment, terms: dict[str, float]
    ) -> Followed:
        self.recent.observe(assessment.signals.vector, article.feed, when)
        holding = assessment.holding
        if not holding:
            return Followed(assessment, None, [])
        signals = assessment.signals
        first = holding[0]
        stage = first.hit.stage if first.hit is not None else UNSTAGED
        evidence = _evidence(signals, holding)
        report = Report(
            rules=tuple(v.rule for v in holding),
            stage=stage,
            evidence=tuple(e.sentence for e in evidence),
            vector=signals.vector,
            terms=terms,
            outlet=article.feed,
            times=_times(evidence, when),
            sentences=(*signals.sentences, *signals.told),
            headline=signals.title,
        )
        verdict = self.book.decide(report, when)
        known = set(verdict.development.rules) if verdict.development is not None else set()
        development = self.book.record(verdict, report, article.id, when)
        if development is None:
            return Followed(assessment, verdict, [])
        outlets = max(1, len(development.outlets))
        # A rule that asks for ``confirm: N`` outlets stands for the message only once N
        # independent outlets have reported the development.
        rules = [self._by_id[r] for r in report.rules if self._by_id[r].confirm <= outlets]
        if not rules:
            return Followed(assessment, verdict, [], outlets)
        kind: AlertType = "update" if development.alerted else "alert"
        # A rule that names the development for the first time leads its update (and adds
        # its channels): one development stays one alert, however its reports name it.
        rules.sort(key=lambda rule: rule.id in known or bool(rule.includes))
        development.alerted = True
        channels = dict.fromkeys(c for rule in rules for c in rule.channels or ())
        alert = Alert(
            type=kind,
            rule=rules[0].id,
            development=development.id,
            severity=max((r.severity for r in rules), key=_SEVERITY.index),
            article=article,
            score=round(assessment.development.probability, 3),
            evidence=evidence,
            channels=tuple(channels),
            description=rules[0].description,
            rules=tuple(rule.id for rule in rules),
            confidence=round(assessment.development.probability, 3),
            outlets=outlets,
            default_channels=any(rule.channels is None for rule in rules),
            judge=assessment.judge,
        )
        return Followed(assessment, verdict, [alert], outlets)

    def explain(self, title: str, text: str, published: datetime | None = None) -> Assessment:
        """The same assessment ``examine`` makes, for any text (published ``published``, or
        now); a rule that does not hold also says which of its topic groups the text misses
        (its patterns were not read). An article whose evidence tells only of the story's
        history (``StoryBook.tells_history``), which ``examine`` never alerts on whatever the
        story holds, holds no rule."""
        article = Article(id="explain", feed="explain", title=title, text=text, published=published)
        when = _when(article, None)
        assessment = self.assess(article, when)
        if assessment.alerts:
            times = _times(_evidence(assessment.signals, assessment.holding), when)
            history = self.book.tells_history(times, when)
            if history:
                rules = tuple(
                    replace(v, holds=False, reason=f"{v.reason}, but it {history}: no alert")
                    if v.holds
                    else v
                    for v in assessment.rules
                )
                assessment = replace(assessment, rules=rules)
        return self._with_topics(assessment)

    def explain_followed(self, followed: Followed) -> Assessment:
        """``follow``'s assessment as ``explain`` shows it, in a stream of articles (``rules
        explain --feed``): a rule holds only where the alert or update stands for it, and
        the assessment says what the story made of the article (an alert, an update of a
        development, or no message and why)."""
        assessment, verdict, outlets = followed.assessment, followed.verdict, followed.outlets
        standing = {rule for alert in followed.alerts for rule in alert.rules}
        if followed.alerts:
            alert = followed.alerts[0]
            stream = f"alert: new development {alert.development}"
            if alert.type == "update" and verdict is not None:
                stream = f"update: {verdict.reason}"
        elif not assessment.alerts or verdict is None:
            return self._with_topics(assessment)
        elif outlets:  # recorded, but every rule waits for more outlets
            stream = f"no message: its rules wait for more independent outlets ({outlets} so far)"
        else:
            stream = f"no message: {verdict.reason}"

        def held_back(rule: str) -> str:
            if outlets:
                confirm = self._by_id[rule].confirm
                return f"it waits for {confirm} independent outlets ({outlets} so far)"
            return f"in the stream: {stream}"

        rules = tuple(
            replace(v, holds=False, reason=f"{v.reason}, but {held_back(v.rule)}")
            if v.holds and v.rule not in standing
            else v
            for v in assessment.rules
        )
        return self._with_topics(replace(assessment, rules=rules, stream=stream))

    def _with_topics(self, assessment: Assessment) -> Assessment:
        """``assessment`` whose rules that do not hold say which of their topic groups the
        text misses."""
        sentences = [Sentence.of(sentence) for sentence in assessment.signals.sentences]
        by_id = {compiled.rule.id: compiled for compiled in self.extractor.rules}
        verdicts = []
        for verdict in assessment.rules:
            compiled = by_id.get(verdict.rule)
            missing = compiled.topic_missing(sentences) if compiled and not verdict.holds else []
            if missing:
                verdict = replace(
                    verdict, reason=f"{verdict.reason}; topic not found: " + "; ".join(missing)
                )
            verdicts.append(verdict)
        return replace(assessment, rules=tuple(verdicts))


def _when(article: Article, now: datetime | None) -> datetime:
    """When the article counts as reported: when it was published (a time without an offset
    read as UTC, as feeds give them), but never after ``now`` (a feed's clock in the future
    must not stretch a development's window)."""
    when = article.published or now or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return now if now is not None and when > now else when


def _unyielding_lead_hit(rule: Rule, signals: ArticleSignals) -> str:
    """The pattern of ``rule`` that never yields (``Pattern.yields``) holding in the lead;
    empty when there is none (the rule yields)."""
    unyielding = {pattern.name for pattern in rule.patterns if not pattern.yields}
    return next((h.pattern for h in _lead_hits(signals, rule.id) if h.pattern in unyielding), "")


def _lead_hit(signals: ArticleSignals, rule: str) -> RuleHit | None:
    """The rule's first pattern hit in the article's lead (``_lead_hits``). Within one
    sentence the pattern listed first wins."""
    return min(_lead_hits(signals, rule), key=lambda h: (h.sentence, h.rank), default=None)


def _lead_hits(signals: ArticleSignals, rule: str) -> list[RuleHit]:
    """The rule's pattern hits in the article's lead (headline and first sentences), where
    news states what happened; later sentences are mostly background."""
    end = _lead_end(signals)
    return [h for h in signals.hits if h.rule == rule and h.sentence < end]


def _lead_end(signals: ArticleSignals) -> int:
    """Where the lead ends: after the headline and ``LEAD_SENTENCES - 1`` sentences that say
    something the baseline does not. A background paragraph that restates the baseline
    before the news (a common way to open a follow-up) takes no place in the lead."""
    slots = LEAD_SENTENCES - 1
    for index, evidence in enumerate(signals.evidence[1:], start=1):
        if evidence.novelty >= NOVEL:
            slots -= 1
            if slots == 0:
                return index + 1
    return len(signals.evidence)


def _times(evidence: Sequence[Evidence], when: datetime) -> tuple[tuple[Period, ...], ...]:
    """The times each evidence sentence names, read as published ``when``."""
    return tuple(days_told(e.sentence, when) for e in evidence)


def _evidence(signals: ArticleSignals, holding: Sequence[RuleVerdict]) -> tuple[Evidence, ...]:
    """The sentences a pattern held on, then the most novel sentences about the story."""
    chosen = [v.hit.sentence for v in holding if v.hit is not None]
    chosen += signals.novel_sentences()
    ordered = list(dict.fromkeys(chosen))[:MAX_EVIDENCE]
    return tuple(signals.evidence[i] for i in ordered)
