"""Silences: matching, their window, the expiry summary, and a running daemon obeying them."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.app import Service
from monitor.cli import main
from monitor.silences import (
    Silence,
    hold_waiting,
    queue_expiry_summaries,
    silence_for,
)
from monitor.store import Store, open_store
from monitor.store_base import KEPT_TEXT
from tests.conftest import RULES
from tests.helpers import REHASH_ITEM, SHIFT_ITEM, VOTE_ITEM, make_rules, settings_for
from tests.notify.test_channels import make_alert
from tests.servers import FeedServer, Receiver, rss, serving
from tests.test_service import until

T0 = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def silence(kind: str, value: str, starts: datetime = T0, ends: datetime = T0 + HOUR) -> Silence:
    return Silence(1, kind, value, starts, ends, "why", "ops")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "value", "at", "holds"),
    [
        ("rule", "uk-parliament-vote", T0, True),
        ("rule", "russia-position-change", T0, False),
        ("development", "dev-1", T0, True),
        ("development", "dev-2", T0, False),
        ("match", "COMMONS backs", T0, True),  # title, any case
        ("match", "401 to 60", T0, True),  # text and evidence
        ("match", "Kremlin", T0, False),
        ("rule", "uk-parliament-vote", T0 - timedelta(seconds=1), False),  # pending
        ("rule", "uk-parliament-vote", T0 + HOUR, False),  # expired at its end
    ],
)
def test_silence_matching_and_window(kind: str, value: str, at: datetime, holds: bool) -> None:
    alert = make_alert()
    found = silence_for(alert, [silence(kind, value)], at)
    assert (found is not None) is holds


def test_expiry_summary_once_with_an_injected_clock(
    tmp_path: Path, state_location: Path | str
) -> None:
    store = open_store(state_location)
    held = store.add_silence("rule", "uk-parliament-vote", T0, T0 + HOUR, "vote", "ops", True)
    quiet = store.add_silence("rule", "nothing-matches", T0, T0 + HOUR, "x", "ops", True)
    first = make_alert()
    alerts = [
        first,
        replace(
            make_alert("Second report", kind="update"),
            article=replace(first.article, id="entry-2", title="Second report"),
        ),
    ]
    store.commit_poll(
        feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
        articles=[a.article for a in alerts], alerts=alerts, developments=[],
        route=lambda a: ["hook"], now=T0 + timedelta(minutes=5),
    )  # fmt: skip
    assert store.outbox_counts()["pending"] == 0
    assert store.outbox_counts()["silenced"] == 2
    assert queue_expiry_summaries(store, T0 + HOUR - timedelta(seconds=1)) == []  # not ended
    assert queue_expiry_summaries(store, T0 + HOUR) == [held.id]  # the quiet one says nothing
    assert queue_expiry_summaries(store, T0 + 2 * HOUR) == []  # once only
    (summary,) = [r for r in store.recorded_alerts() if r.silence is None]
    assert summary.payload["rule"] == "silence-summary"
    assert [d.channel for d in summary.deliveries] == ["hook"]
    assert (
        f"Silence {held.id} (rule=uk-parliament-vote) has ended; it held 2 alerts"
        in (summary.payload["entry"]["title"])
    )
    assert [e["sentence"] for e in summary.payload["evidence"]] == [
        "alert uk-parliament-vote: Commons backs Ukraine deployment",
        "update uk-parliament-vote: Second report",
    ]
    assert store.held_count(quiet.id) == 0
    store.close()


def test_a_new_silence_holds_alerts_still_waiting_in_the_outbox(
    tmp_path: Path, state_location: Path | str
) -> None:
    store = open_store(state_location)
    sent, waiting, other = make_alert(), make_alert(), make_alert()
    sent = replace(sent, article=replace(sent.article, id="sent"))
    waiting = replace(waiting, article=replace(waiting.article, id="waiting"))
    other = replace(other, rule="russia-position-change", development="dev-2")
    for alert in (sent, waiting, other):
        store.commit_poll(
            feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
            articles=[alert.article], alerts=[alert], developments=[],
            route=lambda a: ["hook"], now=T0,
        )  # fmt: skip
    store.mark_delivered(1, T0)
    now = T0 + timedelta(minutes=1)
    added = store.add_silence("rule", "uk-parliament-vote", now, now + HOUR, "late", "ops")
    assert hold_waiting(store, added, now) == 1
    states = {
        r.payload["entry"]["id"]: (r.silence, r.deliveries[0].state)
        for r in store.recorded_alerts()
    }
    assert states == {
        "sent": (None, "delivered"),
        "waiting": (added.id, "silenced"),
        "entry-1": (None, "pending"),
    }
    store.close()


def test_a_summary_tells_each_channel_only_what_was_held_from_it(
    state_location: Path | str,
) -> None:
    """An alert one channel had before the silence began and another had not: the summary
    of what the silence held goes to the second only; an alert held from both goes to
    both. Each channel hears of what it missed and of nothing it had."""
    store = open_store(state_location)
    first, second = make_alert(), make_alert()
    first = replace(first, article=replace(first.article, id="partly-sent", title="Partly"))
    second = replace(second, article=replace(second.article, id="held", title="Held"))
    store.commit_poll(
        feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
        articles=[first.article], alerts=[first], developments=[],
        route=lambda a: ["hook", "desk"], now=T0,
    )  # fmt: skip
    store.mark_delivered(2, T0)  # the desk had it; the hook's delivery still waits
    now = T0 + timedelta(minutes=1)
    added = store.add_silence("rule", "uk-parliament-vote", now, now + HOUR, "c", "ops", True)
    assert hold_waiting(store, added, now) == 1
    store.commit_poll(
        feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
        articles=[second.article], alerts=[second], developments=[],
        route=lambda a: ["hook", "desk"], now=now + timedelta(minutes=1),
    )  # fmt: skip
    assert queue_expiry_summaries(store, now + HOUR) == [added.id]
    told = {
        delivery.channel: [e["sentence"] for e in record.payload["evidence"]]
        for record in store.recorded_alerts()
        if record.rule == "silence-summary"
        for delivery in record.deliveries
    }
    assert told == {
        "hook": ["alert uk-parliament-vote: Partly", "alert uk-parliament-vote: Held"],
        "desk": ["alert uk-parliament-vote: Held"],
    }
    store.close()


def _poll(store: Store, now: datetime) -> int:
    alert = make_alert()
    return store.commit_poll(
        feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
        articles=[alert.article], alerts=[alert], developments=[],
        route=lambda a: ["hook"], now=now,
    )  # fmt: skip


def test_a_poll_committed_after_the_summary_is_not_held(
    tmp_path: Path, state_location: Path | str
) -> None:
    store = open_store(state_location)
    silence = store.add_silence("rule", "uk-parliament-vote", T0, T0 + HOUR, "c", "ops", True)
    store.expire_silence(silence.id, T0 + timedelta(minutes=30))
    queue_expiry_summaries(store, T0 + timedelta(minutes=30))
    # a poll whose clock was read before the end commits after the summary was queued:
    # held now, it would be neither sent nor summarised
    assert _poll(store, T0 + timedelta(minutes=29)) == 1
    (record,) = store.recorded_alerts()
    assert record.silence is None and record.deliveries[0].state == "pending"
    store.close()


def test_a_retry_does_not_send_what_a_silence_holds(
    tmp_path: Path, state_location: Path | str
) -> None:
    """The failed delivery of an alert a silence matches (it failed before the silence
    began) is requeued and held in one transaction: requeued first and held in a second
    one, a daemon asking for what is due in between sent it."""
    store = open_store(state_location)
    _poll(store, T0)
    store.mark_failed(1, "HTTP 400", T0)
    silence = store.add_silence("rule", "uk-parliament-vote", T0, T0 + HOUR, "c", "ops")
    assert hold_waiting(store, silence, T0) == 0  # nothing pending to hold yet
    requeued = store.requeue_failed(T0, ids=[1])
    assert store.due(T0) == [], "held by the silence, not sent"
    assert (requeued.ids, requeued.held) == ([1], [1])
    (record,) = store.recorded_alerts()
    assert record.silence == silence.id
    store.mark_failed(1, "HTTP 500", T0)  # a send already under way when it was held
    assert store.requeue_failed(T0).ids == []
    store.close()


def test_a_retry_of_an_alert_a_silence_held_holds_it_again(
    tmp_path: Path, state_location: Path | str
) -> None:
    """The hook's delivery failed, then a silence held the alert (the desk's delivery
    still waited): after the silence, ``outbox retry`` requeues the hook's delivery as held
    in the same transaction; requeued first and held in a second one, it was due between."""
    store = open_store(state_location)
    alert = make_alert()
    store.commit_poll(
        feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
        articles=[alert.article], alerts=[alert], developments=[],
        route=lambda a: ["hook", "desk"], now=T0,
    )  # fmt: skip
    store.mark_failed(1, "HTTP 400", T0)
    silence = store.add_silence("rule", "uk-parliament-vote", T0, T0 + HOUR, "c", "ops")
    assert hold_waiting(store, silence, T0) == 1
    later = T0 + 2 * HOUR  # the silence is over; what it held stays held
    requeued = store.requeue_failed(later)
    assert store.due(later) == []
    assert (requeued.ids, requeued.held) == ([1], [1])
    (record,) = store.recorded_alerts()
    assert [d.state for d in record.deliveries] == ["silenced", "silenced"]
    store.close()


def test_a_hold_records_only_the_alerts_whose_deliveries_it_stopped(
    state_location: Path | str,
) -> None:
    """``silence add`` read the waiting alerts, then held them in a second transaction; an
    alert the daemon delivered in between was recorded as held (its count, ``alerts
    show``, the summary, and digests leave it out). The hold records an alert as held only
    where it stopped a pending delivery, and says how many it held."""
    store = open_store(state_location)
    first, second = make_alert(), make_alert()
    second = replace(second, article=replace(second.article, id="partly-sent"))
    for alert in (first, second):
        store.commit_poll(
            feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
            articles=[alert.article], alerts=[alert], developments=[],
            route=lambda a: ["hook", "desk"], now=T0,
        )  # fmt: skip
    store.mark_delivered(1, T0)  # the first alert went to both channels meanwhile
    store.mark_delivered(2, T0)
    store.mark_delivered(3, T0)  # the second to the hook only
    silence = store.add_silence("rule", "uk-parliament-vote", T0, T0 + HOUR, "c", "ops")
    assert store.hold([1, 2], silence.id) == 1
    assert [(r.payload["entry"]["id"], r.silence) for r in store.recorded_alerts()] == [
        ("entry-1", None),
        ("partly-sent", silence.id),
    ]
    assert store.held_count(silence.id) == 1
    assert [(a.article.id, channels) for a, channels in store.held_alerts(silence.id)] == [
        ("partly-sent", ["desk"])
    ]
    assert hold_waiting(store, silence, T0) == 0  # nothing left waiting
    store.close()


def test_outbox_retry_counts_the_deliveries_a_silence_holds_instead(
    tmp_path: Path, cli_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``outbox retry`` said "2 deliveries requeued; 1 held by a silence instead" for one
    alert's two deliveries, both held: it counted alerts, not deliveries. It counts the
    deliveries it requeued that a silence holds, and sends the others."""
    now = datetime.now(UTC)
    store = open_store(cli_state / "news-monitor.db")
    first, other = make_alert(), make_alert()
    other = replace(other, rule="russia-position-change", development="dev-2")
    other = replace(other, article=replace(other.article, id="other"))
    for alert, channels in ((first, ["hook", "desk"]), (other, ["hook"])):
        store.commit_poll(
            feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
            articles=[alert.article], alerts=[alert], developments=[],
            route=lambda a, c=channels: c, now=now - HOUR,
        )  # fmt: skip
    for outbox_id in (1, 2, 3):
        store.mark_failed(outbox_id, "HTTP 500", now - HOUR)
    store.add_silence("rule", "uk-parliament-vote", now - HOUR, now + HOUR, "c", "ops")
    store.close()
    retry = ["--rules", str(RULES), "outbox", "retry", "--failed", "--queue-only"]
    assert main(retry) == 0
    err = capsys.readouterr().err
    assert "outbox retry: 3 deliveries requeued; 2 of them held by a silence" in err, err
    store = open_store(cli_state / "news-monitor.db")
    states = [(d.id, d.state) for r in store.recorded_alerts() for d in r.deliveries]
    store.close()
    assert states == [(1, "silenced"), (2, "silenced"), (3, "pending")]


