"""Plain typed data that crosses module boundaries.

Sources produce ``Article``; the baseline holds ``Claim``; detection returns ``Alert``
(with ``Evidence``) and keeps ``Development`` records. Nothing here does I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal


@dataclass(frozen=True)
class Article:
    """One feed entry, normalised. ``id`` is stable across polls (guid or canonical link)."""

    id: str
    feed: str
    title: str
    text: str
    link: str = ""
    published: datetime | None = None


_UNDATED = datetime.max.replace(tzinfo=UTC)


def in_published_order(articles: Iterable[Article]) -> list[Article]:
    """Oldest first; undated entries last, in the order given."""
    return sorted(articles, key=lambda a: a.published or _UNDATED)


@dataclass(frozen=True)
class Claim:
    """A known fact from the baseline, with the documents that support it."""

    text: str
    sources: tuple[str, ...] = ()

    @property
    def corroboration(self) -> int:
        return len(self.sources)

    @property
    def low_corroboration(self) -> bool:
        return self.corroboration < 2


@dataclass(frozen=True)
class Evidence:
    """A sentence that triggered a rule, and how it compares with what is known."""

    sentence: str
    novelty: float
    nearest_claim: str
    similarity: float


class Decision(enum.Enum):
    """What a matching article means for the story."""

    NEW_DEVELOPMENT = "new_development"
    UPDATE = "update"
    KNOWN = "known"


@dataclass(frozen=True)
class OutletReport:
    """A report another outlet's may be corroborated by: the vector of its novel sentences
    (float32 bytes), its outlet and when it was published. ``id`` is its row in the state (0
    until it is stored)."""

    id: int
    outlet: str
    at: datetime
    vector: bytes


@dataclass(frozen=True)
class ReportTrace:
    """One report of a development as the story book compares later reports with it: its
    embedding (float32 bytes), its TF-IDF terms and its sentences. The latest few are kept
    with the development, so that a restart, or another replica, compares as the book that
    recorded them did."""

    vector: bytes
    terms: dict[str, float]
    sentences: tuple[str, ...]


@dataclass
class Development:
    """A real-world development, first reported by one alert and possibly updated since."""

    id: str
    rule: str
    stage: str
    first_seen: datetime
    last_seen: datetime
    evidence: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # every rule it was reported under
    outlets: list[str] = field(default_factory=list)  # independent outlets that reported it
    alerted: bool = True  # False while it waits for the outlets a rule's ``confirm`` asks
    reports: list[ReportTrace] = field(default_factory=list)  # the latest, oldest first
    adopted: bool = False  # its stage was told by a later report, not its first


@dataclass(frozen=True)
class JudgeNote:
    """What an optional judge (a language model, ``monitor.judge``) said about an article."""

    development: bool  # does the article report a new development?
    rule: str | None  # the rule it named, if any
    sentence: str  # the sentence that says so
    reason: str  # why, in its words
    model: str  # which model answered


AlertType = Literal["alert", "update"]


@dataclass(frozen=True)
class Alert:
    """A report for delivery: the first of a development (``alert``) or a later ``update``."""

    type: AlertType
    rule: str
    development: str
    severity: str
    article: Article
    score: float
    evidence: tuple[Evidence, ...]
    channels: tuple[str, ...] = ()
    description: str = ""
    rules: tuple[str, ...] = ()  # every rule the alert stands for, most specific first
    confidence: float = 0.0  # the scoring model's probability that this is a development
    outlets: int = 1  # independent outlets that have reported the development so far
    default_channels: bool = False  # also to the default channels (a rule named none)
    judge: JudgeNote | None = None  # the judge's answer, when one was asked

    @property
    def all_rules(self) -> tuple[str, ...]:
        return self.rules or (self.rule,)

    @property
    def idempotency_key(self) -> str:
        return f"{self.rule}:{self.development}:{self.article.id}"
