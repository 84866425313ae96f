"""The composition root: build the running service from settings and the rules folder.

``Service.build`` validates every configuration file first (rules, baseline, feeds,
channels and the secrets they name) and reports all problems at once; then it opens the
state, restores the developments seen so far and wires fetcher, poller, outbox and daemon.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.daemon import Daemon
from monitor.detect.engine import Detector
from monitor.detect.stories import StoryBook
from monitor.digest import queue_due_digests
from monitor.envcheck import stray_warnings
from monitor.errors import ConfigError, Problem, StateError
from monitor.logs import redact_logs
from monitor.metrics import Metrics
from monitor.models import Development
from monitor.notify.base import Channel, ChannelSettings
from monitor.notify.build import Availability, build_channels, secret_values
from monitor.notify.channels import (
    ChannelsFile,
    digest_schedules,
    digest_wants,
    load_channels,
    router,
    rule_channel_problems,
)
from monitor.notify.outbox import Outbox, RetryPolicy
from monitor.poller import Poller, utc_now
from monitor.redact import SecretRedactor
from monitor.ruleset import RuleSet, detector_options, load_ruleset
from monitor.settings import Settings
from monitor.silences import queue_expiry_summaries
from monitor.sources.feeds import FeedConfig, load_feeds
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.statehealth import StateHealth
from monitor.statelock import StateLock
from monitor.store import Store, open_store
from monitor.store_copy import open_store_copy
from monitor.web.site import WebServer
from monitor.web.views import WebSources

log = logging.getLogger("monitor.rules")


@dataclass(frozen=True)
class Configuration:
    """Everything read from the rules folder, validated together."""

    ruleset: RuleSet
    feeds: list[FeedConfig]
    channels: ChannelsFile


def load_configuration(settings: Settings, *, channels_required: bool = False) -> Configuration:
    """Read and cross-check every file under the rules folder; one error lists all problems.

    ``channels_required``: a missing ``channels.yaml`` is a problem (see ``load_channels``).
    """
    problems: list[Problem] = []
    ruleset, feeds, channels = None, [], ChannelsFile()
    try:
        ruleset = load_ruleset(settings.rules_dir)
    except ConfigError as exc:
        problems.extend(exc.problems)
    try:
        feeds = load_feeds(settings.rules_dir / "feeds.yaml")
    except ConfigError as exc:
        problems.extend(exc.problems)
    try:
        channels = load_channels(settings.rules_dir / "channels.yaml", required=channels_required)
    except ConfigError as exc:
        problems.extend(exc.problems)
    if ruleset is not None:
        problems.extend(rule_channel_problems(ruleset.rules, channels, settings.rules_dir))
    if problems or ruleset is None:
        raise ConfigError(problems)
    return Configuration(ruleset, feeds, channels)


def story_book(settings: Settings, developments: Iterable[Development] = ()) -> StoryBook:
    """The developments seen so far, with the time windows of ``settings``."""
    return StoryBook(
        developments,
        window=timedelta(hours=settings.development_window_hours),
        burst=timedelta(hours=settings.development_burst_hours),
    )


def rules_fingerprint(rules_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every file under ``rules_dir``."""
    found = []
    for path in sorted(rules_dir.rglob("*")):
        try:
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            continue
    return tuple(found)


