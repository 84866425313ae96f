"""The composition root: build the running service from settings and the rules folder.

``Service.build`` validates every configuration file first (rules, baseline, feeds,
channels and the secrets they name) and reports all problems at once; then it opens the
state, restores the developments seen so far and wires fetcher, poller, outbox and daemon.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from monitor.daemon import Daemon
from monitor.detect.engine import Detector
from monitor.detect.stories import StoryBook
from monitor.errors import ConfigError, Problem
from monitor.notify.channels import (
    ChannelsFile,
    build_channels,
    load_channels,
    router,
    rule_channel_problems,
)
from monitor.notify.outbox import Outbox, RetryPolicy
from monitor.poller import Poller
from monitor.ruleset import RuleSet, load_ruleset
from monitor.settings import Settings
from monitor.sources.feeds import FeedConfig, load_feeds
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import Store, open_store


@dataclass(frozen=True)
class Configuration:
    """Everything read from the rules folder, validated together."""

    ruleset: RuleSet
    feeds: list[FeedConfig]
    channels: ChannelsFile


def load_configuration(settings: Settings) -> Configuration:
    """Read and cross-check every file under the rules folder; one error lists all problems."""
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
        channels = load_channels(settings.rules_dir / "channels.yaml")
    except ConfigError as exc:
        problems.extend(exc.problems)
    if ruleset is not None:
        problems.extend(rule_channel_problems(ruleset.rules, channels, settings.rules_dir))
    if problems or ruleset is None:
        raise ConfigError(problems)
    return Configuration(ruleset, feeds, channels)


class Service:
    """The running parts, built from settings; close with ``aclose``."""

    def __init__(
        self,
        settings: Settings,
        config: Configuration,
        store: Store,
        fetcher: Fetcher,
        outbox: Outbox,
    ) -> None:
        self.settings = settings
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.outbox = outbox
        self.book = StoryBook(
            store.developments(), window=timedelta(hours=settings.development_window_hours)
        )
        self.detector = self._detector(config)
        self.route = router(config.channels)
        self.poller = Poller(fetcher, store, lambda: self.detector, lambda a: self.route(a))
        self.daemon = Daemon(
            self.poller,
            config.feeds,
            outbox.deliver_due,
            workers=settings.max_concurrent_fetches,
            max_backoff=timedelta(seconds=settings.max_backoff_seconds),
            maintenance=self.prune,
            shutdown_grace=settings.shutdown_grace_seconds,
        )

    def _detector(self, config: Configuration) -> Detector:
        return Detector(
            config.ruleset.claims,
            config.ruleset.rules,
            self.book,
            min_novelty=self.settings.min_novelty,
        )

    @classmethod
    def build(cls, settings: Settings) -> Service:
        config = load_configuration(settings)
        channels = build_channels(config.channels, str(settings.rules_dir / "channels.yaml"))
        store = open_store(settings.database_path)
        fetcher = Fetcher(
            FetchLimits(
                max_bytes=settings.max_response_bytes,
                connect_timeout=settings.connect_timeout_seconds,
                read_timeout=settings.read_timeout_seconds,
                max_concurrent=settings.max_concurrent_fetches,
                max_per_host=settings.max_fetches_per_host,
            )
        )
        outbox = Outbox(
            store,
            channels,
            rate_limits={c.name: c.max_per_minute for c in config.channels.channels},
            policy=RetryPolicy(give_up_after=config.channels.give_up_after),
        )
        return cls(settings, config, store, fetcher, outbox)

    def prune(self) -> None:
        """Forget seen entries older than the retention setting."""
        cutoff = datetime.now(UTC) - timedelta(days=self.settings.retention_days)
        self.store.prune_entries(cutoff)

    async def aclose(self) -> None:
        await self.fetcher.aclose()
        await self.outbox.aclose()
        self.store.close()
