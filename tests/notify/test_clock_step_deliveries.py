"""Deliveries after the wall clock stepped back an hour (``Store.bring_back_deliveries``),
against a real receiver, on SQLite and PostgreSQL: a retry due in 30 s is tried 30 s
later, not an hour and 30 s later, a channel at its rate limit is held until the end of
its minute, not for the hour its sends seemed ahead, and a failing delivery gives up when
its time is up, not an hour later."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.notify.outbox import Outbox, RetryPolicy
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.store import Store, open_store
from tests.notify.test_outbox import T0, Clock, alerts, outbox, queue
from tests.servers import Receiver, serving

HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def hook_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_HOOK_SECRET", "s3cret")


def hook() -> WebhookChannel:
    return WebhookChannel(
        WebhookConfig(name="hook", url_env="TEST_HOOK_URL", secret_env="TEST_HOOK_SECRET")
    )


def deliver(box: Outbox) -> int:
    return asyncio.run(box.deliver_due())


def stepped_back(store: Store, clock: Clock, to: timedelta) -> tuple[int, int]:
    """The clock stepped back an hour, to ``to`` after T0 - 1 h; the state follows."""
    clock.now = T0 - HOUR + to
    return store.bring_back_deliveries(HOUR, clock.now)


def test_a_retry_due_in_30s_is_tried_30s_later_after_a_step_back(
    state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(Receiver(script=[503], retry_after="30")) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(1), clock())
        box = outbox(store, clock)
        try:
            assert deliver(box) == 0  # 503, Retry-After: 30: due at T0 + 30 s
            assert stepped_back(store, clock, SECOND) == (1, 1)  # the row, its failed send
            clock.now += 28 * SECOND
            assert deliver(box) == 0  # not before its 30 s
            clock.now += 2 * SECOND
            assert deliver(box) == 1
        finally:
            asyncio.run(box.aclose())
            store.close()
    assert len(receiver.received) == 2


def test_a_channel_at_its_limit_is_held_for_its_minute_only_after_a_step_back(
    state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(2), clock())
        box = outbox(store, clock, limit=1)
        try:
            clock.now += 10 * SECOND
            assert deliver(box) == 1  # the limit: the second waits for the next minute
            # its send counts at T0 - 1 h + 10 s now: in the minute the clock reads again
            assert stepped_back(store, clock, 20 * SECOND) == (1, 1)
            clock.now += 10 * SECOND
            assert deliver(box) == 0  # still within that minute
            clock.now += 30 * SECOND  # the clock's next minute, not an hour later
            assert deliver(box) == 1
        finally:
            asyncio.run(box.aclose())
            store.close()
    assert len(receiver.accepted) == 2


def test_a_failing_delivery_gives_up_on_time_after_a_step_back(
    state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Giving up counts from the row's creation, which moves back with the clock: with
    ``give_up_after`` five minutes, a delivery failing since T0 gives up six minutes after
    it as the stepped clock reads, not an hour later."""
    with serving(Receiver(script=[503] * 3, retry_after="30")) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(1), clock())
        box = outbox(store, clock, RetryPolicy(give_up_after=5 * MINUTE))
        try:
            assert deliver(box) == 0  # 503: retried from T0 + 30 s
            assert stepped_back(store, clock, SECOND) == (1, 1)  # the row, its failed send
            clock.now += MINUTE
            assert deliver(box) == 0  # 503 a minute on: still within its five minutes
            assert store.outbox_counts()["pending"] == 1
            clock.now += 5 * MINUTE
            assert deliver(box) == 0  # 503 six minutes on: given up, not retried
            assert store.outbox_counts() == {"pending": 0, "delivered": 0, "failed": 1}
        finally:
            asyncio.run(box.aclose())
            store.close()
    assert len(receiver.received) == 3


def test_sends_made_before_now_and_rows_due_before_now_keep_their_times(
    state_location: Path | str,
) -> None:
    """Another replica's sends after the step are in the past already; rows due already
    stay due (a step never puts anything later)."""
    clock = Clock()
    store = open_store(state_location)
    try:
        queue(store, alerts(1), clock() - HOUR - HOUR)  # due long before the step
        now = T0 - HOUR
        store.record_send("hook", now - 5 * SECOND)
        assert store.bring_back_deliveries(HOUR, now) == (0, 0)
        assert store.sends_since("hook", now - 10 * SECOND) == 1
        assert [item.id for item in store.due(now, 10, ["hook"])] != []
    finally:
        store.close()


def test_a_batched_update_waits_its_window_from_its_creation_after_a_step_back(
    state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch window counts from the row's creation, stamped before the step: brought
    back, the update goes out when its fifteen minutes are up, not an hour later."""
    first, update = alerts(2)
    update = replace(update, type="update")
    settings = {
        "hook": WebhookConfig(
            name="hook", url_env="TEST_HOOK_URL", updates="batch", batch_window=15 * MINUTE
        )
    }
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, [first, update], clock())
        box = Outbox(store, {"hook": hook()}, settings=settings, clock=clock)
        try:
            assert deliver(box) == 1  # the alert; the update waits until T0 + 15 min
            assert stepped_back(store, clock, 2 * MINUTE) == (1, 1)  # T0 is 58 min ahead
            clock.now += 12 * MINUTE
            assert deliver(box) == 0  # 14 minutes after its creation
            clock.now += 2 * MINUTE
            assert deliver(box) == 1
        finally:
            asyncio.run(box.aclose())
            store.close()
    assert [json.loads(r.body)["type"] for r in receiver.accepted] == ["alert", "update"]


def test_replicas_on_one_clock_bring_a_retry_back_once_and_never_before_now(
    state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two replicas on one host see the same step: the second finds it recorded and leaves
    the retry at its 30 s (moved twice it would be due at once); a row whose time less the
    step lies before now is due now, not before."""
    with serving(Receiver(script=[503], retry_after="30")) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store, other = open_store(state_location), open_store(state_location)
        queue(store, alerts(1), clock())
        box = outbox(store, clock)
        try:
            assert deliver(box) == 0  # due at T0 + 30 s
            assert stepped_back(store, clock, SECOND) == (1, 1)  # the row, its failed send
            assert other.bring_back_deliveries(HOUR + SECOND, clock.now) == (0, 0)
            assert [item.id for item in store.due(clock.now + 28 * SECOND, 10, ["hook"])] == []
            assert store.due(clock.now + 30 * SECOND, 10, ["hook"]) != []
            # overdue 14 s when a later, larger step comes (another step): due now, not before
            clock.now += 44 * SECOND
            clock.now -= 2 * HOUR
            assert store.bring_back_deliveries(2 * HOUR, clock.now) == (1, 1)
            assert store.due(clock.now - SECOND, 10, ["hook"]) == []
            assert store.due(clock.now, 10, ["hook"]) != []
        finally:
            asyncio.run(box.aclose())
            store.close()
            other.close()
