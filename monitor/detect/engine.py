"""The detector: articles in, alerts and updates out.

``Detector.examine(article)`` splits the article into sentences, finds the sentences on
which each enabled rule holds, keeps those novel enough against the baseline, and lets the
``StoryBook`` decide whether they report a new development, an update of one, or something
already known. ``Detector.explain`` shows the same reasoning for any text. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from monitor.detect.matching import CompiledRule, PatternOutcome, Sentence
from monitor.detect.novelty import KnownClaims
from monitor.detect.rules import Rule
from monitor.detect.stories import StoryBook
from monitor.models import Alert, Article, Claim, Decision, Evidence
from monitor.text import split_sentences

DEFAULT_MIN_NOVELTY = 0.3
MAX_TEXT_CHARS = 20_000  # news is in the first paragraphs; bounds the cost of huge entries


def article_sentences(article: Article) -> list[str]:
    """Title first, then the sentences of the text (its first ``MAX_TEXT_CHARS``); exact
    repeats dropped."""
    seen: set[str] = set()
    result = []
    text = article.text[:MAX_TEXT_CHARS]
    for sentence in [*split_sentences(article.title), *split_sentences(text)]:
        if sentence not in seen:
            seen.add(sentence)
            result.append(sentence)
    return result


@dataclass(frozen=True)
class Match:
    """A rule holding on one sentence, at one stage; lower ``rank`` is the stronger stage."""

    sentence: int
    stage: str
    rank: tuple[int, int]


@dataclass(frozen=True)
class RuleView:
    """For ``explain``: one rule's outcomes on one sentence."""

    rule: str
    outcomes: tuple[PatternOutcome, ...]
    topic_missing: tuple[str, ...]


@dataclass(frozen=True)
class SentenceView:
    """For ``explain``: one sentence, its novelty and every rule's outcome on it."""

    evidence: Evidence
    rules: tuple[RuleView, ...]


class Detector:
    """Turns articles into alerts; holds the baseline, the rules and the story so far."""

    def __init__(
        self,
        claims: Sequence[Claim],
        rules: Sequence[Rule],
        book: StoryBook | None = None,
        *,
        min_novelty: float = DEFAULT_MIN_NOVELTY,
    ) -> None:
        self.known = KnownClaims(claim.text for claim in claims)
        self.rules = [rule for rule in rules if rule.enabled]
        self._compiled = {rule.id: CompiledRule(rule) for rule in rules}
        self.book = book if book is not None else StoryBook()
        self.min_novelty = min_novelty

    def _own_matches(self, sentences: list[Sentence]) -> dict[str, list[Match]]:
        found: dict[str, list[Match]] = {}
        for rule_id, compiled in self._compiled.items():
            if not compiled.patterns or compiled.topic_missing(sentences):
                continue
            matches = []
            for index, sentence in enumerate(sentences):
                held = compiled.first_held(sentence)
                if held is not None:
                    matches.append(Match(index, held[1].stage, (0, held[0])))
            found[rule_id] = matches
        return found

    def examine(self, article: Article, now: datetime | None = None) -> list[Alert]:
        """Every alert or update this article gives rise to (usually none)."""
        when = article.published or now or datetime.now(UTC)
        if now is not None and when > now:
            when = now  # a feed's clock in the future must not stretch a development's window
        texts = article_sentences(article)
        own = self._own_matches([Sentence.of(text) for text in texts])
        assessed: dict[int, Evidence] = {}

        def assess(index: int) -> Evidence:
            if index not in assessed:
                assessed[index] = self.known.assess(texts[index])
            return assessed[index]

        alerts = []
        for rule in self.rules:
            # Included rules, in the order listed, name the stage before the rule's own,
            # broader patterns: reports of one event then share a stage however they match.
            matches = [
                Match(m.sentence, f"{included}/{m.stage}", (order, m.rank[1]))
                for order, included in enumerate(rule.includes)
                for m in own.get(included, ())
            ]
            matches += [
                Match(m.sentence, m.stage, (len(rule.includes), m.rank[1]))
                for m in own.get(rule.id, ())
            ]
            threshold = rule.min_novelty if rule.min_novelty is not None else self.min_novelty
            novel = [
                (assess(m.sentence), m)
                for m in matches
                if not rule.novel or assess(m.sentence).novelty >= threshold
            ]
            if novel:
                alert = self._report(rule, novel, article, when)
                if alert is not None:
                    alerts.append(alert)
        return alerts

    def _report(
        self, rule: Rule, novel: list[tuple[Evidence, Match]], article: Article, when: datetime
    ) -> Alert | None:
        """Let the story book place the report; an ``Alert`` unless it is already known."""
        # The strongest stage reported names the development; its sentences are the evidence.
        stage = min(novel, key=lambda pair: pair[1].rank)[1].stage
        evidence = tuple(
            sorted(dict.fromkeys(e for e, m in novel if m.stage == stage), key=lambda e: -e.novelty)
        )
        sentences = [e.sentence for e in evidence]
        verdict = self.book.decide(rule.id, stage, sentences, when)
        development = self.book.record(verdict, rule.id, stage, sentences, article.id, when)
        if development is None:
            return None
        return Alert(
            type="alert" if verdict.decision is Decision.NEW_DEVELOPMENT else "update",
            rule=rule.id,
            development=development.id,
            severity=rule.severity,
            article=article,
            score=max(e.novelty for e in evidence),
            evidence=evidence,
            channels=tuple(rule.channels or ()),
            description=rule.description,
        )

    def explain(self, title: str, text: str, rule_ids: Sequence[str] = ()) -> list[SentenceView]:
        """Per sentence: its novelty, nearest claim, and each rule's pattern outcomes."""
        article = Article(id="explain", feed="explain", title=title, text=text)
        texts = article_sentences(article)
        sentences = [Sentence.of(t) for t in texts]
        chosen = [r for r in self._compiled.values() if not rule_ids or r.rule.id in rule_ids]
        views = []
        for text_of, sentence in zip(texts, sentences, strict=True):
            rules = tuple(
                RuleView(c.rule.id, tuple(c.evaluate(sentence)), tuple(c.topic_missing(sentences)))
                for c in chosen
            )
            views.append(SentenceView(evidence=self.known.assess(text_of), rules=rules))
        return views
