"""Rule reloads against the real service: one at a time, the latest wins, the loop stays free."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from monitor.app import Service
from tests.helpers import VOTE_ITEM, make_rules, settings_for
from tests.servers import FeedServer, Received, Receiver, rss, serving
from tests.test_service import samples


@pytest.mark.parametrize("newer_valid", [True, False], ids=["newer-valid", "newer-broken"])
def test_overlapping_reloads_leave_the_latest_rules_in_force(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newer_valid: bool
) -> None:
    """A reload (the rules watch) waiting for a delivery in progress, then another (SIGHUP)
    of newer files: the daemon ends as the newer files say. When they were broken, the
    older reload, finishing last, declared the rules valid and the daemon ready (the
    rejection of the newest edit was lost)."""
    entered, gate = threading.Event(), threading.Event()

    def slow_reply(_: Received) -> bytes:
        entered.set()
        gate.wait(10)
        return b"ok"

    hook = {"name": "hook", "type": "webhook", "url_env": "TEST_HOOK_URL"}
    with serving(FeedServer()) as server, serving(Receiver(reply=slow_reply)) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        server.feeds["/news.xml"] = rss([VOTE_ITEM])

        def rules(name: str) -> Path:
            console = {"name": f"{name}-console", "type": "console"}
            return make_rules(tmp_path, {name: server.url("/news.xml")}, channels=[hook, console])

        rules("first")

        async def scenario() -> tuple[set[str], set[str], set[str], list[str]]:
            service = Service.build(settings_for(tmp_path))
            try:
                await service.daemon.poll_all()
                delivery = asyncio.create_task(service.deliver())
                await asyncio.to_thread(entered.wait, 10)  # the outbox is busy delivering
                rules("older")
                watched = asyncio.create_task(service.reload())
                async with asyncio.timeout(10):  # it read the older files, then waits
                    while {feed.name for feed in service.config.feeds} != {"older"}:  # noqa: ASYNC110
                        await asyncio.sleep(0.05)
                folder = rules("newer")
                if not newer_valid:
                    (folder / "watch" / "broken.yaml").write_text("id: [broken\n")
                hangup = asyncio.create_task(service.reload())
                await asyncio.sleep(0.2)
                gate.set()
                assert await watched
                assert await hangup == newer_valid
                await delivery
                return (
                    {feed.name for feed in service.config.feeds},
                    {feed.name for feed in service.daemon.feeds},
                    set(service.outbox.channels),
                    service.reload_problems,
                )
            finally:
                gate.set()
                await service.aclose()

        config, scheduled, channels, problems = asyncio.run(scenario())
    name = "newer" if newer_valid else "older"
    assert (config, scheduled, channels) == ({name}, {name}, {"hook", f"{name}-console"})
    broken = str(tmp_path / "rules" / "watch" / "broken.yaml:")
    assert [broken in p and "YAML syntax" in p for p in problems] == (
        [] if newer_valid else [True]
    ), problems


def test_health_answers_while_a_reload_builds_the_new_detector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/healthz is asked for from inside the new detector's construction at a reload: it
    answers, since the detector is built off the event loop (built on the loop, it held
    the loop, 0.2-0.65 s measured, and this request waited for it: a read timeout here)."""
    from monitor.detect.engine import Detector

    make_rules(tmp_path, {})
    settings = settings_for(tmp_path, health_bind="127.0.0.1:0")
    built = Detector.__init__
    answers: list[str] = []
    port = 0

    def building(self: Detector, *args: Any, **kwargs: Any) -> None:
        if port:  # at the reload, not at the start
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=3)
                answers.append(answer.json()["status"])
            except httpx.TimeoutException as exc:
                answers.append(type(exc).__name__)
        built(self, *args, **kwargs)

    monkeypatch.setattr(Detector, "__init__", building)

    async def scenario() -> None:
        nonlocal port
        service = Service.build(settings)
        task = asyncio.create_task(service.serve())
        try:
            async with asyncio.timeout(20):
                while service.health is None or not service.health.port:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
            port = service.health.port
            assert await service.reload()
        finally:
            service.daemon.stop()
            await task
            await service.aclose()

    asyncio.run(scenario())
    assert answers == ["ok"]


def test_a_reload_that_fails_unexpectedly_is_rejected_like_a_broken_file(tmp_path: Path) -> None:
    """A digest zone that is a folder of the zone database ("Europe") made ZoneInfo raise
    IsADirectoryError, which escaped the reload: the rules still counted valid, /readyz
    saw no problem, and the rules watch (its fingerprint already taken) never tried again.
    Whatever loading the files raises, the reload is rejected and says why."""
    make_rules(tmp_path, {})

    async def scenario() -> tuple[bool, list[str], str]:
        service = Service.build(settings_for(tmp_path, health_bind="127.0.0.1:0"))
        try:
            digest = {"name": "console", "type": "console", "digest": "daily at 08:00 Europe"}
            make_rules(tmp_path, {}, channels=[digest])
            reloaded = await service.reload()
            return reloaded, service.reload_problems, service.metrics.exposition(None)[0].decode()
        finally:
            await service.aclose()

    reloaded, problems, metrics = asyncio.run(scenario())
    assert reloaded is False
    assert problems and all("Europe" in p for p in problems), problems
    found = samples(metrics)
    assert found[("news_monitor_rules_valid", ())] == 0
    assert found[("news_monitor_rule_reloads_total", (("outcome", "rejected"),))] == 1
