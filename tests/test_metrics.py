"""Metrics: the series of feeds, rules and channels taken out are dropped, whichever exist."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor.metrics import Metrics
from tests.test_service import samples


@pytest.mark.parametrize(
    ("record", "forget", "name"),
    [
        # polled fine only: no "not-modified" or "error" series, no poll error, no entries
        (lambda m: m.polls.labels("wire", "ok").inc(), Metrics.forget_feed, "wire"),
        (lambda m: m.alerts.labels("ceasefire", "alert").inc(), Metrics.forget_rule, "ceasefire"),
        (lambda m: m.deliveries.labels("desk", "failed").inc(), Metrics.forget_channel, "desk"),
        (lambda m: None, Metrics.forget_feed, "never-polled"),
        (lambda m: None, Metrics.forget_rule, "never-raised"),
        (lambda m: None, Metrics.forget_channel, "never-used"),
    ],
    ids=["feed", "rule", "channel", "unknown-feed", "unknown-rule", "unknown-channel"],
)
def test_forgetting_drops_the_series_there_are_and_minds_no_others(
    record: Callable[[Metrics], None], forget: Callable[[Metrics, str], None], name: str
) -> None:
    """Older prometheus_client releases that pyproject allows (0.21.1) raise KeyError on
    removing a series never made: a reload taking out a feed that never failed failed."""
    metrics = Metrics()
    record(metrics)
    forget(metrics, name)
    text = metrics.exposition(None)[0].decode()
    assert not [key for key in samples(text) if name in dict(key[1]).values()]
