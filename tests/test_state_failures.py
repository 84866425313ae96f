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

from monitor.statehealth import read_only
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


@contextlib.contextmanager
def hooked_daemon(
    folder: Path, feeds: FeedServer, receiver: Receiver
) -> Iterator[tuple[dict[str, str], Path, Probe]]:
    """A daemon on one feed (a rehash, no alert yet) polled every second and the test
    webhook on ``receiver``, once ready; yields its environment, log and probe."""
    feeds.feeds["/news.xml"] = rss([REHASH_ITEM])
    make_rules(folder, {"news": feeds.url("/news.xml")}, channels=HOOK, interval="1s")
    env = daemon_env(folder, health_bind="127.0.0.1:0", delivery_interval_seconds="0.2")
    env |= {"TEST_HOOK_URL": receiver.url()}
    log = folder / "daemon.log"
    daemon = start_daemon(env, log)
    try:
        probe = Probe(log)
        wait_for(lambda: probe.listening and probe.ready()[0] == 200)
        yield env, log, probe
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)


def fails_visibly(
    feeds: FeedServer, probe: Probe, log: Path, env: dict[str, str], reason: str, status: str
) -> None:
    """Give the feed an entry that must be recorded; check the failure is shown once: /readyz
    503 with ``reason``, the gauge at 0, one log line over several polls, ``status`` words."""
    feeds.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
    wait_for(lambda: probe.ready()[0] == 503)
    assert reason in probe.ready()[1], probe.ready()[1]
    assert probe.metric("news_monitor_state_ok") == 0
    count = feeds.requests.count("/news.xml")
    wait_for(lambda: feeds.requests.count("/news.xml") >= count + 3)  # fails again
    assert log.read_text().count(FAILING) == 1, "one line per distinct failure"
    shown = run_command(env, "status")
    assert status in shown.stdout, shown.stdout + shown.stderr


def test_full_disk_then_freed(tmp_path: Path) -> None:
    with (
        small_disk(tmp_path / "state") as disk,
        serving(FeedServer()) as feeds,
        serving(Receiver()) as receiver,
        hooked_daemon(tmp_path, feeds, receiver) as (env, log, probe),
    ):
        filler = fill(disk)
        full = "state: state database: database or disk is full"
        fails_visibly(feeds, probe, log, env, full, "DISK FULL")

        filler.unlink()  # the disk frees up: the daemon carries on by itself
        wait_for(lambda: probe.ready()[0] == 200)
        wait_for(lambda: len(receiver.accepted) == 1)  # the vote: one message, two rules
        assert probe.metric("news_monitor_state_ok") == 1
    text = log.read_text()
    assert '"state: the database works again"' in text
    assert "Traceback" not in text


def schema_pages(image: bytes) -> set[int]:
    """The pages of the schema table beyond page 1 (when the schema outgrew it, page 1 is
    an interior b-tree page pointing at them)."""
    header = 100  # the file header comes first on page 1
    if image[header] != 0x05:  # a leaf: the whole schema is on page 1
        return set()
    cells = int.from_bytes(image[header + 3 : header + 5], "big")
    children = {int.from_bytes(image[header + 8 : header + 12], "big")}
    for n in range(cells):
        at = int.from_bytes(image[header + 12 + 2 * n : header + 14 + 2 * n], "big")
        children.add(int.from_bytes(image[at : at + 4], "big"))
    return children


def corrupt_middle_pages(database: Path) -> None:
    """Overwrite every page but the first few, the schema's and the last with garbage."""
    size = database.stat().st_size
    page = 4096
    keep = schema_pages(database.read_bytes()[:page])
    with database.open("r+b") as out:
        for offset in range(8 * page, size - page, page):
            if offset // page + 1 in keep:
                continue
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


@contextlib.contextmanager
def ext4_disk(folder: Path, image: Path) -> Iterator[Path]:
    """An ext4 image loop-mounted on ``folder`` (``errors=remount-ro``); yields the file that
    makes the kernel turn it read-only, as a disk error would. Skips where that is impossible."""
    folder.mkdir(parents=True)
    with image.open("wb") as out:
        out.truncate(16 * 1024 * 1024)
    made = subprocess.run(["mkfs.ext4", "-q", str(image)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make an ext4 image here: {made.stderr.strip()}")
    mount = ["mount", "-o", "loop,errors=remount-ro", str(image), str(folder)]
    mounted = subprocess.run(mount, capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot loop-mount an ext4 image here: {mounted.stderr.strip()}")
    try:
        found = subprocess.run(["findmnt", "-no", "SOURCE", str(folder)], capture_output=True)
        trigger = (
            Path("/sys/fs/ext4") / Path(found.stdout.decode().strip()).name / "trigger_fs_error"
        )
        if not os.access(trigger, os.W_OK):
            pytest.skip(f"{trigger} is not writable here: cannot make the disk read-only")
        yield trigger
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_disk_turns_read_only_mid_run(tmp_path: Path) -> None:
    """`mount -o remount,ro` is refused while the daemon has its files open; a disk error
    on an ext4 mounted errors=remount-ro turns it read-only under the running daemon."""
    image, state = tmp_path / "state.img", tmp_path / "state"
    with (
        ext4_disk(state, image) as trigger,
        serving(FeedServer()) as feeds,
        serving(Receiver()) as receiver,
    ):
        with hooked_daemon(tmp_path, feeds, receiver) as (env, log, probe):
            trigger.write_text("news-monitor test: the disk fails\n")
            wait_for(lambda: read_only(state))  # the kernel remounts it in the background
            reason = f"the file system holding {state} is read-only"
            fails_visibly(feeds, probe, log, env, reason, "READ-ONLY")
        assert receiver.accepted == [], "nothing could be recorded, so nothing was sent"
        # ext4 stays read-only after such an error until it is checked and mounted again,
        # which needs the daemon stopped: then nothing that was not recorded is lost.
        subprocess.run(["umount", str(state)], check=True)
        subprocess.run(["e2fsck", "-fy", str(image)], capture_output=True, check=False)
        subprocess.run(["mount", "-o", "loop", str(image), str(state)], check=True)
        again = tmp_path / "again.log"
        daemon = start_daemon(env, again)
        try:
            wait_for(lambda: len(receiver.accepted) == 1)  # the vote: one message, two rules
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(30)
    assert "Traceback" not in log.read_text() + again.read_text()
