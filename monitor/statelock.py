"""One daemon per state database: an OS file lock beside it.

``StateLock.acquire`` takes an exclusive, non-blocking ``flock`` on ``<database>.lock`` and
writes the holder's pid into it. The operating system releases the lock when the process
ends, however it ends (``kill -9`` included), so a stale lock file never blocks a restart.
A second process finds the lock taken and gets a ``StateError`` naming the lock file and
the pid of the process holding it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

from monitor.errors import StateError

PID_WAIT = 0.5  # seconds a refused process waits for the holder to write its pid


def lock_path(database: Path) -> Path:
    """The lock file that guards ``database``."""
    return database.with_name(database.name + ".lock")


class StateLock:
    """An exclusive lock on one state database, held until ``release`` or process exit."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise ``StateError`` saying who holds it."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StateError(
                f"state: cannot create the lock file {self.path}: {exc.strerror or exc}"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _holder_pid(fd)
            os.close(fd)
            who = f"process {holder}" if holder else "another process"
            raise StateError(
                f"state: {self.path} is locked by {who}: another news-monitor is using "
                f"this state; stop it first, or give this one its own NEWS_MONITOR_STATE_DIR"
            ) from exc
        with contextlib.suppress(OSError):  # the pid only informs; a full disk may refuse it
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Give the lock up (the file stays; it means nothing without the lock)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _holder_pid(fd: int) -> int | None:
    """The pid of the lock's holder: it writes it just after taking the lock, so a process
    refused in between waits a moment (``PID_WAIT``) for it to appear."""
    deadline = time.monotonic() + PID_WAIT
    while (pid := _read_pid(fd)) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return pid


def _read_pid(fd: int) -> int | None:
    """The pid the lock holder wrote, if it is readable."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
