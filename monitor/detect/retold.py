"""Developments reported long ago are known: a pattern on a sentence retelling one is no news.

The baseline holds what was known when the story began. A development the story book no
longer joins reports to (its last report is older than the book's window) is known from then
on too: its evidence sentences become claims, each kept with the rule and stage the
development was reported under. A rule's pattern holding on a sentence no more novel
against such a claim than the rule asks of novelty against the baseline (``min_novelty``)
retells that development ("the ceasefire signed in Geneva took effect in July", read in
October), unless the pattern names another stage of the development's lead rule (the vote
*held*, weeks after it was *tabled*), or, where the development records no stage of the rule
(another rule it was named for, or its lead rule when the model alone named it), the claim
does not say that pattern's stage (a guarantee protocol signed beside a truce, ratified
months later; a peace treaty signed, months after a truce the model named), or, for a rule
that names who acts, the sentence and the development's first evidence sentences name
different parties (the Lords' vote after the Commons'): that is news of its own.
Whether a development is settled is read at each article's own time, so a report that arrives
late (a feed back after days down) is read as the story stood when it was published, and a
development reported again after it settled is read again. A broad rule's patterns
(``includes``) name kinds of development, not stages, so any settled development counts for
them. A claim or a sentence of fewer than ``MIN_WORDS`` informative words is not compared: a
short headline ("Is it legal?", "Ceasefire collapses") is contained in too many sentences;
past ``KEPT_CLAIMS`` the oldest claims go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from monitor.detect.novelty import KnownClaims
from monitor.detect.stories import UNSTAGED
from monitor.models import Development

MIN_WORDS = 4
# who acts in a settled development is read in its first evidence sentences: the one a
# pattern named may give only a council's approval ("France's defence council approved the
# deployment"), the next the soldiers' country (the story book, telling a report from a
# development days old, reads the first alone: reading more there split reports of one event)
PARTY_SENTENCES = 3
KEPT_CLAIMS = 2_000  # settled claims compared (about 1 ms a sentence measured at the most)
_KEPT_ROWS = 2_000  # sentences kept with their similarities (a few MB at most)


@dataclass(frozen=True)
class Retelling:
    """The settled development a sentence retells, and the claim of it the sentence repeats."""

    development: str
    claim: str
    similarity: float


@dataclass(frozen=True)
class _Owner:
    """The development a kept claim came from: its id, rules, the stage of its lead rule, when
    it was last reported, how many evidence sentences it had and its first ones, joined."""

    development: str
    rule: str
    rules: frozenset[str]
    stage: str
    last_seen: datetime
    evidence: int
    lead: str  # its first evidence sentences, where who acts in it is read

    def still(self, development: Development) -> bool:
        """Whether ``development`` is as it was when this was taken of it."""
        return (
            self.last_seen == development.last_seen
            and self.evidence == len(development.evidence)
            and self.stage == development.stage
            and len(self.rules) == len(development.rules)
        )

    @classmethod
    def of(cls, development: Development) -> _Owner:
        return cls(
            development.id,
            development.rule,
            frozenset(development.rules),
            development.stage,
            development.last_seen,
            len(development.evidence),
            " ".join(development.evidence[:PARTY_SENTENCES]),
        )

    def records_stage_of(self, rule: str) -> bool:
        """Whether the development records the stage ``rule``'s patterns report: its lead
        rule's, when a pattern named it (not the model alone)."""
        return rule == self.rule and self.stage != UNSTAGED

    def counts_for(self, rule: str, broad: bool, stage: str, own_kind: bool = False) -> bool:
        """Whether a pattern of ``rule`` at ``stage`` would retell this development (a broad
        rule's pattern of a kind of its own, ``Pattern.own_kind``, only one that rule reported
        as that kind, or at no stage)."""
        if broad:
            return not own_kind or (self.rule == rule and self.stage in (UNSTAGED, stage))
        if rule not in self.rules:
            return False
        return rule != self.rule or UNSTAGED in (stage, self.stage) or stage == self.stage


