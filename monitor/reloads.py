"""Reloading the rules: the files read again, adopted whole or not at all.

``Service`` (``app.py``) inherits ``RuleReloads``. ``reload`` (SIGHUP, or the rules watch
when ``reload_if_changed`` sees a file under the rules folder or the calibration change)
reads the rules folder, the channels and the calibration again; on any problem the rules in
force stay in force and the problems (file:line) are kept for ``/readyz``; otherwise the new
detector, channels, feeds and redaction are switched to. Reloads run one at a time.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.config import Configuration, load_configuration
from monitor.errors import ConfigError
from monitor.logs import redact_logs
from monitor.notify.base import ChannelSettings
from monitor.notify.build import Availability, build_channels, secret_values
from monitor.notify.outbox import Outbox, RetryPolicy
from monitor.redact import SecretRedactor

if TYPE_CHECKING:
    from monitor.daemon import Daemon
    from monitor.detect.engine import Detector
    from monitor.detect.stories import StoryBook
    from monitor.feedback_links import FeedbackSigner
    from monitor.metrics import Metrics
    from monitor.poller import Poller
    from monitor.settings import Settings
    from monitor.web.site import WebServer

log = logging.getLogger("monitor.rules")


def rules_fingerprint(
    rules_dir: Path, also: Iterable[Path] = ()
) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every file under ``rules_dir`` (and of the
    files ``also`` names, such as the calibration file)."""
    found = []
    for path in [*sorted(rules_dir.rglob("*")), *also]:
        try:
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            continue
    return tuple(found)


class RuleReloads:
    """Reloading the rules in force; mixed into ``Service``, which provides the parts."""

    settings: Settings
    config: Configuration
    metrics: Metrics
    poller: Poller
    outbox: Outbox
    daemon: Daemon
    health: WebServer | None
    feedback_signer: FeedbackSigner | None
    reload_problems: list[str]
    _detector_now: Detector | None
    _detector_options: dict[str, Any]

    def _options(self) -> dict[str, Any]:
        """The detector's settings (implemented by ``Service``)."""
        raise NotImplementedError

    def _new_detector(
        self, config: Configuration, book: StoryBook, options: dict[str, Any] | None = None
    ) -> Detector:
        """A detector of ``config``'s rules over ``book`` (implemented by ``Service``)."""
        raise NotImplementedError

    def adopt_availability(self, found: Availability) -> None:
        """Route around the channels ``found`` off or unavailable (implemented by ``Service``)."""
        raise NotImplementedError

    def _watch_rules(self) -> None:
        """Start watching the rules as they are now, no reload asked for yet."""
        self._fingerprint = self._watched()
        self._channels_file = self._has_channels_file()
        self._reloading = asyncio.Lock()  # one reload at a time
        self._reloads_asked = 0  # reloads asked for so far
        self._reloads_read = 0  # of those, the last one a reload began after (it read the files)
        self._reloaded = True  # what that reload returned

    def _watched(self) -> tuple[tuple[str, int, int], ...]:
        """What a change of reloads the rules: the rules folder and the calibration."""
        return rules_fingerprint(self.settings.rules_dir, [self.settings.calibration_path])

    def _has_channels_file(self) -> bool:
        return (self.settings.rules_dir / "channels.yaml").exists()

    @staticmethod
    def _outbox_settings(
        config: Configuration,
    ) -> tuple[Mapping[str, ChannelSettings], RetryPolicy]:
        """What the outbox takes from ``config`` (at the start and at each reload)."""
        return config.channels.by_name(), RetryPolicy(give_up_after=config.channels.give_up_after)

    async def reload(self) -> bool:
        """Load the rules folder again; adopt it only if all of it is valid.

        On a problem the rules in force stay in force, and the problems (file:line) are
        logged, shown by ``/readyz`` and counted in ``news_monitor_rule_reloads``.
        Reloads run one at a time (SIGHUP and the rules watch may ask together): one asked
        for while another runs waits for it, then reads the files as they are by then;
        several such wait for one, whose outcome each returns. The latest files win.
        """
        self._reloads_asked += 1
        asked = self._reloads_asked
        async with self._reloading:
            if self._reloads_read >= asked:  # a reload begun since read the files for us
                return self._reloaded
            self._reloads_read = self._reloads_asked
            self._reloaded = await self._reload()
            return self._reloaded

    async def _reload(self) -> bool:
        self._fingerprint = self._watched()
        try:
            # Reading the files and building the new detector (0.2-0.65 s measured) happen
            # off the event loop, which goes on answering /healthz; the switch is made on it.
            config = await asyncio.to_thread(
                load_configuration, self.settings, channels_required=self._channels_file
            )
            channels, found = build_channels(config.channels, self.settings)
            options = self._options()  # a bad calibration file is rejected here
            signer = self._feedback_signer_now()
        except ConfigError as exc:
            return self._rejected([str(p) for p in exc.problems])
        except Exception as exc:  # a defect, not a file's fault: rejected all the same
            problem = f"{self.settings.rules_dir}: cannot load: {type(exc).__name__}: {exc}"
            return self._rejected([problem], exc)
        before = self._detector_now
        if before is not None:  # the same developments and recent reports, under the new rules
            build = functools.partial(self._new_detector, config, before.book, options)
            detector = await self.poller.beside_detection(build)
            detector.recent = before.recent  # what corroborates stays known
            self._detector_now = detector
        previous, self.config = self.config, config
        self._detector_options = options
        self.feedback_signer = signer  # the key e-mail links are now signed with
        limits, policy = self._outbox_settings(config)
        # Old secrets stay redacted too: errors of deliveries in flight may still carry them.
        redact = SecretRedactor(
            secret_values(previous.channels, self.settings)
            + secret_values(config.channels, self.settings)
        )
        redact_logs(redact)
        await self.outbox.replace_channels(channels, limits, policy, redact)
        self.daemon.set_feeds(config.feeds)
        self._forget_removed(previous, config)
        await self.poller.measure_health()  # feeds taken out no longer count
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

    def _rejected(self, problems: list[str], unexpected: Exception | None = None) -> bool:
        """Keep the rules in force and say why the new files were not adopted: logged (an
        ``unexpected`` error with its traceback), kept for ``/readyz``, counted. Returns False."""
        self.reload_problems = problems
        self.metrics.rules_valid.set(0)
        self.metrics.reloads.labels("rejected").inc()
        log.error(
            "rules: reload rejected; the previous rules stay in force",
            extra={"problems": problems},
            exc_info=unexpected,
        )
        return False

    def _forget_removed(self, previous: Configuration, config: Configuration) -> None:
        """Drop the metrics series of the feeds, rules and channels a reload took out."""
        metrics = self.metrics
        for name in previous.feed_names - config.feed_names:
            metrics.forget_feed(name)
        for rule in previous.rule_ids - config.rule_ids:
            metrics.forget_rule(rule)
        for name in previous.channels.by_name().keys() - config.channels.by_name().keys():
            metrics.forget_channel(name)

    def _feedback_signer_now(self) -> FeedbackSigner | None:
        """The signer of the feedback key as it is now, when the pages are served."""
        if self.health is None:
            return None
        from monitor.feedback_links import feedback_signer

        return feedback_signer(self.settings)

    async def reload_if_changed(self) -> None:
        """Reload when any file under the rules folder was added, removed or changed."""
        if self._watched() != self._fingerprint:
            await self.reload()