class Service:
    """The running parts, built from settings; close with ``aclose``."""

    def __init__(
        self,
        settings: Settings,
        config: Configuration,
        store: Store,
        fetcher: Fetcher,
        outbox: Outbox,
        metrics: Metrics,
    ) -> None:
        self.settings = settings
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.outbox = outbox
        self.metrics = metrics
        self.reload_problems: list[str] = []
        self.channel_problems: list[str] = []
        self.health: WebServer | None = None
        self.state = StateHealth(metrics)
        store.observer = self.state
        self.lock: StateLock | None = None
        self._fingerprint = rules_fingerprint(settings.rules_dir)
        self._channels_file = self._has_channels_file()
        self.book = story_book(settings, store.developments())
        self.detector = self._detector(config)
        self.route = router(config.channels)
        self.poller = Poller(
            fetcher,
            store,
            lambda: self.detector,
            lambda a: self.route(a),
            metrics=metrics,
            intake=settings.intake,
        )
        self.poller.measure_health()
        self.daemon = Daemon(
            self.poller,
            config.feeds,
            self.deliver,
            max_backoff=timedelta(seconds=settings.max_backoff_seconds),
            delivery_interval=timedelta(seconds=settings.delivery_interval_seconds),
            maintenance=self.maintain,
            shutdown_grace=settings.shutdown_grace_seconds,
            watch=self.reload_if_changed,
            reload=self.reload,
            watch_interval=timedelta(seconds=settings.reload_check_seconds),
        )

    def _has_channels_file(self) -> bool:
        return (self.settings.rules_dir / "channels.yaml").exists()

    def _detector(self, config: Configuration) -> Detector:
        return Detector(
            config.ruleset.claims,
            config.ruleset.rules,
            self.book,
            **detector_options(self.settings),
        )

    @staticmethod
    def _outbox_settings(
        config: Configuration,
    ) -> tuple[Mapping[str, ChannelSettings], RetryPolicy]:
        return config.channels.by_name(), RetryPolicy(give_up_after=config.channels.give_up_after)

    @classmethod
    def build(cls, settings: Settings, *, dry_run: bool = False) -> Service:
        """The service; with ``dry_run``, on an in-memory copy of the state and no channels
        (nothing is delivered and the database is not written)."""
        config = load_configuration(settings)
        channels: dict[str, Channel]
        channels, found = build_channels(config.channels, settings)
        lock: StateLock | None = None
        if dry_run:  # no lock either: a dry run may look over a running daemon's shoulder
            channels = {}  # and it delivers nothing
            store = open_store_copy(settings.database_path)
        else:
            lock = StateLock(settings.database_path)
            lock.acquire()
            try:
                store = open_store(settings.database_path)
            except StateError:
                lock.release()
                raise
        fetcher = Fetcher(
            FetchLimits(
                max_bytes=settings.max_response_bytes,
                connect_timeout=settings.connect_timeout_seconds,
                read_timeout=settings.read_timeout_seconds,
                total_timeout=settings.poll_timeout_seconds,
                max_concurrent=settings.max_concurrent_fetches,
                max_per_host=settings.max_fetches_per_host,
            )
        )
        metrics = Metrics()
        limits, policy = cls._outbox_settings(config)
        redact = SecretRedactor(secret_values(config.channels, settings))
        redact_logs(redact)
        outbox = Outbox(
            store, channels, settings=limits, policy=policy, metrics=metrics, redact=redact
        )
        service = cls(settings, config, store, fetcher, outbox, metrics)
        service.lock = lock
        service.adopt_availability(found)
        for warning in stray_warnings(config.channels):
            log.warning("settings: %s", warning)
        return service

    def adopt_availability(self, found: Availability) -> None:
        """Route around channels that are off; record (and log) those that are unavailable
        (their alerts wait in the outbox) while the others deliver."""
        self.route = router(self.config.channels, found.off)
        self.channel_problems = list(found.unavailable.values())
        for name, reason in found.unavailable.items():
            log.error(
                "rules: channel unavailable; its alerts wait in the outbox",
                extra={"channel": name, "reason": reason},
            )
        for name, reason in found.off.items():
            log.info("rules: optional channel off", extra={"channel": name, "reason": reason})

    async def reload(self) -> bool:
        """Load the rules folder again; adopt it only if all of it is valid.

        On a problem the rules in force stay in force, and the problems (file:line) are
        logged, shown by ``/readyz`` and counted in ``news_monitor_rule_reloads``.
        """
        self._fingerprint = rules_fingerprint(self.settings.rules_dir)
        try:
            config = load_configuration(self.settings, channels_required=self._channels_file)
            channels, found = build_channels(config.channels, self.settings)
        except ConfigError as exc:
            self.reload_problems = [str(p) for p in exc.problems]
            self.metrics.rules_valid.set(0)
            self.metrics.reloads.labels("rejected").inc()
            log.error(
                "rules: reload rejected; the previous rules stay in force",
                extra={"problems": self.reload_problems},
            )
            return False
        previous, self.config = self.config, config
        self.detector = self._detector(config)
        limits, policy = self._outbox_settings(config)
        # Old secrets stay redacted too: errors of deliveries in flight may still carry them.
        redact = SecretRedactor(
            secret_values(previous.channels, self.settings)
            + secret_values(config.channels, self.settings)
        )
        redact_logs(redact)
        await self.outbox.replace_channels(channels, limits, policy, redact)
        self.daemon.set_feeds(config.feeds)
        self._channels_file = self._has_channels_file()
        self.adopt_availability(found)
        self.reload_problems = []
        self.metrics.rules_valid.set(1)
        self.metrics.reloads.labels("applied").inc()
        log.info(
            "rules: reloaded",
            extra={"rules": len(config.ruleset.rules), "feeds": len(config.feeds)},
        )
        return True

    async def reload_if_changed(self) -> None:
        """Reload when any file under the rules folder was added, removed or changed."""
        if rules_fingerprint(self.settings.rules_dir) != self._fingerprint:
            await self.reload()

    def readiness_problems(self) -> list[str]:
        """Why the service is not ready (empty when it is)."""
        problems = [f"rules: {p}" for p in self.reload_problems]
        problems += [f"channels: {p}" for p in self.channel_problems]
        try:
            self.store.ping()
        except StateError:
            pass  # reported to self.state
        if self.state.problem is not None:
            problems.append(f"state: {self.state.problem}")
        if not self.daemon.scheduler_alive:
            problems.append("scheduler: not running")
        return problems

    async def deliver(self) -> int:
        """Queue the summaries of silences that ended and the digests now due, then send
        what is due."""
        now = utc_now()
        queue_expiry_summaries(self.store, now)
        channels = self.config.channels
        wants = digest_wants(channels, self.config.ruleset.rules)
        queue_due_digests(self.store, digest_schedules(channels), wants, now)
        return await self.outbox.deliver_due()

    async def maintain(self) -> None:
        """Periodic upkeep: forget old seen entries."""
        cutoff = datetime.now(UTC) - timedelta(days=self.settings.retention_days)
        try:
            self.store.prune_entries(cutoff)
        except StateError:
            return  # reported by self.state; tried again at the next upkeep

    def web_sources(self) -> WebSources:
        """What the pages read: the store, and the rules, feeds and channels in force."""
        return WebSources(
            self.store,
            lambda: self.config.ruleset,
            lambda: self.config.feeds,
            lambda: self.config.channels.by_name().keys(),
            self.daemon.next_poll,
        )

    async def serve(self) -> None:
        """Run the daemon with its health endpoint until stopped."""
        address = self.settings.health_address
        if address is not None:
            self.health = WebServer(
                *address,
                self.readiness_problems,
                self.metrics,
                self.web_sources(),
                refresh_seconds=self.settings.web_refresh_seconds,
                token=self.settings.web_token,
            )
            await self.health.start()
        try:
            await self.daemon.run_forever()
        finally:
            if self.health is not None:
                await self.health.close()

    async def aclose(self) -> None:
        self.poller.close()
        await self.fetcher.aclose()
        await self.outbox.aclose()
        self.store.close()
        if self.lock is not None:
            self.lock.release()
