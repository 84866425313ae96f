"""A failing state database is visible and survivable: a full disk and a corrupted file give
one clear log line, /readyz 503 with the reason, a metric and a clear `status`; nothing in
the outbox is lost, and a disk that frees up is used again without a restart."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import (
    HOOK,
    REHASH_ITEM,
    VOTE_ITEM,
    daemon_env,
    make_rules,
    run_command,
    start_daemon,
)
from tests.probe import Probe
from tests.servers import FeedServer, Receiver, rss, serving
from tests.test_crash import wait_for

FAILING = '"state: the database fails;'


@contextlib.contextmanager
def mounted_disk(folder: Path, size: str = "8m") -> Iterator[str | None]:
    """A tmpfs of ``size`` mounted on ``folder`` for the block; yields None, or why none
    could be mounted (``folder`` is then an ordinary folder)."""
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        yield f"cannot mount a small tmpfs here: {mounted.stderr.strip()}"
        return
    try:
        yield None
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@contextlib.contextmanager
def small_disk(folder: Path) -> Iterator[Path]:
    """A small tmpfs on ``folder``; skips the test where none can be mounted."""
    with mounted_disk(folder) as problem:
        if problem:
            pytest.skip(problem)
        yield folder


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; return the file that does it."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * chunk)
    finally:
        os.close(fd)
    return filler


def test_full_disk_then_freed(tmp_path: Path) -> None:
    with (
        small_disk(tmp_path / "state") as disk,
        serving(FeedServer()) as feeds,
        serving(Receiver()) as receiver,
    ):
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, channels=HOOK, interval="1s")
        env = daemon_env(tmp_path, health_bind="127.0.0.1:0", delivery_interval_seconds="0.2") | {
            "TEST_HOOK_URL": receiver.url()
        }
        log = tmp_path / "daemon.log"
        daemon = start_daemon(env, log)
        probe = Probe(log)
        try:
            wait_for(lambda: probe.listening and probe.ready()[0] == 200)
            filler = fill(disk)
            feeds.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])  # must be written
            wait_for(lambda: probe.ready()[0] == 503)
            assert "state: state database: database or disk is full" in probe.ready()[1]
            assert probe.metric("news_monitor_state_ok") == 0
            count = feeds.requests.count("/news.xml")
            wait_for(lambda: feeds.requests.count("/news.xml") >= count + 3)  # fails again
            assert log.read_text().count(FAILING) == 1, "one line per distinct failure"
            status = run_command(env, "status")
            assert "DISK FULL" in status.stdout, status.stdout + status.stderr

            filler.unlink()  # the disk frees up: the daemon carries on by itself
            wait_for(lambda: probe.ready()[0] == 200)
            wait_for(lambda: len(receiver.accepted) == 1)  # the vote: one message, two rules
            assert probe.metric("news_monitor_state_ok") == 1
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(30)
    text = log.read_text()
    assert '"state: the database works again"' in text
    assert "Traceback" not in text


def corrupt_middle_pages(database: Path) -> None:
    """Overwrite every page but the first few and the last with garbage."""
    size = database.stat().st_size
    page = 4096
    with database.open("r+b") as out:
        for offset in range(8 * page, size - page, page):
            out.seek(offset)
            out.write(os.urandom(page))


def test_corrupted_database(tmp_path: Path) -> None:
    items = [
        {"title": f"Report {n}", "guid": f"r{n}", "description": f"Rain in town {n}."}
        for n in range(600)
    ]
    with serving(FeedServer(etags=False)) as feeds:
        feeds.feeds["/news.xml"] = rss(items)
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, interval="1s")
        env = daemon_env(tmp_path, health_bind="127.0.0.1:0")
        assert run_command(env, "run", "--once").returncode == 0
        database = tmp_path / "state" / "news-monitor.db"
        corrupt_middle_pages(database)

        log = tmp_path / "daemon.log"
        daemon = start_daemon(env, log)
        probe = Probe(log)
        try:
            wait_for(lambda: probe.listening)
            wait_for(lambda: probe.ready()[0] == 503)
            assert "database disk image is malformed" in probe.ready()[1]
            assert probe.metric("news_monitor_state_errors_total") >= 1
            count = feeds.requests.count("/news.xml")
            wait_for(lambda: feeds.requests.count("/news.xml") >= count + 2)
            assert log.read_text().count(FAILING) == 1
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(30)
        status = run_command(env, "status")
    assert status.returncode == 1
    assert "malformed" in status.stdout + status.stderr
    assert "Traceback" not in status.stderr + log.read_text()
