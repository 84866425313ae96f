"""The outbox against a real receiver that is down, failing or rate-limiting for a while."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.logs import JsonFormatter
from monitor.models import Alert
from monitor.notify.outbox import Outbox, RetryPolicy
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.store import Store, open_store
from tests.helpers import record_alerts
from tests.notify.test_channels import SECRET, make_alert, verify_signature
from tests.servers import Receiver, serving

T0 = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def alerts(n: int) -> list[Alert]:
    base = make_alert()
    return [replace(base, article=replace(base.article, id=f"entry-{i}")) for i in range(n)]


def queue(store: Store, items: list[Alert], now: datetime, channel: str = "hook") -> None:
    record_alerts(store, items, now, [channel])


def outbox(
    store: Store, clock: Clock, policy: RetryPolicy | None = None, limit: int | None = None
) -> Outbox:
    channel = WebhookChannel(
        WebhookConfig(name="hook", url_env="TEST_HOOK_URL", secret_env="TEST_HOOK_SECRET")
    )
    return Outbox(
        store,
        {"hook": channel},
        policy=policy or RetryPolicy(),
        clock=clock,
        rng=random.Random(1),
        settings={"hook": WebhookConfig(name="hook", url_env="TEST_HOOK_URL", max_per_minute=limit)}
        if limit
        else None,
    )


def drain(box: Outbox, clock: Clock, rounds: int, step: timedelta) -> None:
    async def go() -> None:
        for _ in range(rounds):
            await box.deliver_due()
            clock.now += step

    asyncio.run(go())


@pytest.fixture(autouse=True)
def hook_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_HOOK_SECRET", SECRET)


def test_outage_then_recovery_in_order_each_once_across_a_restart(
    tmp_path: Path, state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = [0, 0, 500, 500, 429, 503]  # 0: connection refused (receiver down)
    with serving(Receiver(script=[s for s in script if s], check=verify_signature)) as receiver:
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(3), clock())
        monkeypatch.setenv("TEST_HOOK_URL", "http://127.0.0.1:9/down")  # nothing listens
        box = outbox(store, clock)
        drain(box, clock, 2, timedelta(minutes=1))
        assert store.outbox_counts() == {"pending": 3, "delivered": 0, "failed": 0}
        asyncio.run(box.aclose())
        store.close()

        # restart during the outage: a new process would open the same database
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        store = open_store(state_location)
        box = outbox(store, clock)
        drain(box, clock, 12, timedelta(minutes=1))
        assert store.outbox_counts() == {"pending": 0, "delivered": 3, "failed": 0}
        asyncio.run(box.aclose())
        store.close()

    delivered = [json.loads(r.body)["entry"]["id"] for r in receiver.accepted]
    assert delivered == ["entry-0", "entry-1", "entry-2"], "in order, each once"
    first_keys = [
        r.headers["Idempotency-Key"]
        for r in receiver.received
        if json.loads(r.body)["entry"]["id"] == "entry-0"
    ]
    assert len(first_keys) == 5 and len(set(first_keys)) == 1, "retries reuse the key"


def test_permanent_failure_is_recorded_and_the_rest_go_on(
    tmp_path: Path,
    state_location: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with serving(Receiver(script=[400])) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(2), clock())
        box = outbox(store, clock)
        with caplog.at_level(logging.ERROR, logger="monitor.deliver"):
            drain(box, clock, 1, timedelta(seconds=1))
        asyncio.run(box.aclose())
    assert [r[2:] for r in store.outbox_rows()] == [
        ("failed", 1, "HTTP 400: no"),
        ("delivered", 1, None),
    ]
    (record,) = [r for r in caplog.records if r.getMessage() == "deliver: gave up"]
    assert record.channel == "hook" and record.entry == "entry-0"  # type: ignore[attr-defined]


def test_gives_up_after_the_configured_time(
    tmp_path: Path, state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(Receiver(script=[500] * 100)) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(1), clock())
        policy = RetryPolicy(first_delay=timedelta(seconds=10), give_up_after=timedelta(hours=1))
        box = outbox(store, clock, policy)
        drain(box, clock, 40, timedelta(minutes=5))
        asyncio.run(box.aclose())
    ((_, _, state, attempts, error),) = store.outbox_rows()
    assert (state, error) == ("failed", "HTTP 500")
    assert 5 <= attempts <= 14  # doubling from 10 s, capped at 10 min, over one hour
    assert len(receiver.received) == attempts


def test_rate_limit_spreads_a_flood(
    tmp_path: Path, state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(5), clock())
        box = outbox(store, clock, limit=2)
        drain(box, clock, 1, timedelta(seconds=61))
        assert len(receiver.accepted) == 2
        drain(box, clock, 2, timedelta(seconds=61))
        asyncio.run(box.aclose())
    assert len(receiver.accepted) == 5


def test_retry_delay_policy() -> None:
    policy = RetryPolicy(
        first_delay=timedelta(seconds=5), max_delay=timedelta(minutes=10), jitter=0.0
    )
    rng = random.Random(0)
    assert [policy.next_delay(n, None, rng).total_seconds() for n in (1, 2, 3, 10)] == [
        5,
        10,
        20,
        600,
    ]
    assert policy.next_delay(1, 120.0, rng).total_seconds() == 120
    assert policy.next_delay(1, 99999.0, rng).total_seconds() == 600  # within the cap
    jittered = RetryPolicy(jitter=0.2).next_delay(1, None, rng).total_seconds()
    assert 4 <= jittered <= 6


def test_secrets_never_reach_logs_errors_or_bodies(
    tmp_path: Path,
    state_location: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
    with serving(Receiver(script=[500, 400])) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url(f"/services/{token}"))
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(1), clock())
        box = outbox(store, clock)
        with caplog.at_level(logging.DEBUG, logger="monitor"):
            drain(box, clock, 3, timedelta(minutes=10))
        channel = box.channels["hook"]
        asyncio.run(box.aclose())
    logged = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    stored = json.dumps(store.outbox_rows())
    bodies = b"".join(r.body for r in receiver.received).decode()
    for secret in (token, SECRET, "XXXXXXXXXXXXXXXXXXXXXXXX"):
        assert secret not in logged
        assert secret not in stored
        assert secret not in bodies
        assert secret not in repr(vars(channel))
    assert "deliver: gave up" in logged


def test_batched_updates_arrive_as_one_digest_without_holding_back_alerts(
    tmp_path: Path, state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, *updates = alerts(4)
    updates = [replace(u, type="update") for u in updates]
    other = replace(first, development="dev-2", article=replace(first.article, id="entry-9"))
    with serving(Receiver(check=verify_signature)) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, [first, *updates], clock())
        channel = WebhookChannel(
            WebhookConfig(name="hook", url_env="TEST_HOOK_URL", secret_env="TEST_HOOK_SECRET")
        )
        settings = {
            "hook": WebhookConfig(
                name="hook",
                url_env="TEST_HOOK_URL",
                updates="batch",
                batch_window=timedelta(minutes=15),
            )
        }
        box = Outbox(store, {"hook": channel}, settings=settings, clock=clock)
        drain(box, clock, 1, timedelta(minutes=1))
        queue(store, [other], clock())  # a new development while the updates wait
        drain(box, clock, 1, timedelta(minutes=15))
        drain(box, clock, 1, timedelta(minutes=1))
        asyncio.run(box.aclose())
    bodies = [json.loads(r.body) for r in receiver.accepted]
    assert [(b["type"], b["development"]) for b in bodies] == [
        ("alert", "dev-1"),
        ("alert", "dev-2"),
        ("update", "dev-1"),
    ]
    digest = bodies[-1]
    assert digest["entry"]["title"].startswith("3 further reports; latest: ")
    assert len(digest["evidence"]) == 3
    assert store.outbox_counts() == {"pending": 0, "delivered": 5, "failed": 0}


def test_router_respects_updates_setting() -> None:
    from monitor.notify.channels import ChannelsFile, router

    config = ChannelsFile.model_validate(
        {
            "default": ["a", "b"],
            "channels": [
                {"name": "a", "type": "console"},
                {"name": "b", "type": "console", "updates": "none"},
            ],
        }
    )
    route = router(config)
    alert = make_alert()
    assert route(alert) == ["a", "b"]
    assert route(replace(alert, type="update")) == ["a"]
    assert route(replace(alert, channels=("b",))) == ["b"]


@pytest.mark.parametrize(
    ("status", "retry_after", "waits_minutes"),
    [
        (500, "120", 1),  # honoured with a 500 too
        (503, "99999999999999999999", 9),  # absurdly far: the backoff cap, not an overflow
        (503, "Fri, 31 Dec 9999 23:59:59 GMT", 9),  # an HTTP date far ahead: the cap too
        (503, "Thu, 01 Jan 1970 00:00:00 GMT", 0),  # a date already past: the usual backoff
        (503, "soon", 0),  # garbage: the usual backoff
        (503, "\u00b2", 0),  # a "digit" (str.isdigit) that is no number: garbage too
    ],
)
def test_any_retry_after_schedules_a_retry_within_the_cap(
    state_location: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    retry_after: str,
    waits_minutes: int,
) -> None:
    receiver_app = Receiver(script=[status], retry_after=retry_after, retry_after_on=(status,))
    with serving(receiver_app) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        queue(store, alerts(1), clock())
        box = outbox(store, clock)
        drain(box, clock, 1, timedelta(minutes=1))
        ((_, _, state, attempts, error),) = store.outbox_rows()
        assert (state, attempts, error) == ("pending", 1, f"HTTP {status}")
        drain(box, clock, waits_minutes, timedelta(minutes=1))  # up to 9 min 59 s after
        assert len(receiver.received) == 1, "not before the Retry-After (capped) ran out"
        drain(box, clock, 2, timedelta(minutes=1))
        asyncio.run(box.aclose())
        store.close()
    assert len(receiver.received) == 2 and len(receiver.accepted) == 1


def test_a_channel_down_with_a_long_backlog_does_not_hold_up_the_others(
    state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", "http://127.0.0.1:9/down")  # nothing listens
        monkeypatch.setenv("TEST_UP_URL", receiver.url())
        clock = Clock()
        store = open_store(state_location)
        backlog = alerts(301)
        queue(store, backlog[:300], clock(), channel="hook")  # more than a batch (200), older
        queue(store, backlog[300:], clock(), channel="up")
        box = outbox(store, clock)
        box.channels["up"] = WebhookChannel(WebhookConfig(name="up", url_env="TEST_UP_URL"))
        drain(box, clock, 3, timedelta(minutes=1))
        asyncio.run(box.aclose())
        store.close()
    assert [json.loads(r.body)["entry"]["id"] for r in receiver.accepted] == ["entry-300"]


def test_a_replica_paused_past_its_channel_claim_sends_nothing_another_delivered(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replica A pauses in the middle of a send, past its claim of the channel; replica B
    takes the channel over, delivers every pending row (the one A was sending too: that
    one cannot be helped) and lets the channel go. A, resumed, must not send again the
    rows B delivered meanwhile, which it had read before its pause."""
    clock = Clock()
    paused: list[str] = []
    store_a = open_store(postgres_url)
    store_b = open_store(postgres_url)
    store_a.be_present("a")
    store_b.be_present("b")

    def box(store: Store, holder: str) -> Outbox:
        channel = WebhookChannel(WebhookConfig(name="hook", url_env="TEST_HOOK_URL"))
        return Outbox(store, {"hook": channel}, clock=clock, rng=random.Random(1), holder=holder)

    def reply(received: object) -> bytes:
        if not paused:  # A's first send: A stops here, B runs meanwhile
            paused.append("a")
            clock.now += timedelta(minutes=5)  # past A's claim
            asyncio.run(box_b.deliver_due())
        return b"ok"

    try:
        with serving(Receiver(reply=reply)) as receiver:
            monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
            queue(store_a, alerts(3), clock())
            box_a, box_b = box(store_a, "a"), box(store_b, "b")
            asyncio.run(box_a.deliver_due())
            asyncio.run(box_a.aclose())
            asyncio.run(box_b.aclose())
        sent = [json.loads(r.body)["entry"]["id"] for r in receiver.accepted]
        assert sorted(sent) == ["entry-0", "entry-0", "entry-1", "entry-2"], sent
        assert store_a.outbox_counts() == {"pending": 0, "delivered": 3, "failed": 0}
    finally:
        store_a.close()
        store_b.close()
