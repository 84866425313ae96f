"""Prometheus metrics: the only place prometheus_client is used.

One ``Metrics`` object per service, with its own registry (so tests and the demo can run
several side by side). The poller, the outbox and the reloader report to it; ``/metrics``
renders it with prometheus_client's own exposition (text or OpenMetrics, as the scraper
asks), including the standard process, platform and garbage collector metrics. A run with
no ``/metrics`` to show them (``run --once``, a dry run) gets ``Metrics.unexposed()``, whose
instruments record nothing, and does not import prometheus_client.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
POLL_STATUSES = ("ok", "not-modified", "error")  # the values of PollOutcome.status
ALERT_TYPES = ("alert", "update")  # the values of models.AlertType
DELIVERY_OUTCOMES = ("delivered", "retry", "failed")  # what the outbox counts


class Discard:
    """An instrument that records nothing, for a run that shows no metrics."""

    def labels(self, *values: str) -> Discard:
        return self

    def inc(self, amount: float = 1) -> None:
        """Counted nowhere."""

    def set(self, value: float) -> None:
        """Shown nowhere."""

    def observe(self, amount: float) -> None:
        """Kept nowhere."""

    def remove(self, *values: str) -> None:
        """Nothing to remove."""


class Metrics:
    """Counters, gauges and histograms of one running service."""

    registry: CollectorRegistry | None
    polls: Counter | Discard
    poll_errors: Counter | Discard
    entries: Counter | Discard
    alerts: Counter | Discard
    deliveries: Counter | Discard
    outbox_depth: Gauge | Discard
    outbox_held: Gauge | Discard
    poll_seconds: Histogram | Discard
    delivery_seconds: Histogram | Discard
    feeds_unhealthy: Gauge | Discard
    rules_valid: Gauge | Discard
    reloads: Counter | Discard
    state_ok: Gauge | Discard
    state_errors: Counter | Discard
    judge_calls: Counter | Discard
    feedback: Counter | Discard

    @classmethod
    def unexposed(cls) -> Metrics:
        """Metrics that record nothing (no registry, prometheus_client not imported)."""
        metrics = cls.__new__(cls)
        metrics.registry = None
        for name in cls.__annotations__:
            if name != "registry":
                setattr(metrics, name, Discard())
        return metrics

    def __init__(self) -> None:
        from prometheus_client import (
            CollectorRegistry,
            Counter,
            Gauge,
            GCCollector,
            Histogram,
            PlatformCollector,
            ProcessCollector,
        )

        self.registry = CollectorRegistry()
        r = self.registry
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        GCCollector(registry=r)
        self.polls = Counter(
            "news_monitor_polls", "Feed polls by outcome", ["feed", "status"], registry=r
        )
        self.poll_errors = Counter(
            "news_monitor_poll_errors", "Failed feed polls", ["feed"], registry=r
        )
        self.entries = Counter(
            "news_monitor_entries", "New or changed entries examined", ["feed"], registry=r
        )
        self.alerts = Counter(
            "news_monitor_alerts", "Alerts and updates raised", ["rule", "type"], registry=r
        )
        self.deliveries = Counter(
            "news_monitor_deliveries",
            "Delivery attempts by outcome",
            ["channel", "outcome"],
            registry=r,
        )
        self.outbox_depth = Gauge("news_monitor_outbox_depth", "Deliveries waiting", registry=r)
        self.outbox_held = Gauge(
            "news_monitor_outbox_held",
            "Deliveries held because their channel is no longer configured",
            ["channel"],
            registry=r,
        )
        self.poll_seconds = Histogram(
            "news_monitor_poll_duration_seconds",
            "Time to poll a feed",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.delivery_seconds = Histogram(
            "news_monitor_delivery_duration_seconds",
            "Time for one delivery attempt",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.feeds_unhealthy = Gauge(
            "news_monitor_feeds_unhealthy", "Feeds whose last poll failed", registry=r
        )
        self.rules_valid = Gauge(
            "news_monitor_rules_valid",
            "1 if the files under rules/ are valid, 0 if the last edit was rejected",
            registry=r,
        )
        self.reloads = Counter(
            "news_monitor_rule_reloads", "Rule reloads by outcome", ["outcome"], registry=r
        )
        self.state_ok = Gauge(
            "news_monitor_state_ok",
            "1 while the state database works, 0 after a failed read or write",
            registry=r,
        )
        self.state_errors = Counter(
            "news_monitor_state_errors", "Failed state database operations", registry=r
        )
        self.judge_calls = Counter(
            "news_monitor_judge_calls",
            "Calls to the optional judge by outcome (answered, or the local decision kept: "
            "timeout, error, invalid, budget)",
            ["outcome"],
            registry=r,
        )
        self.feedback = Counter(
            "news_monitor_feedback",
            "Judgments on alerts received by the web app",
            ["verdict"],
            registry=r,
        )
        self.rules_valid.set(1)
        self.state_ok.set(1)

    def forget_feed(self, name: str) -> None:
        """Drop the series of a feed no longer configured (not shown again until it is)."""
        for status in POLL_STATUSES:
            _remove(self.polls, name, status)
        _remove(self.poll_errors, name)
        _remove(self.entries, name)

    def forget_rule(self, rule: str) -> None:
        """Drop the alert series of a rule no longer defined."""
        for kind in ALERT_TYPES:
            _remove(self.alerts, rule, kind)

    def forget_channel(self, name: str) -> None:
        """Drop the delivery series of a channel no longer configured (its held deliveries
        stay in ``news_monitor_outbox_held``)."""
        for outcome in DELIVERY_OUTCOMES:
            _remove(self.deliveries, name, outcome)

    def exposition(self, accept: str | None) -> tuple[bytes, str]:
        """The body and content type prometheus_client chooses for an ``Accept`` header."""
        if self.registry is None:
            raise RuntimeError("these metrics are not exposed")
        from prometheus_client.exposition import choose_encoder

        encoder, content_type = choose_encoder(accept or "")
        return bytes(encoder(self.registry)), content_type


def _remove(metric: Counter | Discard, *labels: str) -> None:
    """Drop one series of ``metric`` if it was ever made: older prometheus_client releases
    that pyproject allows (0.21.1 does) raise KeyError for one that was not (a feed that
    never failed has no error series); newer ones ignore it."""
    with contextlib.suppress(KeyError):
        metric.remove(*labels)
