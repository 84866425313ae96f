"""The real service against a local feed server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import signal
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.app import Service
from monitor.daemon import backoff_delay
from tests.helpers import REHASH_ITEM, SHIFT_ITEM, VOTE_ITEM, make_rules, settings_for, until
from tests.servers import FeedServer, gzip_bomb, rss, serving


async def run_once(folder: Path, **settings: object) -> tuple[Service, dict[str, object]]:
    service = Service.build(settings_for(folder, **settings))
    summary = await service.daemon.run_once()
    return service, {o.feed: o for o in summary.outcomes}


def test_new_entries_once_then_304_then_changed_entry(tmp_path: Path) -> None:
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
        make_rules(tmp_path, {"news": server.url("/news.xml")})

        async def scenario() -> None:
            service, outcomes = await run_once(tmp_path)
            first = outcomes["news"]
            assert (first.status, first.entries, first.new_entries) == ("ok", 2, 2)
            assert service.store.alert_count() == 1  # one message, two rules
            await service.aclose()

            service, outcomes = await run_once(tmp_path)
            assert outcomes["news"].status == "not-modified"
            await service.aclose()

            server.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM, SHIFT_ITEM])
            service, outcomes = await run_once(tmp_path)
            third = outcomes["news"]
            assert (third.status, third.new_entries, third.alerts) == ("ok", 1, 1)
            await service.aclose()

            changed = dict(REHASH_ITEM, description="A changed text with nothing new in it.")
            server.feeds["/news.xml"] = rss([changed, VOTE_ITEM, SHIFT_ITEM])
            service, outcomes = await run_once(tmp_path)
            assert (outcomes["news"].new_entries, outcomes["news"].alerts) == (1, 0)
            assert service.store.alert_count() == 2
            assert service.store.outbox_counts()["delivered"] == 2  # console got each once
            await service.aclose()

        asyncio.run(scenario())
    assert server.requests.count("/news.xml") == 4
    (agent,) = server.user_agents
    assert agent.startswith("news-monitor/")


BAD_FEEDS = {
    "server-error": ("/500", "HTTP 500"),
    "timeout": ("/slow", "timed out"),
    "too-big": ("/huge", "byte limit"),
    "redirect-loop": ("/loop", "more than 5 redirects"),
    "gzip-bomb": ("/bomb", "after decoding"),
    "not-xml": ("/invalid", "invalid feed"),
    "rate-limited": ("/429", "HTTP 429"),
    "error-retry-later": ("/500-retry-after", "HTTP 500"),
}


def test_broken_feeds_are_unhealthy_and_the_rest_keep_working(tmp_path: Path) -> None:
    gzip_bomb()  # built before serving: building it takes longer than the read timeout
    with serving(FeedServer(slow_seconds=3.0)) as server:
        server.feeds["/good.xml"] = rss([VOTE_ITEM])
        feeds = {name: server.url(path) for name, (path, _) in BAD_FEEDS.items()}
        feeds["good"] = server.url("/good.xml")
        make_rules(tmp_path, feeds)

        async def scenario() -> None:
            service, outcomes = await run_once(tmp_path)
            assert outcomes["good"].status == "ok"
            assert outcomes["good"].alerts == 1
            for name, (_, reason) in BAD_FEEDS.items():
                outcome = outcomes[name]
                assert outcome.status == "error", name
                assert reason in (outcome.error or ""), (name, outcome.error)
                state = service.store.feed_state(name)
                assert not state.healthy and reason in (state.reason or ""), name
            assert outcomes["rate-limited"].retry_after == 120
            assert outcomes["error-retry-later"].retry_after == 90  # any status may send it
            assert service.store.feed_state("good").healthy
            await service.aclose()

        asyncio.run(scenario())
    assert server.requests.count("/loop") == 6  # the first request and five redirects


@pytest.mark.parametrize(
    ("failures", "retry_after", "expected"),
    [
        (1, None, 60),
        (2, None, 120),
        (3, None, 240),
        (10, None, 600),
        (1, 300.0, 300),
        (1, 99999.0, 600),  # Retry-After is honoured within the cap
        (1, 1e20, 600),  # a huge Retry-After waits the cap (it overflowed a timedelta)
    ],
)
def test_backoff_delay(failures: int, retry_after: float | None, expected: float) -> None:
    delay = backoff_delay(failures, timedelta(seconds=60), timedelta(seconds=600), retry_after)
    assert delay.total_seconds() == expected


def test_scheduled_daemon_polls_backs_off_and_stops(tmp_path: Path) -> None:
    with serving(FeedServer()) as server:
        server.feeds["/good.xml"] = rss([REHASH_ITEM])
        make_rules(
            tmp_path, {"good": server.url("/good.xml"), "bad": server.url("/500")}, interval="1s"
        )

        async def scenario() -> None:
            service = Service.build(settings_for(tmp_path))
            store = service.store
            task = asyncio.create_task(service.daemon.run_forever())

            async def done() -> bool:  # the added entry alerted; 3 polls of each feed
                tries = server.requests.count("/good.xml"), server.requests.count("/500")
                return min(tries) >= 3 and await store.run(store.alert_count) == 1

            try:
                async with asyncio.timeout(20):  # the first poll of "good", recorded
                    while (await store.run(store.feed_state, "good")).last_poll is None:  # noqa: ASYNC110
                        await asyncio.sleep(0.05)
                server.feeds["/good.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
                async with asyncio.timeout(40):
                    while not await done():  # noqa: ASYNC110 - the state is polled
                        await asyncio.sleep(0.1)
                assert service.daemon.scheduler_alive
            finally:
                service.daemon.stop()
                await asyncio.wait_for(task, 10)
            assert not service.daemon.scheduler_alive
            assert store.alert_count() == 1, "the entry added between polls alerted once"
            assert store.feed_state("bad").failures >= 3
            await service.aclose()

        asyncio.run(scenario())
    # 1 s interval; after each failure of /500 the next try waits 1 s, 2 s, 4 s, ...
    # (measured from the end of the failed poll; a little slack for the two clocks)
    tries = [moment for moment, path in server.arrivals if path == "/500"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(tries)]
    assert gaps[0] >= 1.0 - 0.05 and gaps[1] >= 2.0 - 0.05, gaps
    assert all(gap >= 4.0 - 0.05 for gap in gaps[2:]), gaps


def test_json_log_line_per_poll(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.cli import main

    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    with serving(FeedServer()) as server:
        server.feeds["/good.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"good": server.url("/good.xml")})
        code = main(["--rules", str(tmp_path / "rules"), "run", "--once"])
    assert code == 0
    err = capsys.readouterr().err
    polls = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    (line,) = [p for p in polls if p["message"] == "poll: feed polled"]
    assert line["feed"] == "good" and line["status"] == "ok" and line["new_entries"] == 1
    assert isinstance(line["duration_ms"], int)


def test_fetches_per_host_are_capped(tmp_path: Path) -> None:
    with serving(FeedServer(latency=(0.3, 0.3))) as server:
        for n in range(6):
            server.feeds[f"/f{n}.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {f"f{n}": server.url(f"/f{n}.xml") for n in range(6)})

        async def scenario() -> set[str]:
            service, outcomes = await run_once(tmp_path, max_fetches_per_host=2)
            await service.aclose()
            return {o.status for o in outcomes.values()}  # type: ignore[attr-defined]

        statuses = asyncio.run(scenario())
    assert statuses == {"ok"}
    assert server.max_active == 2


def test_status_shows_feed_health_and_outbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.cli import main

    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    rules = str(tmp_path / "rules")
    with serving(FeedServer()) as server:
        server.feeds["/good.xml"] = rss([VOTE_ITEM])
        make_rules(tmp_path, {"good": server.url("/good.xml"), "broken": server.url("/500")})
        assert main(["--rules", rules, "status"]) == 1
        assert "no state yet" in capsys.readouterr().err
        assert main(["--rules", rules, "run", "--once"]) == 0
    capsys.readouterr()
    assert main(["--rules", rules, "status"]) == 0
    out = capsys.readouterr().out
    assert "feeds: 2 polled, 1 unhealthy" in out
    assert "FAIL broken: last poll " in out and "(1 failures: HTTP 500" in out
    assert "outbox: 0 pending, 1 delivered, 0 failed; 1 alerts and updates recorded" in out


def test_a_channel_without_its_secret_waits_and_the_others_deliver(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from monitor.cli import main
    from tests.servers import Receiver

    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("TEST_UNSET_SMTP_PASSWORD", raising=False)
    editors = {
        "name": "editors",
        "type": "email",
        "host": "127.0.0.1",
        "username_env": "TEST_HOOK_URL",
        "password_env": "TEST_UNSET_SMTP_PASSWORD",
        "sender": "a@example.invalid",
        "recipients": ["b@example.invalid"],
    }
    hook = {"name": "hook", "type": "webhook", "url_env": "TEST_HOOK_URL"}
    with serving(FeedServer()) as server, serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        server.feeds["/good.xml"] = rss([VOTE_ITEM])
        make_rules(tmp_path, {"good": server.url("/good.xml")}, channels=[hook, editors])
        service = Service.build(settings_for(tmp_path))
        assert service.readiness_problems()[0] == (
            "channels: channel editors: TEST_UNSET_SMTP_PASSWORD is not set (in the "
            "environment, .env, TEST_UNSET_SMTP_PASSWORD_FILE or the secrets directory)"
        )
        summary = asyncio.run(service.daemon.run_once())
        asyncio.run(service.aclose())
    assert summary.delivered == 1 and len(receiver.accepted) == 1
    held = [r for r in caplog.records if getattr(r, "channel", None) == "editors"]
    assert any("channel is unavailable (a secret is missing" in r.message for r in held)
    assert main(["--rules", str(tmp_path / "rules"), "status"]) == 0
    out = capsys.readouterr().out
    assert "outbox: 1 pending, 1 delivered, 0 failed" in out
    assert "channels: 2 defined, 1 unavailable, 0 off\n  unavailable: channel editors: " in out


def test_a_reload_picks_up_a_secret_added_to_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TEST_LATE_URL", raising=False)
    late = {"name": "late", "type": "webhook", "url_env": "TEST_LATE_URL"}
    make_rules(tmp_path, {}, channels=[late])

    async def scenario() -> tuple[list[str], list[str], set[str]]:
        service = Service.build(settings_for(tmp_path))
        try:
            before = list(service.channel_problems)
            (tmp_path / ".env").write_text("TEST_LATE_URL=http://127.0.0.1:9/hook\n")
            assert await service.reload()
            return before, service.channel_problems, set(service.outbox.channels)
        finally:
            await service.aclose()

    before, after, built = asyncio.run(scenario())
    assert before == [
        "channel late: TEST_LATE_URL is not set (in the environment, .env, TEST_LATE_URL_FILE "
        "or the secrets directory)"
    ]
    assert (after, built) == ([], {"late"})


def test_a_poll_cut_short_by_the_shutdown_is_awaited_and_logged_without_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A feed that hangs past the shutdown grace: its poll is cancelled, awaited before
    ``run_forever`` returns, and named in one warning; no job error, no traceback (it was
    left unwinding after "daemon: stopped", where APScheduler logged its CancelledError)."""
    with serving(FeedServer(slow_seconds=30.0)) as server:
        make_rules(tmp_path, {"hangs": server.url("/slow")}, interval="1s")

        async def scenario() -> None:
            service = Service.build(
                settings_for(tmp_path, read_timeout_seconds=60.0, shutdown_grace_seconds=0.5)
            )
            task = asyncio.create_task(service.daemon.run_forever())
            await asyncio.to_thread(server.entered_slow.wait, 10)
            service.daemon.stop()
            await asyncio.wait_for(task, 10)
            cut = [r for r in caplog.records if r.getMessage().startswith("daemon: poll cut")]
            assert [getattr(r, "feed", None) for r in cut] == ["hangs"]
            await asyncio.sleep(0.2)  # anything still unwinding would log by now
            await service.aclose()

        with caplog.at_level(logging.INFO):
            asyncio.run(scenario())
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert errors == [], [r.getMessage() for r in errors]


