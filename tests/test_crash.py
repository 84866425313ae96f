"""Kill -9 the daemon mid-poll and restart: nothing lost, nothing alerted twice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers import REHASH_ITEM, SHIFT_ITEM, VOTE_ITEM, daemon_env, make_rules, start_daemon
from tests.servers import FeedServer, Receiver, rss, serving


def alerts_in(database: Path) -> int:
    try:
        with sqlite3.connect(database, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_kill_minus_nine_mid_poll_then_restart(tmp_path: Path) -> None:
    with serving(FeedServer(slow_seconds=30.0)) as feeds, serving(Receiver()) as receiver:
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
        feeds.feeds["/slow"] = rss([SHIFT_ITEM])
        make_rules(
            tmp_path,
            {"news": feeds.url("/news.xml"), "slow": feeds.url("/slow")},
            channels=[{"name": "hook", "type": "webhook", "url_env": "TEST_HOOK_URL"}],
        )
        env = {
            **os.environ,
            "NEWS_MONITOR_RULES_DIR": str(tmp_path / "rules"),
            "NEWS_MONITOR_STATE_DIR": str(tmp_path / "state"),
            "NEWS_MONITOR_READ_TIMEOUT_SECONDS": "60",
            "NEWS_MONITOR_HEALTH_BIND": "",
            "TEST_HOOK_URL": receiver.url(),
            "NEWS_MONITOR_LOG_FORMAT": "json",
        }
        database = tmp_path / "state" / "news-monitor.db"
        log = (tmp_path / "daemon.log").open("wb")
        daemon = subprocess.Popen(
            [sys.executable, "-m", "monitor", "run"], env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not (
                feeds.entered_slow.is_set() and alerts_in(database) == 1
            ):
                time.sleep(0.05)
            trail = (tmp_path / "daemon.log").read_text()[-2000:]
            assert feeds.entered_slow.is_set(), f"the slow feed's poll is in flight\n{trail}"
            assert alerts_in(database) == 1, f"the fast feed's alert is recorded\n{trail}"
        finally:
            daemon.send_signal(signal.SIGKILL)
            daemon.wait(10)
            log.close()
        assert daemon.returncode == -signal.SIGKILL

        feeds.slow_seconds = 0.0
        restarted = subprocess.run(
            [sys.executable, "-m", "monitor", "run", "--once"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert restarted.returncode == 0, restarted.stderr
        assert alerts_in(database) == 2, "the interrupted feed was polled again, fully"

    keys = [r.headers["Idempotency-Key"] for r in receiver.accepted]
    assert len(set(keys)) == 2, keys
    # a delivery cut off by the kill may be repeated, but only with the same key
    assert len(keys) - len(set(keys)) <= 1


def wait_for(check: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@contextmanager
def running_daemon(
    tmp_path: Path, **settings: str
) -> Iterator[tuple[FeedServer, Path, subprocess.Popen[bytes]]]:
    """`news-monitor run` in a subprocess on one local feed: yields the feed server, the log
    path and the process, once the feed has been polled.

    Leaves the ``with`` block once the process has exited (the block must stop it).
    """
    with serving(FeedServer()) as feeds:
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, interval="1s")
        env = daemon_env(tmp_path, **settings)
        log_path = tmp_path / "daemon.log"
        daemon = start_daemon(env, log_path)
        try:
            wait_for(lambda: "/news.xml" in feeds.requests)
            yield feeds, log_path, daemon
        finally:
            if daemon.poll() is None:
                daemon.send_signal(signal.SIGTERM)
            assert daemon.wait(30) == 0


def test_sigterm_stops_cleanly(tmp_path: Path) -> None:
    with running_daemon(tmp_path) as (feeds, log_path, _):
        wait_for(lambda: feeds.requests.count("/news.xml") >= 2)
    text = log_path.read_text()
    assert '"message": "daemon: started"' in text
    assert '"message": "daemon: stopped"' in text
    assert "Traceback" not in text


def test_sighup_reloads_the_rules(tmp_path: Path) -> None:
    with running_daemon(tmp_path, reload_check_seconds="3600") as (_, log_path, daemon):
        assert '"message": "rules: reloaded"' not in log_path.read_text()
        daemon.send_signal(signal.SIGHUP)
        wait_for(lambda: '"message": "rules: reloaded"' in log_path.read_text())


def test_the_schedulers_own_lines_are_json_and_name_the_feed(tmp_path: Path) -> None:
    """A poll longer than its feed's interval makes APScheduler skip a run and say so: that
    line went to stderr as plain text amid the JSON lines (a log shipper's parse error),
    naming only ``Daemon._poll_job``, not the feed."""
    with serving(FeedServer(slow_seconds=2.5)) as feeds:
        feeds.feeds["/slow"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"slow-feed": feeds.url("/slow")}, interval="1s")
        env = daemon_env(tmp_path, read_timeout_seconds="10", shutdown_grace_seconds="10")
        log_path = tmp_path / "daemon.log"
        daemon = start_daemon(env, log_path)
        try:
            wait_for(feeds.entered_slow.is_set)
            wait_for(lambda: "maximum number of running instances" in log_path.read_text())
        finally:
            daemon.send_signal(signal.SIGTERM)
            assert daemon.wait(30) == 0
    lines = log_path.read_text().splitlines()
    records = [json.loads(line) for line in lines]  # every line: no plain text among them
    skipped = [r for r in records if "maximum number of running" in r["message"]]
    assert skipped and all("slow-feed" in r["message"] for r in skipped), skipped
