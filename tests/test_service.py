"""The running service seen from outside: /healthz, /readyz, /metrics and safe reloads."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from monitor.app import Service
from tests.helpers import REHASH_ITEM, VOTE_ITEM, make_rules, settings_for, until
from tests.servers import FeedServer, rss, serving


def samples(metrics_text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(metrics_text)
        for s in family.samples
    }


def test_health_readiness_metrics_and_safe_reload(tmp_path: Path) -> None:
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM])
        rules = make_rules(tmp_path, {"news": server.url("/news.xml")}, interval="1s")
        rule_file = rules / "watch" / "uk-parliament-vote.yaml"
        good_rule = rule_file.read_text()
        settings = settings_for(
            tmp_path,
            health_bind="127.0.0.1:0",
            reload_check_seconds=0.2,
            delivery_interval_seconds=0.2,
        )

        async def scenario() -> str:
            service = Service.build(settings)
            task = asyncio.create_task(service.serve())
            await until(lambda: service.health is not None and service.health.port != 0)
            assert service.health is not None
            base = f"http://127.0.0.1:{service.health.port}"
            async with httpx.AsyncClient(base_url=base, timeout=5) as client:

                async def ready() -> tuple[int, dict[str, object]]:
                    response = await client.get("/readyz")
                    return response.status_code, response.json()

                assert (await client.get("/healthz")).status_code == 200
                deadline = time.monotonic() + 10
                while (await ready())[0] != 200:
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.1)

                # A broken edit is rejected: not ready, with file and line; old rules go on.
                rule_file.write_text(good_rule.replace("severity: high", "severity: [high"))
                deadline = time.monotonic() + 10
                while (status := await ready())[0] != 503:
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.1)
                problems = status[1]["problems"]
                assert isinstance(problems, list)
                assert any(f"{rule_file}:" in p and "YAML syntax" in p for p in problems)
                server.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
                await until(lambda: service.store.alert_count() == 1)
                await until(lambda: service.store.outbox_counts()["delivered"] == 1)

                # Fixed: ready again.
                rule_file.write_text(good_rule)
                deadline = time.monotonic() + 10
                while (await ready())[0] != 200:
                    assert time.monotonic() < deadline
                    await asyncio.sleep(0.1)
                # A feed added to feeds.yaml is picked up without a restart.
                server.feeds["/more.xml"] = rss([REHASH_ITEM])
                feeds_file = rules / "feeds.yaml"
                feeds_file.write_text(
                    feeds_file.read_text() + (f"- name: more\n  url: {server.url('/more.xml')}\n")
                )
                await until(lambda: "/more.xml" in server.requests)
                text = (await client.get("/metrics")).text
                assert (await client.get("/nope")).status_code == 404
                assert (await client.post("/readyz")).status_code == 405
            service.daemon.stop()
            await asyncio.wait_for(task, 10)
            await service.aclose()
            return text

        text = asyncio.run(scenario())
    found = samples(text)
    assert found[("news_monitor_polls_total", (("feed", "news"), ("status", "ok")))] >= 2
    assert found[("news_monitor_entries_total", (("feed", "news"),))] == 2
    assert (
        found[("news_monitor_alerts_total", (("rule", "uk-parliament-vote"), ("type", "alert")))]
        == 1
    )
    assert (
        found[("news_monitor_deliveries_total", (("channel", "console"), ("outcome", "delivered")))]
        == 1
    )
    assert (
        found[("news_monitor_alerts_total", (("rule", "new-development"), ("type", "alert")))] == 1
    )
    assert found[("news_monitor_rule_reloads_total", (("outcome", "rejected"),))] >= 1
    assert found[("news_monitor_rule_reloads_total", (("outcome", "applied"),))] >= 1
    assert found[("news_monitor_rules_valid", ())] == 1
    assert found[("news_monitor_outbox_depth", ())] == 0
    assert found[("news_monitor_poll_duration_seconds_count", ())] >= 2


def test_unhealthy_feeds_metric_follows_each_poll(tmp_path: Path) -> None:
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": server.url("/news.xml"), "flaky": server.url("/flaky")})

        async def scenario() -> list[float]:
            service = Service.build(settings_for(tmp_path))
            seen = []
            try:
                for _ in range(2):  # /flaky answers 404, then a feed
                    await service.daemon.run_once()
                    metrics = samples(generate_latest(service.metrics.registry).decode())
                    seen.append(metrics[("news_monitor_feeds_unhealthy", ())])
                    server.feeds["/flaky"] = rss([REHASH_ITEM])
            finally:
                await service.aclose()
            return seen

        assert asyncio.run(scenario()) == [1.0, 0.0]


def test_a_failing_feed_removed_from_feeds_yaml_stops_counting_as_unhealthy(
    tmp_path: Path,
) -> None:
    """news_monitor_feeds_unhealthy counts the configured feeds: a failing feed taken out of
    feeds.yaml (or disabled) kept it at 1 for good (its row stays in the state)."""
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": server.url("/news.xml"), "gone": server.url("/500")})

        async def scenario() -> list[float]:
            service = Service.build(settings_for(tmp_path))
            seen = []

            def unhealthy() -> float:
                return samples(generate_latest(service.metrics.registry).decode())[
                    ("news_monitor_feeds_unhealthy", ())
                ]

            try:
                await service.daemon.run_once()
                seen.append(unhealthy())
                make_rules(tmp_path, {"news": server.url("/news.xml")})
                assert await service.reload()
                seen.append(unhealthy())  # at the reload, before any poll
                await service.daemon.run_once()
                seen.append(unhealthy())
            finally:
                await service.aclose()
            return seen

        assert asyncio.run(scenario()) == [1.0, 0.0, 0.0]


def test_a_feed_removed_from_feeds_yaml_leaves_no_series_in_metrics(tmp_path: Path) -> None:
    """The per-feed series of a feed taken out of feeds.yaml go at the reload, and a poll of
    it still in flight then does not bring them back (they stayed, one set per feed ever
    configured, until a restart)."""
    with serving(FeedServer(slow_seconds=1.0)) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM])
        server.feeds["/slow"] = rss([VOTE_ITEM])
        make_rules(tmp_path, {"news": server.url("/news.xml"), "gone": server.url("/slow")})

        async def scenario() -> tuple[set[str], set[str]]:
            service = Service.build(settings_for(tmp_path, read_timeout_seconds=10.0))

            def feeds() -> set[str]:
                found = samples(generate_latest(service.metrics.registry).decode())
                return {dict(labels).get("feed", "") for _, labels in found} - {""}

            try:
                await service.daemon.run_once()
                before = feeds()
                server.entered_slow.clear()
                polls = asyncio.create_task(service.daemon.poll_all())
                await asyncio.to_thread(server.entered_slow.wait, 10)
                make_rules(tmp_path, {"news": server.url("/news.xml")})
                assert await service.reload()
                await polls
                return before, feeds()
            finally:
                await service.aclose()

        assert asyncio.run(scenario()) == ({"news", "gone"}, {"news"})


def test_readyz_says_so_while_the_daemon_stops(tmp_path: Path) -> None:
    """During the shutdown grace the scheduler is paused, not stopped, and /readyz answered
    200 'ready' while no poll could start any more."""
    with serving(FeedServer(slow_seconds=3.0)) as server:
        make_rules(tmp_path, {"hangs": server.url("/slow")}, interval="1h")
        settings = settings_for(tmp_path, health_bind="127.0.0.1:0", read_timeout_seconds=10.0)

        async def scenario() -> tuple[int, object]:
            service = Service.build(settings)
            task = asyncio.create_task(service.serve())
            await until(lambda: service.health is not None and service.health.port != 0)
            assert service.health is not None
            base = f"http://127.0.0.1:{service.health.port}"
            try:
                await asyncio.to_thread(server.entered_slow.wait, 10)
                service.daemon.stop()  # the slow poll keeps the daemon in its grace
                async with httpx.AsyncClient(base_url=base, timeout=5) as client:
                    response = await client.get("/readyz")
                return response.status_code, response.json()["problems"]
            finally:
                await asyncio.wait_for(task, 20)
                await service.aclose()

        status, problems = asyncio.run(scenario())
    assert status == 503
    assert problems == ["daemon: stopping, finishing the work in flight"]


def test_a_rule_or_channel_removed_by_a_reload_leaves_no_series_in_metrics(
    tmp_path: Path,
) -> None:
    """The alert series of a rule deleted from rules/watch and the delivery series of a
    channel taken out of channels.yaml go at the reload (they stayed until a restart)."""
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([VOTE_ITEM])
        feeds = {"news": server.url("/news.xml")}
        make_rules(tmp_path, feeds, channels=[{"name": "old-desk", "type": "console"}])

        async def scenario() -> list[tuple[set[str], set[str]]]:
            service = Service.build(settings_for(tmp_path))

            def labelled() -> tuple[set[str], set[str]]:
                found = samples(generate_latest(service.metrics.registry).decode())
                named = [dict(labels) for _, labels in found]
                return {n["rule"] for n in named if "rule" in n}, {
                    n["channel"] for n in named if "channel" in n
                }

            try:
                await service.daemon.run_once()
                before = labelled()
                rules = make_rules(tmp_path, feeds, channels=[{"name": "desk", "type": "console"}])
                (rules / "watch" / "new-development.yaml").unlink()
                assert await service.reload()
                return [before, labelled()]
            finally:
                await service.aclose()

        before, after = asyncio.run(scenario())
    assert before == ({"uk-parliament-vote", "new-development"}, {"old-desk"})
    assert after == ({"uk-parliament-vote"}, set())


def test_an_alert_of_a_rule_taken_out_while_its_poll_ran_adds_no_series(tmp_path: Path) -> None:
    """A poll that decided on the rules before a reload and ends after it counts its alerts
    only under the rules still defined (``Poller.rules``, read as the poll ends)."""
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([VOTE_ITEM])
        make_rules(tmp_path, {"news": server.url("/news.xml")})

        async def scenario() -> set[str]:
            service = Service.build(settings_for(tmp_path))
            service.poller.rules = lambda: {"new-development"}  # as a reload left them
            try:
                await service.daemon.run_once()
                found = samples(generate_latest(service.metrics.registry).decode())
                return {dict(labels)["rule"] for _, labels in found if "rule" in dict(labels)}
            finally:
                await service.aclose()

        assert asyncio.run(scenario()) == {"new-development"}
