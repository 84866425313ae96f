"""The feeds to poll: ``rules/feeds.yaml``, validated with file and line in every error.

::

    defaults:            # optional, applied to every feed
      interval: 5m
    feeds:
      - name: bbc-world
        url: https://feeds.bbci.co.uk/news/world/rss.xml
        interval: 10m    # number of seconds or 90s / 5m / 1h
        headers: {Accept-Language: en}
        enabled: true
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from monitor.durations import Duration
from monitor.yamlfile import load_model

if TYPE_CHECKING:
    from monitor.yamlcache import ParseCache

DEFAULT_INTERVAL = timedelta(minutes=5)
MIN_INTERVAL = timedelta(seconds=1)
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP token
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")  # what httpx can send: printable ASCII, tabs


def _sendable(headers: dict[str, str]) -> dict[str, str]:
    """``headers`` if every name and value can be sent in an HTTP request, else a
    ValueError naming the header (httpx refuses them at every request, or fails outside
    its own errors on a value that is not ASCII)."""
    for name, value in headers.items():
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(
                f"header {name!r} is not a valid name: use letters, digits and - (no spaces)"
            )
        if not _HEADER_VALUE.fullmatch(value):
            raise ValueError(
                f"header {name}: its value must be printable ASCII on one line"
                " (no accented letters, no line breaks)"
            )
    return headers


class FeedDefaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    interval: Duration = DEFAULT_INTERVAL
    headers: dict[str, str] = Field(default_factory=dict)

    _sendable_headers = field_validator("headers")(_sendable)


class FeedConfig(BaseModel):
    """One feed to poll."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    url: HttpUrl
    interval: Duration | None = None
    headers: dict[str, str] = Field(default_factory=dict)
    enabled: bool = True

    @model_validator(mode="before")
    @classmethod
    def _no_weight(cls, data: Any) -> Any:
        if isinstance(data, dict) and "weight" in data:
            raise ValueError(
                "weight is no longer accepted: it never changed what was alerted; remove it"
            )
        return data

    _sendable_headers = field_validator("headers")(_sendable)

    @field_validator("interval")
    @classmethod
    def _not_too_often(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < MIN_INTERVAL:
            raise ValueError("interval must be at least 1 second")
        return value


class FeedsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    defaults: FeedDefaults = FeedDefaults()
    feeds: list[FeedConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> FeedsFile:
        """A name used again is an error at that name (so at its line of the file)."""
        seen: set[str] = set()
        for index, feed in enumerate(self.feeds):
            if feed.name in seen:
                error = PydanticCustomError(
                    "name_used_twice", "feed name '{name}' is used twice", {"name": feed.name}
                )
                raise ValidationError.from_exception_data(
                    "FeedsFile",
                    [{"type": error, "loc": ("feeds", index, "name"), "input": feed.name}],
                )
            seen.add(feed.name)
        return self


def effective(feed: FeedConfig, defaults: FeedDefaults) -> FeedConfig:
    """The feed with the file's defaults filled in."""
    return feed.model_copy(
        update={
            "interval": feed.interval or defaults.interval,
            "headers": {**defaults.headers, **feed.headers},
        }
    )


def load_feeds(path: Path, cache: ParseCache | None = None) -> list[FeedConfig]:
    """Enabled feeds of ``path`` with defaults applied; ``ConfigError`` names file and line.
    ``cache``: see ``yamlfile.load_model``."""
    parsed = load_model(path, FeedsFile, cache)
    return [effective(feed, parsed.defaults) for feed in parsed.feeds if feed.enabled]
