"""The configuration in the rules folder, read and cross-checked as one.

``load_configuration`` reads the rules, the baseline, the feeds and the channels and raises
one ``ConfigError`` listing the problems of every file. It imports neither detection's
models nor the running service, so ``rules check`` starts quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.errors import ConfigError, Problem
from monitor.notify.channels import ChannelsFile, load_channels, rule_channel_problems
from monitor.ruleset import RuleSet, load_ruleset
from monitor.settings import Settings
from monitor.sources.feeds import FeedConfig, load_feeds


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
