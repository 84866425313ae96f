"""The composition root: build the running service from settings and the rules folder.

``Service.build`` validates every configuration file first (rules, baseline, feeds,
channels and the secrets they name) and reports all problems at once; then it opens the
state, restores the developments seen so far and wires fetcher, poller, outbox and daemon.
Reloading the rules while it runs is its part ``reloads.RuleReloads``.
"""

from __future__ import annotations

import functools
import gc
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from monitor.config import Configuration, load_configuration
from monitor.daemon import Daemon
from monitor.digest import queue_due_digests
from monitor.envcheck import stray_warnings
from monitor.errors import StateError
from monitor.judge_budget import CallBudget
from monitor.logs import redact_logs
from monitor.metrics import Metrics
from monitor.notify.base import Channel
from monitor.notify.build import Availability, build_channels, secret_values
from monitor.notify.channels import digest_schedules, digest_wants, router
from monitor.notify.outbox import Outbox
from monitor.poller import Poller, utc_now
from monitor.redact import SecretRedactor
from monitor.reloads import RuleReloads
from monitor.replicas import FeedLeases, SharedDecisions, replica_name
from monitor.ruleset import detector_options
from monitor.settings import Settings
from monitor.silences import queue_expiry_summaries
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.statehealth import StateHealth
from monitor.statelock import StateLock
from monitor.store import Store, open_store
from monitor.store_copy import open_store_copy
from monitor.yamlcache import ParseCache

if TYPE_CHECKING:
    from monitor.detect.engine import Detector
    from monitor.detect.stories import StoryBook
    from monitor.feedback_links import FeedbackSigner
    from monitor.models import Development
    from monitor.store_history_records import AlertRecord
    from monitor.web.site import WebServer
    from monitor.web.views import WebSources

log = logging.getLogger("monitor.rules")


def story_book(settings: Settings, developments: Iterable[Development] = ()) -> StoryBook:
    """The developments seen so far, with the time windows of ``settings``."""
    from monitor.detect.stories import StoryBook

    return StoryBook(
        developments,
        window=timedelta(hours=settings.development_window_hours),
        burst=timedelta(hours=settings.development_burst_hours),
        follow=timedelta(hours=settings.development_follow_hours),
        history=timedelta(days=settings.development_history_days),
    )


