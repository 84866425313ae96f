"""What detection measures in an article, before any decision: pure, no I/O.

``FeatureExtractor.signals(article, told)`` reads each sentence against the baseline: its
lexical novelty and nearest claim (``KnownClaims``; a sentence the story has ``told`` in an
earlier report is left out, and a headline it told is known), its semantic relevance to the
story and its semantic distance from the nearest claim (embeddings), and which watch-rule
patterns hold on it. ``dense_features`` turns those signals into the named numbers the
scoring model weighs; ``ngrams`` gives the words and word pairs of the article's text for
its lexical part.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from monitor.detect.embedding import Embedder
from monitor.detect.headline import explains
from monitor.detect.matching import CompiledRule, Sentence, parties_named, topic_reading
from monitor.detect.novelty import KnownClaims
from monitor.detect.retold import Retelling, SettledDevelopments
from monitor.detect.similarity import content_key
from monitor.detect.wirecopy import (
    Casing,
    in_capitals,
    recap_lines,
    without_dateline,
    without_slug,
)
from monitor.models import Article, Evidence
from monitor.text import split_sentences, words

MAX_TEXT_CHARS = 20_000  # news is in the first paragraphs; bounds the cost of huge entries
RELEVANT = 0.35  # cosine to the story's centre above which a sentence is about the story
NOVEL = 0.5  # lexical novelty above which a sentence says something the baseline does not
# An article none of whose sentences comes this close to the story (cosine to the centre of
# the baseline's claims) is not examined further. Measured on the labelled corpora: no
# development below 0.26, unrelated news at a median of 0.14, routine local news below 0.1.
OFF_STORY = 0.2
# A headline alone (an entry with no text) says little, and its one sentence comes less close:
# measured in stop 52 on the held-out sets read as headlines alone, 37 more of 1,546 events
# and 9 more of 4,017 quiet items at this bar (none moved as written but one quiet item).
OFF_STORY_HEADLINE = 0.12
_HEDGES = frozenset(
    """would could might may will should must if unless likely unlikely expected expects
    plan plans planned pledge pledged promise promised ready proposed proposes possible
    reportedly reported understood sources""".split()
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A development told once among paragraphs of background: from this many sentences on, the
# terms found only in sentences that restate the baseline (or are off the story) weigh
# BACKGROUND_WEIGHT in the model's TF-IDF, so they do not drown the news
# (docs/detection-history.md). Shorter articles, nearly all the labelled ones, are read whole.
LONG_ARTICLE = 10
BACKGROUND_WEIGHT = 0.5
_KEPT_SENTENCES = 5_000  # sentences kept prepared for matching, with answers (~5 KB each)

CORROBORATION = "corroboration"  # the one measure from outside the article (corroboration.py)
DENSE_FEATURES = (
    "title_novelty",
    "relevant_novelty",
    "title_relevance",
    "max_relevance",
    "mean_relevance",
    "title_semantic_novelty",
    "relevant_semantic_novelty",
    "novel_share",
    "hedging",
    "explainer_headline",
    "pattern_hits",
    "example_similarity",
    "counter_similarity",
    CORROBORATION,
)
RULE_FEATURES = ("rule_pattern", "rule_example_similarity", "rule_counter_similarity")


def article_sentences(article: Article) -> list[str]:
    """Title first, then the sentences of the text (its first ``MAX_TEXT_CHARS``); repeats
    dropped whatever their case, in the headline's place but in ordinary type where either
    has it (a wire headline in capitals over the same words as its lead is one sentence, as
    it is in ordinary type)."""
    text = "\n".join(map(without_dateline, article.text[:MAX_TEXT_CHARS].split("\n")))
    title = without_slug(article.title)
    first_of: dict[str, str] = {}
    for sentence in (*split_sentences(title), *split_sentences(text)):
        key = sentence.casefold()
        kept = first_of.setdefault(key, sentence)
        if kept is not sentence and in_capitals(kept) and not in_capitals(sentence):
            first_of[key] = sentence
    return list(first_of.values())


def ngrams(text: str) -> list[str]:
    """Lower-cased words and adjacent word pairs of ``text``: the model's lexical features."""
    tokens = _TOKEN.findall(text.lower())
    return [*tokens, *map(" ".join, itertools.pairwise(tokens))]