def test_a_feed_edited_while_it_is_polled_is_polled_at_its_new_address_when_that_ends(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """feeds.yaml gives a feed a new address while its poll runs: the new address is polled
    as soon as that poll ends. Its job, replaced at the reload to run at once, was skipped
    ("maximum number of running instances reached") and waited a whole interval."""
    with serving(FeedServer(slow_seconds=1.0)) as server:
        server.feeds["/slow"] = rss([REHASH_ITEM])
        server.feeds["/moved.xml"] = rss([VOTE_ITEM])
        make_rules(tmp_path, {"news": server.url("/slow")}, interval="1h")

        async def scenario() -> None:
            service = Service.build(settings_for(tmp_path, read_timeout_seconds=10.0))
            task = asyncio.create_task(service.daemon.run_forever())
            try:
                await asyncio.to_thread(server.entered_slow.wait, 10)
                make_rules(tmp_path, {"news": server.url("/moved.xml")}, interval="1h")
                assert await service.reload()
                async with asyncio.timeout(10):
                    while "/moved.xml" not in server.requests:  # noqa: ASYNC110 - a server's list
                        await asyncio.sleep(0.1)
            finally:
                service.daemon.stop()
                await asyncio.wait_for(task, 10)
                await service.aclose()

        with caplog.at_level(logging.INFO):
            asyncio.run(scenario())
    assert server.requests == ["/slow", "/moved.xml"]
    assert not [r for r in caplog.records if "maximum number of running" in r.getMessage()]


def test_a_delivery_due_while_the_loop_was_held_runs_late_rather_than_not_at_all(
    tmp_path: Path,
) -> None:
    """The deliveries (and the rule watch, the upkeep) had APScheduler's default grace of
    one second: a loop held longer than that when one was due (a large feed, a reload)
    dropped that run, with a 'missed' warning, and alerts waited a whole interval more."""
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": server.url("/news.xml")}, interval="1h")

        async def scenario() -> list[float]:
            service = Service.build(settings_for(tmp_path, delivery_interval_seconds=4.0))
            daemon = service.daemon
            times: list[float] = []
            deliver = daemon.deliver

            async def counted() -> int:
                times.append(time.monotonic())
                return await deliver()

            daemon.deliver = counted
            task = asyncio.create_task(daemon.run_forever())
            try:
                await until(lambda: bool(times))  # the first delivery, at the start
                await asyncio.sleep(3.5 - (time.monotonic() - times[0]))
                time.sleep(1.5)  # noqa: ASYNC251 - the loop held past the delivery due at 4 s
                await asyncio.sleep(1.0)
                return [t - times[0] for t in times]
            finally:
                daemon.stop()
                await asyncio.wait_for(task, 10)
                await service.aclose()

        deliveries = asyncio.run(scenario())
    assert len(deliveries) == 2, deliveries  # the second ran as soon as the loop was free


def test_a_stop_lets_requests_under_way_finish_but_starts_no_more(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Polls still waiting for their host's turn when the daemon is told to stop do not
    begin their requests afterwards (each began, one after another, for as long as the
    grace allowed: 18.4 s for nine feeds queued on one host). Nothing is recorded for them:
    their entries wait for the next start."""
    with serving(FeedServer(latency=(3.0, 3.0))) as server:
        names = ("first", "second", "third")  # first polls due at 0, 1.7 and 3.3 s
        for name in names:
            server.feeds[f"/{name}.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {n: server.url(f"/{n}.xml") for n in names}, interval="1h")

        async def scenario() -> None:
            settings = settings_for(tmp_path, max_fetches_per_host=1, read_timeout_seconds=10.0)
            service = Service.build(settings)
            fetcher = service.fetcher
            # No request moves to the host's slow lane (2 s by default, giving its regular
            # turn to "third"): each waits for the one before it to end, 3 s apart.
            fetcher.limits = replace(fetcher.limits, slow_after=60.0)

            def third_waits() -> bool:  # "second" under way, "third" waiting for the host
                waiting = sum(len(gate._waiters) for gate in fetcher._hosts.values())
                return server.requests == ["/first.xml", "/second.xml"] and waiting == 1

            task = asyncio.create_task(service.daemon.run_forever())
            try:
                await until(third_waits, 20, every=0.02)
            finally:
                service.daemon.stop()
                await asyncio.wait_for(task, 20)
            assert service.store.feed_state("second").healthy  # finished and recorded
            assert service.store.feed_state("third").last_poll is None  # nothing recorded
            await service.aclose()

        with caplog.at_level(logging.INFO):
            asyncio.run(scenario())
    assert server.requests == ["/first.xml", "/second.xml"]
    # one line for all the polls kept from beginning (with hundreds of feeds queued, a line
    # each flooded the log), none of them told as a poll cut short
    assert not [r for r in caplog.records if r.getMessage().startswith("daemon: poll cut")]
    unbegun = [r for r in caplog.records if r.getMessage().startswith("daemon: polls not begun")]
    assert [(getattr(r, "polls", None), getattr(r, "feeds", None)) for r in unbegun] == [
        (1, ["third"])
    ]


def test_a_sighup_during_the_start_up_is_remembered_and_one_while_closing_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SIGHUP's default action ends the process: one sent during the seconds of the start-up
    (before the loop listened) killed the daemon (exit -1 seconds after starting), and so
    did one after the loop stopped listening, while it closed. Now the first reloads the
    rules once the daemon runs, and the second is ignored."""
    from monitor.hangups import defer_hangups

    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": server.url("/news.xml")}, interval="1h")
        previous = signal.getsignal(signal.SIGHUP)
        try:
            defer_hangups()
            os.kill(os.getpid(), signal.SIGHUP)  # the start-up: Service.build, detection
            service = Service.build(settings_for(tmp_path, reload_check_seconds=3600.0))

            async def scenario() -> None:
                task = asyncio.create_task(service.daemon.run_forever())

                def reloaded() -> bool:
                    return any(r.getMessage() == "rules: reloaded" for r in caplog.records)

                await until(reloaded)
                service.daemon.stop()
                await asyncio.wait_for(task, 10)
                # Closing: ignored (were it not, the kill below would end the tests' process).
                assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
                os.kill(os.getpid(), signal.SIGHUP)
                await service.aclose()

            with caplog.at_level(logging.INFO):
                asyncio.run(scenario())
        finally:
            signal.signal(signal.SIGHUP, previous)
    told = ("daemon: SIGHUP, reloading rules", "rules: reloaded")
    assert [r.getMessage() for r in caplog.records if r.getMessage() in told] == list(told)
