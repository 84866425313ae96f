"""Deliveries outlive their channel's absence: a missing channels file is an invalid reload,
deliveries to a channel no longer defined are held (status, /metrics) and resume when it
returns; only `outbox drop` drops them, saying how many."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest
import yaml

from monitor.cli import main
from tests.helpers import (
    HOOK,
    SHIFT_ITEM,
    VOTE_ITEM,
    daemon_env,
    make_rules,
    run_command,
    start_daemon,
)
from tests.probe import Probe
from tests.servers import FeedServer, Receiver, rss, serving
from tests.test_crash import wait_for


def renamed(rules: Path, name: str) -> None:
    """Rewrite channels.yaml with the webhook channel under another name."""
    (rules / "channels.yaml").write_text(
        yaml.safe_dump({"default": [name], "channels": [dict(HOOK[0], name=name)]})
    )


def test_channel_gone_for_a_while_loses_nothing(tmp_path: Path) -> None:
    with serving(FeedServer()) as feeds, serving(Receiver(script=[500])) as receiver:
        feeds.feeds["/news.xml"] = rss([VOTE_ITEM, SHIFT_ITEM])
        rules = make_rules(tmp_path, {"news": feeds.url("/news.xml")}, channels=HOOK)
        original = (rules / "channels.yaml").read_text()
        env = daemon_env(
            tmp_path,
            health_bind="127.0.0.1:0",
            reload_check_seconds="0.2",
            delivery_interval_seconds="0.2",
        )
        env["TEST_HOOK_URL"] = receiver.url()
        log = tmp_path / "daemon.log"
        daemon = start_daemon(env, log)
        try:
            probe = Probe(log)
            wait_for(lambda: len(receiver.received) >= 1 and probe.listening)

            # The file moved away: rejected, the webhook stays in force.
            (rules / "channels.yaml").rename(tmp_path / "channels.yaml.away")
            wait_for(lambda: probe.ready()[0] == 503)
            assert "channels.yaml: the file is missing" in probe.ready()[1]

            # The channel renamed: its two deliveries are held, visibly.
            renamed(rules, "hook2")
            wait_for(lambda: probe.ready()[0] == 200)

            def held() -> float:
                return probe.metric("news_monitor_outbox_held", (("channel", "hook"),))

            wait_for(lambda: held() == 2)
            status = run_command(env, "status")
            assert "held: 2 to hook, which channels.yaml no longer defines" in status.stdout

            # Back again: both arrive, once each.
            (rules / "channels.yaml").write_text(original)
            wait_for(lambda: len(receiver.accepted) == 2)
            wait_for(lambda: held() == 0)
        finally:
            daemon.send_signal(signal.SIGTERM)
            assert daemon.wait(30) == 0
    keys = [r.headers["Idempotency-Key"] for r in receiver.accepted]
    assert len(set(keys)) == 2
    with sqlite3.connect(tmp_path / "state" / "news-monitor.db") as db:
        states = db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
    assert states == [("delivered", 2)]


def test_only_the_operator_drops_held_deliveries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    rules = str(tmp_path / "rules")
    with serving(FeedServer()) as feeds, serving(Receiver(script=[500])) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        feeds.feeds["/news.xml"] = rss([VOTE_ITEM, SHIFT_ITEM])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, channels=HOOK)
        assert main(["--rules", rules, "run", "--once"]) == 0
    renamed(tmp_path / "rules", "other")
    capsys.readouterr()
    assert main(["--rules", rules, "outbox", "drop", "other"]) == 2
    assert "channel other is configured" in capsys.readouterr().err
    assert main(["--rules", rules, "outbox", "drop", "hook"]) == 0
    assert "outbox: dropped 2 held deliveries to hook" in capsys.readouterr().out
    assert main(["--rules", rules, "status"]) == 0
    assert "outbox: 0 pending, 0 delivered, 2 failed" in capsys.readouterr().out