def test_expiring_one_silence_speaks_of_its_own_summary_only(
    state_location: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``silence expire`` queues every summary that is due, but says "summary queued" only
    when the silence it ended had one: expiring a silence that held nothing, while another's
    summary fell due, used to say so too."""
    from monitor.cli_silence import _expire

    now = datetime.now(UTC)
    store = open_store(state_location)
    ended = store.add_silence(
        "rule", "uk-parliament-vote", now - HOUR, now + HOUR, "vote", "ops", True
    )
    quiet = store.add_silence("rule", "nothing-matches", now - HOUR, now + HOUR, "x", "ops")
    alert = make_alert()
    store.commit_poll(
        feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
        articles=[alert.article], alerts=[alert], developments=[],
        route=lambda a: ["hook"], now=now - timedelta(minutes=5),
    )  # fmt: skip
    store.expire_silence(ended.id, now - timedelta(minutes=1))  # ended; its summary is due
    assert _expire(store, quiet.id) == 0
    assert capsys.readouterr().out.strip() == f"silence {quiet.id} expired; held 0"
    assert store.summaries_due(now) == [], "the other silence's summary was queued all the same"
    store.close()


def test_no_silence_holds_the_notices_of_another(
    tmp_path: Path, state_location: Path | str
) -> None:
    store = open_store(state_location)
    first = store.add_silence("rule", "uk-parliament-vote", T0, T0 + HOUR, "vote", "ops", True)
    _poll(store, T0 + timedelta(minutes=5))
    assert queue_expiry_summaries(store, T0 + HOUR) == [first.id]  # waits: the channel is down
    later = T0 + HOUR + timedelta(minutes=5)
    second = store.add_silence("match", "commons", later, later + HOUR, "enough", "ops")
    assert hold_waiting(store, second, later) == 0
    summary = [r for r in store.recorded_alerts() if r.rule != "uk-parliament-vote"]
    assert [(r.silence, r.deliveries[0].state) for r in summary] == [(None, "pending")]
    assert store.held_count(first.id) == 1
    store.close()


def test_silence_in_a_running_daemon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    receiver = Receiver()
    with serving(FeedServer()) as feeds, serving(receiver):
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM])
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        rules = make_rules(
            tmp_path,
            {"news": feeds.url("/news.xml")},
            [{"name": "ops", "type": "webhook", "url_env": "TEST_HOOK_URL"}],
            interval="1s",
        )
        cli = ["--rules", str(rules)]
        settings = settings_for(tmp_path, health_bind="", delivery_interval_seconds=0.2)

        def sent_entries() -> list[str]:
            return [json.loads(r.body)["entry"]["id"] for r in receiver.accepted]

        async def scenario() -> None:
            service = Service.build(settings)
            task = asyncio.create_task(service.serve())
            await until(lambda: "/news.xml" in feeds.requests)
            add = ["silence", "add", "--match", "401 to 60", "--for", "2h"]
            assert main([*cli, *add, "--comment", "covered", "--notify-on-expiry"]) == 0
            assert "1 active  match=401 to 60" in capsys.readouterr().out

            feeds.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
            await until(lambda: service.store.alert_count() > 0)
            await asyncio.sleep(0.6)  # three delivery rounds: nothing may go out
            assert receiver.received == []
            assert main([*cli, "alerts", "list"]) == 0
            listed = capsys.readouterr().out.splitlines()
            assert listed and all("silenced by silence 1: ops silenced" in x for x in listed)
            assert main([*cli, "silence", "list"]) == 0
            assert f"(held {len(listed)}, summary on expiry)" in capsys.readouterr().out

            assert main([*cli, "silence", "expire", "1"]) == 0
            assert "summary queued" in capsys.readouterr().out
            await until(lambda: sent_entries() == ["silence-1"])
            assert main([*cli, "silence", "list"]) == 0
            assert capsys.readouterr().out.strip() == "silence: none in force"

            feeds.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM, SHIFT_ITEM])
            await until(lambda: "shift-1" in sent_entries())
            service.daemon.stop()
            await asyncio.wait_for(task, 10)
            await service.aclose()

        asyncio.run(scenario())
    assert "vote-1" not in sent_entries()  # held alerts are never sent after the fact
    summary = json.loads(receiver.accepted[0].body)
    assert summary["entry"]["title"].startswith("Silence 1 (match=401 to 60) has ended")
    assert summary["description"].endswith(": covered")


def test_silence_add_checks_its_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    add = ["--rules", str(RULES), "silence", "add", "--comment", "x"]
    assert main([*add, "--rule", "no-such-rule"]) == 2
    assert "unknown rule 'no-such-rule'; known: " in capsys.readouterr().err
    assert main([*add, "--match", "  "]) == 2
    assert "--match needs a value" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*add, "--rule", "uk-parliament-vote", "--for", "soon"])
    assert "'soon' is not a duration" in capsys.readouterr().err
    assert main(["--rules", str(RULES), "silence", "list"]) == 1  # nothing recorded yet
    assert "no state yet" in capsys.readouterr().err
    assert main([*add, "--rule", "uk-parliament-vote", "--author", "desk"]) == 0
    added = capsys.readouterr()
    assert "1 active  rule=uk-parliament-vote" in added.out and "by desk: x (held 0)" in added.out
    # a mistyped state folder would otherwise give a silence no daemon reads, unannounced
    assert "there was no state at" in added.err and "it was created" in added.err
    assert main([*add, "--development", "dev-unknown"]) == 0
    again = capsys.readouterr().err
    assert "no development 'dev-unknown' recorded yet" in again and "no state at" not in again
    assert main(["--rules", str(RULES), "silence", "expire", "7"]) == 1
    assert "no silence with id 7" in capsys.readouterr().err
    assert main(["--rules", str(RULES), "silence", "expire", "1"]) == 0
    assert main(["--rules", str(RULES), "silence", "expire", "1"]) == 1
    assert "already expired" in capsys.readouterr().err


def test_a_text_silence_decides_alike_for_new_and_waiting_alerts(
    tmp_path: Path, state_location: Path | str
) -> None:
    """``--match`` reads the article's text (its first ``KEPT_TEXT`` characters) of an alert
    waiting in the outbox as of one being raised: it held only new ones before."""
    store = open_store(state_location)
    far = "x" * KEPT_TEXT + " Beyond the kept text."
    texts = {"near": "MPs voted. The Kremlin responded within the hour.", "far": far}
    base = make_alert()  # evidence: "MPs voted 401 to 60 ..."
    alerts = {
        name: replace(base, article=replace(base.article, id=name, text=text))
        for name, text in texts.items()
    }
    for alert in alerts.values():
        store.commit_poll(
            feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
            articles=[alert.article], alerts=[alert], developments=[],
            route=lambda a: ["hook"], now=T0,
        )  # fmt: skip
    now = T0 + timedelta(minutes=1)
    for needle, held in (("kremlin", "near"), ("beyond the kept", None)):
        added = store.add_silence("match", needle, now, now + HOUR, "late", "ops")
        new = {n for n, a in alerts.items() if silence_for(a, [added], now) is not None}
        assert hold_waiting(store, added, now) == len(new)
        assert new == ({held} if held else set())
    assert {r.payload["entry"]["id"]: r.silence for r in store.recorded_alerts()} == {
        "near": 1,
        "far": None,
    }
    store.close()
