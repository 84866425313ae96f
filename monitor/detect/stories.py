"""Group reports into developments: the first is an alert, later ones are updates.

``StoryBook.decide`` is a pure decision over the developments recorded so far, with the
clock passed in. A report of the same rule and stage as a development is an ``UPDATE`` of
it when it comes within the *burst* after the development was last reported (reports of one
event cluster in a few days), or within the longer *window* and similar in wording; one
that restates an older development almost word for word is ``KNOWN``; anything else is a
``NEW_DEVELOPMENT``. ``record``
applies a decision. Developments are plain data so the store can persist them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.detect.similarity import best_match, content_key
from monitor.models import Decision, Development

DEFAULT_WINDOW = timedelta(days=7)
DEFAULT_BURST = timedelta(days=3)
DEFAULT_GROUP_SIMILARITY = 0.45
DEFAULT_KNOWN_SIMILARITY = 0.85


@dataclass(frozen=True)
class Verdict:
    """A decision, the development it concerns (if any) and why."""

    decision: Decision
    development: Development | None
    similarity: float
    reason: str


class StoryBook:
    """The developments of the story so far, by rule."""

    def __init__(
        self,
        developments: Iterable[Development] = (),
        *,
        window: timedelta = DEFAULT_WINDOW,
        burst: timedelta = DEFAULT_BURST,
        group_similarity: float = DEFAULT_GROUP_SIMILARITY,
        known_similarity: float = DEFAULT_KNOWN_SIMILARITY,
    ) -> None:
        self.window = window
        self.burst = min(burst, window)
        self.group_similarity = group_similarity
        self.known_similarity = known_similarity
        self._developments: list[Development] = []
        self._keys: dict[str, list[str]] = {}
        self.reset(developments)

    def reset(self, developments: Iterable[Development]) -> None:
        """Replace what the book knows, e.g. with what the store actually recorded."""
        self._developments = list(developments)
        self._keys = {d.id: [content_key(text) for text in d.evidence] for d in self._developments}

    @property
    def developments(self) -> list[Development]:
        return list(self._developments)

    def decide(self, rule: str, stage: str, evidence: Sequence[str], now: datetime) -> Verdict:
        """Classify a report of ``rule``/``stage`` with these evidence sentences at ``now``."""
        keys = [content_key(text) for text in evidence]
        best: tuple[float, Development] | None = None
        for development in self._developments:
            if development.rule != rule or development.stage != stage:
                continue
            score = best_match(keys, self._keys[development.id])
            age = now - development.last_seen
            same = age <= self.burst or (age <= self.window and score >= self.group_similarity)
            if same and (best is None or score > best[0]):
                best = (score, development)
            elif not same and score >= self.known_similarity:
                return Verdict(
                    Decision.KNOWN,
                    development,
                    score,
                    f"restates development {development.id} ({score:.2f})",
                )
        if best is not None:
            score, development = best
            return Verdict(
                Decision.UPDATE,
                development,
                score,
                f"same development as {development.id} ({score:.2f})",
            )
        return Verdict(Decision.NEW_DEVELOPMENT, None, 0.0, "no similar development")

    def record(
        self,
        verdict: Verdict,
        rule: str,
        stage: str,
        evidence: Sequence[str],
        entry: str,
        now: datetime,
    ) -> Development | None:
        """Apply ``verdict``: open a development or extend one; return it (None if known)."""
        if verdict.decision is Decision.KNOWN:
            return None
        if verdict.decision is Decision.UPDATE and verdict.development is not None:
            development = verdict.development
            development.last_seen = max(development.last_seen, now)
            development.entries.append(entry)
            new = [text for text in evidence if text not in development.evidence]
            development.evidence.extend(new)
            self._keys[development.id].extend(content_key(text) for text in new)
            return development
        digest = hashlib.sha1(f"{rule}\0{stage}\0{entry}".encode()).hexdigest()[:8]
        development = Development(
            id=f"{rule}-{now:%Y%m%d}-{digest}",
            rule=rule,
            stage=stage,
            first_seen=now,
            last_seen=now,
            evidence=list(evidence),
            entries=[entry],
        )
        self._developments.append(development)
        self._keys[development.id] = [content_key(text) for text in evidence]
        return development
