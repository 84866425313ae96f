"""A running daemon whose wall clock steps back an hour, with a real webhook receiver and
feed server: a failed delivery due again in seconds is retried in seconds (on SQLite and on
PostgreSQL, a replica), and ``/healthz`` tells of the step with the status it had."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from monitor.app import Service
from monitor.notify.outbox import RetryPolicy
from tests.helpers import HOOK, VOTE_ITEM, make_rules, settings_for, until
from tests.servers import FeedServer, Receiver, rss, serving
from tests.test_scheduling import SteppedClock

HOUR = 3600.0


def stepped_service(
    settings_args: dict[str, object], tmp_path: Path, clock: SteppedClock
) -> Service:
    """The service on ``tmp_path``'s rules, every clock the step matters to reading ``clock``."""
    service = Service.build(settings_for(tmp_path, delivery_interval_seconds=0.5, **settings_args))
    service.daemon.wall_clock = clock.time
    service.outbox.clock = lambda: datetime.fromtimestamp(clock.time(), UTC)
    if service.daemon.leases is not None:
        service.daemon.leases.clock = service.outbox.clock
    return service


@pytest.mark.parametrize("state", ["sqlite", "postgres"])
def test_a_delivery_due_again_in_seconds_is_retried_in_seconds_after_a_step_back(
    state: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """The retry's time was written with the clock before the step: after the clock stepped
    back an hour, a webhook delivery due again in 2 s was tried an hour and 2 s later."""
    clock = SteppedClock()
    clock.install(monkeypatch)
    shared = {"database_url": request.getfixturevalue("postgres_url")} if state != "sqlite" else {}
    with serving(FeedServer()) as feeds, serving(Receiver(script=[503], retry_after="2")) as hook:
        monkeypatch.setenv("TEST_HOOK_URL", hook.url())
        feeds.feeds["/news.xml"] = rss([VOTE_ITEM])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, channels=HOOK, interval="1h")

        async def scenario() -> None:
            service = stepped_service(shared, tmp_path, clock)
            service.outbox.policy = RetryPolicy(first_delay=timedelta(seconds=2))
            task = asyncio.create_task(service.daemon.run_forever())
            try:
                await until(lambda: len(hook.received) == 1, 20)  # 503: due again in 2 s
                clock.back = HOUR
                # retried within seconds (its 2 s, the watch's tick and a drain's), not in
                # an hour: waiting at most 10 s tells the two apart
                await until(lambda: len(hook.received) == 2)
            finally:
                service.daemon.stop()
                await asyncio.wait_for(task, 20)
                await service.aclose()

        asyncio.run(scenario())
    assert len(hook.accepted) == 1


def test_healthz_tells_the_last_backward_step_and_stays_200(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = SteppedClock()
    clock.install(monkeypatch)
    with serving(FeedServer()) as feeds:
        feeds.feeds["/news.xml"] = rss([])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, interval="1h")

        async def scenario() -> tuple[httpx.Response, httpx.Response, float]:
            service = stepped_service({"health_bind": "127.0.0.1:0"}, tmp_path, clock)
            task = asyncio.create_task(service.serve())
            try:
                await until(lambda: service.health is not None and service.health.port != 0)
                assert service.health is not None
                base = f"http://127.0.0.1:{service.health.port}"
                async with httpx.AsyncClient(base_url=base, timeout=5) as client:
                    before = await client.get("/healthz")
                    clock.back = HOUR
                    stepped_at = clock.time()
                    await until(lambda: service.daemon.last_clock_step is not None)
                    after = await client.get("/healthz")
                return before, after, stepped_at
            finally:
                service.daemon.stop()
                await asyncio.wait_for(task, 20)
                await service.aclose()

        before, after, stepped_at = asyncio.run(scenario())
    assert (before.status_code, before.json()) == (200, {"status": "ok", "clock_step": None})
    assert after.status_code == 200
    step = after.json()["clock_step"]
    assert abs(step["step_s"] - HOUR) < 5, step
    at = datetime.fromisoformat(step["at"])
    assert at.utcoffset() == timedelta(0) and abs(at.timestamp() - stepped_at) < 5, step
