"""A channel's rate limit holds across runs: its sends are counted in the state database.

A backlog of 100 alerts for a webhook limited to 30 a minute drains 30 a minute over
successive runs (each a fresh outbox, as each ``run --once`` is a fresh process), every
alert reaching a real receiver once; ``run --once`` says what is still queued.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.notify.outbox import Outbox
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.store import open_store
from tests.helpers import HOOK, daemon_env, make_rules, record_alerts, run_command
from tests.notify.test_outbox import Clock, alerts
from tests.servers import Receiver, serving

T0 = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)


class Ticking(Clock):
    """A clock that moves on by ``tick`` at each reading, as sending takes time."""

    def __init__(self, now: datetime, tick: timedelta) -> None:
        super().__init__()
        self.now, self.tick = now, tick

    def __call__(self) -> datetime:
        self.now += self.tick
        return self.now


def one_run(location: Path | str, now: datetime, tick: timedelta = timedelta(0)) -> int:
    """One delivery run with a fresh outbox (nothing kept in memory from the last run)."""
    store = open_store(location)
    config = WebhookConfig(name="hook", url_env="TEST_HOOK_URL", max_per_minute=30)
    clock = Ticking(now, tick)
    box = Outbox(
        store,
        {"hook": WebhookChannel(config)},
        settings={"hook": config},
        clock=clock,
        rng=random.Random(1),
    )

    async def go() -> int:
        try:
            return await box.deliver_due()
        finally:
            await box.aclose()

    try:
        return asyncio.run(go())
    finally:
        store.close()


S = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("starts", "tick", "expected"),
    [
        # runs at given seconds after T0 (21:00:00) on a clock that stands still
        ([0, 10, 59, 60, 90, 120, 180], timedelta(0), [30, 0, 0, 30, 0, 30, 10]),
        # a cron job: a minute apart plus 2 s of start-up, and sends take time (the clock
        # moves 50 ms at each reading): each run still sends the limit, not every other one
        ([2, 62, 122, 182], timedelta(milliseconds=50), [30, 30, 30, 10]),
    ],
)
def test_a_backlog_drains_at_the_rate_across_runs(
    state_location: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    starts: list[int],
    tick: timedelta,
    expected: list[int],
) -> None:
    monkeypatch.setenv("TEST_HOOK_SECRET", "s")
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        store = open_store(state_location)
        record_alerts(store, alerts(100), T0, ["hook"])
        store.close()
        delivered = [one_run(state_location, T0 + start * S, tick) for start in starts]
        assert delivered == expected
        keys = [r.headers["Idempotency-Key"] for r in receiver.accepted]
    assert len(keys) == len(set(keys)) == 100
    store = open_store(state_location)
    assert store.outbox_counts()["delivered"] == 100
    store.close()


def test_run_once_reports_what_is_still_queued(tmp_path: Path) -> None:
    """Successive runs send no more than the limit in any minute of the clock (the first
    sends the limit, a second in the same minute nothing), and each says what is still
    queued."""
    make_rules(tmp_path, {}, HOOK)
    with serving(Receiver()) as receiver:
        store = open_store(tmp_path / "state" / "news-monitor.db")
        record_alerts(store, alerts(100), datetime.now(UTC), ["hook"])
        store.close()
        env = {**daemon_env(tmp_path), "TEST_HOOK_URL": receiver.url()}
        sent: list[int] = []
        for _ in range(2):
            run = run_command(env, "run", "--once")
            assert run.returncode == 0, run.stderr
            sent.append(len(receiver.accepted) - sum(sent))
            assert f"{sent[-1]} deliveries" in run.stderr, run.stderr
            assert f"run: still queued: {100 - sum(sent)} for hook" in run.stderr, run.stderr
        minutes = Counter(int(received.at // 60) for received in receiver.accepted)
    # the first run sends until a minute holds the limit (two minutes' worth if it runs
    # across a minute); the second sends what its minute has left
    assert sent[0] >= 30, sent
    assert max(minutes.values()) <= 30, (sent, minutes)
