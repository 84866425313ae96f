"""Whether the state database works, as the store reports it: one log line per distinct
failure (not a traceback per poll), a gauge and a counter, a reason for ``/readyz``, and a
line when it works again.

The store reports every failed operation and every successful write; only a write clears a
failure, since reads can still succeed on a full or read-only disk. SQLite says only "disk
I/O error" or "attempt to write a readonly database" when the file system went read-only,
so the reason then says so.
"""

from __future__ import annotations

import errno
import logging
import os
import tempfile
from pathlib import Path

from monitor.metrics import Metrics

log = logging.getLogger("monitor.state")


def read_only(folder: Path) -> bool:
    """Whether the file system holding ``folder`` refuses writes as read-only: mounted so,
    or turned so by the kernel after a disk error (ext4's emergency read-only, which the
    mount flags do not show), found by trying to create a file there."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
        with tempfile.TemporaryFile(dir=folder):
            return False
    except OSError as exc:
        return exc.errno == errno.EROFS


class StateHealth:
    """The store's observer (see ``store.StateObserver``); ``folder`` holds the database."""

    def __init__(self, metrics: Metrics | None = None, folder: Path | None = None) -> None:
        self.metrics = metrics
        self.folder = folder
        self.problem: str | None = None
        self._reported: set[str] = set()

    def failed(self, reason: str) -> None:
        if self.folder is not None and read_only(self.folder):
            reason = f"{reason} (the file system holding {self.folder} is read-only)"
        if self.metrics is not None:
            self.metrics.state_errors.inc()
            self.metrics.state_ok.set(0)
        if reason not in self._reported:
            self._reported.add(reason)
            log.error(
                "state: the database fails; polls and deliveries wait and retry until it "
                "works again, nothing queued is lost",
                extra={"reason": reason},
            )
        self.problem = reason

    def written(self) -> None:
        if self.problem is not None:
            log.info("state: the database works again", extra={"after": self.problem})
        self.problem = None
        self._reported.clear()
        if self.metrics is not None:
            self.metrics.state_ok.set(1)
