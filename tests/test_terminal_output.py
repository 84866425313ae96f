"""What the commands print to a terminal from feed text: control characters a feed carries
(ESC, BEL and the like, which feedparser keeps) are shown as ``\\xNN``, never sent raw."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main
from tests.helpers import VOTE_ITEM, make_rules
from tests.servers import FeedServer, Receiver, rss, serving

# sets the terminal's title, rings its bell and clears its screen when printed raw
HOSTILE = b"&#27;]0;pwned&#7;&#27;[2J"
FEED = rss([VOTE_ITEM]).replace(b"Commons backs", HOSTILE + b"Commons backs")


def printed_inert(out: str) -> bool:
    return "Commons backs" in out and "\x1b" not in out and "\x07" not in out and "\\x1b" in out


def test_replay_and_explain_print_feed_text_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "news.xml"
    feed.write_bytes(FEED)
    rules = str(make_rules(tmp_path, {}))
    assert main(["--rules", rules, "replay", str(feed)]) == 0
    assert printed_inert(capsys.readouterr().out)
    assert main(["--rules", rules, "rules", "explain", "--feed", str(feed)]) == 0
    assert printed_inert(capsys.readouterr().out)


def test_dry_run_and_alert_history_print_feed_text_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NEWS_MONITOR_HEALTH_BIND", "")
    with serving(FeedServer()) as feeds, serving(Receiver()) as receiver:
        feeds.feeds["/news.xml"] = FEED
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        hook = [{"name": "ops", "type": "webhook", "url_env": "TEST_HOOK_URL"}]
        rules = str(make_rules(tmp_path, {"news": feeds.url("/news.xml")}, hook))
        assert main(["--rules", rules, "run", "--once", "--dry-run"]) == 0
        assert printed_inert(capsys.readouterr().out)
        assert main(["--rules", rules, "run", "--once"]) == 0
        capsys.readouterr()
    assert main(["--rules", rules, "alerts", "list"]) == 0
    assert printed_inert(capsys.readouterr().out)
    assert main(["--rules", rules, "alerts", "show", "1"]) == 0
    assert printed_inert(capsys.readouterr().out)


def test_silence_list_prints_what_another_operator_wrote_inert(
    cli_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A silence's comment, author and matcher come from whoever added it (a shared state
    has several operators): ``silence list`` printed them raw."""
    from datetime import UTC, datetime, timedelta

    from monitor.store import open_store

    now = datetime.now(UTC)
    store = open_store(cli_state / "news-monitor.db")
    hostile = "\x1b]0;pwned\x07\x1b[2J"
    store.add_silence(
        "match", f"{hostile}x", now, now + timedelta(hours=1), f"{hostile}Commons backs", hostile
    )
    store.close()
    assert main(["silence", "list"]) == 0
    out = capsys.readouterr().out
    assert printed_inert(out) and out.count("\\x1b") == 6, out