class SettledDevelopments:
    """The evidence of developments reported longer ago than the story book's window."""

    def __init__(self, baseline: KnownClaims) -> None:
        self._baseline = list(baseline.texts)
        # the developments whose evidence was kept, as they were when it was kept
        self._settled: dict[str, _Owner] = {}
        self._before: datetime | None = None  # settled: last reported before this
        self._keep([], [])

    def __bool__(self) -> bool:
        return bool(self._owners)

    def _keep(self, texts: list[str], owners: list[_Owner]) -> None:
        """Hold ``texts`` (with their ``owners``) as the settled claims, and nothing else."""
        # compared as the baseline is, with the baseline's story vocabulary left out
        self._claims = KnownClaims(self._baseline)
        self._texts: list[str] = []
        self._owners: list[_Owner] = []
        self._by_word: dict[str, list[int]] = {}  # informative word -> claims (offsets)
        self._add(texts, owners)

    def _add(self, texts: list[str], owners: list[_Owner]) -> None:
        for offset, text in enumerate(texts, len(self._texts)):
            for word in set(self._claims.informative_words(text)):
                self._by_word.setdefault(word, []).append(offset)
        self._claims.extend(texts)
        self._texts += texts
        self._owners += owners
        # per sentence, the claims sharing a word with it and its similarity to each
        self._rows: dict[str, tuple[list[int], list[float]]] = {}

    def forget(self) -> None:
        """Know no development (the story book was reset)."""
        self._settled = {}
        self._before = None
        self._keep([], [])

    def settle(self, developments: Sequence[Development], before: datetime | None) -> None:
        """Read the next sentences as of a time when the developments last reported before
        ``before`` are settled (None: none is); keep the evidence of those not kept yet. A
        kept development reported again since is read again, and one reported on or after
        ``before`` (again, or read at an earlier time) is no longer settled; past
        ``KEPT_CLAIMS`` the oldest claims go."""
        self._before = before
        if before is None:
            return
        fresh: list[Development] = []
        changed = False
        for development in developments:
            kept = self._settled.get(development.id)
            if development.last_seen >= before:
                if kept is not None:
                    del self._settled[development.id]
                    changed = True
                continue
            if kept is not None and kept.still(development):
                continue
            changed = changed or kept is not None
            self._settled[development.id] = _Owner.of(development)
            fresh.append(development)
        if changed:  # a development reported again since it was kept: read all anew
            fresh = [d for d in developments if d.id in self._settled]
            self._settled = {d.id: _Owner.of(d) for d in fresh}
            self._keep([], [])
        texts, owners = self._claims_of(fresh)
        if len(self._texts) + len(texts) > KEPT_CLAIMS:
            self._keep((self._texts + texts)[-KEPT_CLAIMS:], (self._owners + owners)[-KEPT_CLAIMS:])
        elif texts:
            self._add(texts, owners)

    def _claims_of(self, developments: Iterable[Development]) -> tuple[list[str], list[_Owner]]:
        """The evidence sentences of ``developments`` long enough to compare, with their owners."""
        texts: list[str] = []
        owners: list[_Owner] = []
        for development in developments:
            owner = _Owner.of(development)
            for text in development.evidence:
                if len(self._claims.informative_words(text)) >= MIN_WORDS:
                    texts.append(text)
                    owners.append(owner)
        return texts, owners

    def retells(
        self,
        sentence: str,
        rule: str,
        *,
        broad: bool,
        stage: str,
        min_novelty: float,
        apart: Callable[[str], bool] | None = None,
        says_stage: Callable[[str], bool] | None = None,
        own_kind: bool = False,
    ) -> Retelling | None:
        """The settled development that ``rule``'s pattern at ``stage`` on ``sentence``
        retells (the most similar), or None when the sentence is news for it. Only claims
        sharing an informative word with the sentence are compared, none of a development
        that ``apart`` says is of others (who acts in its first evidence sentences is not who
        acts in the sentence), and of a development that records no stage of ``rule``
        (``records_stage_of``), only claims that ``says_stage`` says tell of ``stage``."""
        before = self._before
        if not self._owners or before is None:
            return None
        if len(self._claims.informative_words(sentence)) < MIN_WORDS:
            return None
        offsets, similarities = self._compared(sentence)
        best: Retelling | None = None
        others: dict[str, bool] = {}  # per development: ``apart`` of its first sentences
        said: dict[str, bool] = {}  # per claim: ``says_stage``
        for offset, similarity in zip(offsets, similarities, strict=True):
            owner = self._owners[offset]
            if 1.0 - similarity >= min_novelty or owner.last_seen >= before:
                continue
            if not owner.counts_for(rule, broad, stage, own_kind):
                continue
            if says_stage is not None and not broad and not owner.records_stage_of(rule):
                claim = self._texts[offset]
                if claim not in said:
                    said[claim] = says_stage(claim)
                if not said[claim]:
                    continue
            if apart is not None:
                if owner.development not in others:
                    others[owner.development] = apart(owner.lead)
                if others[owner.development]:
                    continue
            if best is None or similarity > best.similarity:
                best = Retelling(owner.development, self._texts[offset], round(similarity, 3))
        return best

    def _compared(self, sentence: str) -> tuple[list[int], list[float]]:
        found = self._rows.get(sentence)
        if found is None:
            words = set(self._claims.informative_words(sentence))
            offsets = sorted({o for w in words & self._by_word.keys() for o in self._by_word[w]})
            start = len(self._baseline)
            scores = self._claims.similarities(sentence, [start + o for o in offsets])
            if len(self._rows) >= _KEPT_ROWS:
                self._rows = {}
            found = self._rows[sentence] = (offsets, scores.tolist())
        return found