def model_terms(text: str, title: str = "") -> list[str]:
    """The n-grams of ``text`` and, marked as such, those of ``title``: a headline states
    the news, so its words weigh apart from the same words in background paragraphs."""
    return [*ngrams(text), *map("title:".__add__, ngrams(title))]


@dataclass(frozen=True)
class RuleHit:
    """A rule pattern holding on a novel sentence: the rule's fast path and its stage."""

    rule: str
    stage: str
    sentence: int
    rank: int
    pattern: str = ""

    def describe(self) -> str:
        """ "pattern softens (stage stance) holds", the stage said only where it differs."""
        stage = f" (stage {self.stage})" if self.stage != self.pattern else ""
        return f"pattern {self.pattern or self.stage}{stage} holds"


@dataclass(frozen=True)
class ArticleSignals:
    """Everything measured in one article; ``evidence[i]`` belongs to ``sentences[i]``."""

    sentences: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    relevance: tuple[float, ...]
    semantic_novelty: tuple[float, ...]
    hits: tuple[RuleHit, ...]
    example_similarity: Mapping[str, float]
    counter_similarity: Mapping[str, float]
    vector: np.ndarray  # unit-length embedding of the article's novel, relevant sentences
    # the sentences left out because an earlier report of the story told them
    told: tuple[str, ...] = ()
    # patterns that held on a sentence retelling a settled development (not in ``hits``)
    retold: tuple[tuple[RuleHit, Retelling], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    @property
    def title(self) -> str:
        return self.sentences[0]

    @property
    def closest(self) -> float:
        """How close the article's closest sentence comes to the story."""
        return max(self.relevance)

    @property
    def on_story(self) -> bool:
        return self.closest >= off_story_bar(self.sentence_count)

    @property
    def sentence_count(self) -> int:
        """The article's sentences before those told earlier were left out, as
        ``FeatureExtractor.on_story`` counts them."""
        return len(self.sentences) + len(self.told)

    def novel_sentences(self) -> list[int]:
        """Indices of sentences about the story that the baseline does not hold, most novel
        first; the title alone when none qualifies."""
        return novel_indices(self.evidence, self.relevance)

    def lexical_parts(self) -> tuple[str, str]:
        """The text the model's terms are read from at full weight, and the background read
        at ``BACKGROUND_WEIGHT``: for an article of ``LONG_ARTICLE`` sentences or more, its
        headline and novel sentences, then the others; for a shorter one, all of it."""
        if len(self.sentences) < LONG_ARTICLE:
            return self.text, ""
        news = {0, *self.novel_sentences()}
        parts: tuple[list[str], list[str]] = ([], [])
        for index, sentence in enumerate(self.sentences):
            parts[index not in news].append(sentence)
        return " ".join(parts[0]), " ".join(parts[1])


def off_story_bar(sentences: int) -> float:
    """How close to the story an article of so many sentences must come to be examined."""
    return OFF_STORY_HEADLINE if sentences <= 1 else OFF_STORY


def novel_indices(evidence: Sequence[Evidence], relevance: Sequence[float]) -> list[int]:
    """See ``ArticleSignals.novel_sentences``."""
    found = [i for i, e in enumerate(evidence) if e.novelty >= NOVEL and relevance[i] >= RELEVANT]
    return sorted(found, key=lambda i: -evidence[i].novelty) or [0]


class FeatureExtractor:
    """Holds the baseline, the rules and the embedder; measures articles against them."""

    def __init__(
        self,
        known: KnownClaims,
        rules: Sequence[CompiledRule],
        embedder: Embedder,
        *,
        min_novelty: float,
    ) -> None:
        self.known = known
        self.rules = list(rules)
        self.embedder = embedder
        self.min_novelty = min_novelty
        self._claims = embedder.embed(known.texts)
        centre = self._claims.mean(axis=0) if len(known.texts) else np.zeros(embedder.dimensions)
        norm = float(np.linalg.norm(centre))
        self._centre = centre / norm if norm else centre
        self._examples = {r.rule.id: embedder.embed(r.rule.examples) for r in self.rules}
        self._counters = {r.rule.id: embedder.embed(r.rule.counter_examples) for r in self.rules}
        self._casing = Casing(
            [
                *known.texts,
                *(t for r in self.rules for t in (*r.rule.examples, *r.rule.counter_examples)),
            ]
        )
        self._last: tuple[tuple[str, str, str], list[str], np.ndarray] | None = None
        self._prepared: dict[str, Sentence] = {}
        self._by_id = {compiled.rule.id: compiled for compiled in self.rules}
        self.settled = SettledDevelopments(known)

    def on_story(self, article: Article) -> bool:
        """Whether any sentence comes close enough to the story to examine the article,
        measured before (and without) the rest of ``signals``."""
        return self.relevance(article) >= off_story_bar(len(self._embedded(article)[0]))

    def relevance(self, article: Article) -> float:
        """How close the article's closest sentence comes to the story (cosine)."""
        return float((self._embedded(article)[1] @ self._centre).max())

    def _embedded(self, article: Article) -> tuple[list[str], np.ndarray]:
        """The article's sentences and their vectors; the last article's are kept, since
        ``relevance`` and ``signals`` are usually asked of the same article in turn."""
        key = (article.id, article.title, article.text)
        if self._last is None or self._last[0] != key:
            texts = article_sentences(article) or [""]
            self._last = (key, texts, self.embedder.embed(list(map(self._casing.restore, texts))))
        return self._last[1], self._last[2]

    def signals(self, article: Article, told: Mapping[str, str] | None = None) -> ArticleSignals:
        """Measure ``article``: per sentence novelty, relevance and rule hits. A sentence
        whose content key is in ``told`` (``StoryBook.told``) restates an earlier report:
        the article is measured without it (its repeated background paragraphs would
        otherwise lend it their relevance and their words), but for the headline, which is
        known (novelty 0, that report's sentence its nearest claim)."""
        texts, vectors = self._embedded(article)
        texts, vectors, repeated = _without_told(texts, vectors, told or {})
        closeness = vectors @ self._claims.T if len(self._claims) else None
        if closeness is None:
            evidence = tuple(self.known.assess_all(texts))
            semantic = np.ones(len(texts))
        else:
            evidence = tuple(self.known.assess_all(texts, closeness.argmax(axis=1).tolist()))
            semantic = 1.0 - closeness.max(axis=1)
        if told:  # every other sentence told is left out: only the headline may be one
            evidence = (_restated(evidence[0], told), *evidence[1:])
        relevance = vectors @ self._centre
        relevant = tuple(relevance.tolist())  # Python floats, as float(x) gives
        centre = vectors[novel_indices(evidence, relevant)].mean(axis=0)
        norm = float(np.linalg.norm(centre))
        return ArticleSignals(
            sentences=tuple(texts),
            evidence=evidence,
            relevance=relevant,
            semantic_novelty=tuple(semantic.tolist()),
            hits=self._hits(texts, evidence),
            example_similarity=_best(vectors, self._examples),
            counter_similarity=_best(vectors, self._counters),
            vector=centre / norm if norm else centre,
            told=tuple(repeated),
        )

    def _hits(self, texts: Sequence[str], evidence: Sequence[Evidence]) -> tuple[RuleHit, ...]:
        """Patterns holding on sentences novel enough for their rule. Sentences are prepared
        for matching only when a rule reads them (never for an article that surely misses
        its topic): its novel ones first, the rest only while its topic is unconfirmed. A
        prepared sentence is kept with the answers found in it, for when it recurs."""

        def sentence(index: int) -> Sentence:
            return self._sentence(texts[index])

        hits = []
        timeline = recap_lines(texts)
        lowered, vocabulary = "", frozenset[str]()
        for compiled in self.rules:
            rule = compiled.rule
            if not compiled.patterns or not rule.enabled:
                continue
            floor = rule.min_novelty if rule.min_novelty is not None else self.min_novelty
            novel = [
                i
                for i, e in enumerate(evidence)
                if (not rule.novel or e.novelty >= floor) and i not in timeline
            ]
            if not novel:
                continue
            if not lowered:
                lowered, vocabulary = topic_reading(texts)
            if compiled.off_topic_in(lowered, vocabulary):
                continue
            if compiled.topic_missing(map(sentence, _novel_first(novel, len(texts))), vocabulary):
                continue
            for index in novel:
                held = compiled.first_held(sentence(index))
                if held is not None:
                    rank, outcome = held
                    hits.append(RuleHit(rule.id, outcome.stage, index, rank, outcome.pattern))
        return tuple(hits)

    def _sentence(self, text: str) -> Sentence:
        """``text`` prepared for matching, kept with the answers found in it."""
        prepared = self._prepared.get(text)
        if prepared is None:
            if len(self._prepared) >= _KEPT_SENTENCES:
                self._prepared.clear()
            prepared = self._prepared[text] = Sentence.of(text)
        return prepared

    def without_retold(self, signals: ArticleSignals) -> ArticleSignals:
        """``signals`` whose pattern hits on sentences retelling a settled development
        (``retold``) are moved to ``retold``; a later pattern of the rule that names another
        stage, and is news, takes such a hit's place."""
        if not self.settled or not signals.hits:
            return signals
        hits, retold = [], []
        for hit in signals.hits:
            compiled = self._by_id[hit.rule]
            retelling = self._retelling(compiled, hit.stage, signals.sentences[hit.sentence])
            if retelling is None:
                hits.append(hit)
                continue
            retold.append((hit, retelling))
            other = self._news_stage(compiled, hit, signals.sentences[hit.sentence])
            if other is not None:
                hits.append(other)
        if not retold:
            return signals
        return replace(signals, hits=tuple(hits), retold=(*signals.retold, *retold))

    def of_own_kind(self, hit: RuleHit) -> bool:
        """Whether ``hit``'s pattern names a kind of development of its own
        (``Pattern.own_kind``, read by its stage as the retelling reads it)."""
        compiled = self._by_id.get(hit.rule)
        return compiled is not None and hit.stage in compiled.own_kinds

    def _retelling(self, compiled: CompiledRule, stage: str, text: str) -> Retelling | None:
        rule = compiled.rule
        if not rule.novel:
            return None
        return self.settled.retells(
            text,
            rule.id,
            broad=bool(rule.includes),
            stage=stage,
            min_novelty=rule.min_novelty if rule.min_novelty is not None else self.min_novelty,
            apart=self._of_other_parties(compiled, text),
            says_stage=self._says_stage(compiled, stage),
            own_kind=stage in compiled.own_kinds,
        )

    def _says_stage(self, compiled: CompiledRule, stage: str) -> Callable[[str], bool]:
        """A test of whether a text (a settled development's claim) says what a pattern of
        ``compiled`` at ``stage`` reads: every group of one such pattern found in it, however
        far apart and whatever vetoes it (a truce "to be signed", named by the model, is still
        the truce agreed that a later report retells)."""

        def says(text: str) -> bool:
            sentence = self._sentence(text)
            return any(
                p.stage == stage
                and all(term is not None for _, term in p.evaluate(sentence).matched)
                for p in compiled.patterns
            )

        return says

    def _of_other_parties(self, compiled: CompiledRule, text: str) -> Callable[[str], bool] | None:
        """For a rule that names who acts, and a sentence naming some: whether a settled
        development's first evidence sentences name parties of the rule and none of the sentence's
        (Norway's troops arriving retell no arrival of French ones). None when there is
        nothing to tell apart."""
        if not compiled.parties:
            return None
        ours = parties_named(compiled.parties, self._sentence(text))
        if not ours:
            return None

        def apart(lead: str) -> bool:
            theirs = parties_named(compiled.parties, self._sentence(lead))
            return bool(theirs) and theirs.isdisjoint(ours)

        return apart

    def _news_stage(self, compiled: CompiledRule, hit: RuleHit, text: str) -> RuleHit | None:
        """The first pattern after ``hit``'s that holds on its sentence at another stage
        and retells nothing (a truce agreed weeks ago, said in force today)."""
        for rank, pattern in enumerate(compiled.patterns):
            if rank <= hit.rank or pattern.stage == hit.stage:
                continue
            outcome = pattern.holds(self._sentence(text))
            if outcome is not None and self._retelling(compiled, outcome.stage, text) is None:
                return RuleHit(hit.rule, outcome.stage, hit.sentence, rank, outcome.pattern)
        return None


def _novel_first(novel: Sequence[int], count: int) -> Iterator[int]:
    """The indices of ``count`` sentences, those in ``novel`` first (as they come), then the
    rest in order; the rest put together only when asked for."""
    yield from novel
    yield from sorted(set(range(count)).difference(novel))


def _without_told(
    texts: list[str], vectors: np.ndarray, told: Mapping[str, str]
) -> tuple[list[str], np.ndarray, list[str]]:
    """``texts`` and their ``vectors`` without the sentences ``told`` holds (the headline,
    first, always stays), and the sentences left out."""
    if not told:
        return texts, vectors, []
    repeated = [i for i, text in enumerate(texts) if i and content_key(text) in told]
    if not repeated:
        return texts, vectors, []
    left_out = set(repeated)
    kept = [i for i in range(len(texts)) if i not in left_out]
    return [texts[i] for i in kept], vectors[kept], [texts[i] for i in repeated]


def _restated(evidence: Evidence, told: Mapping[str, str]) -> Evidence:
    """``evidence`` as known when its sentence restates one in ``told``."""
    earlier = told.get(content_key(evidence.sentence))
    return evidence if earlier is None else Evidence(evidence.sentence, 0.0, earlier, 1.0)


def _best(vectors: np.ndarray, by_rule: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Per rule, the highest cosine between any sentence and any of its examples."""
    return {
        rule: float((vectors @ examples.T).max()) if len(examples) else 0.0
        for rule, examples in by_rule.items()
    }


def dense_features(signals: ArticleSignals, corroboration: float = 0.0) -> dict[str, float]:
    """The article-level numbers of ``DENSE_FEATURES``, each in about [0, 1];
    ``corroboration`` comes from outside the article (``corroboration.RecentReports``)."""
    # plain Python on these few numbers (the same floats numpy gives), numpy for the mean
    novelty = [e.novelty for e in signals.evidence]
    relevance = signals.relevance
    semantic = signals.semantic_novelty
    relevant = [r >= RELEVANT for r in relevance]
    # the words of ``signals.text``, sentence by sentence (no word spans the joining space)
    tokens = [word for sentence in signals.sentences for word in words(sentence)]
    novel = sum(n >= NOVEL and r for n, r in zip(novelty, relevant, strict=True))
    return {
        "title_novelty": novelty[0],
        "relevant_novelty": max(n * r for n, r in zip(novelty, relevant, strict=True)),
        "title_relevance": relevance[0],
        "max_relevance": max(relevance),
        "mean_relevance": float(np.array(relevance).mean()),
        "title_semantic_novelty": semantic[0],
        "relevant_semantic_novelty": max(s * r for s, r in zip(semantic, relevant, strict=True)),
        "novel_share": novel / len(novelty),
        "hedging": sum(w in _HEDGES for w in tokens) / max(1, len(tokens)),
        "explainer_headline": float(explains(signals.title)),
        "pattern_hits": float(len({h.rule for h in signals.hits})),
        "example_similarity": max(signals.example_similarity.values(), default=0.0),
        "counter_similarity": max(signals.counter_similarity.values(), default=0.0),
        CORROBORATION: corroboration,
    }


def rule_features(signals: ArticleSignals, rule: str) -> dict[str, float]:
    """The numbers of ``RULE_FEATURES`` for one rule."""
    return {
        "rule_pattern": float(any(h.rule == rule for h in signals.hits)),
        "rule_example_similarity": signals.example_similarity.get(rule, 0.0),
        "rule_counter_similarity": signals.counter_similarity.get(rule, 0.0),
    }
