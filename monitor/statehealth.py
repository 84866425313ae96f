"""Whether the state database works, as the store reports it: one log line per distinct
failure (not a traceback per poll), a gauge and a counter, a reason for ``/readyz``, and a
line when it works again.

The store reports every failed operation and every successful write; only a write clears a
failure, since reads can still succeed on a full or read-only disk.
"""

from __future__ import annotations

import logging

from monitor.metrics import Metrics

log = logging.getLogger("monitor.state")


class StateHealth:
    """The store's observer (see ``store.StateObserver``)."""

    def __init__(self, metrics: Metrics | None = None) -> None:
        self.metrics = metrics
        self.problem: str | None = None
        self._reported: set[str] = set()

    def failed(self, reason: str) -> None:
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
