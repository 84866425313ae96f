"""One daemon per state folder: a second refuses at once; a killed one leaves no stale lock."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import REHASH_ITEM, daemon_env, make_rules, start_daemon
from tests.servers import FeedServer, rss, serving
from tests.test_crash import wait_for

OPEN_STORE = (
    "import sys, pathlib; from monitor.store import open_store; "
    "open_store(pathlib.Path(sys.argv[1])).close()"
)


def test_second_daemon_on_one_state_folder_refuses(tmp_path: Path) -> None:
    with serving(FeedServer()) as feeds:
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, interval="1s")
        env = daemon_env(tmp_path)
        # Started at the same instant on an empty folder: exactly one runs.
        first, second = start_daemon(env, tmp_path / "a.log"), start_daemon(env, tmp_path / "b.log")
        try:
            wait_for(lambda: first.poll() is not None or second.poll() is not None)
            refused, running = (first, second) if first.poll() is not None else (second, first)
            log = (tmp_path / ("a.log" if refused is first else "b.log")).read_text()
            assert refused.returncode == 2, log
            lock = tmp_path / "state" / "news-monitor.db.lock"
            assert f"{lock} is locked by process {running.pid}" in log, log
            assert "Traceback" not in log
            wait_for(lambda: "/news.xml" in feeds.requests)
            assert running.poll() is None
        finally:
            running.send_signal(signal.SIGKILL)
            running.wait(10)
        # The lock dies with its process: a restart after kill -9 runs.
        restarted = start_daemon(env, tmp_path / "c.log")
        try:
            count = feeds.requests.count("/news.xml")
            wait_for(lambda: feeds.requests.count("/news.xml") > count)
            assert restarted.poll() is None, (tmp_path / "c.log").read_text()
        finally:
            restarted.send_signal(signal.SIGTERM)
            assert restarted.wait(30) == 0


def test_schema_creation_is_safe_under_a_race(tmp_path: Path) -> None:
    database = tmp_path / "state" / "news-monitor.db"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_STORE, str(database)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    # every racer is waited for (and its pipe closed) before any is judged
    errors = [racer.communicate(timeout=60)[1] for racer in racers]
    for racer, err in zip(racers, errors, strict=True):
        assert racer.returncode == 0, err
