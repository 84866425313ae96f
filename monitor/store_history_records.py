"""What the alert history (``store_history``) returns: a recorded alert, its deliveries to
each channel and their attempts.

In a module of their own, imported by the queries that make them: a start that queries no
history (a ``run --once`` where nothing changed) makes none of these classes, and Python
3.11 compiles every method a dataclass generates (issue 11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Attempt:
    """One delivery attempt (or an operator's requeue) of one outbox row."""

    number: int
    at: str
    outcome: str  # delivered | retry | failed | requeued
    error: str | None


@dataclass(frozen=True)
class Delivery:
    """One alert for one channel, with its attempts when asked for."""

    id: int
    channel: str
    state: str  # pending | delivered | failed | silenced
    attempts: int
    last_error: str | None
    finished: str | None
    history: tuple[Attempt, ...] = ()


@dataclass(frozen=True)
class AlertRecord:
    """A recorded alert or update: what was raised, and where it went."""

    id: int
    key: str
    type: str
    rule: str
    development: str
    created: str
    description: str
    payload: dict[str, Any]
    deliveries: tuple[Delivery, ...] = field(default_factory=tuple)
    silence: int | None = None


@dataclass(frozen=True)
class Requeued:
    """What ``outbox retry`` did (``AlertHistory.requeue_failed``): the failed deliveries
    it requeued, and those of them a silence holds instead of sending (``silenced``)."""

    ids: list[int]
    held: list[int]

    @property
    def pending(self) -> list[int]:
        """The requeued deliveries that are to be sent."""
        return [i for i in self.ids if i not in self.held]
