"""The baseline: claims already known when monitoring starts.

``build_claims`` proposes candidate claims from documents (plain text or HTML): their
sentences, with near-duplicates across documents merged and each claim carrying the
documents that support it, most corroborated first, for a human to review.
``dump_baseline`` writes them as YAML; ``load_baseline`` reads ``rules/baseline.yaml``: the
claims and, optionally, ``as_of``, the day they tell the story up to (an article published on
or before it is part of that story, never a development of it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from monitor.models import Claim
from monitor.text import html_to_text, split_sentences, words
from monitor.yamlfile import load_model

MERGE_SIMILARITY = 0.8
MIN_WORDS, MAX_WORDS = 6, 60


class ClaimEntry(BaseModel):
    """One claim; ``corroboration`` and ``low_corroboration``, when given, must agree with
    ``sources`` (they are there for the reviewer's eye)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)
    corroboration: int | None = None
    low_corroboration: bool | None = None

    @model_validator(mode="after")
    def _marks_agree_with_sources(self) -> ClaimEntry:
        count = len(self.sources)
        if self.corroboration is not None and self.corroboration != count:
            raise ValueError(
                f"corroboration is {self.corroboration} but {count} sources are listed"
            )
        if self.low_corroboration is not None and self.low_corroboration != (count < 2):
            raise ValueError(
                f"low_corroboration must be {str(count < 2).lower()} for {count} source(s)"
            )
        return self


class BaselineFile(BaseModel):
    """The schema of ``baseline.yaml``."""

    model_config = ConfigDict(extra="forbid")

    story: str = ""
    as_of: date | None = Field(
        default=None,
        description="the day the claims tell the story up to: articles published on or "
        "before it are part of the story the baseline knows",
    )
    claims: list[ClaimEntry] = Field(min_length=1)


@dataclass(frozen=True)
class Baseline:
    """What is known: the claims, and the day they tell the story up to (None: not said)."""

    claims: list[Claim]
    as_of: date | None = None


@dataclass
class _Candidate:
    text: str
    sources: list[str] = field(default_factory=list)
    order: int = 0


def _candidate_sentences(text: str) -> list[str]:
    plain = html_to_text(text) if "<" in text else text
    return [s for s in split_sentences(plain) if MIN_WORDS <= len(words(s)) <= MAX_WORDS]


def build_claims(documents: Sequence[tuple[str, str]]) -> list[Claim]:
    """Candidate claims from ``(name, text)`` documents, most corroborated first."""
    from monitor.detect.similarity import SentenceIndex  # rapidfuzz: only when building

    index = SentenceIndex()
    candidates: list[_Candidate] = []
    for name, text in documents:
        for sentence in _candidate_sentences(text):
            nearest, score = index.nearest(sentence)
            if score >= MERGE_SIMILARITY:
                candidate = candidates[index.texts.index(nearest)]
                if name not in candidate.sources:
                    candidate.sources.append(name)
                continue
            index.extend([sentence])
            candidates.append(_Candidate(sentence, [name], len(candidates)))
    candidates.sort(key=lambda c: (-len(c.sources), c.order))
    return [Claim(c.text, tuple(c.sources)) for c in candidates]


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; raises ``ConfigError`` naming the file and line of a problem."""
    model = load_model(path, BaselineFile)
    claims = [Claim(entry.text, tuple(entry.sources)) for entry in model.claims]
    return Baseline(claims, model.as_of)


def dump_baseline(claims: Sequence[Claim], story: str = "", as_of: date | None = None) -> str:
    """YAML text for ``claims`` (and ``as_of`` when given), with corroboration shown for
    review."""
    data: dict[str, object] = {"story": story}
    if as_of is not None:
        data["as_of"] = as_of
    data |= {
        "claims": [
            {
                "text": claim.text,
                "sources": list(claim.sources),
                "corroboration": claim.corroboration,
                "low_corroboration": claim.low_corroboration,
            }
            for claim in claims
        ],
    }
    header = (
        "# Candidate claims proposed by `news-monitor baseline build`: review them, rewrite\n"
        "# them in your own words, drop what is not a claim, then use the file as baseline.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
