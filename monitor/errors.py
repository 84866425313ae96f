"""Every error news-monitor raises on purpose.

::

    NewsMonitorError
    ├── ConfigError          a YAML file or setting is wrong; names file, line and the fix
    ├── FeedError            one feed could not be used; names the feed
    │   ├── FetchError       HTTP/network trouble (``retryable`` says whether to try again)
    │   └── ParseError       the bytes are not a usable feed
    ├── DeliveryError        one channel could not take one alert (``retryable``, ``retry_after``)
    └── StateError           the state database is unusable
        ├── NoStateError     there is no state database yet (the daemon has not run here)
        └── DecisionsMoved   another replica recorded developments since this one decided

Third-party exceptions (httpx, sqlite3, yaml, pydantic) are translated at the boundary
with ``raise ... from exc``; messages never contain secrets.
"""

from __future__ import annotations

from dataclasses import dataclass


class NewsMonitorError(Exception):
    """Base of all news-monitor errors."""


@dataclass(frozen=True)
class Problem:
    """One problem in one file: where it is and what is wrong."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ConfigError(NewsMonitorError):
    """One or more problems in configuration files; ``problems`` lists each with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class FeedError(NewsMonitorError):
    """A feed could not be fetched or parsed."""

    def __init__(self, feed: str, reason: str) -> None:
        self.feed = feed
        self.reason = reason
        super().__init__(f"feed {feed}: {reason}")


class FetchError(FeedError):
    """Fetching a feed failed."""

    def __init__(
        self, feed: str, reason: str, *, retryable: bool = True, retry_after: float | None = None
    ) -> None:
        super().__init__(feed, reason)
        self.retryable = retryable
        self.retry_after = retry_after


class ParseError(FeedError):
    """The fetched bytes are not a usable feed."""

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, str]]:
        return type(self), (self.feed, self.reason)  # raised in the parsing process too


class DeliveryError(NewsMonitorError):
    """One delivery attempt to one channel failed."""

    def __init__(
        self, channel: str, reason: str, *, retryable: bool, retry_after: float | None = None
    ) -> None:
        self.channel = channel
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        super().__init__(f"channel {channel}: {reason}")


class StateError(NewsMonitorError):
    """The state database cannot be opened, read or written."""


class NoStateError(StateError):
    """A command that reads the state found none (the command line exits 1, as ``status``)."""


class DecisionsMoved(StateError):
    """A poll's developments were not recorded (nothing of its transaction was): another
    replica recorded developments after this replica's book took them in, so what this
    poll decided may repeat theirs. The poll takes theirs in and decides again."""