class Service(RuleReloads):
    """The running parts, built from settings; close with ``aclose``."""

    def __init__(
        self,
        settings: Settings,
        config: Configuration,
        store: Store,
        fetcher: Fetcher,
        outbox: Outbox,
        metrics: Metrics,
        holder: str | None = None,
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
        self.feedback_signer: FeedbackSigner | None = None  # checks the pages' signed feedback
        folder = None if settings.shared_state else settings.database_path.parent
        self.state = StateHealth(metrics, folder)  # PostgreSQL: no local folder to check
        store.observer = self.state
        self.lock: StateLock | None = None
        self._watch_rules()
        # Detection (numpy, the embedding model) is loaded at its first use: a `run --once`
        # over unchanged feeds never needs it. A configured model file (or calibration) is
        # read now, so a broken one still stops the start with its file named.
        self.judge_budget = CallBudget()  # kept across rule reloads
        self._detector_options = self._options()
        self._detector_now: Detector | None = None
        seen = store.decisions_seq() if holder else None  # read before the developments
        self.route = router(config.channels)
        # Replicas sharing a PostgreSQL state (``holder`` names this one) claim their feeds
        # and decide on developments one at a time.
        self.decisions = SharedDecisions(store, seen) if holder else None
        longest = timedelta(seconds=settings.poll_timeout_seconds + 30)  # fetch, parse, detect
        self.poller = Poller(
            fetcher,
            store,
            lambda: self.detector,
            lambda a: self.route(a),
            metrics=metrics,
            intake=settings.intake,
            deciding=self.decisions.deciding if self.decisions else None,
            configured=lambda: self.config.feed_names,
            rules=lambda: self.config.rule_ids,
            parse_deadline=settings.parse_timeout_seconds,
        )
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
            leases=FeedLeases(store, holder, utc_now, longest) if holder else None,
            claim_batch=settings.max_concurrent_fetches,  # claimed feeds start at once
            on_clock_step=self._deliveries_stepped,
        )

    @property
    def detector(self) -> Detector:
        """The detector of the rules in force, with the developments seen so far."""
        if self._detector_now is None:
            book = story_book(self.settings, self.store.developments())
            self._detector_now = self._new_detector(self.config, book)
        return self._detector_now

    def _options(self) -> dict[str, Any]:
        """The detector's settings, calibration and judge (``ConfigError`` if one is bad)."""
        return detector_options(
            self.settings,
            judge_outcome=lambda o: self.metrics.judge_calls.labels(o).inc(),
            judge_budget=self.judge_budget,
        )

    def _new_detector(
        self, config: Configuration, book: StoryBook, options: dict[str, Any] | None = None
    ) -> Detector:
        from monitor.detect.engine import Detector

        return Detector.of(
            config.ruleset, book, **(self._detector_options if options is None else options)
        )

    @property
    def book(self) -> StoryBook:
        """The developments seen so far (loads detection)."""
        return self.detector.book

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        dry_run: bool = False,
        serving: bool = True,
        rules_when_needed: bool = False,
    ) -> Service:
        """The service; with ``dry_run``, on an in-memory copy of the state and no channels
        (nothing is delivered and the database is not written). Without ``serving`` (a run
        that polls once and exits, showing no ``/metrics``) its metrics record nothing. With
        ``rules_when_needed`` the rules and the baseline are read (and their problems
        raised) at their first use, not now (``load_configuration``). Unless ``dry_run``, the
        feeds and channels files are read through the state folder's cache of their parsed
        data, written once the state is open (``monitor.yamlcache``)."""
        cache = None if dry_run else ParseCache(settings.config_cache_path)
        config = load_configuration(settings, rules_when_needed=rules_when_needed, cache=cache)
        channels: dict[str, Channel]
        channels, found = build_channels(config.channels, settings)
        fetcher = Fetcher(  # before the state: a bad CA bundle (ConfigError) holds no lock
            FetchLimits(
                max_bytes=settings.max_response_bytes,
                connect_timeout=settings.connect_timeout_seconds,
                read_timeout=settings.read_timeout_seconds,
                total_timeout=settings.poll_timeout_seconds,
                max_concurrent=settings.max_concurrent_fetches,
                max_per_host=settings.max_fetches_per_host,
            )
        )
        lock: StateLock | None = None
        holder = None
        if dry_run:  # no lock either: a dry run may look over a running daemon's shoulder
            channels = {}  # and it delivers nothing
            store = open_store_copy(settings.state_location)
        elif settings.shared_state:  # replicas share it: no lock, claims and leases instead
            store = open_store(settings.state_location)
            holder = replica_name()
            store.be_present(holder)
        else:
            lock = StateLock(settings.database_path)
            lock.acquire()
            try:
                store = open_store(settings.database_path)
            except StateError:
                lock.release()
                raise
        if cache is not None:  # the state folder exists by now; the lock keeps other starts out
            cache.save()
        metrics = Metrics() if serving and not dry_run else Metrics.unexposed()
        limits, policy = cls._outbox_settings(config)
        redact = SecretRedactor(secret_values(config.channels, settings))
        redact_logs(redact)
        outbox = Outbox(
            store,
            channels,
            settings=limits,
            policy=policy,
            metrics=metrics,
            redact=redact,
            holder=holder,
        )
        service = cls(settings, config, store, fetcher, outbox, metrics, holder)
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
        if self.daemon.stopping:
            problems.append("daemon: stopping, finishing the work in flight")
        elif not self.daemon.scheduler_alive:
            problems.append("scheduler: not running")
        return problems

    async def deliver(self) -> int:
        """Queue the summaries of silences that ended and the digests now due, then send
        what is due."""
        now = utc_now()
        store = self.store
        await store.run(queue_expiry_summaries, store, now)
        config = self.config

        @functools.cache
        def chosen() -> Callable[[str, AlertRecord], bool]:  # the rules only if a digest asks
            return digest_wants(config.channels, config.ruleset.rules)

        def wants(channel: str, report: AlertRecord) -> bool:
            return chosen()(channel, report)

        schedules = digest_schedules(config.channels)
        await store.run(queue_due_digests, store, schedules, wants, now)
        return await self.outbox.deliver_due()

    async def _deliveries_stepped(self, step: timedelta, now: datetime) -> None:
        """The wall clock stepped back ``step`` (reads ``now``): the outbox's retries, its
        rows' creation and the rate limit's sends come back with it, once for the replicas
        on one clock (``Store.bring_back_deliveries``)."""
        store = self.store
        try:
            rows, sends = await store.run(store.bring_back_deliveries, step, now)
        except StateError:
            return  # reported by self.state; those deliveries wait out the step
        logging.getLogger("monitor.deliver").info(
            "deliver: retries and the rate limit brought back with the clock",
            extra={"rows": rows, "sends": sends},
        )

    async def maintain(self) -> None:
        """Periodic upkeep: forget old seen entries."""
        cutoff = datetime.now(UTC) - timedelta(days=self.settings.retention_days)
        try:
            await self.store.run(self.store.prune_entries, cutoff)
        except StateError:
            return  # reported by self.state; tried again at the next upkeep

    def web_sources(self) -> WebSources:
        """What the pages read: the store, and the rules, feeds and channels in force."""
        from monitor.web.views import WebSources

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
        _ = self.detector  # the daemon loads detection before it serves
        self.daemon.prepare()
        await self.poller.measure_health()
        # What start-up built (rules, detection, its model) lives as long as the daemon: out
        # of the collector's sight, a full collection walks only newer objects. Full
        # collections over everything held the loop ~100 ms each while large feeds were read.
        gc.freeze()
        if address is not None:
            from monitor.feedback_links import feedback_signer
            from monitor.web.site import WebServer

            self.feedback_signer = feedback_signer(self.settings)

            self.health = WebServer(
                *address,
                self.readiness_problems,
                self.metrics,
                self.web_sources(),
                refresh_seconds=self.settings.web_refresh_seconds,
                token=self.settings.web_token,
                allowed_hosts=self.settings.web_hosts,
                signer=lambda: self.feedback_signer,
                clock_step=lambda: self.daemon.last_clock_step,
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
