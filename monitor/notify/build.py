"""Building the channels of ``channels.yaml`` with their secrets, and telling which cannot.

``availability`` looks without building anything (for ``rules check`` and ``status``):
a channel is *unavailable* when a secret it needs is missing or unreadable, or a file it
needs (``ca_file``) cannot be used; an ``optional`` channel none of whose secrets is set is
*off*. ``build_channels`` builds the rest, so one channel's problem never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.errors import ConfigError, Problem
from monitor.notify.base import Channel
from monitor.notify.channels import CHANNEL_TYPES, AnyChannelConfig, ChannelsFile
from monitor.secrets import Secrets, read_secrets
from monitor.settings import ENV_FILE, SERVICE_SECRETS, Settings


def secrets_for(channel: AnyChannelConfig, settings: Settings) -> Secrets:
    """The secrets ``channel`` names, read as ``monitor.secrets`` says."""
    return read_secrets(
        channel.secret_variables(),
        env_file=ENV_FILE,
        secrets_dir=settings.secrets_dir,
        source=str(settings.rules_dir / "channels.yaml"),
    )


def secret_values(config: ChannelsFile, settings: Settings) -> list[str]:
    """The values of every secret the channels name and of the service's own (the judge's
    key, the feedback key), wherever they are read from (to redact them from text); secrets
    that cannot be read add none."""
    values: list[str] = []
    for name in SERVICE_SECRETS:
        try:
            value = settings.secret(name)
        except ConfigError:
            continue
        if value is not None:
            values.append(value.get_secret_value())
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
        [Problem(p.file or source, p.line, f"channel {channel}: {p.message}") for p in exc.problems]
    )


def build_channel(channel: AnyChannelConfig, settings: Settings) -> Channel:
    """One channel with its secrets; ``ConfigError`` naming the channel if one is missing."""
    try:
        built = CHANNEL_TYPES[channel.type].channel_class()(channel, secrets_for(channel, settings))
        if channel.type == "email":  # signed right/wrong links, when configured
            from monitor.feedback_links import feedback_links
            from monitor.notify.email import EmailChannel

            if isinstance(built, EmailChannel):
                built.links = feedback_links(settings)
        return built
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
            found.unavailable[channel.name] = f"channel {channel.name}: " + secrets.missing(
                missing[0]
            )
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
