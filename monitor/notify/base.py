"""The one interface every channel implements, and the settings every channel has.

A channel makes exactly one delivery attempt per ``send``: it returns on success (with a
thread reference if it has one) and raises ``DeliveryError(retryable=..., retry_after=...)``
otherwise, ``ChannelRefused`` when the receiver refuses the channel itself. Retries,
backoff, ordering and rate limits belong to the outbox, never to a channel.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from monitor.digest import DigestSchedule, parse_schedule
from monitor.durations import Duration
from monitor.errors import DeliveryError
from monitor.secrets import Secrets, read_secrets

if TYPE_CHECKING:
    from monitor.models import Alert


# HTTP statuses that refuse the address or credentials, not the alert (a rotated webhook).
REFUSING_STATUSES = frozenset({401, 403, 404, 410})
# The longest one send of a webhook, Slack or Apprise channel may take in all, by default
# and at most (their ``deadline_seconds``).
DEADLINE_SECONDS = 30.0
MAX_DEADLINE_SECONDS = 600.0


class ChannelRefused(DeliveryError):
    """The receiver refused the channel itself (its address or credentials), not the alert:
    retryable, so the outbox keeps the alert (and those behind it) until its maximum age,
    and an operator who fixes the secret in that time loses nothing."""

    def __init__(self, channel: str, reason: str, retry_after: float | None = None) -> None:
        reason = f"{reason} (the receiver refuses the channel's address or credentials)"
        super().__init__(channel, reason, retryable=True, retry_after=retry_after)


class ChannelSettings(BaseModel):
    """Settings every channel has, besides its ``type`` and its own fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    updates: Literal["each", "batch", "thread", "none"] = Field(
        "each",
        description="updates of a development: each one, batched into one digest per "
        "batch_window, as replies in the first alert's thread (Slack Web API), or none",
    )
    batch_window: Duration = Field(timedelta(minutes=15), description="for updates: batch")
    max_per_minute: int = Field(30, ge=1, le=10000, description="rate limit against floods")
    digest: str | None = Field(
        None,
        description="also send a digest: 'daily at 08:00 Europe/London' or "
        "'weekly on monday at 08:00 UTC'",
    )
    digest_only: bool = Field(False, description="only the digest, no immediate alerts")
    optional: bool = Field(
        False, description="while none of its secrets is set the channel is off, not a problem"
    )

    def secret_variables(self) -> list[str]:
        """The variables this channel reads secrets from (its ``*_env`` fields that are set)."""
        return [
            value
            for field, value in self.model_dump().items()
            if field.endswith("_env") and isinstance(value, str) and value
        ]

    def local_problems(self) -> list[str]:
        """What keeps this channel from working besides secrets (a file it needs)."""
        return []

    def supports_threads(self) -> bool:
        """Whether the channel can reply in a thread (only the Slack Web API can)."""
        return False

    def digest_schedule(self) -> DigestSchedule | None:
        return parse_schedule(self.digest) if self.digest else None

    @field_validator("digest")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if value is not None:
            parse_schedule(value)
        return value

    @model_validator(mode="after")
    def _digest_only_with_a_digest(self) -> ChannelSettings:
        if self.digest_only and not self.digest:
            raise ValueError("digest_only needs a digest schedule (digest: daily at 08:00)")
        return self

    @model_validator(mode="after")
    def _threads_where_possible(self) -> ChannelSettings:
        if self.updates == "thread" and not self.supports_threads():
            raise ValueError(
                "updates: thread is not possible for this channel: only Slack "
                "through the Web API (token_env and channel) replies in threads"
            )
        return self


class Channel(Protocol):
    """Something that can take one alert."""

    name: str

    async def send(self, alert: Alert, thread: str | None = None) -> str | None:
        """Deliver ``alert`` once (as a reply in ``thread`` where the channel can); return a
        reference to reply to later, or None; raise ``DeliveryError`` on failure."""

    async def aclose(self) -> None:
        """Release connections."""


def channel_secrets(config: ChannelSettings, secrets: Secrets | None) -> Secrets:
    """``secrets``, or when None the channel's own secrets read from where
    ``monitor.secrets`` looks (the environment, ``.env``, ``*_FILE``)."""
    return secrets if secrets is not None else read_secrets(config.secret_variables())
