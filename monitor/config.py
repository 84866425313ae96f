"""The configuration in the rules folder, read and cross-checked as one.

``load_configuration`` reads the rules, the baseline, the feeds and the channels and raises
one ``ConfigError`` listing the problems of every file. It imports neither detection's
models nor the running service, so ``rules check`` starts quickly.

With ``rules_when_needed`` (a ``run --once``), the watch rules and the baseline are read,
validated and cross-checked against the channels at their first use (an article to
examine, a digest to fill) rather than at the start: a poll where nothing changed never
needs them, and their regular expressions cost a start tens of milliseconds to compile
(issue 11). Their problems are then the same ``ConfigError``, raised by every use of
``Configuration.ruleset`` and kept in ``rules_error``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.errors import ConfigError, Problem
from monitor.notify.channels import ChannelsFile, load_channels, rule_channel_problems
from monitor.ruleset import RuleSet, load_ruleset
from monitor.settings import Settings
from monitor.sources.feeds import FeedConfig, load_feeds

if TYPE_CHECKING:
    from monitor.yamlcache import ParseCache


class Configuration:
    """Everything read from the rules folder, validated together."""

    def __init__(
        self,
        ruleset: RuleSet | None,
        feeds: list[FeedConfig],
        channels: ChannelsFile,
        rules_dir: Path | None = None,
    ) -> None:
        """``ruleset`` as read, or None to read it from ``rules_dir`` at its first use."""
        self.feeds = feeds
        self.channels = channels
        self.rules_error: ConfigError | None = None
        self._ruleset = ruleset
        self._rules_dir = rules_dir

    @property
    def ruleset(self) -> RuleSet:
        """The baseline and the watch rules (read now if they were left for their first
        use; ``ConfigError`` with file and line if they have problems)."""
        if self._ruleset is None and self.rules_error is None:
            assert self._rules_dir is not None
            try:
                self._ruleset = _checked_ruleset(self._rules_dir, self.channels)
            except ConfigError as exc:
                self.rules_error = exc
        if self.rules_error is not None:
            raise ConfigError(self.rules_error.problems)
        assert self._ruleset is not None
        return self._ruleset

    @functools.cached_property
    def feed_names(self) -> frozenset[str]:
        """The names of the feeds configured."""
        return frozenset(feed.name for feed in self.feeds)

    @functools.cached_property
    def rule_ids(self) -> frozenset[str]:
        """The ids of the rules defined (read with the ruleset, at its first use)."""
        return frozenset(rule.id for rule in self.ruleset.rules)


def _checked_ruleset(rules_dir: Path, channels: ChannelsFile) -> RuleSet:
    ruleset = load_ruleset(rules_dir)
    problems = rule_channel_problems(ruleset.rules, channels, rules_dir)
    if problems:
        raise ConfigError(problems)
    return ruleset


def load_configuration(
    settings: Settings,
    *,
    channels_required: bool = False,
    rules_when_needed: bool = False,
    cache: ParseCache | None = None,
) -> Configuration:
    """Read and cross-check every file under the rules folder; one error lists all problems.

    ``channels_required``: a missing ``channels.yaml`` is a problem (see ``load_channels``).
    ``rules_when_needed``: leave the rules and the baseline for their first use (see the
    module docstring). ``cache``: the data of a feeds or channels file parsed from the same
    text before is taken from it (``yamlfile.load_model``); ``cache.save`` is the caller's.
    """
    problems: list[Problem] = []
    ruleset, feeds, channels = None, [], ChannelsFile()
    if not rules_when_needed:
        try:
            ruleset = load_ruleset(settings.rules_dir)
        except ConfigError as exc:
            problems.extend(exc.problems)
    try:
        feeds = load_feeds(settings.rules_dir / "feeds.yaml", cache)
    except ConfigError as exc:
        problems.extend(exc.problems)
    try:
        channels = load_channels(
            settings.rules_dir / "channels.yaml", required=channels_required, cache=cache
        )
    except ConfigError as exc:
        problems.extend(exc.problems)
    if ruleset is not None:
        problems.extend(rule_channel_problems(ruleset.rules, channels, settings.rules_dir))
    if problems or (ruleset is None and not rules_when_needed):
        raise ConfigError(problems)
    return Configuration(ruleset, feeds, channels, settings.rules_dir)
