"""Build a rules folder and settings for a test run of the real service."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import yaml

from monitor.models import Alert, Development, OutletReport
from monitor.settings import Settings
from monitor.store import Store
from tests.conftest import RULES


def make_rules(
    folder: Path,
    feeds: dict[str, str],
    channels: list[dict[str, object]] | None = None,
    default: list[str] | None = None,
    interval: str = "5m",
) -> Path:
    """A rules folder with the shipped baseline and watch rules, and the given feeds/channels."""
    rules = folder / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    shutil.copy(RULES / "baseline.yaml", rules / "baseline.yaml")
    shutil.copytree(RULES / "watch", rules / "watch", dirs_exist_ok=True)
    (rules / "feeds.yaml").write_text(
        yaml.safe_dump(
            {
                "defaults": {"interval": interval},
                "feeds": [{"name": name, "url": url} for name, url in feeds.items()],
            }
        ),
        encoding="utf-8",
    )
    channels = channels if channels is not None else [{"name": "console", "type": "console"}]
    (rules / "channels.yaml").write_text(
        yaml.safe_dump(
            {
                "default": default if default is not None else [c["name"] for c in channels],
                "channels": channels,
            }
        ),
        encoding="utf-8",
    )
    return rules


def settings_for(folder: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "rules_dir": folder / "rules",
        "state_dir": folder / "state",
        "read_timeout_seconds": 1.0,
        "connect_timeout_seconds": 1.0,
        "max_response_bytes": 1024 * 1024,
        "log_format": "json",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def daemon_env(folder: Path, **settings: str) -> dict[str, str]:
    """The environment of a ``news-monitor`` subprocess on ``folder``'s rules and state."""
    return {
        **os.environ,
        "NEWS_MONITOR_RULES_DIR": str(folder / "rules"),
        "NEWS_MONITOR_STATE_DIR": str(folder / "state"),
        "NEWS_MONITOR_HEALTH_BIND": "",
        "NEWS_MONITOR_LOG_FORMAT": "json",
        **{f"NEWS_MONITOR_{k.upper()}": v for k, v in settings.items()},
    }


def start_daemon(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``news-monitor run`` in a subprocess, its stderr written to ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "monitor", "run"], env=env, stdout=subprocess.DEVNULL, stderr=out
        )


def health_address(log: Path) -> str:
    """The host:port the daemon logging to ``log`` serves /healthz on ("" until it does)."""
    for line in log.read_text().splitlines():
        if '"health: listening"' in line:
            return str(json.loads(line)["address"])
    return ""


def run_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``news-monitor ARGS...`` in a subprocess, to its end (at most a minute); output kept."""
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


HOOK: list[dict[str, object]] = [{"name": "hook", "type": "webhook", "url_env": "TEST_HOOK_URL"}]
"""A webhook channel whose URL is in ``TEST_HOOK_URL``."""

VOTE_ITEM = {
    "title": "Commons backs sending troops to Ukraine",
    "guid": "vote-1",
    "description": "MPs voted 401 to 60 to approve the deployment of British troops to Ukraine.",
    "pubDate": "Wed, 03 Mar 2027 21:00:00 GMT",
}
REHASH_ITEM = {
    "title": "Recap of the Paris pledge",
    "guid": "recap-1",
    "description": "Starmer said MPs would vote before any British troops go to Ukraine.",
    "pubDate": "Tue, 02 Mar 2027 09:00:00 GMT",
}
SHIFT_ITEM = {
    "title": "Kremlin softens on peacekeepers",
    "guid": "shift-1",
    "description": "Peskov said Russia could accept peacekeepers in Ukraine from neutral states.",
    "pubDate": "Fri, 05 Mar 2027 10:00:00 GMT",
}


def record_alerts(
    store: Store, alerts: list[Alert], now: datetime, channels: Sequence[str] = ()
) -> None:
    """Record ``alerts`` (and their articles) as one poll of feed ``wire`` would, queued for
    ``channels``."""
    store.commit_poll(
        feed="wire",
        url="http://127.0.0.1/x",
        etag=None,
        last_modified=None,
        articles=[a.article for a in alerts],
        alerts=alerts,
        developments=[],
        route=lambda alert: list(channels),
        now=now,
    )


def commit_developments(
    store: Store,
    developments: Sequence[Development],
    now: datetime | None = None,
    observed: Sequence[OutletReport] = (),
    observer: str = "",
    decided_on: int | None = None,
) -> None:
    """A poll of one feed that records ``developments`` (and the reports detection
    ``observed``) and nothing else; ``decided_on``: a replica's, on that decisions counter."""
    store.commit_poll(
        feed="f",
        url="u",
        etag=None,
        last_modified=None,
        articles=[],
        alerts=[],
        developments=developments,
        route=lambda a: [],
        now=now or datetime(2027, 1, 1, tzinfo=UTC),
        observed=observed,
        observer=observer,
        decided_on=decided_on,
    )


async def until(check: Callable[[], bool], seconds: float = 10.0, every: float = 0.05) -> None:
    """Wait (at most ``seconds``, else TimeoutError) until ``check()`` holds: state another task
    or process changes (a server's list, the database, log records) that no event announces."""
    async with asyncio.timeout(seconds):
        while not check():  # noqa: ASYNC110 - polled state, no event to wait on
            await asyncio.sleep(every)
