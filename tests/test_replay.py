"""`news-monitor replay`: the JSON contract, ill-formed input, and the development corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.cli import main
from tests.conftest import ROOT, RULES, SHARED

EXAMPLES = ROOT / "examples" / "feeds"
FEEDPARSER_TESTS = SHARED / "corpora" / "feedparser-tests" / "tests"
EVAL = SHARED / "eval"


def replay_jsonl(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[list[dict], str]:
    code = main(["--rules", str(RULES), "replay", "--format", "jsonl", *map(str, paths)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()], err


def test_jsonl_contract(capsys: pytest.CaptureFixture[str]) -> None:
    records, _ = replay_jsonl(capsys, EXAMPLES)
    assert records, "the example feeds hold developments"
    for record in records:
        assert set(record) == {
            "type",
            "rule",
            "development",
            "severity",
            "entry",
            "score",
            "evidence",
        }
        assert record["type"] in {"alert", "update"}
        assert set(record["entry"]) == {"id", "link", "title", "published", "feed"}
        assert isinstance(record["score"], float)
        for evidence in record["evidence"]:
            assert set(evidence) == {"sentence", "novelty", "nearest_claim", "similarity"}
    published = [r["entry"]["published"] for r in records]
    assert published == sorted(published), "entries are processed oldest first"
    first_of = {}
    for record in records:
        first_of.setdefault((record["rule"], record["development"]), record["type"])
    assert set(first_of.values()) == {"alert"}, "a development starts with an alert"
    assert {"update"} <= {r["type"] for r in records}


def test_text_format_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules", str(RULES), "replay", str(EXAMPLES)]) == 0
    out, err = capsys.readouterr()
    assert "[NEW] uk-parliament-vote (high)" in out
    assert "nearest known claim" in out
    assert "replay: 2 files, 7 entries" in err


def test_bad_files_are_reported_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.xml").write_bytes(b"<rss><channel><item><title>x")
    (tmp_path / "empty.xml").write_bytes(b"")
    records, err = replay_jsonl(capsys, tmp_path, EXAMPLES, tmp_path / "missing.xml")
    assert records
    assert f"{tmp_path / 'empty.xml'}: " in err
    assert f"{tmp_path / 'missing.xml'}: cannot read" in err


def test_replay_writes_nothing(tmp_path: Path) -> None:
    before = sorted(p.name for p in (ROOT / "state").iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--rules", str(RULES), "replay", str(EXAMPLES)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
    assert sorted(p.name for p in (ROOT / "state").iterdir()) == before


@pytest.mark.skipif(not FEEDPARSER_TESTS.is_dir(), reason="shared feedparser corpus not present")
def test_feedparser_corpus_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    records, err = replay_jsonl(capsys, FEEDPARSER_TESTS)
    assert "Traceback" not in err
    summary = err.strip().splitlines()[-1]
    files = int(summary.split()[1])
    assert files > 1000, summary
    assert "illformed/rss_empty_document.xml: not a usable feed" in err
    assert all(r["type"] in {"alert", "update"} for r in records)


@pytest.mark.skipif(not (EVAL / "dev.jsonl").is_file(), reason="shared eval corpus not present")
def test_development_corpus_meets_the_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feeds, alerts = tmp_path / "feeds", tmp_path / "alerts.jsonl"
    subprocess.run(
        [sys.executable, str(EVAL / "make_feeds.py"), str(EVAL / "dev.jsonl"), str(feeds)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    records, _ = replay_jsonl(capsys, feeds)
    alerts.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    specific = [
        "uk-parliament-vote",
        "russia-position-change",
        "ceasefire",
        "foreign-troops-deployed",
        "guarantees-ratified",
    ]
    bars = [f"{rule}:0.9:0.9" for rule in specific] + ["new-development:0.85:0.85"]
    result = subprocess.run(
        [
            sys.executable,
            str(EVAL / "score.py"),
            str(EVAL / "dev.jsonl"),
            str(alerts),
            "--json",
            *(arg for bar in bars for arg in ("--require", bar)),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    score = json.loads(result.stdout.split("below the bar")[0])
    assert result.returncode == 0, result.stdout
    assert score["quiet_items_alerted"] == 0
    correct = sum(r["correct_alerts"] for r in score["rules"].values())
    duplicates = sum(r["duplicates"] for r in score["rules"].values())
    assert duplicates <= 0.1 * correct
