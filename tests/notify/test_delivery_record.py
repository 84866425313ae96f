"""A successful send is recorded in one transaction: a state error while recording it (a
SQLite trigger failing one of its writes, as a lost connection or a busy database would)
leaves none of it recorded, never some rows delivered and others to be sent again."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.errors import StateError
from monitor.notify.base import ChannelSettings
from monitor.notify.outbox import Outbox
from monitor.notify.slack import SlackChannel
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.store import Store, open_store
from tests.notify.test_outbox import T0, Clock, alerts, drain, queue
from tests.notify.test_slack_threads import TOKEN, FakeSlackApi, config
from tests.servers import Receiver, serving

FAULTS = {  # a write that fails, while the send is recorded
    "sends": "BEFORE INSERT ON sends",
    "threads": "BEFORE INSERT ON threads",
    "last row": "BEFORE UPDATE ON outbox WHEN NEW.state = 'delivered'"
    " AND OLD.id = (SELECT MAX(id) FROM outbox)",
}


def fault(path: Path, where: str | None) -> None:
    """Make the state database fail the write ``where`` says (None: no longer)."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER IF EXISTS fault")
        if where is not None:
            db.execute(f"CREATE TRIGGER fault {where} BEGIN SELECT RAISE(ABORT, 'busy'); END")


def recorded(store: Store, channel: str) -> tuple[list[tuple[str, int]], int, str | None]:
    """The channel's rows (state, attempts), the sends counted, the thread of dev-1."""
    rows = [row[2:4] for row in store.outbox_rows() if row[1] == channel]
    sends = store.sends_since(channel, T0 - timedelta(hours=1))
    return rows, sends, store.thread_of("dev-1", channel)


@pytest.mark.parametrize("failing", ["sends", "threads"])
def test_a_threads_first_alert_is_recorded_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    monkeypatch.setenv("TEST_SLACK_TOKEN", TOKEN)
    path = tmp_path / "state.db"
    with serving(Receiver(reply=FakeSlackApi())) as api:
        settings = config(api.url("/api"), updates="thread")
        clock = Clock()
        store = open_store(path)
        queue(store, alerts(1), clock(), channel="slack")
        box = Outbox(
            store, {"slack": SlackChannel(settings)}, settings={"slack": settings}, clock=clock
        )
        fault(path, FAULTS[failing])
        with pytest.raises(StateError):
            drain(box, clock, 1, timedelta(minutes=1))
        assert len(api.accepted) == 1
        assert recorded(store, "slack") == ([("pending", 0)], 0, None), "nothing recorded"
        fault(path, None)
        drain(box, clock, 1, timedelta(minutes=1))  # sent again, as nothing says it was
        asyncio.run(box.aclose())
    assert len(api.accepted) == 2
    after = recorded(store, "slack")
    assert after == ([("delivered", 1)], 1, "1700000000.000002")


@pytest.mark.parametrize("failing", ["sends", "last row"])
def test_a_digest_of_updates_is_recorded_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    first, *updates = alerts(3)
    updates = [replace(update, type="update") for update in updates]
    path = tmp_path / "state.db"
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        settings: dict[str, ChannelSettings] = {
            "hook": WebhookConfig(name="hook", url_env="TEST_HOOK_URL", updates="batch")
        }
        clock = Clock()
        store = open_store(path)
        channel = WebhookChannel(WebhookConfig(name="hook", url_env="TEST_HOOK_URL"))
        box = Outbox(store, {"hook": channel}, settings=settings, clock=clock)
        queue(store, [first], clock())
        drain(box, clock, 1, timedelta(minutes=1))
        queue(store, updates, clock())
        drain(box, clock, 1, timedelta(minutes=15))  # the updates wait for their window
        fault(path, FAULTS[failing])
        with pytest.raises(StateError):
            drain(box, clock, 1, timedelta(minutes=1))  # one digest of both updates
        assert len(receiver.accepted) == 2
        rows, sends, _ = recorded(store, "hook")
        assert (rows, sends) == ([("delivered", 1), ("pending", 0), ("pending", 0)], 1)
        fault(path, None)
        drain(box, clock, 1, timedelta(minutes=1))
        asyncio.run(box.aclose())
    digests = [json.loads(r.body) for r in receiver.accepted[1:]]
    assert [d["entry"]["title"][:18] for d in digests] == ["2 further reports;"] * 2
    rows, sends, _ = recorded(store, "hook")
    assert (rows, sends) == ([("delivered", 1)] * 3, 1)  # the first one's left the window


def test_a_row_delivered_by_another_replica_keeps_that_delivery_alone(any_store: Store) -> None:
    """After a takeover, the replica that lost the channel may still record its own
    outcome of the same row: a row already delivered gets no further attempt, error or
    history from it."""
    queue(any_store, alerts(1), T0)
    (item,) = any_store.due(T0)
    any_store.mark_delivered(item.id, T0)  # the replica that took the channel over
    later = T0 + timedelta(seconds=5)
    any_store.mark_retry(item.id, "HTTP 503", later + timedelta(minutes=1), later)
    any_store.mark_failed(item.id, "HTTP 400", later)
    any_store.record_delivery("hook", [item.id], later)
    record = any_store.alert_record(item.alert_id)
    assert record is not None
    (delivery,) = record.deliveries
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("delivered", 1, None)
    assert [attempt.outcome for attempt in delivery.history] == ["delivered"]


def test_every_claim_is_given_up_when_giving_up_one_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state refuses to let one channel's claim go: the other channels' claims go all
    the same, and the drain ends as it would have."""
    monkeypatch.setenv("TEST_HOOK_URL", "http://127.0.0.1:9/hook")  # never sent to
    path = tmp_path / "state.db"
    store = open_store(path)
    clock = Clock()
    for channel in ("first", "second"):
        queue(store, alerts(1), T0, channel)
    for item in store.due(T0):  # pending, not due: claimed, nothing sent
        store.mark_retry(item.id, "HTTP 503", T0 + timedelta(hours=1), T0)
    channels = {
        name: WebhookChannel(WebhookConfig(name=name, url_env="TEST_HOOK_URL"))
        for name in ("first", "second")
    }
    box = Outbox(store, channels, clock=clock, holder="replica-1")
    fault(path, "BEFORE DELETE ON channel_claims WHEN OLD.channel = 'first'")
    try:
        delivered = asyncio.run(box.deliver_due())
        fault(path, None)
        claims = store._rows("SELECT channel FROM channel_claims ORDER BY channel")
    finally:
        store.close()
    assert delivered == 0
    assert [row[0] for row in claims] == ["first"]
