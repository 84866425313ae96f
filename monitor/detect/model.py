"""The scoring model: a reviewed JSON file of weights, applied without any ML library.

The file (``monitor/detect/detector_model.json``, written by ``scripts/train_detector.py``)
holds one logistic-regression *head* per decision: ``development`` (is this article a new
development of the story?) and one per watch rule it was trained for (does the article
report this rule's kind of development?). Each head weighs the article's TF-IDF word and
word-pair features (shared vocabulary and IDF) and standardised dense features
(``features.DENSE_FEATURES`` and, for rule heads, ``features.RULE_FEATURES``); the file also
holds the probability from which a rule's pattern may alert (``pattern_floor``) and, per
rule without a head, the similarity to its examples that names it. ``Score``
keeps the largest contributions, so every decision explains itself. ``load_model`` raises
``ConfigError`` naming the file when it is missing or malformed.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.detect.features import BACKGROUND_WEIGHT, ArticleSignals, model_terms, ngrams
from monitor.errors import ConfigError, Problem

DEFAULT_MODEL = Path(__file__).with_name("detector_model.json")
DEVELOPMENT = "development"
DEFAULT_EXAMPLE_MATCH = 0.85  # for a rule the model knows nothing of: a close paraphrase
_SHOWN = 6


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scaling(_Strict):
    mean: float
    scale: float = Field(gt=0.0)

    def standardise(self, value: float) -> float:
        return (value - self.mean) / self.scale


class Head(_Strict):
    """One logistic regression: probability = sigmoid(bias + w·x); alert at ``threshold``."""

    bias: float
    threshold: float = Field(ge=0.0, le=1.01)
    ngrams: dict[str, float] = Field(default_factory=dict)
    dense: dict[str, float] = Field(default_factory=dict)


class ModelFile(_Strict):
    """The JSON file as written by the training script."""

    format: int = Field(ge=1, le=1)
    about: dict[str, object] = Field(default_factory=dict)
    idf: dict[str, float]
    scaling: dict[str, Scaling]
    heads: dict[str, Head]
    pattern_floor: float = Field(default=0.0, ge=0.0, le=1.0)
    example_match: dict[str, float] = Field(default_factory=dict)

    def example_threshold(self, rule: str) -> float:
        """The cosine to one of a rule's examples that names it (rules without a head)."""
        return self.example_match.get(rule, DEFAULT_EXAMPLE_MATCH)


@dataclass(frozen=True)
class Score:
    """A head's probability, its threshold, and each feature's share of its logit (n-grams
    and dense features apart); ``contributions`` ranks them when asked."""

    probability: float
    threshold: float
    grams: tuple[tuple[str, float], ...] = ()
    dense: tuple[tuple[str, float], ...] = ()

    @property
    def holds(self) -> bool:
        return self.probability >= self.threshold

    @functools.cached_property
    def contributions(self) -> tuple[tuple[str, float], ...]:
        """The features that moved the score most, n-grams quoted, largest first."""
        quoted = ((f"'{gram}'", value) for gram, value in _largest(self.grams))
        shown = _largest([*quoted, *self.dense])
        return tuple((name, round(value, 3)) for name, value in shown)


class ScoringModel:
    """Applies the heads of a ``ModelFile`` to an article's text and dense features."""

    def __init__(self, spec: ModelFile) -> None:
        self.spec = spec
        self.heads = spec.heads
        # the dense features some head weighs: the others need not be measured
        self.weighed = frozenset(name for head in spec.heads.values() for name in head.dense)

    def read(self, signals: ArticleSignals) -> dict[str, float]:
        """The TF-IDF of a measured article (see ``ArticleSignals.lexical_parts``)."""
        text, background = signals.lexical_parts()
        return self.vectorise(text, signals.title, background)

    def vectorise(self, text: str, title: str = "", background: str = "") -> dict[str, float]:
        """TF-IDF of the known terms of ``text`` (and ``title``, see ``model_terms``), and of
        those found only in ``background`` at ``BACKGROUND_WEIGHT``: sublinear counts, unit
        length."""
        idf = self.spec.idf
        counts = Counter(filter(idf.__contains__, model_terms(text, title)))
        weights = {g: (1.0 + math.log(n)) * idf[g] for g, n in counts.items()}
        rest = Counter(g for g in ngrams(background) if g in idf and g not in counts)
        weights.update(
            {g: BACKGROUND_WEIGHT * (1.0 + math.log(n)) * idf[g] for g, n in rest.items()}
        )
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {g: w / norm for g, w in weights.items()} if norm else {}

    def score(
        self, head_name: str, vector: Mapping[str, float], dense: Mapping[str, float]
    ) -> Score | None:
        """The head's score, or None when the model has no head of that name."""
        head = self.heads.get(head_name)
        if head is None:
            return None
        weights = head.ngrams
        # in the vector's (the text's) order: a set intersection's order varies between runs
        grams = [
            (gram, weight * value)
            for gram, value in vector.items()
            if (weight := weights.get(gram)) is not None
        ]
        scaling = self.spec.scaling
        dense_parts = [
            (name, weight * scaling[name].standardise(dense.get(name, 0.0)))
            for name, weight in head.dense.items()
        ]
        logit = head.bias + sum(value for _, value in grams) + sum(v for _, v in dense_parts)
        return Score(
            probability=1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit)))),
            threshold=head.threshold,
            grams=tuple(grams),
            dense=tuple(dense_parts),
        )


def _largest(parts: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """The ``_SHOWN`` parts of largest magnitude, the earlier first among equals (what
    ``heapq.nlargest`` gives, with the magnitudes taken once)."""
    magnitudes = [abs(value) for _, value in parts]
    order = sorted(range(len(parts)), key=magnitudes.__getitem__, reverse=True)
    return [parts[i] for i in order[:_SHOWN]]


@functools.cache
def default_model() -> ScoringModel:
    """The model shipped with news-monitor, read once per process."""
    return load_model(DEFAULT_MODEL)


def unusable(spec: ModelFile, where: str) -> list[Problem]:
    """What keeps a valid model file from scoring: no development head, or a head weighing
    a feature the file gives no scaling for (every article would fail)."""
    problems = []
    if DEVELOPMENT not in spec.heads:
        problems.append(Problem(where, None, f"no '{DEVELOPMENT}' head"))
    missing = {n for h in spec.heads.values() for n in h.dense} - set(spec.scaling)
    if missing:
        problems.append(Problem(where, None, f"no scaling for {sorted(missing)}"))
    return problems


def load_model(path: Path = DEFAULT_MODEL) -> ScoringModel:
    """Read and validate a model file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        spec = ModelFile.model_validate(raw)
    except OSError as exc:
        raise ConfigError([Problem(str(path), None, f"cannot read: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(str(path), None, "not UTF-8 text")]) from exc
    except json.JSONDecodeError as exc:
        raise ConfigError([Problem(str(path), exc.lineno, f"not JSON: {exc.msg}")]) from exc
    except ValidationError as exc:
        problems = [
            Problem(str(path), None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
            for e in exc.errors()
        ]
        raise ConfigError(problems) from exc
    problems = unusable(spec, str(path))
    if problems:
        raise ConfigError(problems)
    return ScoringModel(spec)
