"""What the store's views for the web pages (``store_views``) return: recorded alerts with
their payloads, and deliveries that did not go out.

In a module of their own, imported by the queries that make them: a start that serves no
pages makes neither class (issue 11).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AlertRecord:
    """One recorded alert or update, with the JSON payload it was stored with."""

    id: int
    created: str
    payload: dict[str, Any]
    description: str
    silence: int | None = None  # the silence that held back its waiting deliveries


@dataclass(frozen=True)
class DeliveryRecord:
    """One outbox row that did not go out (yet): a failure or a retry, with its error."""

    alert_id: int
    channel: str
    state: str
    attempts: int
    error: str | None
    title: str
