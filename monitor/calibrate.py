"""Choose the alert threshold on labelled items: the corpora plus the desk's feedback.

Every item (a line in the corpora's format; ``feedback.export_items`` writes the desk's) is
assessed once by the real ``Detector``, with the alert threshold out of reach and the
pattern floor at zero, which gives its development probability ``p`` and whether a rule's
pattern holds in its lead (the fast path). Each source (a corpus file, the desk) is
assessed as its own stream in published order, so corroboration by other outlets is
measured as ``replay`` measures it. A judged alert keeps the probability the detector gave
it live (``feedback.confidence``, with the corroboration of the whole live stream, which
the desk's few items cannot reproduce); ``rescore`` assesses it again instead (needed when
the model changed since). At a ``Cut`` (threshold ``t``, pattern floor
``f``) an item alerts when ``p >= t``, or when a pattern holds and ``p >= f`` or the head of
a rule its pattern names is sure (``SURE_HEAD``, never below ``f``): the detector's own
paths. A floor above the threshold is a candidate too: it tightens the last path alone.

The cut is chosen for the best worse-of precision and event recall (ties: nearest the cut
in force), with the desk's items counting ``desk_weight`` times. Precision is measured only
on negative items (alerts marked wrong, quiet items): with fewer than ``MIN_NEGATIVES`` the
cut may not fall below the one in force (neither threshold nor floor), since every alert
would then count as right. The figures *after* are by
leave-one-event-out: each development event (and each block of quiet items) is judged at
a cut chosen without it, so they are what to expect on items not yet seen; the figures
*before* are those of the cut in force. When items share an id, the desk's judgment wins
over the corpus label. ``adds_enough`` is the bar by which the training script keeps a lower
threshold for naming a rule, chosen the same way on out-of-fold runs (here so that it is
tested without the training extras).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from monitor.detect.corroboration import RecentReports
from monitor.detect.engine import SURE_HEAD, Assessment, Detector, sure_bar
from monitor.detect.model import ScoringModel
from monitor.errors import ConfigError, Problem
from monitor.models import Article
from monitor.text import html_to_text

GRID = tuple(round(0.05 + 0.01 * i, 2) for i in range(95))  # thresholds 0.05 .. 0.99
FLOORS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
# floors above SURE_HEAD: only a sure head at least as high names a development by its pattern
SURE_FLOORS = (0.97, 0.98, 0.99, 0.995, 0.999, 1.0)
QUIET_BLOCKS = 20  # quiet items are held out in this many blocks
UNREACHABLE = 1.01
STREAM = "_stream"  # the source an item was read from (set by the caller; not exported)
KINDS = ("development", "near-miss", "rehash", "unrelated")  # as the kit's README lists them
# a rule head's threshold is lowered only where the alerts it adds are right this often
RULE_PRECISION = 0.9
# below this many negative items (wrong alerts, quiet items) precision is not measured and
# the cut is not lowered
MIN_NEGATIVES = 5
TEXT_FIELDS = ("title", "summary", "content", "outlet", "url", "why")


def read_labelled(path: Path) -> list[dict[str, Any]]:
    """The items of a labelled JSONL file; ``ConfigError`` names the file and line of each
    line that is not an item (needs ``id``, ``title``, ``kind``)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError([Problem(str(path), None, f"cannot read: {exc.strerror}")]) from exc
    items, problems = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(str(path), number, f"not JSON: {exc.msg}"))
            continue
        missing = [
            k for k in ("id", "title", "kind") if not isinstance(item, dict) or k not in item
        ]
        if missing:
            problems.append(Problem(str(path), number, f"missing {', '.join(missing)}"))
            continue
        wrong = _item_problem(item)
        if wrong:
            problems.append(Problem(str(path), number, wrong))
            continue
        items.append(item)
    if problems:
        raise ConfigError(problems)
    return items


