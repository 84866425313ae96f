"""``rules/channels.yaml``: which channels exist, which are the default, how long to retry.

::

    default: [newsroom]              # channels for rules that name none
    give_up_after: 24h               # stop retrying a delivery after this long
    channels:
      - name: newsroom
        type: slack                  # slack | webhook | email | console | apprise
        url_env: NEWS_MONITOR_SLACK_URL

Secrets are never written here: each is named by the environment variable that holds it.
Channel types are registered in ``CHANNEL_TYPES``, one module per type.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from monitor.detect.rules import Rule
from monitor.digest import DigestSchedule
from monitor.durations import Duration
from monitor.errors import ConfigError, Problem
from monitor.models import Alert
from monitor.notify.apprise import AppriseChannel, AppriseConfig
from monitor.notify.base import Channel, ChannelSettings
from monitor.notify.console import ConsoleChannel, ConsoleConfig
from monitor.notify.email import EmailChannel, EmailConfig
from monitor.notify.slack import SlackChannel, SlackConfig
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.store_history import AlertRecord
from monitor.yamlfile import load_model

ChannelConfig = Annotated[
    SlackConfig | WebhookConfig | EmailConfig | ConsoleConfig | AppriseConfig,
    Field(discriminator="type"),
]

CHANNEL_TYPES: dict[str, Callable[[Any, str], Channel]] = {
    "slack": SlackChannel,
    "webhook": WebhookChannel,
    "email": EmailChannel,
    "console": ConsoleChannel,
    "apprise": AppriseChannel,
}


def _console_only() -> list[ChannelConfig]:
    return [ConsoleConfig.model_validate({"name": "console"})]


class ChannelsFile(BaseModel):
    """The schema of ``channels.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: list[str] = Field(default_factory=lambda: ["console"])
    give_up_after: Duration = timedelta(hours=24)
    channels: list[ChannelConfig] = Field(default_factory=lambda: _console_only())

    @model_validator(mode="after")
    def _names(self) -> ChannelsFile:
        names = [c.name for c in self.channels]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"channel names used twice: {', '.join(twice)}")
        unknown = [n for n in self.default if n not in names]
        if unknown:
            raise ValueError(f"default names unknown channels: {', '.join(unknown)}")
        return self

    def by_name(self) -> dict[str, ChannelSettings]:
        return {c.name: c for c in self.channels}


def load_channels(path: Path, *, required: bool = False) -> ChannelsFile:
    """The channels file, or console-only defaults when it does not exist.

    With ``required`` (a reload of a daemon that runs on the file) a missing file is a
    problem, not a silent switch to the console: deliveries to the channels it named must
    not lose their channel because the file was moved for a moment.
    """
    if not path.exists():
        if required:
            raise ConfigError(
                [
                    Problem(
                        str(path),
                        None,
                        "the file is missing; the channels in force stay in force until it is back",
                    )
                ]
            )
        return ChannelsFile()
    return load_model(path, ChannelsFile)


def rule_channel_problems(
    rules: Sequence[Rule], channels: ChannelsFile, rules_dir: Path
) -> list[Problem]:
    """Rules that name channels ``channels.yaml`` does not define."""
    known = channels.by_name()
    return [
        Problem(
            str(rules_dir / "watch"),
            None,
            f"rule {rule.id}: unknown channel {name!r}; define it in channels.yaml",
        )
        for rule in rules
        for name in rule.channels or ()
        if name not in known
    ]


def _secret_variables(config: ChannelsFile) -> list[tuple[str, str]]:
    """(channel, environment variable) of every secret the channels name."""
    return [
        (channel.name, variable)
        for channel in config.channels
        for field, variable in channel.model_dump().items()
        if field.endswith("_env") and variable
    ]


def missing_secrets(config: ChannelsFile) -> list[str]:
    """``channel NAME: VARIABLE is not set`` for every secret variable missing from the
    environment (without building any channel)."""
    return [
        f"channel {name}: environment variable {variable} is not set"
        for name, variable in _secret_variables(config)
        if not os.environ.get(variable)
    ]


def secret_values(config: ChannelsFile) -> list[str]:
    """The values of every secret the channels name (to redact them from text)."""
    return [
        value for _, variable in _secret_variables(config) if (value := os.environ.get(variable))
    ]


def build_channels(config: ChannelsFile, source: str) -> dict[str, Channel]:
    """Instantiate every channel (reading its secrets); one error lists all that fail."""
    built: dict[str, Channel] = {}
    problems: list[Problem] = []
    for channel in config.channels:
        try:
            built[channel.name] = CHANNEL_TYPES[channel.type](channel, source)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return built


def router(config: ChannelsFile) -> Callable[[Alert], list[str]]:
    """Which channels an alert goes to now: the rule's own, else the default list, but no
    channel that takes only digests; updates only to channels that take them."""
    known = config.by_name()

    def route(alert: Alert) -> list[str]:
        names = list(alert.channels)
        if alert.default_channels or not names:
            names = list(dict.fromkeys([*names, *config.default]))
        names = [n for n in names if n not in known or not known[n].digest_only]
        if alert.type == "update":
            names = [n for n in names if n in known and known[n].updates != "none"]
        return names

    return route


def digest_schedules(config: ChannelsFile) -> dict[str, DigestSchedule]:
    """The digest schedule of each channel that has one."""
    return {c.name: s for c in config.channels if (s := c.digest_schedule()) is not None}


def digest_wants(config: ChannelsFile, rules: Sequence[Rule]) -> Callable[[str, AlertRecord], bool]:
    """Whether a recorded report belongs in a channel's digest: it stands for a configured
    rule whose channels (the rule's own, else the default) include that channel."""
    own = {rule.id: list(rule.channels or ()) for rule in rules}

    def wants(channel: str, report: AlertRecord) -> bool:
        rules = report.payload.get("rules") or [report.rule]
        return any(r in own and channel in (own[r] or config.default) for r in rules)

    return wants
