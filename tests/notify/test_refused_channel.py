"""A receiver refusing the channel itself (a rotated webhook, a revoked token), against real
receivers on 127.0.0.1: the backlog waits, retried with backoff, instead of failing within
a second, and goes out in order once the operator fixes the secret; every attempt, failed
or not, counts toward the rate limit; a failure of the alert itself stays permanent."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.logs import JsonFormatter
from monitor.notify.outbox import Outbox, RetryPolicy
from monitor.notify.slack import SlackChannel
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.store import Store, open_store
from tests.notify.test_outbox import Clock, alerts, drain, queue
from tests.notify.test_slack_threads import TOKEN, FakeSlackApi, config
from tests.servers import Receiver, serving

PATH = "/hook/rotated-token-0123456789"
REFUSED = "deliver: the receiver refused the channel's address or credentials (check its secret)"


def hook_outbox(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    receiver: Receiver,
    count: int,
    limit: int,
    policy: RetryPolicy | None = None,
) -> tuple[Clock, Store, Outbox]:
    """A state with ``count`` alerts queued for a webhook to ``receiver`` sending ``limit``
    a minute at most, its outbox (backoff jitter seeded) and the clock they read."""
    monkeypatch.setenv("TEST_HOOK_URL", receiver.url(PATH))
    clock = Clock()
    store = open_store(tmp_path / "state.db")
    queue(store, alerts(count), clock())
    settings = WebhookConfig(name="hook", url_env="TEST_HOOK_URL", max_per_minute=limit)
    box = Outbox(
        store,
        {"hook": WebhookChannel(settings)},
        settings={"hook": settings},
        policy=policy or RetryPolicy(),
        clock=clock,
        rng=random.Random(1),
    )
    return clock, store, box


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_refused_channel_keeps_its_backlog_until_the_secret_is_fixed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    with serving(Receiver(script=[status] * 3)) as receiver:
        clock, store, box = hook_outbox(tmp_path, monkeypatch, receiver, 50, 5)
        with caplog.at_level(logging.INFO, logger="monitor.deliver"):
            drain(box, clock, 1, timedelta(seconds=1))
            assert len(receiver.received) == 1, "the rest wait behind the first"
            assert store.outbox_counts() == {"pending": 50, "delivered": 0, "failed": 0}
            # refused twice more, then the operator has fixed it: the receiver takes them
            drain(box, clock, 60, timedelta(minutes=1))
        asyncio.run(box.aclose())
    assert store.outbox_counts() == {"pending": 0, "delivered": 50, "failed": 0}
    ids = [json.loads(r.body)["entry"]["id"] for r in receiver.accepted]
    assert ids == [f"entry-{i}" for i in range(50)], "in order, each once"
    refusals = [r for r in caplog.records if r.getMessage().startswith(REFUSED)]
    assert len(refusals) == 3
    assert refusals[0].reason.startswith(f"HTTP {status}: no")  # type: ignore[attr-defined]
    logged = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert "rotated-token" not in logged and "127.0.0.1" not in logged


def test_a_refused_channel_gives_up_at_the_maximum_age(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(Receiver(script=[403] * 100)) as receiver:
        policy = RetryPolicy(give_up_after=timedelta(hours=1))
        clock, store, box = hook_outbox(tmp_path, monkeypatch, receiver, 2, 30, policy)
        drain(box, clock, 30, timedelta(minutes=5))
        asyncio.run(box.aclose())
    states = [row[2] for row in store.outbox_rows()]
    assert states == ["failed", "failed"]


@pytest.mark.parametrize(
    "error", ["invalid_auth", "token_revoked", "account_inactive", "channel_not_found"]
)
def test_a_slack_token_refused_keeps_the_backlog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: str
) -> None:
    monkeypatch.setenv("TEST_SLACK_TOKEN", TOKEN)
    api = FakeSlackApi(error)
    with serving(Receiver(reply=api)) as server:
        clock = Clock()
        store = open_store(tmp_path / "state.db")
        queue(store, alerts(10), clock(), channel="slack")
        box = Outbox(store, {"slack": SlackChannel(config(server.url("/api")))}, clock=clock)
        drain(box, clock, 1, timedelta(minutes=1))
        assert store.outbox_counts() == {"pending": 10, "delivered": 0, "failed": 0}
        api.error = None  # a new token
        drain(box, clock, 3, timedelta(minutes=10))
        asyncio.run(box.aclose())
    assert store.outbox_counts() == {"pending": 0, "delivered": 10, "failed": 0}
    assert len(server.received) == 11


def test_failed_attempts_count_toward_the_rate_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 400 is the alert's own fault and stays permanent, but five a minute at most."""
    with serving(Receiver(script=[400] * 20)) as receiver:
        clock, store, box = hook_outbox(tmp_path, monkeypatch, receiver, 20, 5)
        drain(box, clock, 1, timedelta(seconds=61))
        assert len(receiver.received) == 5
        assert store.outbox_counts() == {"pending": 15, "delivered": 0, "failed": 5}
        drain(box, clock, 3, timedelta(seconds=61))
        asyncio.run(box.aclose())
    assert len(receiver.received) == 20
    assert store.outbox_counts() == {"pending": 0, "delivered": 0, "failed": 20}