def _item_problem(item: dict[str, Any]) -> str | None:
    """What makes a labelled item unusable (the fields the kit's README describes)."""
    if item["kind"] not in KINDS:
        return f"kind: {item['kind']!r} is not one of {', '.join(KINDS)}"
    labels = item.get("labels", [])
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        return "labels: not a list of rule ids"
    if item.get("event") is not None and not isinstance(item["event"], str):
        return "event: not text"
    for field in TEXT_FIELDS:
        if item.get(field) is not None and not isinstance(item[field], str):
            return f"{field}: not text"
    feedback = item.get("feedback")
    if feedback is not None and not isinstance(feedback, dict):
        return "feedback: not an object"
    confidence = (feedback or {}).get("confidence")
    if confidence is not None and not _probability(confidence):
        return f"feedback.confidence: {confidence!r} is not a number from 0 to 1"
    published = item.get("published")
    if published:
        try:
            when = datetime.fromisoformat(str(published).replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is None or when.tzinfo is None:
            return f"published: {published!r} is not a date-time with a zone (2026-03-10T12:00:00Z)"
    return None


def _probability(value: object) -> bool:
    """Whether ``value`` is a number from 0 to 1 (not a boolean, not NaN)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def merge_items(
    corpora: Iterable[dict[str, Any]], desk: Iterable[dict[str, Any]]
) -> list[tuple[dict[str, Any], bool]]:
    """(item, from the desk) pairs; a desk judgment replaces the corpus item of its id and
    keeps the corpus text and event where the corpus has them."""
    merged: dict[str, tuple[dict[str, Any], bool]] = {str(i["id"]): (i, False) for i in corpora}
    for judged in desk:
        key = str(judged["id"])
        known = merged.get(key, (None, False))[0]
        if known is not None:
            same_kind = (known["kind"] == "development") == (judged["kind"] == "development")
            event = known.get("event") if same_kind and known.get("event") else judged.get("event")
            judged = {**known, **judged, "event": event}
            for field in ("title", "summary", "content", STREAM):
                if known.get(field):
                    judged[field] = known[field]
        merged[key] = (judged, True)
    return list(merged.values())


def item_article(item: dict[str, Any]) -> Article:
    """The article a labelled item stands for, as a feed parser would give it."""
    paragraphs = [html_to_text(str(item.get("summary") or ""))]
    paragraphs += [p.strip() for p in str(item.get("content") or "").split("\n\n") if p.strip()]
    published = item.get("published")
    return Article(
        id=str(item["id"]),
        feed=str(item.get("outlet") or "desk"),
        title=html_to_text(str(item.get("title") or "")),
        text="\n".join(p for p in paragraphs if p),
        link=str(item.get("url") or ""),
        published=datetime.fromisoformat(str(published).replace("Z", "+00:00"))
        if published
        else None,
    )


@dataclass(frozen=True)
class Cut:
    """The development probability from which an article alerts (``threshold``), and from
    which a rule's pattern in its lead may alert it (``floor``)."""

    threshold: float
    floor: float


@dataclass(frozen=True)
class Scored:
    """One labelled item as the detector sees it."""

    id: str
    group: str  # its development event, or a block of quiet items
    event: str | None  # None for quiet items
    probability: float
    pattern: bool  # a rule's pattern holds in its lead
    weight: float = 1.0
    desk: bool = False
    corroboration: float = 0.0  # as the detector measured it in the item's stream
    head: float = 0.0  # the surest head of a rule its pattern names (0.0: none)

    def alerts(self, cut: Cut) -> bool:
        p = self.probability
        sure = self.head >= sure_bar(cut.floor)
        return p >= cut.threshold or (self.pattern and (p >= cut.floor or sure))


def _quiet_block(item_id: str) -> str:
    digest = hashlib.sha256(item_id.encode()).digest()
    return f"quiet-{digest[0] % QUIET_BLOCKS}"


def _stream_order(items: Sequence[tuple[dict[str, Any], bool]]) -> list[int]:
    """Item indices by stream, oldest first within each (undated ones last)."""
    articles = [item_article(item) for item, _ in items]
    return sorted(
        range(len(items)),
        key=lambda i: (
            str(items[i][0].get(STREAM, "")),
            articles[i].published is None,
            articles[i].published or datetime.min,
        ),
    )


def score_items(
    detector: Detector,
    items: Sequence[tuple[dict[str, Any], bool]],
    desk_weight: float = 1.0,
    rescore: bool = False,
) -> list[Scored]:
    """Assess each item once (threshold out of reach, pattern floor at zero: what alerts
    then alerts by a rule's pattern), stream by stream; the result is in ``items`` order."""
    kept = detector.threshold, detector.model, detector.recent
    detector.threshold = UNREACHABLE
    detector.model = ScoringModel(detector.model.spec.model_copy(update={"pattern_floor": 0.0}))
    found: dict[int, Scored] = {}
    stream: object = None
    broad = {rule.id for rule in detector.rules if rule.includes}
    try:
        for i in _stream_order(items):
            item, desk = items[i]
            if item.get(STREAM) != stream:
                stream, detector.recent = item.get(STREAM), RecentReports()
            article = item_article(item)
            when = article.published or datetime.now(UTC)
            development = item["kind"] == "development"
            event = str(item.get("event") or item["id"]) if development else None
            group = event if event is not None else _quiet_block(str(item["id"]))
            weight = desk_weight if desk else 1.0
            if not detector.extractor.on_story(article):  # as ``examine``: never
                found[i] = Scored(str(item["id"]), group, event, 0.0, False, weight, desk)
                continue
            assessment = detector.assess(article, when)
            vector = assessment.signals.vector
            corroboration = detector.recent.strongest(vector, article.feed, when)
            detector.recent.observe(vector, article.feed, when)
            live = (item.get("feedback") or {}).get("confidence")
            probability = assessment.development.probability
            found[i] = Scored(
                str(item["id"]),
                group,
                event,
                float(live) if live is not None and not rescore else probability,
                assessment.alerts,
                weight,
                desk,
                corroboration,
                _surest_named_head(assessment, broad),
            )
    finally:
        detector.threshold, detector.model, detector.recent = kept
    return [found[i] for i in range(len(items))]


def _surest_named_head(assessment: Assessment, broad: set[str]) -> float:
    """The highest head probability of a rule (not a broad one) whose pattern holds in the
    lead, whether it holds or yields to another (at a real floor the other may not hold, and
    the yielding rule alerts by its sure head)."""
    return max(
        (
            verdict.score.probability
            for verdict in assessment.rules
            if verdict.hit is not None and verdict.score is not None and verdict.rule not in broad
        ),
        default=0.0,
    )


@dataclass(frozen=True)
class Figures:
    """Item-level figures of the alert decision on a set of labelled items."""

    cut: Cut | None  # None: a cut per held-out event
    precision: float | None  # None: nothing alerted
    event_recall: float | None  # None: no development events
    alerts: int
    events: int
    quiet: int
    quiet_alerted: int


class _Table:
    """The items as arrays, to try many cuts quickly."""

    def __init__(self, scored: Sequence[Scored]) -> None:
        self.p = np.array([s.probability for s in scored])
        self.pattern = np.array([s.pattern for s in scored], bool)
        self.head = np.array([s.head for s in scored])
        self.weight = np.array([s.weight for s in scored])
        self.development = np.array([s.event is not None for s in scored], bool)
        events = sorted({s.event for s in scored if s.event is not None})
        index = {e: i for i, e in enumerate(events)}
        self.event = np.array([index.get(s.event, -1) if s.event else -1 for s in scored])
        self.event_weight = np.zeros(len(events))
        for s in scored:
            if s.event is not None:
                i = index[s.event]
                self.event_weight[i] = max(self.event_weight[i], s.weight)

    def balances(self, thresholds: np.ndarray, floors: np.ndarray) -> np.ndarray:
        """For each cut, the worse of precision and event recall (1.0 where undefined)."""
        sure = self.head >= np.maximum(SURE_HEAD, floors)[:, None]  # sure_bar, for many cuts
        by_pattern = self.pattern & ((self.p >= floors[:, None]) | sure)
        alerts = (self.p >= thresholds[:, None]) | by_pattern
        weighted = alerts * self.weight
        alerted = weighted.sum(axis=1)
        right = weighted[:, self.development].sum(axis=1)
        precision = np.where(alerted > 0, right / np.maximum(alerted, 1e-12), 1.0)
        if not len(self.event_weight):
            return np.asarray(precision)
        members = np.zeros((len(self.p), len(self.event_weight)))
        developments = np.flatnonzero(self.development)
        members[developments, self.event[developments]] = 1.0
        hit = (alerts.astype(float) @ members) > 0
        recall = (hit @ self.event_weight) / self.event_weight.sum()
        return np.asarray(np.minimum(precision, recall))


def figures(scored: Sequence[Scored], decisions: Sequence[bool], cut: Cut | None) -> Figures:
    """Precision, event recall and quiet items alerted, weighting each item."""
    alerted = [s for s, d in zip(scored, decisions, strict=True) if d]
    weight_alerted = sum(s.weight for s in alerted)
    weight_right = sum(s.weight for s in alerted if s.event is not None)
    events: dict[str, float] = {}  # each event weighs as its weightiest item
    hit: set[str] = set()
    for s, d in zip(scored, decisions, strict=True):
        if s.event is not None:
            events[s.event] = max(events.get(s.event, 0.0), s.weight)
            if d:
                hit.add(s.event)
    return Figures(
        cut,
        round(weight_right / weight_alerted, 3) if weight_alerted else None,
        round(sum(events[e] for e in hit) / sum(events.values()), 3) if events else None,
        len(alerted),
        len(events),
        sum(1 for s in scored if s.event is None),
        sum(1 for s in alerted if s.event is None),
    )


def at_cut(scored: Sequence[Scored], cut: Cut) -> Figures:
    return figures(scored, [s.alerts(cut) for s in scored], cut)


def _cuts(scored: Sequence[Scored], current: Cut) -> tuple[np.ndarray, np.ndarray]:
    """Thresholds and floors to try: the grid and the midpoints between the items'
    probabilities, each with every floor below it, a floor at the threshold (patterns then
    only name the development) and the floors above it that a sure head must also reach
    (``SURE_FLOORS``); the cut in force first."""
    seen = np.unique([s.probability for s in scored])
    values = np.unique(np.round([*GRID, *((seen[1:] + seen[:-1]) / 2)], 6))
    pairs = [
        (t, f)
        for t in values
        for f in (*(f for f in FLOORS if f < t), t, *(f for f in SURE_FLOORS if f > t))
    ]
    thresholds = np.array([current.threshold, *(t for t, _ in pairs)])
    floors = np.array([current.floor, *(f for _, f in pairs)])
    return thresholds, floors


def negatives(scored: Sequence[Scored]) -> int:
    """The items that should not alert (alerts marked wrong, quiet items)."""
    return sum(1 for s in scored if s.event is None)


def choose_cut(scored: Sequence[Scored], current: Cut) -> Cut:
    """The cut with the best worse-of precision and event recall; ties go to the one
    nearest ``current``. With fewer than ``MIN_NEGATIVES`` negative items (precision
    not measured), only cuts that alert no more than ``current``."""
    thresholds, floors = _cuts(scored, current)
    if negatives(scored) < MIN_NEGATIVES:
        keep = (thresholds >= current.threshold) & (floors >= current.floor)
        thresholds, floors = thresholds[keep], floors[keep]
    balance = np.round(_Table(scored).balances(thresholds, floors), 9)
    distance = np.abs(thresholds - current.threshold) + np.abs(floors - current.floor)
    best = np.lexsort((distance, -balance))[0]
    return Cut(round(float(thresholds[best]), 6), round(float(floors[best]), 6))


def held_out_decisions(scored: Sequence[Scored], current: Cut) -> list[bool]:
    """Each item's decision at the cut chosen without its group."""
    chosen: dict[str, Cut] = {}
    for group in sorted({s.group for s in scored}):
        rest = [s for s in scored if s.group != group]
        chosen[group] = choose_cut(rest, current) if rest else current
    return [s.alerts(chosen[s.group]) for s in scored]


@dataclass(frozen=True)
class Report:
    """Before (the cut in force) and after (leave-one-event-out), on every item and on the
    desk's items alone, and the cut chosen on all of them."""

    current: Cut
    chosen: Cut
    before: Figures
    after: Figures
    desk_before: Figures | None
    desk_after: Figures | None
    items: int
    desk_items: int
    negatives: int  # below ``MIN_NEGATIVES``: the cut was not lowered

    def as_json(self) -> dict[str, Any]:
        def plain(f: Figures | None) -> dict[str, Any] | None:
            if f is None:
                return None
            return {**f.__dict__, "cut": None if f.cut is None else dict(f.cut.__dict__)}

        return {
            "threshold_in_force": self.current.threshold,
            "pattern_floor_in_force": self.current.floor,
            "threshold_chosen": self.chosen.threshold,
            "pattern_floor_chosen": self.chosen.floor,
            "items": self.items,
            "desk_items": self.desk_items,
            "negative_items": self.negatives,
            "precision_measured": self.negatives >= MIN_NEGATIVES,
            "before": plain(self.before),
            "after_leave_one_event_out": plain(self.after),
            "desk_before": plain(self.desk_before),
            "desk_after_leave_one_event_out": plain(self.desk_after),
        }


def calibrate(
    scored: Sequence[Scored], current: Cut, in_force: Sequence[Scored] | None = None
) -> Report:
    """Choose the cut on ``scored`` and measure it against ``current``; ``in_force``: the
    same items as the model in force scores them, when ``scored`` comes from a refit."""
    held_out = held_out_decisions(scored, current)
    desk = [i for i, s in enumerate(scored) if s.desk]
    desk_scored = [scored[i] for i in desk]
    before = in_force if in_force is not None else scored
    return Report(
        current=current,
        chosen=choose_cut(scored, current),
        before=at_cut(before, current),
        after=figures(scored, held_out, None),
        desk_before=at_cut([before[i] for i in desk], current) if desk else None,
        desk_after=figures(desk_scored, [held_out[i] for i in desk], None) if desk else None,
        items=len(scored),
        desk_items=len(desk),
        negatives=negatives(scored),
    )


def report_text(report: Report) -> str:
    """The before/after table ``calibrate`` prints."""

    def row(name: str, f: Figures | None) -> str:
        if f is None:
            return ""
        cut = "per event" if f.cut is None else f"{f.cut.threshold:.2f}/{f.cut.floor:.2f}"
        p = "-" if f.precision is None else f"{f.precision:.2f}"
        r = "-" if f.event_recall is None else f"{f.event_recall:.2f}"
        return (
            f"{name:<34}{cut:>12}{p:>11}{r:>14}{f.alerts:>8}"
            f"{f'{f.quiet_alerted} of {f.quiet}':>15}\n"
        )

    head = f"{'':<34}{'cut t/floor':>12}{'precision':>11}{'event recall':>14}{'alerts':>8}"
    head += f"{'quiet alerted':>15}\n"
    return (
        head
        + row("all items, before (in force)", report.before)
        + row("all items, after (leave-one-out)", report.after)
        + row("desk items, before", report.desk_before)
        + row("desk items, after (leave-one-out)", report.desk_after)
    )


class RuleCounts(NamedTuple):
    """A rule's alerts, correct alerts and events found over the training corpora."""

    alerts: int
    correct: int
    events: int


def adds_enough(before: RuleCounts, after: RuleCounts) -> bool:
    """Whether a lower threshold for naming a rule (its head's, or the similarity to its
    examples) is worth keeping: ``after`` finds more events than ``before``, and every alert
    it adds brings at least ``RULE_PRECISION`` of a correct one (where alerts fall, as when
    reports join one development, a lost alert may take at most that much). The precision
    of all the rule's alerts would let the patterns' precise alerts carry a head that names
    developments wrongly (on the held-out sets a third of the heads' namings were, four of
    uk-parliament-vote's five)."""
    added = after.alerts - before.alerts
    return after.events > before.events and after.correct - before.correct >= RULE_PRECISION * added
