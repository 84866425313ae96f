"""The desk's feedback round trip: the daemon alerts, the desk marks alerts right and wrong,
the labels are exported and calibrated on, and ``--apply`` changes what the daemon alerts."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from monitor.app import Service
from monitor.calibrate import (
    MIN_NEGATIVES,
    Cut,
    Scored,
    calibrate,
    figures,
    merge_items,
    read_labelled,
)
from monitor.calibration_file import Calibration, apply_calibration, load_calibration
from monitor.cli import main
from monitor.detect.model import DEFAULT_MODEL, default_model
from monitor.errors import ConfigError
from monitor.feedback import export_items, record_missed, record_verdict
from monitor.models import Article
from monitor.notify.render import DIGEST_RULE, sample_alert
from monitor.ruleset import detector_options
from monitor.store import Store, open_store
from monitor.store_base import row_id
from tests.conftest import SHARED
from tests.helpers import make_rules, record_alerts, settings_for
from tests.servers import FeedServer, serving

EVAL = SHARED / "eval"


def feed_files(tmp_path: Path, corpus: Path) -> list[Path]:
    out = tmp_path / "feeds"
    subprocess.run(
        [sys.executable, str(EVAL / "make_feeds.py"), str(corpus), str(out)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return sorted(out.iterdir())


def run_daemon_once(
    tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> dict[str, float]:
    """One ``run --once`` over the corpus feeds; the entries that alerted, with confidence."""
    with serving(FeedServer()) as server:
        for f in files:
            server.feeds[f"/{f.name}"] = f.read_bytes()
        make_rules(tmp_path, {f.stem: server.url(f"/{f.name}") for f in files}, channels=[])
        rules = str(tmp_path / "rules")
        env = ["--rules", rules]
        assert main([*env, "run", "--once"]) == 0
    capsys.readouterr()
    assert main([*env, "alerts", "list", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    return {str(r["id"]): r["confidence"] for r in records if r["type"] == "alert"}


def entry_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    assert main(["--rules", str(tmp_path / "rules"), "alerts", "list", "--json"]) == 0
    return {str(r["id"]): r["entry"]["id"] for r in json.loads(capsys.readouterr().out)}


@pytest.mark.skipif(not (EVAL / "dev.jsonl").is_file(), reason="shared eval corpus not present")
def test_feedback_round_trip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NEWS_MONITOR_CALIBRATION_FILE", str(tmp_path / "calibration.json"))
    monkeypatch.setenv("NEWS_MONITOR_MAX_ENTRY_AGE_HOURS", "0")  # the corpus is history
    monkeypatch.setenv("NEWS_MONITOR_HEALTH_BIND", "")
    monkeypatch.delenv("NEWS_MONITOR_ALERT_THRESHOLD", raising=False)
    files = feed_files(tmp_path, EVAL / "dev.jsonl")
    alerted = run_daemon_once(tmp_path, files, capsys)
    entries = entry_ids(tmp_path, capsys)
    rules = ["--rules", str(tmp_path / "rules")]
    # The desk finds the least confident alerts (up to three, strictly below the rest) wrong
    # and the rest right.
    ranked = sorted(alerted, key=lambda i: alerted[i])
    cut = max(k for k in range(4) if k == 0 or alerted[ranked[k - 1]] < alerted[ranked[k]])
    wrong, right = ranked[:cut], ranked[cut:]
    assert wrong, f"no alert is less confident than the others: {sorted(alerted.values())}"
    for alert_id in wrong:
        assert main([*rules, "feedback", alert_id, "--wrong", "--note", "a plan, not news"]) == 0
    for alert_id in right:
        assert main([*rules, "feedback", alert_id, "--right", "--by", "desk"]) == 0
    assert main([*rules, "feedback", "99999", "--right"]) == 1
    capsys.readouterr()

    assert main([*rules, "feedback", "export", "-o", str(tmp_path / "desk.jsonl")]) == 0
    exported = read_labelled(tmp_path / "desk.jsonl")
    by_id = {item["id"]: item for item in exported}
    assert len(exported) == len(alerted)
    for alert_id in wrong:
        item = by_id[entries[alert_id]]
        assert (item["kind"], item["labels"], item["why"]) == ("near-miss", [], "a plan, not news")
    item = by_id[entries[right[0]]]
    assert item["kind"] == "development" and "new-development" in item["labels"]
    assert item["summary"] and item["feedback"]["author"] == "desk"

    assert main([*rules, "calibrate", "--feedback", str(tmp_path / "desk.jsonl"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    before, after = shown["desk_before"], shown["desk_after_leave_one_event_out"]
    assert before["precision"] == pytest.approx(len(right) / len(alerted), abs=0.01)
    assert after["precision"] > before["precision"], "the labels say fewer alerts: precision up"
    assert shown["pattern_floor_chosen"] > shown["pattern_floor_in_force"]
    assert not (tmp_path / "calibration.json").exists(), "nothing written without --apply"

    assert main([*rules, "calibrate", "--apply"]) == 0  # the same labels, from the database
    assert "written to" in capsys.readouterr().err
    written = load_calibration(tmp_path / "calibration.json")
    assert written is not None and written.pattern_floor == shown["pattern_floor_chosen"]

    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state2"))
    run_daemon_once(tmp_path, files, capsys)
    now_alerting = set(entry_ids(tmp_path, capsys).values())
    assert {entries[i] for i in wrong}.isdisjoint(now_alerting), "the wrong ones are quiet now"
    assert {entries[i] for i in right} <= now_alerting, "the right ones still alert"

    assert main([*rules, "calibrate", "--rollback"]) == 0
    assert "model's own threshold" in capsys.readouterr().out
    assert load_calibration(tmp_path / "calibration.json") is None


def scored(p: float, event: str | None, desk: bool = False, pattern: bool = False) -> Scored:
    return Scored(f"i{p}{event}", event or f"quiet-{p}", event, p, pattern, 1.0, desk)


def test_labels_saying_more_should_alert_lower_the_threshold() -> None:
    items = [scored(0.9, "a"), scored(0.8, "b")]
    items += [scored(0.1 + 0.02 * n, None) for n in range(MIN_NEGATIVES)]  # precision measured
    items += [scored(0.5, f"desk-{n}", desk=True) for n in range(3)]  # missed developments
    report = calibrate(items, current=Cut(0.7, 0.7))
    assert report.chosen.threshold <= 0.5 < report.current.threshold
    assert report.desk_before is not None and report.desk_after is not None
    assert report.desk_before.event_recall == 0.0 and report.desk_after.event_recall == 1.0


def test_a_running_daemon_picks_up_a_calibration(tmp_path: Path) -> None:
    make_rules(tmp_path, {})
    path = tmp_path / "state" / "calibration.json"

    async def scenario() -> None:
        service = Service.build(settings_for(tmp_path))
        try:
            assert service.detector.threshold is None
            seen = datetime.now(UTC)
            report = np.ones(service.detector.extractor.embedder.dimensions, dtype=np.float32)
            report /= np.linalg.norm(report)
            service.detector.recent.observe(report, "wire", seen)
            made = Calibration(created=datetime.now(UTC), threshold=0.42)
            apply_calibration(path, made)
            await service.reload_if_changed()
            assert service.detector.threshold == 0.42
            # a report another outlet made before the reload still corroborates
            assert service.detector.recent.strongest(report, "agency", seen) > 0.9
            path.write_text("{not json", encoding="utf-8")
            await service.reload_if_changed()
            assert service.detector.threshold == 0.42, "a broken file leaves the last in force"
            assert service.reload_problems and str(path) in service.reload_problems[0]
        finally:
            await service.aclose()

    asyncio.run(scenario())


def _model_without(part: str) -> dict[str, object]:
    spec = default_model().spec.model_dump(mode="json")
    if part == "development":
        del spec["heads"]["development"]
    else:
        del spec["scaling"][part]
    return spec


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"\xff\xfe{\x00", "not UTF-8 text"),
        ({"model": _model_without("development")}, "no 'development' head"),
        ({"model": _model_without("hedging")}, "no scaling for ['hedging']"),
    ],
    ids=["bytes", "no-development-head", "no-scaling"],
)
def test_a_calibration_detection_cannot_use_is_refused_naming_the_file(
    tmp_path: Path, body: bytes | dict[str, object], problem: str
) -> None:
    path = tmp_path / "calibration.json"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        made = {"format": 1, "created": "2026-12-01T00:00:00Z", "threshold": 0.5, **body}
        path.write_text(json.dumps(made), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_calibration(path)
    assert [str(p) for p in refused.value.problems] == [
        f"{path}{' (model)' if isinstance(body, dict) else ''}: {problem}"
    ]


def test_a_calibration_applies_to_a_model_named_in_the_settings(tmp_path: Path) -> None:
    make_rules(tmp_path, {})
    made = Calibration(created=datetime.now(UTC), threshold=0.42, pattern_floor=0.77)
    apply_calibration(tmp_path / "state" / "calibration.json", made)
    for named in (None, DEFAULT_MODEL):
        options = detector_options(settings_for(tmp_path, detector_model=named))
        assert options["threshold"] == 0.42
        assert options["model"].spec.pattern_floor == 0.77


def test_feedback_is_kept_with_who_and_when(tmp_path: Path) -> None:
    sample = sample_alert("feedback")
    alert = replace(sample, article=replace(sample.article, text="MPs voted 401 to 60."))
    store = open_store(tmp_path / "state.db")
    now = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)
    record_alerts(store, [alert], now)
    (alert_id,) = [r.id for r in store.recorded_alerts()]
    first = record_verdict(store, alert_id, "right", author="ann", via="web", now=now)
    assert first is not None
    record_verdict(store, alert_id, "wrong", author="bob", via="link", now=now, note=" rehash ")
    assert record_verdict(store, alert_id + 1, "wrong", author="bob", via="cli", now=now) is None
    history = store.feedback()
    assert [(f.verdict, f.author, f.via) for f in history] == [
        ("right", "ann", "web"),
        ("wrong", "bob", "link"),
    ]
    (item,) = export_items(store, ["new-development"])
    assert item["kind"] == "near-miss" and item["why"] == "rehash"
    assert item["summary"] == "MPs voted 401 to 60."
    store.close()


def test_labelled_items_that_cannot_be_used_are_named_by_file_and_line(tmp_path: Path) -> None:
    good = {"id": "a", "title": "t", "kind": "rehash", "published": "2026-03-01T11:00:00Z"}
    lines = [
        good,
        {**good, "published": "yesterday"},
        {**good, "published": "2026-03-01T11:00:00"},
        {**good, "kind": "story"},
        {**good, "labels": "ceasefire"},
        {**good, "event": 7},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        read_labelled(path)
    assert [(p.line, p.message.split(":")[0]) for p in refused.value.problems] == [
        (2, "published"),
        (3, "published"),
        (4, "kind"),
        (5, "labels"),
        (6, "event"),
    ]


def test_event_recall_does_not_depend_on_the_order_of_items() -> None:
    items = [scored(0.9, "a"), replace(scored(0.2, "a"), weight=3.0), scored(0.9, "b")]
    cut = Cut(0.5, 0.5)
    for ordered in (items, items[::-1]):
        found = figures(ordered, [s.alerts(cut) for s in ordered], cut)
        assert found.event_recall == 1.0, "each event weighs its weightiest item, hit or not"


def test_a_desk_weight_must_be_above_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["calibrate", "--corpus", "x.jsonl", "--desk-weight", "0"])
    assert refused.value.code == 2
    assert "'0' is not a number above 0" in capsys.readouterr().err


def test_every_judgment_exports_as_an_item_of_its_own(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state.db")
    now = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)
    sample = sample_alert("feedback")
    same_guid = [  # one guid in two feeds: two articles, two judgments
        replace(sample, development=f"d-{feed}", article=replace(sample.article, feed=feed))
        for feed in ("wire", "agency")
    ]
    record_alerts(store, same_guid, now)
    first, second = (r.id for r in store.recorded_alerts())
    record_verdict(store, first, "right", author="ann", via="cli", now=now)
    record_verdict(store, second, "wrong", author="ann", via="cli", now=now)
    for rule in ("ceasefire", "russia-position-change"):  # one article, two missed rules
        record_missed(store, "https://example.org/truce", rule, author="bob", now=now)
    items = export_items(store, ["new-development"])
    store.close()
    assert len({item["id"] for item in items}) == len(items) == 3
    assert [item["kind"] for item in items] == ["development", "near-miss", "development"]
    assert items[2]["labels"] == ["russia-position-change", "ceasefire", "new-development"]
    assert len(merge_items([], items)) == 3, "calibration keeps every judgment"


@pytest.mark.parametrize(
    "command", [["feedback", "export"], ["rules", "schema"], ["baseline", "build", "SEED"]]
)
def test_an_output_file_that_cannot_be_written_is_named_in_a_clear_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    """Every command with ``-o`` reports a file it cannot write as an error naming it, with
    exit status 2, never as a traceback."""
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    rules = make_rules(tmp_path, {})
    store = open_store(tmp_path / "state" / "news-monitor.db")
    record_alerts(store, [sample_alert("feedback")], datetime(2027, 3, 3, 21, 0, tzinfo=UTC))
    store.close()
    seed = tmp_path / "seed.txt"
    seed.write_text("MPs voted to approve sending troops to Ukraine.", encoding="utf-8")
    command = [str(seed) if word == "SEED" else word for word in command]
    target = tmp_path / "no-such-folder" / "out.jsonl"
    assert main(["--rules", str(rules), *command, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "cannot write" in err and "Traceback" not in err


def test_notices_are_not_judged(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state.db")
    now = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)
    digest = replace(sample_alert("digest"), rule=DIGEST_RULE, development="digest-1")
    record_alerts(store, [digest], now)
    (alert_id,) = [r.id for r in store.recorded_alerts()]
    assert record_verdict(store, alert_id, "right", author="ann", via="cli", now=now) is None
    store.add_feedback("right", alert_id=alert_id, author="old", via="cli", now=now)
    assert export_items(store, ["new-development"]) == [], "nor exported as labelled data"
    store.close()


@pytest.mark.parametrize(
    "given", [1.9, True, 0, -3, 2**63, "\u00b2", "1" * 30, "", None, "12a", [1]]
)
def test_only_whole_numbers_name_an_alert(given: object) -> None:
    assert row_id(given) is None


def test_alert_numbers_as_given() -> None:
    assert [row_id(v) for v in (7, "7", "007", 2**63 - 1)] == [7, 7, 7, 2**63 - 1]


@pytest.mark.skipif(not (EVAL / "dev.jsonl").is_file(), reason="shared eval corpus not present")
def test_calibrate_refits_the_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sklearn", reason="refitting needs pip install -e '.[train]'")
    from monitor.detect.model import default_model
    from monitor.ruleset import detector_options
    from monitor.settings import load_settings
    from tests.conftest import RULES

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWS_MONITOR_CALIBRATION_FILE", str(tmp_path / "calibration.json"))
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    corpus = ["--corpus", str(EVAL / "dev.jsonl")]
    assert main(["--rules", str(RULES), "calibrate", *corpus, "--json"]) == 0
    kept = json.loads(capsys.readouterr().out)
    argv = ["--rules", str(RULES), "calibrate", *corpus, "--weights", "refit", "--json"]
    assert main([*argv, "--apply"]) == 0
    refitted = json.loads(capsys.readouterr().out)
    assert kept["before"] == refitted["before"], "before: the model in force"
    assert kept["after_leave_one_event_out"] != refitted["after_leave_one_event_out"]
    written = load_calibration(tmp_path / "calibration.json")
    assert written is not None and written.model is not None
    assert written.model.about["refitted_by"] == "news-monitor calibrate"
    model = detector_options(load_settings(rules_dir=RULES))["model"]
    assert model is not None and model.spec != default_model().spec


def test_refitting_needs_the_checkout(tmp_path: Path) -> None:
    from monitor.errors import ConfigError
    from monitor.refit import load_trainer

    with pytest.raises(ConfigError, match="source checkout"):
        load_trainer(tmp_path / "train_detector.py")


def test_a_missed_development_becomes_a_labelled_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import RULES

    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    open_store(tmp_path / "state" / "news-monitor.db").close()
    rules = ["--rules", str(RULES)]
    url = "https://news.example/truce-1"
    missed = [*rules, "feedback", "--missed", url, "--title", "Truce declared"]
    assert main([*missed, "--rule", "no-such-rule"]) == 2
    assert main([*missed, "--rule", "ceasefire", "--text", "Kyiv declared a truce."]) == 0
    assert main([*rules, "feedback", "list"]) == 0
    assert f"missed {url} (ceasefire)" in capsys.readouterr().out
    assert main([*rules, "feedback", "export"]) == 0
    (item,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (item["id"], item["kind"], item["title"]) == (url, "development", "Truce declared")
    assert item["labels"] == ["ceasefire", "new-development"]
    assert item["summary"] == "Kyiv declared a truce."


def test_a_missed_development_is_exported_with_its_outlet_and_published_time_when_known(
    any_store: Store,
) -> None:
    """A missed article news-monitor recorded (in an alert, or as a seen entry of a feed)
    is exported with that outlet, and the time it was published when an alert has it: every
    missed item had outlet "" and the time it was noted."""
    noted = datetime(2027, 3, 5, 9, 0, tzinfo=UTC)
    sample = sample_alert("missed")
    published = datetime(2027, 3, 3, 20, 45, tzinfo=UTC)
    alerted = replace(
        sample.article, feed="wire", link="https://example.invalid/alerted", published=published
    )
    record_alerts(any_store, [replace(sample, article=alerted)], published)
    seen = Article("https://example.invalid/seen", "agency", "Seen", "Text.")
    any_store.record_seen("agency", [seen], published)
    for url in ("https://example.invalid/alerted", seen.id, "https://example.invalid/never"):
        record_missed(any_store, url, "uk-parliament-vote", author="desk", now=noted)
    exported = {i["url"]: (i["outlet"], i["published"]) for i in export_items(any_store)}
    assert exported == {
        "https://example.invalid/alerted": ("wire", published.isoformat()),
        seen.id: ("agency", noted.isoformat()),
        "https://example.invalid/never": ("", noted.isoformat()),
    }


def test_a_link_verdict_is_recorded_once_and_a_later_judgment_stands(any_store: Store) -> None:
    now = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)
    record_alerts(any_store, [sample_alert("feedback")], now)
    (alert_id,) = [r.id for r in any_store.recorded_alerts()]
    judge = {"author": "e-mail link", "via": "link", "now": now, "once": True}
    assert record_verdict(any_store, alert_id, "right", **judge) is not None
    record_verdict(any_store, alert_id, "wrong", author="ann", via="web", now=now)
    assert record_verdict(any_store, alert_id, "right", **judge) is None
    assert [(f.verdict, f.via) for f in any_store.feedback()] == [
        ("right", "link"),
        ("wrong", "web"),
    ]
    assert any_store.latest_feedback()[alert_id].verdict == "wrong"
