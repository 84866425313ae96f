"""`news-monitor replay`: the JSON contract, ill-formed input, and the development corpus."""

from __future__ import annotations

import json
import socket
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
            "rules",
            "confidence",
            "outlets",
        }
        assert record["type"] in {"alert", "update"}
        assert record["rules"][0] == record["rule"]
        assert isinstance(record["outlets"], int) and record["outlets"] >= 1
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
    assert "[NEW] uk-parliament-vote, new-development (high)" in out
    assert "nearest known claim" in out
    assert "replay: 2 files, 7 entries" in err


def test_the_summary_counts_one_file_in_the_singular(
    capsys: pytest.CaptureFixture[str],
) -> None:
    one = sorted(EXAMPLES.iterdir())[0]
    assert main(["--rules", str(RULES), "replay", str(one)]) == 0
    err = capsys.readouterr().err
    assert "replay: 1 file, " in err
    assert " 0 files with problems" in err


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


@pytest.mark.skipif(not (EVAL / "dev2.jsonl").is_file(), reason="shared eval corpus not present")
@pytest.mark.parametrize("corpus", ["dev.jsonl", "dev2.jsonl"])
def test_training_corpora_regression(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: str
) -> None:
    """The shipped model was trained on these corpora, so these are training-set figures:
    a regression guard for the whole replay path, not a measure of quality (that is the
    leave-one-event-out report of scripts/train_detector.py)."""
    feeds, alerts = tmp_path / "feeds", tmp_path / "alerts.jsonl"
    subprocess.run(
        [sys.executable, str(EVAL / "make_feeds.py"), str(EVAL / corpus), str(feeds)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    records, _ = replay_jsonl(capsys, feeds)
    alerts.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            str(EVAL / "score.py"),
            str(EVAL / corpus),
            str(alerts),
            "--json",
            "--require",
            "new-development:0.9:0.95",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    score = json.loads(result.stdout.split("below the bar")[0])
    assert result.returncode == 0, result.stdout
    assert score["quiet_items_alerted"] <= 0.03 * score["quiet_items"]
    assert score["messages_per_event"] <= 1.3


def test_replay_opens_no_network_connection(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With every socket connection refused, the models load and replay still alerts."""
    from monitor.detect.embedding import bundled_embedder
    from monitor.detect.model import default_model

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("replay opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    bundled_embedder.cache_clear()  # load both again, under the refusal
    default_model.cache_clear()
    records, _ = replay_jsonl(capsys, EXAMPLES)
    assert any(r["type"] == "alert" for r in records)
