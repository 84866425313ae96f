"""The one interface every channel implements, and the secret-reading helper they share.

A channel makes exactly one delivery attempt per ``send``: it returns on success and
raises ``DeliveryError(retryable=..., retry_after=...)`` otherwise. Retries, backoff,
ordering and rate limits belong to the outbox, never to a channel.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from monitor.durations import Duration
from monitor.errors import ConfigError, Problem
from monitor.models import Alert


class ChannelSettings(BaseModel):
    """Settings every channel has, besides its ``type`` and its own fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    updates: Literal["each", "batch", "none"] = Field(
        "each",
        description="updates of a development: each one, batched into one digest per "
        "batch_window, or none (first alerts only)",
    )
    batch_window: Duration = Field(timedelta(minutes=15), description="for updates: batch")
    max_per_minute: int = Field(30, ge=1, le=10000, description="rate limit against floods")


class Channel(Protocol):
    """Something that can take one alert."""

    name: str

    async def send(self, alert: Alert) -> None:
        """Deliver ``alert`` once; raise ``DeliveryError`` on failure."""

    async def aclose(self) -> None:
        """Release connections."""


def secret_from_env(variable: str, channel: str, source: str) -> SecretStr:
    """The value of environment variable ``variable`` as a secret; a clear error if unset."""
    value = os.environ.get(variable)
    if not value:
        raise ConfigError(
            [
                Problem(
                    source,
                    None,
                    f"channel {channel}: environment variable "
                    f"{variable} is not set (it holds a secret)",
                )
            ]
        )
    return SecretStr(value)
