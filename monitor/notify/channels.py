"""``rules/channels.yaml``: which channels exist, which are the default, how long to retry.

::

    default: [newsroom]              # channels for rules that name none
    give_up_after: 24h               # stop retrying a delivery after this long
    channels:
      - name: newsroom
        type: slack                  # slack | webhook | email | console
        url_env: NEWS_MONITOR_SLACK_URL

Secrets are never written here: each is named by the environment variable that holds it.
Channel types are registered in ``CHANNEL_TYPES``, one module per type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from monitor.detect.rules import Rule
from monitor.durations import Duration
from monitor.errors import ConfigError, Problem
from monitor.models import Alert
from monitor.notify.base import Channel
from monitor.notify.console import ConsoleChannel, ConsoleConfig
from monitor.notify.email import EmailChannel, EmailConfig
from monitor.notify.slack import SlackChannel, SlackConfig
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.secrets import Secrets, read_secrets
from monitor.settings import ENV_FILE, Settings
from monitor.yamlfile import line_of, load_model, load_yaml

AnyChannelConfig = SlackConfig | WebhookConfig | EmailConfig | ConsoleConfig
ChannelConfig = Annotated[AnyChannelConfig, Field(discriminator="type")]

CHANNEL_TYPES: dict[str, Callable[[Any, Secrets], Channel]] = {
    "slack": SlackChannel,
    "webhook": WebhookChannel,
    "email": EmailChannel,
    "console": ConsoleChannel,
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

    def by_name(self) -> dict[str, AnyChannelConfig]:
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


def _channel_lines(folder: Path, rule_id: str) -> tuple[str, dict[str, int]]:
    """The file of rule ``rule_id`` in ``folder`` and the line of each channel it names."""
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            data, lines, _ = load_yaml(path)
        except ConfigError:
            continue
        if isinstance(data, dict) and data.get("id") == rule_id:
            names = data.get("channels") or []
            return str(path), {
                str(name): line_of(lines, ("channels", index)) or 0
                for index, name in enumerate(names)
            }
    return str(folder), {}


def rule_channel_problems(
    rules: Sequence[Rule], channels: ChannelsFile, rules_dir: Path
) -> list[Problem]:
    """Rules that name channels ``channels.yaml`` does not define, with file and line."""
    known = channels.by_name()
    problems = []
    for rule in rules:
        unknown = [name for name in rule.channels or () if name not in known]
        if not unknown:
            continue
        path, lines = _channel_lines(rules_dir / "watch", rule.id)
        for name in unknown:
            defined = ", ".join(sorted(known)) or "none"
            problems.append(
                Problem(
                    path,
                    lines.get(name) or None,
                    f"channels: unknown channel {name!r} (channels.yaml defines: {defined})",
                )
            )
    return problems


def secrets_for(channel: AnyChannelConfig, settings: Settings) -> Secrets:
    """The secrets ``channel`` names, read as ``monitor.secrets`` says."""
    return read_secrets(
        channel.secret_variables(),
        env_file=ENV_FILE,
        secrets_dir=settings.secrets_dir,
        source=str(settings.rules_dir / "channels.yaml"),
    )


def secret_values(config: ChannelsFile, settings: Settings) -> list[str]:
    """The values of every secret the channels name, wherever they are read from (to redact
    them from text); channels whose secrets cannot be read add none."""
    values: list[str] = []
    for channel in config.channels:
        try:
            secrets = secrets_for(channel, settings)
        except ConfigError:
            continue
        found = (secrets.get(name) for name in channel.secret_variables())
        values += [value.get_secret_value() for value in found if value is not None]
    return values


def _named(channel: str, exc: ConfigError, source: str = "") -> ConfigError:
    return ConfigError(
        [
            Problem(p.file or source, p.line, f"channel {channel}: {p.message}")
            for p in exc.problems
        ]
    )


def build_channel(channel: AnyChannelConfig, settings: Settings) -> Channel:
    """One channel with its secrets; ``ConfigError`` naming the channel if one is missing."""
    try:
        return CHANNEL_TYPES[channel.type](channel, secrets_for(channel, settings))
    except ConfigError as exc:
        raise _named(channel.name, exc, str(settings.rules_dir / "channels.yaml")) from exc


@dataclass(frozen=True)
class Availability:
    """Channels that cannot deliver, by name, with the reason: ``unavailable`` ones are a
    problem (a secret is missing or unreadable); ``off`` ones are ``optional`` channels
    none of whose secrets is set."""

    unavailable: dict[str, str] = field(default_factory=dict)
    off: dict[str, str] = field(default_factory=dict)


def availability(config: ChannelsFile, settings: Settings) -> Availability:
    """Which channels can get their secrets (nothing is built)."""
    found = Availability()
    for channel in config.channels:
        variables = channel.secret_variables()
        local = channel.local_problems()
        if local:
            found.unavailable[channel.name] = f"channel {channel.name}: {'; '.join(local)}"
            continue
        try:
            secrets = secrets_for(channel, settings)
        except ConfigError as exc:
            found.unavailable[channel.name] = _named(channel.name, exc).problems[0].message
            continue
        missing = [v for v in variables if secrets.get(v) is None]
        if not missing:
            continue
        reason = f"channel {channel.name}: {', '.join(missing)} not set"
        if channel.optional and len(missing) == len(variables):
            found.off[channel.name] = reason
        else:
            try:
                secrets.require(missing[0])
            except ConfigError as exc:
                found.unavailable[channel.name] = _named(channel.name, exc).problems[0].message
    return found


def build_channels(
    config: ChannelsFile, settings: Settings
) -> tuple[dict[str, Channel], Availability]:
    """Every channel that can be built, and which cannot (so one channel's missing secret
    never stops the others)."""
    found = availability(config, settings)
    built: dict[str, Channel] = {}
    for channel in config.channels:
        if channel.name in found.unavailable or channel.name in found.off:
            continue
        try:
            built[channel.name] = build_channel(channel, settings)
        except ConfigError as exc:
            found.unavailable[channel.name] = "; ".join(p.message for p in exc.problems)
    return built, found


def router(config: ChannelsFile, off: Iterable[str] = ()) -> Callable[[Alert], list[str]]:
    """Which channels an alert goes to: the rule's own, else the default list, leaving out
    channels that are ``off``; updates only to channels that take them."""
    known = config.by_name()
    skip = set(off)

    def route(alert: Alert) -> list[str]:
        names = list(alert.channels)
        if alert.default_channels or not names:
            names = list(dict.fromkeys([*names, *config.default]))
        names = [n for n in names if n not in skip]
        if alert.type == "update":
            names = [n for n in names if n in known and known[n].updates != "none"]
        return names

    return route
