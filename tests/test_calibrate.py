"""Choosing the threshold: precision is not measured without negative labels, so such
labels never lower the cut; values in a labelled file are checked before they are used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.calibrate import MIN_NEGATIVES, Cut, Scored, calibrate, read_labelled
from monitor.calibration_file import load_calibration
from monitor.cli import main
from monitor.errors import ConfigError
from tests.conftest import RULES

IN_FORCE = Cut(0.85, 0.35)


def scored(p: float, event: str | None) -> Scored:
    return Scored(f"i{p}{event}", event or f"quiet-{p}", event, p, False, 1.0, True)


def right_and_missed() -> list[Scored]:
    """Eight alerts marked right and two developments missed at low probabilities."""
    items = [scored(0.8 + 0.01 * n, f"ev{n}") for n in range(8)]
    return [*items, scored(0.12, "missed-1"), scored(0.06, "missed-2")]


def test_without_negative_labels_the_cut_is_not_lowered() -> None:
    """With no item that should stay quiet, every alert counts as right: the cut fell to
    the lowest missed development (0.06) and everything would alert."""
    report = calibrate(right_and_missed(), IN_FORCE)
    assert report.chosen.threshold >= IN_FORCE.threshold
    assert report.chosen.floor >= IN_FORCE.floor
    assert report.negatives == 0 and not report.as_json()["precision_measured"]


def test_one_negative_too_few_still_keeps_the_cut() -> None:
    quiet = [scored(0.01 * n, None) for n in range(1, MIN_NEGATIVES)]
    report = calibrate([*right_and_missed(), *quiet], IN_FORCE)
    assert report.chosen.threshold >= IN_FORCE.threshold


def test_with_enough_negative_labels_the_cut_may_fall() -> None:
    quiet = [scored(0.01 * n, None) for n in range(1, MIN_NEGATIVES + 1)]
    report = calibrate([*right_and_missed(), *quiet], IN_FORCE)
    assert report.negatives == MIN_NEGATIVES and report.as_json()["precision_measured"]
    assert report.chosen.threshold <= 0.06 < IN_FORCE.threshold


def desk_line(n: int, confidence: object, kind: str = "development") -> dict[str, object]:
    return {
        "id": f"r{n}",
        "published": f"2027-03-1{n % 10}T12:00:00Z",
        "outlet": "wire",
        "title": f"Ceasefire announced in region {n}",
        "summary": "Both sides agreed to a ceasefire starting at midnight.",
        "kind": kind,
        "labels": ["ceasefire"],
        "event": f"ev{n}",
        "feedback": {"confidence": confidence},
    }


def write_lines(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_calibrate_apply_keeps_the_threshold_when_the_desk_marked_nothing_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Eight alerts right and two missed, none wrong: ``--apply`` wrote 0.06."""
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NEWS_MONITOR_CALIBRATION_FILE", str(tmp_path / "calibration.json"))
    monkeypatch.delenv("NEWS_MONITOR_ALERT_THRESHOLD", raising=False)
    lines = [desk_line(n, 0.8 + 0.01 * n) for n in range(8)]
    lines += [{**desk_line(8, 0.12), "id": "m1"}, {**desk_line(9, 0.06), "id": "m2"}]
    desk = write_lines(tmp_path / "desk.jsonl", lines)
    argv = ["--rules", str(RULES), "calibrate", "--feedback", str(desk), "--weights", "keep"]
    assert main([*argv, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    in_force = shown["threshold_in_force"]
    assert shown["threshold_chosen"] >= in_force and shown["negative_items"] == 0
    assert main([*argv, "--apply"]) == 0
    err = capsys.readouterr().err
    assert "only 0 negative labels" in err and "precision cannot be measured" in err
    assert "not lowered below those in force" in err
    written = load_calibration(tmp_path / "calibration.json")
    assert written is not None and written.threshold >= in_force


@pytest.mark.parametrize(
    ("confidence", "shown"),
    [(1.5, "1.5"), (-0.1, "-0.1"), ("high", "'high'"), (True, "True"), ([0.5], "[0.5]")],
)
def test_a_feedback_confidence_that_is_no_probability_is_named_by_file_and_line(
    tmp_path: Path, confidence: object, shown: str
) -> None:
    path = write_lines(tmp_path / "desk.jsonl", [desk_line(1, 0.8), desk_line(2, confidence)])
    with pytest.raises(ConfigError) as refused:
        read_labelled(path)
    assert [str(p) for p in refused.value.problems] == [
        f"{path}:2: feedback.confidence: {shown} is not a number from 0 to 1"
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"feedback": [0.5]}, "feedback: not an object"),
        ({"title": 7}, "title: not text"),
        ({"summary": {"text": "x"}}, "summary: not text"),
    ],
)
def test_other_values_of_the_wrong_type_are_named_by_file_and_line(
    tmp_path: Path, change: dict[str, object], problem: str
) -> None:
    path = write_lines(tmp_path / "desk.jsonl", [{**desk_line(1, 0.8), **change}])
    with pytest.raises(ConfigError) as refused:
        read_labelled(path)
    assert [str(p) for p in refused.value.problems] == [f"{path}:1: {problem}"]


def test_calibrate_names_the_bad_line_of_a_feedback_file_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    desk = write_lines(tmp_path / "desk.jsonl", [desk_line(1, 0.8), desk_line(2, "high")])
    assert main(["--rules", str(RULES), "calibrate", "--feedback", str(desk)]) == 2
    err = capsys.readouterr().err
    assert f"{desk}:2: feedback.confidence" in err and "Traceback" not in err


def test_a_wrong_alert_named_by_a_sure_head_is_quieted_by_a_floor_above_that_head() -> None:
    """A pattern whose rule's head is sure (0.98) alerted below the floor and the desk found
    it wrong: a floor between the probabilities leaves it alerting, so the chosen floor
    rises above its head (past the threshold), while the developments keep alerting."""
    right = [scored(0.9 + 0.01 * n, f"ev{n}") for n in range(5)]
    quiet = [scored(0.02 * n, None) for n in range(1, MIN_NEGATIVES + 1)]
    wrong = Scored("sure", "quiet-sure", None, 0.5, True, 1.0, True, head=0.98)
    report = calibrate([*right, *quiet, wrong], IN_FORCE)
    assert wrong.alerts(IN_FORCE) and wrong.alerts(Cut(0.85, 0.9))
    assert report.before.quiet_alerted == 1
    assert report.chosen.floor > 0.98 and not wrong.alerts(report.chosen)
    assert all(item.alerts(report.chosen) for item in right)
