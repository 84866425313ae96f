"""``rules/channels.yaml``: which channels exist, which are the default, how long to retry.

::

    default: [newsroom]              # channels for rules that name none
    give_up_after: 24h               # stop retrying a delivery after this long
    channels:
      - name: newsroom
        type: slack                  # slack | webhook | email | console | apprise
        url_env: NEWS_MONITOR_SLACK_URL

Secrets are never written here: each is named by the environment variable that holds it.
Channel types are registered in ``CHANNEL_TYPES``, one module per type. A type's module
(its settings model and its channel) is imported when a channels file names the type, so a
start imports only the types it uses (issue 11); each entry of ``channels`` is validated by
its type's settings model, with the errors (and their locations, under the type's name) of
a union tagged by ``type``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, PydanticKnownError

from monitor.durations import Duration
from monitor.errors import ConfigError, Problem
from monitor.notify.base import Channel, ChannelSettings
from monitor.secrets import Secrets
from monitor.yamlfile import line_of, load_model, load_yaml

if TYPE_CHECKING:
    from monitor.detect.rules import Rule
    from monitor.digest import DigestSchedule
    from monitor.models import Alert
    from monitor.notify.apprise import AppriseConfig
    from monitor.notify.console import ConsoleConfig
    from monitor.notify.email import EmailConfig
    from monitor.notify.slack import SlackConfig
    from monitor.notify.webhook import WebhookConfig
    from monitor.store_history_records import AlertRecord
    from monitor.yamlcache import ParseCache

    AnyChannelConfig = SlackConfig | WebhookConfig | EmailConfig | ConsoleConfig | AppriseConfig
else:
    AnyChannelConfig = ChannelSettings


@dataclass(frozen=True)
class ChannelType:
    """Where a channel type lives: its module, and in it the settings model and the channel
    class (built from settings and secrets)."""

    module: str
    settings: str
    channel: str

    def settings_model(self) -> type[ChannelSettings]:
        model: type[ChannelSettings] = getattr(importlib.import_module(self.module), self.settings)
        return model

    def channel_class(self) -> Callable[[Any, Secrets], Channel]:
        made: Callable[[Any, Secrets], Channel] = getattr(
            importlib.import_module(self.module), self.channel
        )
        return made


CHANNEL_TYPES: dict[str, ChannelType] = {
    "slack": ChannelType("monitor.notify.slack", "SlackConfig", "SlackChannel"),
    "webhook": ChannelType("monitor.notify.webhook", "WebhookConfig", "WebhookChannel"),
    "email": ChannelType("monitor.notify.email", "EmailConfig", "EmailChannel"),
    "console": ChannelType("monitor.notify.console", "ConsoleConfig", "ConsoleChannel"),
    "apprise": ChannelType("monitor.notify.apprise", "AppriseConfig", "AppriseChannel"),
}
_NO_TYPE = object()


def _under(tag: str, exc: ValidationError) -> ValidationError:
    """The errors of ``exc`` located under ``tag``, as a tagged union locates them."""
    details: list[InitErrorDetails] = []
    for error in exc.errors():
        detail: InitErrorDetails = {
            "type": error["type"],
            "loc": (tag, *error["loc"]),
            "input": error["input"],
        }
        if "ctx" in error:
            detail["ctx"] = error["ctx"]
        try:  # one of pydantic's own error types: the same message from the same context
            ValidationError.from_exception_data("check", [detail])
        except (KeyError, TypeError, ValueError):  # a custom one: its message as it was
            detail = {  # (without a context, the message is not formatted again)
                "type": PydanticCustomError(error["type"], error["msg"]),
                "loc": detail["loc"],
                "input": error["input"],
            }
        details.append(detail)
    return ValidationError.from_exception_data(exc.title, details)


def channel_settings(value: Any) -> AnyChannelConfig:
    """One entry of ``channels``, validated by the settings model its ``type`` names (whose
    module is imported now); ``ValidationError`` as a union tagged by ``type`` raises it."""
    if isinstance(value, ChannelSettings):
        return cast("AnyChannelConfig", value)
    if isinstance(value, dict):
        tag = value.get("type", _NO_TYPE)
    else:
        tag = getattr(value, "type", _NO_TYPE)
        if tag is _NO_TYPE:
            raise PydanticKnownError("model_attributes_type")
    if tag is _NO_TYPE:
        raise PydanticKnownError("union_tag_not_found", {"discriminator": "'type'"})
    kind = CHANNEL_TYPES.get(tag) if isinstance(tag, str) else None
    if kind is None:
        expected = ", ".join(repr(name) for name in CHANNEL_TYPES)
        raise PydanticKnownError(
            "union_tag_invalid",
            {"discriminator": "'type'", "tag": str(tag), "expected_tags": expected},
        )
    try:
        return cast("AnyChannelConfig", kind.settings_model().model_validate(value))
    except ValidationError as exc:
        raise _under(tag, exc) from None


if TYPE_CHECKING:
    ChannelConfig = AnyChannelConfig
else:
    ChannelConfig = Annotated[Any, PlainValidator(channel_settings)]


def _console_only() -> list[ChannelConfig]:
    return [channel_settings({"name": "console", "type": "console"})]


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


def load_channels(
    path: Path, *, required: bool = False, cache: ParseCache | None = None
) -> ChannelsFile:
    """The channels file, or console-only defaults when it does not exist.

    ``cache``: see ``yamlfile.load_model``. With ``required`` (a reload of a daemon that
    runs on the file) a missing file is a
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
    return load_model(path, ChannelsFile, cache)


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


def router(config: ChannelsFile, off: Iterable[str] = ()) -> Callable[[Alert], list[str]]:
    """Which channels an alert goes to now: the rule's own, else the default list, leaving
    out channels that are ``off`` and channels that take only digests; updates only to
    channels that take them."""
    known = config.by_name()
    skip = set(off)

    def route(alert: Alert) -> list[str]:
        names = list(alert.channels)
        if alert.default_channels or not names:
            names = list(dict.fromkeys([*names, *config.default]))
        names = [n for n in names if n not in skip]
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
