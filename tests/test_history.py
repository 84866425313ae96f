"""Alert history and re-delivery through the command line, against real local receivers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.errors import StateError
from monitor.plural import counted
from monitor.statelock import StateLock
from monitor.store import open_store
from tests.helpers import VOTE_ITEM, make_rules
from tests.servers import FeedServer, Receiver, rss, serving


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """State under ``tmp_path``, no health port, a shared webhook URL variable."""
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NEWS_MONITOR_HEALTH_BIND", "")
    monkeypatch.setenv("NEWS_MONITOR_LOG_FORMAT", "json")
    return tmp_path


def test_failed_delivery_is_retried_with_the_same_key_and_shown_in_history(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rejecting = [True]
    receiver = Receiver(check=lambda item: "not yet" if rejecting[0] else None)
    with serving(FeedServer()) as feeds, serving(receiver):
        feeds.feeds["/news.xml"] = rss([VOTE_ITEM])
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        rules = str(
            make_rules(
                cli_env,
                {"news": feeds.url("/news.xml")},
                [{"name": "ops", "type": "webhook", "url_env": "TEST_HOOK_URL"}],
            )
        )
        assert main(["--rules", rules, "run", "--once"]) == 0
        assert receiver.received and not receiver.accepted  # 400: failed for good at once
        capsys.readouterr()

        assert main(["--rules", rules, "alerts", "list", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert len(listed) == len(receiver.received)
        assert "uk-parliament-vote" in {a["rule"] for a in listed}
        assert {d["state"] for a in listed for d in a["deliveries"]} == {"failed"}
        first = listed[0]["deliveries"][0]["id"]

        # Still refused: the retry fails for good again, and says so.
        assert main(["--rules", rules, "outbox", "retry", str(first)]) == 0
        assert f"delivery {first} to ops failed (2 attempts)" in capsys.readouterr().out
        other = ["outbox", "retry", str(first), "--channel", "desk", "--queue-only"]
        assert main(["--rules", rules, *other]) == 1
        assert f"delivery {first}: to ops, not desk" in capsys.readouterr().err

        daemon = StateLock(cli_env / "state" / "news-monitor.db")
        daemon.acquire()  # as if a daemon ran: the command requeues and leaves the sending
        try:
            assert main(["--rules", rules, "outbox", "retry", "--failed"]) == 0
            err = capsys.readouterr().err
            assert f"{counted(len(listed), 'delivery', 'deliveries')} requeued" in err
            assert "is locked by" in err and "wait in the outbox" in err
        finally:
            daemon.release()
        rejecting[0] = False
        assert main(["--rules", rules, "run", "--once"]) == 0  # the daemon's next round
        assert main(["--rules", rules, "outbox", "retry", str(first)]) == 1
        assert f"delivery {first}: delivered, not failed" in capsys.readouterr().err
        assert main(["--rules", rules, "outbox", "retry", "--failed", "--channel", "x"]) == 0
        assert "0 deliveries requeued" in capsys.readouterr().err

    rejected = [r.headers["Idempotency-Key"] for r in receiver.received[: len(listed)]]
    accepted = [r.headers["Idempotency-Key"] for r in receiver.accepted]
    assert accepted == rejected == [a["idempotency_key"] for a in listed]
    assert len(set(accepted)) == len(listed)
    assert receiver.received[len(listed)].headers["Idempotency-Key"] == rejected[0]

    assert main(["--rules", rules, "alerts", "show", str(listed[0]["id"])]) == 0
    shown = capsys.readouterr().out
    assert "evidence:" in shown and "novelty" in shown and "nearest known claim" in shown
    assert "  confidence: " in shown and "  independent outlets so far: 1" in shown
    assert "attempt 1 failed: HTTP 400: not yet" in shown
    assert "attempt 2 failed: HTTP 400: not yet" in shown
    assert shown.count("requeued by an operator") == 2
    assert "attempt 3 delivered" in shown
    assert main(["--rules", rules, "alerts", "show", "999"]) == 1
    assert main(["--rules", rules, "alerts", "list", "--rule", "uk-parliament-vote"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "[ops delivered]" in lines[0]
    for rule in listed[0]["rules"]:  # an alert is found by any of the rules it stands for
        assert main(["--rules", rules, "alerts", "list", "--rule", rule, "--json"]) == 0
        assert listed[0]["id"] in [a["id"] for a in json.loads(capsys.readouterr().out)]
    assert main(["--rules", rules, "alerts", "list", "--rule", "no-such-rule"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["--rules", rules, "alerts", "list", "--since", "1h"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(listed)
    with pytest.raises(SystemExit):
        main(["--rules", rules, "alerts", "list", "--since", "yesterday"])
    assert "'yesterday' is not a duration" in capsys.readouterr().err


def test_history_reads_fail_as_state_errors(tmp_path: Path, state_location: Path | str) -> None:
    store = open_store(state_location)
    store.close()
    for read in (store.recorded_alerts, lambda: store.alert_record(1), store.silences):
        closed = r"state database: (Cannot operate on a|the connection is) closed"
        with pytest.raises(StateError, match=closed):
            read()


def test_alerts_show_says_which_channels_a_silence_held_an_alert_from(tmp_path: Path) -> None:
    """An alert the desk had before a silence held it from the hook: ``alerts show`` said
    "silenced by silence 1: not sent", which the desk knew to be untrue."""
    from datetime import UTC, datetime, timedelta

    from monitor.history import show_text
    from monitor.silences import hold_waiting
    from tests.helpers import record_alerts
    from tests.notify.test_channels import make_alert

    now = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)
    store = open_store(tmp_path / "state.db")
    record_alerts(store, [make_alert()], now, channels=["desk", "hook"])
    store.mark_delivered(1, now)  # the desk had it; the hook's delivery waits
    silence = store.add_silence("rule", "uk-parliament-vote", now, now + timedelta(hours=1), "", "")
    assert hold_waiting(store, silence, now) == 1
    record = store.alert_record(1)
    store.close()
    assert record is not None
    lines = show_text(record).splitlines()
    assert "  silenced by silence 1: not sent to hook" in lines
    assert "  delivery 1 to desk delivered" in lines
