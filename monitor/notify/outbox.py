"""The outbox stage: durable, ordered, retrying, rate-limited delivery.

Each outbox row is one alert for one channel, written in the same transaction as the alert.
``Outbox.deliver_due`` sends what is due, channel by channel (channels in parallel, rows of
one channel in alert order, up to ``batch`` rows of each): a success marks the row
delivered; a retryable failure reschedules it with capped exponential backoff and jitter
(longer if the receiver sent ``Retry-After``) and holds back the channel's later rows so
they arrive in order (and only that channel's); a permanent failure, or one still
failing after ``give_up_after``, marks the row failed, visibly in the log and in the
state. A receiver refusing the channel itself (``ChannelRefused``: a revoked token, a
deleted webhook) is no fault of the alert: it is retried as a 5xx is, so the backlog waits
for the operator to fix the secret instead of failing within a second. A row survives
restarts until it is finished.

A channel set to ``updates: batch`` gets the updates of a development as one digest: an
update waits until ``batch_window`` after it was raised, then goes out together with
every other pending update of the same development. One set to ``updates: thread``
(the Slack Web API) posts updates as replies under the development's first alert.

A channel's rate limit (``max_per_minute``) counts the attempts, failed or not, recorded in
the state in the current minute of the clock, so it holds across ``run --once``
invocations (a cron job each minute sends the limit each time) and across replicas. Given
a ``holder`` (replicas sharing a PostgreSQL state), a channel is drained only by the
replica that claimed it, and its due rows are read after the claim. The claim (of
``claim_for``) is renewed before each send and, while a send lasts, every third of its
length: a send as long as its channel's deadline (an e-mail's may be minutes) never
outlives it, so no other replica sends the channel meanwhile.

A successful send is recorded in one transaction (``Store.record_delivery``): its rows
delivered, the send counted, a new thread kept; a state error leaves none of it recorded,
never some rows delivered and the others to be sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from monitor.errors import DeliveryError, StateError
from monitor.metrics import Metrics
from monitor.notify.base import Channel, ChannelRefused, ChannelSettings
from monitor.notify.render import alert_from_payload, truncate, update_digest
from monitor.poller import utc_now
from monitor.store import Store
from monitor.store_outbox import OutboxItem

if TYPE_CHECKING:
    from monitor.models import Alert

log = logging.getLogger("monitor.deliver")
_EACH = ChannelSettings(name="default")
REASON_LIMIT = 300  # characters of a failure's reason stored and logged (once redacted)
CLAIM_RENEWALS = 3  # times a channel's claim is renewed within its length while a send lasts


@dataclass(frozen=True)
class RetryPolicy:
    """When to try again, and when to stop."""

    first_delay: timedelta = timedelta(seconds=5)
    max_delay: timedelta = timedelta(minutes=10)
    give_up_after: timedelta = timedelta(hours=24)
    jitter: float = 0.2

    def next_delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> timedelta:
        """Delay before attempt ``attempts + 1``: doubling from ``first_delay``, capped, +-jitter;
        never shorter than the receiver's ``Retry-After`` (any status), within ``max_delay``."""
        base = min(self.max_delay, self.first_delay * (1 << max(0, min(attempts - 1, 30))))
        delay = base * (1 + rng.uniform(-self.jitter, self.jitter))
        if retry_after is not None:  # capped before it is a timedelta: 1e20 s would overflow
            wait = min(retry_after, self.max_delay.total_seconds())
            delay = max(delay, timedelta(seconds=wait))
        return delay


