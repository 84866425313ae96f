"""The outbox stage: durable, ordered, retrying, rate-limited delivery.

Each outbox row is one alert for one channel, written in the same transaction as the alert.
``Outbox.deliver_due`` sends what is due, channel by channel (channels in parallel, rows of
one channel in alert order): a success marks the row delivered; a retryable failure
reschedules it with capped exponential backoff and jitter (longer if the receiver sent
``Retry-After``) and holds back the channel's later rows so they arrive in order; a
permanent failure, or one still failing after ``give_up_after``, marks the row failed,
visibly in the log and in the state. A row survives restarts until it is finished.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.errors import DeliveryError
from monitor.metrics import Metrics
from monitor.notify.base import Channel
from monitor.notify.render import alert_from_payload
from monitor.poller import utc_now
from monitor.store import OutboxItem, Store

log = logging.getLogger("monitor.deliver")


@dataclass(frozen=True)
class RetryPolicy:
    """When to try again, and when to stop."""

    first_delay: timedelta = timedelta(seconds=5)
    max_delay: timedelta = timedelta(minutes=10)
    give_up_after: timedelta = timedelta(hours=24)
    jitter: float = 0.2

    def next_delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> timedelta:
        """Delay before attempt ``attempts + 1``: doubling from ``first_delay``, capped, +-jitter;
        never shorter than the receiver's ``Retry-After``."""
        base = min(self.max_delay, self.first_delay * (1 << max(0, min(attempts - 1, 30))))
        delay = base * (1 + rng.uniform(-self.jitter, self.jitter))
        if retry_after is not None:
            delay = max(delay, timedelta(seconds=retry_after))
        return delay


class Outbox:
    """Delivers due outbox rows through ``channels``."""

    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        *,
        rate_limits: Mapping[str, int] | None = None,
        policy: RetryPolicy = RetryPolicy(),
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
        batch: int = 200,
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self.channels = dict(channels)
        self.rate_limits = dict(rate_limits or {})
        self.policy = policy
        self.clock = clock
        self.rng = rng or random.Random()
        self.batch = batch
        self._sent: dict[str, deque[datetime]] = {}
        self._lock = asyncio.Lock()
        self.outcomes: dict[tuple[str, str], int] = {}
        self.metrics = metrics

    def _count(self, channel: str, outcome: str) -> None:
        key = (channel, outcome)
        self.outcomes[key] = self.outcomes.get(key, 0) + 1
        if self.metrics is not None:
            self.metrics.deliveries.labels(channel, outcome).inc()

    def _rate_limited(self, channel: str, now: datetime) -> bool:
        limit = self.rate_limits.get(channel)
        if limit is None:
            return False
        sent = self._sent.setdefault(channel, deque())
        while sent and now - sent[0] >= timedelta(minutes=1):
            sent.popleft()
        return len(sent) >= limit

    async def deliver_due(self) -> int:
        """Send everything due now; return how many deliveries succeeded."""
        async with self._lock:  # one drain at a time keeps per-channel order
            items = self.store.due(self.clock(), self.batch)
            by_channel: dict[str, list[OutboxItem]] = {}
            for item in items:
                by_channel.setdefault(item.channel, []).append(item)
            done = await asyncio.gather(
                *(self._drain(name, rows) for name, rows in by_channel.items())
            )
            if self.metrics is not None:
                self.metrics.outbox_depth.set(self.store.outbox_counts()["pending"])
            return sum(done)

    async def _drain(self, name: str, items: list[OutboxItem]) -> int:
        channel = self.channels.get(name)
        delivered = 0
        for item in items:
            now = self.clock()
            extra = {
                "channel": name,
                "entry": item.payload["entry"]["id"],
                "rule": item.payload["rule"],
                "attempt": item.attempts + 1,
            }
            if channel is None:
                self.store.mark_failed(item.id, "channel is not configured", now)
                self._count(name, "failed")
                log.error("deliver: channel is not configured; alert dropped for it", extra=extra)
                continue
            if self.store.pending_before(item) or self._rate_limited(name, now):
                break
            try:
                started = time.monotonic()
                try:
                    await channel.send(alert_from_payload(item.payload, item.description))
                finally:
                    if self.metrics is not None:
                        self.metrics.delivery_seconds.observe(time.monotonic() - started)
            except DeliveryError as exc:
                if not self._retry_or_fail(item, exc.reason, exc.retryable, exc.retry_after, extra):
                    continue
                break
            except Exception as exc:  # a bug in a channel must not stop the daemon
                log.exception("deliver: channel raised unexpectedly", extra=extra)
                self._retry_or_fail(item, f"{type(exc).__name__}", True, None, extra)
                break
            self.store.mark_delivered(item.id, self.clock())
            self._sent.setdefault(name, deque()).append(self.clock())
            self._count(name, "delivered")
            delivered += 1
            log.info("deliver: sent", extra=extra)
        return delivered

    def _retry_or_fail(
        self,
        item: OutboxItem,
        reason: str,
        retryable: bool,
        retry_after: float | None,
        extra: dict[str, object],
    ) -> bool:
        """Reschedule (True) or give up on (False) a failed delivery."""
        now = self.clock()
        age = now - datetime.fromisoformat(item.created)
        if retryable and age < self.policy.give_up_after:
            delay = self.policy.next_delay(item.attempts + 1, retry_after, self.rng)
            self.store.mark_retry(item.id, reason, now + delay)
            self._count(item.channel, "retry")
            log.warning(
                "deliver: failed, will retry",
                extra={**extra, "reason": reason, "retry_in_s": round(delay.total_seconds(), 1)},
            )
            return True
        self.store.mark_failed(item.id, reason, now)
        self._count(item.channel, "failed")
        log.error(
            "deliver: gave up",
            extra={**extra, "reason": reason, "age_s": round(age.total_seconds())},
        )
        return False

    async def replace_channels(
        self, channels: Mapping[str, Channel], rate_limits: Mapping[str, int], policy: RetryPolicy
    ) -> None:
        """Adopt reloaded channels between two drains; the old ones are closed."""
        async with self._lock:
            old, self.channels = self.channels, dict(channels)
            self.rate_limits, self.policy = dict(rate_limits), policy
        for channel in old.values():
            await channel.aclose()

    async def aclose(self) -> None:
        for channel in self.channels.values():
            await channel.aclose()
