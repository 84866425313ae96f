"""``run --once --dry-run`` against a real feed server: prints, records and sends nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.store import open_store
from tests.helpers import REHASH_ITEM, VOTE_ITEM, make_rules
from tests.servers import FeedServer, Receiver, rss, serving


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of the state folder by name, with a digest of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def rules_with_a_hook(folder: Path, feeds: FeedServer) -> str:
    """A rules folder polling ``feeds``' /news.xml, alerting a webhook at $TEST_HOOK_URL."""
    hook = {"name": "ops", "type": "webhook", "url_env": "TEST_HOOK_URL"}
    return str(make_rules(folder, {"news": feeds.url("/news.xml")}, [hook]))


def test_dry_run_twice_prints_the_same_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(state))
    monkeypatch.setenv("NEWS_MONITOR_LOG_FORMAT", "json")
    monkeypatch.delenv("TEST_HOOK_URL", raising=False)  # a dry run needs no secrets
    receiver = Receiver()
    with serving(FeedServer()) as feeds, serving(receiver):
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM])
        rules = rules_with_a_hook(tmp_path, feeds)
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        assert main(["--rules", rules, "run", "--once"]) == 0
        monkeypatch.delenv("TEST_HOOK_URL")
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
        before = snapshot(state)
        assert "news-monitor.db-wal" not in before  # closed cleanly: the file alone
        capsys.readouterr()

        assert main(["--rules", rules, "run", "--once", "--dry-run"]) == 0
        first = capsys.readouterr()
        assert snapshot(state) == before
        daemon = open_store(state / "news-monitor.db")  # as if the daemon held it open
        try:
            held = snapshot(state)
            assert "news-monitor.db-wal" in held  # read through a read-only connection
            assert main(["--rules", rules, "run", "--once", "--dry-run"]) == 0
            second = capsys.readouterr()
            assert snapshot(state) == held
        finally:
            daemon.close()
        assert snapshot(state) == before

        assert "[NEW] uk-parliament-vote" in first.out and "would go to: ops" in first.out
        assert second.out == first.out
        assert "nothing recorded or delivered" in first.err
        assert not receiver.received

        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        assert main(["--rules", rules, "run", "--once"]) == 0  # the real run sees them as new
    sent = [r.body.decode() for r in receiver.accepted]
    assert sent and any("uk-parliament-vote" in body for body in sent)
    assert len(sent) == first.out.count("would go to: ops")


def test_a_dry_run_says_what_a_silence_would_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NEWS_MONITOR_LOG_FORMAT", "json")
    monkeypatch.setenv("TEST_HOOK_URL", "http://127.0.0.1:9/hook")
    with serving(FeedServer()) as feeds:
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM])
        rules = rules_with_a_hook(tmp_path, feeds)
        assert main(["--rules", rules, "run", "--once"]) == 0
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
        silence = ["silence", "add", "--rule", "uk-parliament-vote", "--for", "2h"]
        assert main(["--rules", rules, *silence, "--comment", "covered"]) == 0
        capsys.readouterr()
        assert main(["--rules", rules, "run", "--once", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert "held by silence 1; would not go to: ops" in out and "would go to:" not in out
    assert "0 alerts and updates would be sent, 1 held by a silence" in err


def test_dry_run_needs_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--dry-run"]) == 2
    assert "--dry-run goes with --once" in capsys.readouterr().err