class Outbox:
    """Delivers due outbox rows through ``channels``, as ``settings`` (by name) say."""

    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        *,
        settings: Mapping[str, ChannelSettings] | None = None,
        policy: RetryPolicy = RetryPolicy(),
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
        batch: int = 200,
        metrics: Metrics | None = None,
        redact: Callable[[str], str] = str,
        holder: str | None = None,
        claim_for: timedelta = timedelta(minutes=2),
    ) -> None:
        self.store = store
        self.redact = redact
        self.channels = dict(channels)
        self.settings = dict(settings or {})
        self.policy = policy
        self.clock = clock
        self.rng = rng or random.Random()
        self.batch = batch
        self.metrics = metrics
        self.holder = holder
        self.claim_for = claim_for
        self._lock = asyncio.Lock()
        self._held: set[str] = set()

    def _count(self, channel: str, outcome: str, rows: int = 1) -> None:
        if self.metrics is not None:
            self.metrics.deliveries.labels(channel, outcome).inc(rows)

    async def _rate_limited(self, channel: str, now: datetime) -> bool:
        """Whether ``channel`` had its ``max_per_minute`` sends in this minute of the clock.

        Minutes of the clock, not the 60 s before ``now``: a cron job starting each minute
        records its sends a little after its start, so the next run, 60 s after that start,
        would find them all within its last 60 s and send nothing (every other run idle)."""
        settings = self.settings.get(channel)
        if settings is None:
            return False
        minute = now.replace(second=0, microsecond=0)
        sent = await self.store.run(self.store.sends_since, channel, minute)
        return sent >= settings.max_per_minute

    async def _claimed(self) -> list[str]:
        """The channels this outbox may drain now: all of them, or with a ``holder`` those
        with pending rows that it could claim."""
        if self.holder is None:
            return list(self.channels)
        pending = await self.store.run(self.store.pending_by_channel)
        return [name for name in pending if name in self.channels and await self._claim(name)]

    async def _claim(self, name: str) -> bool:
        """Claim ``name``, or renew the claim before a send (always True without a ``holder``)."""
        if self.holder is None:
            return True
        now = self.clock()
        store = self.store
        return await store.run(store.claim_channel, name, self.holder, now, now + self.claim_for)

    async def deliver_due(self) -> int:
        """Send everything due now; return how many outbox rows were delivered."""
        async with self._lock:  # one drain at a time keeps per-channel order
            claimed = await self._claimed()
            try:
                return await self._deliver(claimed)
            finally:
                await self._release(claimed)

    async def _release(self, claimed: list[str]) -> None:
        """Give up the claims on ``claimed``: each one, even when the state fails to let
        another go (reported by the state's observer; that claim runs out instead), and
        without hiding the exception that ended the drain."""
        if self.holder is None:
            return
        for name in claimed:
            with contextlib.suppress(StateError):
                await self.store.run(self.store.release_channel, name, self.holder)

    async def _deliver(self, claimed: list[str]) -> int:
        """Drain the due rows of the ``claimed`` channels, in parallel."""
        store, now = self.store, self.clock()
        by_channel: dict[str, list[OutboxItem]] = {}
        for name in claimed:  # a batch each: one channel's backlog must not crowd out others
            rows = await store.run(store.due, now, self.batch, [name])
            if rows:
                by_channel[name] = rows
        done = await asyncio.gather(
            *(self._drain(self.channels[name], rows) for name, rows in by_channel.items()),
            return_exceptions=True,  # every drain ends before the lock is let go
        )
        for result in done:
            if isinstance(result, BaseException):
                raise result
        await self._report_waiting()
        return sum(d for d in done if isinstance(d, int))

    async def _report_waiting(self) -> None:
        """Gauge the deliveries waiting; say when a channel's deliveries are held or resume.

        A delivery whose channel is no longer configured is held, never dropped: it resumes
        when the channel returns, or the operator drops it (``news-monitor outbox drop``).
        So is one whose channel is defined but could not be built (a missing secret).
        """
        pending = await self.store.run(self.store.pending_by_channel)
        held = {name: n for name, n in pending.items() if name not in self.channels}
        for name in sorted(held.keys() - self._held):
            log.warning(
                "deliver: channel is unavailable (a secret is missing, see `news-monitor "
                "status`); its deliveries are held until it can be built"
                if name in self.settings
                else "deliver: channel is not configured; its deliveries are held until it "
                "returns (or `news-monitor outbox drop CHANNEL`)",
                extra={"channel": name, "held": held[name]},
            )
        for name in sorted(self._held - held.keys()):
            log.info("deliver: channel is back; held deliveries resume", extra={"channel": name})
        if self.metrics is not None:
            self.metrics.outbox_depth.set(sum(pending.values()))
            for name in self._held | held.keys():
                self.metrics.outbox_held.labels(name).set(held.get(name, 0))
        self._held = set(held)

    async def _group(self, name: str, item: OutboxItem, now: datetime) -> list[OutboxItem] | None:
        """The rows to send together with ``item``; None while a batched update waits."""
        settings = self.settings.get(name)
        if settings is None or settings.updates != "batch" or item.payload["type"] != "update":
            return [item]
        release = datetime.fromisoformat(item.created) + settings.batch_window
        if now < release:
            await self.store.run(self.store.postpone, item.id, release)
            return None
        development = item.payload["development"]
        return await self.store.run(self.store.pending_updates, name, development) or [item]

    async def _drain(self, channel: Channel, items: list[OutboxItem]) -> int:
        name = channel.name
        delivered = 0
        finished: set[int] = set()
        for item in items:
            now = self.clock()
            extra = {
                "channel": name,
                "entry": item.payload["entry"]["id"],
                "rule": item.payload["rule"],
                "attempt": item.attempts + 1,
            }
            if item.id in finished:
                continue
            if await self.store.run(self.store.retry_pending_before, item):
                break
            if await self._rate_limited(name, now) or not await self._claim(name):
                break
            if self.holder is not None and not await self.store.run(
                self.store.still_due, item.id, now
            ):  # another replica took the channel while this one paused, and sent it
                continue
            group = await self._group(name, item, now)
            if group is None:
                continue
            alerts = [alert_from_payload(row.payload, row.description) for row in group]
            outcome = await self._send(
                channel, update_digest(alerts) if len(alerts) > 1 else alerts[0], group, extra
            )
            if outcome == "retry":
                break
            finished.update(row.id for row in group)
            if outcome == "delivered":
                delivered += len(group)
        return delivered

    async def _send(
        self, channel: Channel, alert: Alert, group: list[OutboxItem], extra: dict[str, object]
    ) -> str:
        """One attempt for ``group``: "delivered", "retry" or "failed"."""
        threaded = (self.settings.get(channel.name) or _EACH).updates == "thread"
        store = self.store
        thread = (
            await store.run(store.thread_of, alert.development, channel.name)
            if threaded and alert.type == "update"
            else None
        )
        started = time.monotonic()
        try:
            reference = await self._claimed_send(channel, alert, thread)
        except DeliveryError as exc:
            return await self._retry_or_fail(group, exc, extra)
        except Exception as exc:  # a bug in a channel must not stop the daemon
            log.exception("deliver: channel raised unexpectedly", extra=extra)
            unknown = DeliveryError(channel.name, type(exc).__name__, retryable=True)
            return await self._retry_or_fail(group, unknown, extra)
        finally:
            if self.metrics is not None:
                self.metrics.delivery_seconds.observe(time.monotonic() - started)
        kept = None  # a new alert's thread, for its updates to reply in
        if threaded and reference and alert.type == "alert":
            kept = (alert.development, reference)
        ids = [row.id for row in group]
        await store.run(store.record_delivery, channel.name, ids, self.clock(), kept)
        self._count(channel.name, "delivered", len(group))
        log.info("deliver: sent", extra={**extra, "rows": len(group)})
        return "delivered"

    async def _claimed_send(self, channel: Channel, alert: Alert, thread: str | None) -> str | None:
        """``channel.send``; with a ``holder``, the channel's claim is renewed meanwhile,
        so no send outlives it, however long its channel's deadline."""
        if self.holder is None:
            return await channel.send(alert, thread)
        keeper = asyncio.create_task(self._keep_claim(channel.name))
        try:
            return await channel.send(alert, thread)
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)

    async def _keep_claim(self, name: str) -> None:
        """Renew the claim on ``name`` every third of its time (until cancelled); if another
        replica has it, say so (the send in flight cannot be taken back)."""
        while True:
            await asyncio.sleep(self.claim_for.total_seconds() / CLAIM_RENEWALS)
            with contextlib.suppress(StateError):  # reported by the store; tried again
                if not await self._claim(name):
                    log.warning(
                        "deliver: the channel's claim ran out during a send; another "
                        "replica may send its next alerts",
                        extra={"channel": name},
                    )
                    return

    async def _retry_or_fail(
        self, group: list[OutboxItem], error: DeliveryError, extra: dict[str, object]
    ) -> str:
        """Reschedule ("retry") or give up on ("failed") a failed delivery of ``group``; the
        attempt counts toward the channel's rate limit as a delivery does.

        The reason is stored and logged with every configured secret redacted, and only
        then cut short: receivers echo URLs ("Cannot POST /hook/<token>")."""
        reason = truncate(self.redact(error.reason), REASON_LIMIT)
        now = self.clock()
        first = group[0]
        await self.store.run(self.store.record_send, first.channel, now)
        age = now - datetime.fromisoformat(first.created)
        if error.retryable and age < self.policy.give_up_after:
            delay = self.policy.next_delay(first.attempts + 1, error.retry_after, self.rng)
            for row in group:
                await self.store.run(self.store.mark_retry, row.id, reason, now + delay, now)
            self._count(first.channel, "retry", len(group))
            log.warning(
                "deliver: the receiver refused the channel's address or credentials (check "
                "its secret); will retry"
                if isinstance(error, ChannelRefused)
                else "deliver: failed, will retry",
                extra={**extra, "reason": reason, "retry_in_s": round(delay.total_seconds(), 1)},
            )
            return "retry"
        for row in group:
            await self.store.run(self.store.mark_failed, row.id, reason, now)
        self._count(first.channel, "failed", len(group))
        log.error(
            "deliver: gave up",
            extra={**extra, "reason": reason, "age_s": round(age.total_seconds())},
        )
        return "failed"

    async def replace_channels(
        self,
        channels: Mapping[str, Channel],
        settings: Mapping[str, ChannelSettings],
        policy: RetryPolicy,
        redact: Callable[[str], str] | None = None,
    ) -> None:
        """Adopt reloaded channels between two drains; the old ones are closed."""
        async with self._lock:
            old, self.channels = self.channels, dict(channels)
            self.settings, self.policy = dict(settings), policy
            self.redact = redact or self.redact
        for channel in old.values():
            await channel.aclose()

    async def aclose(self) -> None:
        for channel in self.channels.values():
            await channel.aclose()
