"""The shipped detector on the labelled sets by other writers (tests/fixtures/other-writer-*):
each replayed in published order, scored as the evaluation kit scores new-development."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from monitor.calibrate import item_article, read_labelled
from monitor.detect.corroboration import RecentReports
from monitor.detect.engine import Detector
from monitor.models import in_published_order
from tests.conftest import FIXTURES

SETS = sorted(FIXTURES.glob("other-writer-*.jsonl"))
HELD_OUT = {f"other-writer-{name}" for name in "dhklrvx"}  # never trained on nor read
# The model learns from the other sets, and rules were widened after reading them: they
# must stay at the bars. The held-out sets guard against regressions at what the
# shipped detector reached on them (README 'Detection quality'). Precision counts alerts, so
# a second report of a development that joins the first as an update (one message per
# development) lowers it where a set has false alerts: k went from 0.75 to 0.73 that way.
BARS = {"trained": (0.85, 0.85, 0.05), "held out": (0.70, 0.85, 0.08)}


@dataclass(frozen=True)
class Figures:
    precision: float
    event_recall: float
    quiet_alerted: int
    quiet: int


def score(detector: Detector, labelled: list[dict[str, Any]]) -> Figures:
    detector.book.reset([])
    detector.recent = RecentReports()  # nothing corroborates across sets
    by_id = {str(i["id"]): i for i in labelled}
    alerted = set()
    for article in in_published_order(item_article(i) for i in labelled):
        if any(alert.type == "alert" for alert in detector.examine(article)):
            alerted.add(article.id)
    developments = {i for i, item in by_id.items() if item["kind"] == "development"}
    events = {str(by_id[i]["event"]) for i in developments}
    reached = {str(by_id[i]["event"]) for i in alerted & developments}
    quiet = set(by_id) - developments
    return Figures(
        precision=len(alerted & developments) / max(1, len(alerted)),
        event_recall=len(reached) / max(1, len(events)),
        quiet_alerted=len(alerted & quiet),
        quiet=len(quiet),
    )


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_other_writers_reports_alert_and_their_rehashes_stay_quiet(
    shipped_detector: Detector, path: Path
) -> None:
    precision, recall, quiet_share = BARS["held out" if path.stem in HELD_OUT else "trained"]
    figures = score(shipped_detector, read_labelled(path))
    assert figures.precision >= precision, figures
    assert figures.event_recall >= recall, figures
    assert figures.quiet_alerted <= quiet_share * figures.quiet, figures


def test_there_are_sets_to_score() -> None:
    assert len(SETS) == 25 and HELD_OUT <= {p.stem for p in SETS}
