"""The benchmarks run: detection on the bundled feeds (``--without`` really skips a stage), and
the story book read back from a state.

No timing is asserted: the benchmark prints figures, these tests only keep it working.
"""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import pytest

from monitor.calibrate import item_article
from monitor.detect.engine import Detector
from tests.conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"
# a sentence the russia-position-change pattern "softens" holds on, and far from the baseline
SOFTENING = "Kremlin says Russia could accept peacekeepers from neutral states in Ukraine"


def _run(*args: str, script: str = "detection.py") -> str:
    if script == "detection.py":
        args = ("--repeat", "1", *args)
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def test_the_benchmark_reads_the_bundled_feeds_and_says_what_it_skipped() -> None:
    full = _run()
    skipped = _run("--without", "patterns", "--without", "novelty")
    for output in (full, skipped):
        assert "files: 2, articles per repeat: 7, repeats: 1" in output
        assert "embedding model loads in this process: 1" in output
    assert "stages skipped" not in full
    assert "stages skipped: patterns, novelty" in skipped


@pytest.fixture
def detection_benchmark(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import detection  # the benchmark script, as a module

    return detection


def test_skipping_patterns_leaves_no_hits_and_skipping_novelty_no_measure(
    detection_benchmark: ModuleType, shipped_detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = item_article({"id": "s1", "title": SOFTENING, "published": "2026-03-01T09:00:00Z"})
    signals = shipped_detector.extractor.signals(article)
    assert [hit.rule for hit in signals.hits] == ["russia-position-change"]
    assert signals.evidence[0].novelty != 0.5
    for stage in ("patterns", "novelty"):
        owner, method, stand_in = detection_benchmark.STAGES[stage]
        monkeypatch.setattr(owner, method, stand_in)
    skipped = shipped_detector.extractor.signals(article)
    assert skipped.hits == ()
    assert [e.novelty for e in skipped.evidence] == [0.5]


def test_the_story_book_benchmark_stores_and_reads_back() -> None:
    output = _run(
        "--developments", "2", "--reports", "2", "--sentences", "3", script="storybook.py"
    )
    lines = output.splitlines()
    assert [line.split(":")[0] for line in lines] == ["with reports", "without"]
    assert all("read from it" in line and "into a book" in line for line in lines)
