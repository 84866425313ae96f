"""``rules explain`` output: the detector's own assessment, as text or as JSON.

Both forms show the article's development score against the alert threshold (with the
features that moved it most), every sentence's novelty, nearest known claim, relevance to
the story and the patterns that held on it, and for each rule whether it holds and by
which path, and what the judge said when one was asked. They read the same ``Assessment``
that ``replay`` and the daemon act on, so a rule marked HOLDS is one that would be in the
alert. Explained in a stream (a feed's entries, oldest first, as ``replay`` reads them), it
also says what the story made of each: an alert, an update of a development, or no message
and why, and a rule holds only where that message stands for it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from monitor.detect.engine import Assessment, RuleVerdict
from monitor.detect.model import Score
from monitor.notify.render import judge_line


def _chosen(assessment: Assessment, rules: Sequence[str]) -> list[RuleVerdict]:
    return [v for v in assessment.rules if not rules or v.rule in rules]


def _score(score: Score | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {
        "probability": round(score.probability, 3),
        "threshold": score.threshold,
        "contributions": [list(pair) for pair in score.contributions],
    }


def assessment_payload(assessment: Assessment, title: str, rules: Sequence[str]) -> dict[str, Any]:
    """The assessment as one JSON-ready object."""
    signals = assessment.signals
    return {
        "title": title,
        "alerts": assessment.alerts,
        "development": _score(assessment.development),
        **({"passage": list(assessment.passage)} if assessment.passage else {}),
        **({"judge": dataclasses.asdict(assessment.judge)} if assessment.judge else {}),
        **({"stream": assessment.stream} if assessment.stream else {}),
        "rules": [
            {"rule": v.rule, "holds": v.holds, "reason": v.reason, "score": _score(v.score)}
            for v in _chosen(assessment, rules)
        ],
        "sentences": [
            {
                "sentence": e.sentence,
                "novelty": e.novelty,
                "nearest_claim": e.nearest_claim,
                "similarity": e.similarity,
                "relevance": round(signals.relevance[i], 3),
                "semantic_novelty": round(signals.semantic_novelty[i], 3),
                "patterns": [f"{h.rule}/{h.stage}" for h in signals.hits if h.sentence == i],
                "retells": [
                    {"pattern": f"{h.rule}/{h.stage}", **dataclasses.asdict(r)}
                    for h, r in signals.retold
                    if h.sentence == i
                ],
            }
            for i, e in enumerate(signals.evidence)
        ],
    }


def assessment_text(assessment: Assessment, title: str, rules: Sequence[str]) -> str:
    """The assessment as readable lines."""
    signals = assessment.signals
    development = assessment.development
    lines = [f"== {title}"] if title else []
    verdict = "ALERTS" if assessment.alerts else "quiet"
    lines.append(
        f"article: {verdict}; development score {development.probability:.2f} "
        f"(alerts at {development.threshold:.2f})"
    )
    lines.append(
        "  moved most by: "
        + ", ".join(f"{name} {value:+.2f}" for name, value in development.contributions)
    )
    if assessment.passage is not None:
        lines.append(f"  {_passage_line(assessment.passage)}")
    if assessment.judge is not None:
        lines.append(f"  {judge_line(assessment.judge)} (this decides the article)")
    if assessment.stream:
        lines.append(f"  in the stream: {assessment.stream}")
    for v in _chosen(assessment, rules):
        lines.append(f"  {v.rule}: {'HOLDS' if v.holds else 'no'}: {v.reason}")
    for i, e in enumerate(signals.evidence):
        patterns = [f"{h.rule}/{h.stage}" for h in signals.hits if h.sentence == i]
        lines.append(f"- {e.sentence}")
        lines.append(
            f"  novelty {e.novelty:.2f}; relevance {signals.relevance[i]:.2f}; "
            f"nearest claim ({e.similarity:.2f}): {e.nearest_claim or '-'}"
        )
        if patterns:
            lines.append(f"  patterns holding: {', '.join(patterns)}")
        for hit, retelling in (pair for pair in signals.retold if pair[0].sentence == i):
            lines.append(
                f"  pattern {hit.rule}/{hit.stage} retells development {retelling.development}"
                f" ({retelling.similarity:.2f}): {retelling.claim}"
            )
    return "\n".join(lines)


def _passage_line(passage: tuple[int, int]) -> str:
    """Where a long article's development score was read (``Assessment.passage``)."""
    start, end = passage
    if start == end:
        where = "the headline alone"
    elif end - start == 1:
        where = f"the headline with sentence {start} (the headline is 0)"
    else:
        where = f"the headline with sentences {start} to {end - 1} (the headline is 0)"
    return f"read in {where}: the passage holding a pattern the model is surest of"
