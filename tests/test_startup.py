"""What the ``news-monitor`` program loads and does at start (issue 11), seen from inside a
real process: its modules and its garbage collector at exit.

Each case runs the program (``python -m monitor``) in a subprocess whose exit handler prints
the loaded modules and whether the collector is on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers import daemon_env, make_rules
from tests.servers import FeedServer, rss, serving

PROBE = """
import atexit, gc, json, runpy, sys
atexit.register(lambda: print(json.dumps(
    {"modules": sorted(sys.modules), "collecting": gc.isenabled()}), file=sys.stderr))
sys.argv = ["news-monitor", *sys.argv[1:]]
runpy.run_module("monitor", run_name="__main__")
"""
# Loaded only by the commands that use them: detection and its embedding model, the
# scheduler and web server of the daemon, the state's modules for `rules check`.
DETECTION = {"monitor.detect.engine", "monitor.detect.embedding", "numpy", "wordllama"}
DAEMON = {"apscheduler", "monitor.web.site", "aiohttp"}
METRICS = {"prometheus_client"}  # only a service that shows /metrics builds real ones
RULES = {"monitor.detect.rules", "monitor.baseline"}  # `run --once`: read at first use
PARSING = {"feedparser", "monitor.sources.parse", "monitor.text"}  # at the first body to parse
ARTICLES = {"monitor.models"}  # articles, alerts, developments: made only when there are some
# What the store's history and its page views return: made only by those queries.
RECORDS = {"monitor.store_history_records", "monitor.store_view_records"}
# Channel types other than the console, which the rules folders of make_rules configure alone.
OTHER_CHANNELS = {f"monitor.notify.{kind}" for kind in ("slack", "webhook", "email", "apprise")}
STATE = {"monitor.store", "monitor.store_history", "monitor.history", "monitor.silences"}
# What sends or fetches: HTTP channels' client module (and the fetcher it reuses), SMTP,
# Apprise; reading a channel's settings needs none of them.
SENDING = {"monitor.notify.http", "monitor.sources.fetch", "apprise", "smtplib"}
EVERY_TYPE: list[dict[str, object]] = [
    {"name": "slack", "type": "slack", "url_env": "T_SLACK_URL", "optional": True},
    {"name": "hook", "type": "webhook", "url_env": "T_HOOK_URL", "optional": True},
    {
        "name": "mail",
        "type": "email",
        "host": "127.0.0.1",
        "sender": "monitor@example.org",
        "recipients": ["desk@example.org"],
    },
    {"name": "console", "type": "console"},
    {"name": "apprise", "type": "apprise", "url_env": "T_APPRISE_URL", "optional": True},
]


def probe(env: dict[str, str], *command: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


def test_rules_check_loads_neither_state_nor_detection_and_never_collects(
    tmp_path: Path,
) -> None:
    make_rules(tmp_path, {"news": "http://127.0.0.1:9/news.xml"})
    found = probe(daemon_env(tmp_path), "rules", "check")
    assert set(found["modules"]) & (DETECTION | DAEMON | STATE | OTHER_CHANNELS) == set()
    assert found["collecting"] is False  # a short command: start-up is all it does


def test_rules_check_builds_no_channel_and_opens_no_database(tmp_path: Path) -> None:
    """Checking a channels file with every channel type reads their settings only: what the
    channels send with is not imported, nor sqlite3."""
    make_rules(tmp_path, {"news": "http://127.0.0.1:9/news.xml"}, channels=EVERY_TYPE)
    found = probe(daemon_env(tmp_path), "rules", "check")
    assert set(found["modules"]) & (SENDING | {"sqlite3"}) == set()


def second_run_once(tmp_path: Path, feeds: FeedServer) -> dict[str, Any]:
    """What the second of two `run --once` over one unchanged feed loaded (each run polls
    the feed once)."""
    with serving(feeds):
        feeds.feeds["/news.xml"] = rss([{"title": "Weather", "guid": "w1"}])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")})
        env = daemon_env(tmp_path)
        probe(env, "run", "--once")
        found = probe(env, "run", "--once")
    assert feeds.requests.count("/news.xml") == 2
    return found


def test_run_once_over_unchanged_feeds_loads_no_detection(tmp_path: Path) -> None:
    """Every feed answers 304 on the second run: no article to judge, so neither the
    detector nor its embedding model is built, nor are the rules read (their models and
    patterns), and no metrics are kept for a /metrics that a run that exits does not show;
    with no body to parse, the parser (feedparser) is not imported either, nor are channel
    types that channels.yaml does not name, nor the types of articles and alerts or the
    records of the alert history (their dataclasses cost a start ~4 M instructions each);
    the collector is back on for the work."""
    found = second_run_once(tmp_path, FeedServer())
    unused = DETECTION | DAEMON | METRICS | RULES | PARSING | OTHER_CHANNELS | ARTICLES | RECORDS
    assert set(found["modules"]) & unused == set()
    assert "monitor.notify.console" in found["modules"]
    assert found["collecting"] is True


def test_run_once_over_unchanged_rules_files_imports_no_yaml_parser(tmp_path: Path) -> None:
    """The first run keeps the parsed feeds and channels files in the state folder; the
    second finds their text unchanged there and does without PyYAML."""
    found = second_run_once(tmp_path, FeedServer())
    assert "yaml" not in found["modules"]
    assert (tmp_path / "state" / "config-cache.json").is_file()


def test_run_once_over_a_feed_without_validators_loads_no_detection(tmp_path: Path) -> None:
    """A server that ignores conditional GET sends the same entries again: all seen, so
    nothing is judged and detection is not loaded for it (the parser is: the body is parsed)."""
    found = second_run_once(tmp_path, FeedServer(etags=False))
    assert set(found["modules"]) & DETECTION == set()
    assert PARSING <= set(found["modules"])
