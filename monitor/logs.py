"""Logging: one line per event, JSON when not on a terminal, the same keys everywhere.

Messages start with the component ("poll", "deliver", "rules", ...) and identifying data
travels in ``extra`` under the shared keys (``feed``, ``rule``, ``channel``, ``entry``,
``attempt`` and the measured values), so JSON lines can be filtered by them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and every extra key."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time level message key=value ...`` for people at a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD)
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        line = f"{when} {record.levelname:<7} {record.getMessage()}"
        if extras:
            line = f"{line}  {extras}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


# Libraries whose warnings belong in the daemon's log, in its format (its other lines,
# one per job run, are noise).
WARNINGS_OF = ("apscheduler",)


def configure_logging(level: str = "INFO", fmt: str = "auto") -> None:
    """Send the ``monitor`` loggers (and the warnings of ``WARNINGS_OF``) to stderr in the
    chosen format."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if use_json else TextFormatter())
    logger = logging.getLogger("monitor")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    for name in WARNINGS_OF:
        library = logging.getLogger(name)
        library.handlers[:] = [handler]
        library.setLevel(max(logging.WARNING, logger.level))
        library.propagate = False


class _RedactingFormatter(logging.Formatter):
    """Formats with ``inner``, then removes secrets from the finished line."""

    def __init__(self, inner: logging.Formatter, redact: Callable[[str], str]) -> None:
        super().__init__()
        self.inner, self.redact = inner, redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(self.inner.format(record))


def redact_logs(redact: Callable[[str], str]) -> None:
    """Pass every line of the ``monitor`` loggers (and of ``WARNINGS_OF``, which share their
    handler) through ``redact`` (configured secrets)."""
    for handler in logging.getLogger("monitor").handlers:
        inner = handler.formatter or logging.Formatter()
        if isinstance(inner, _RedactingFormatter):
            inner = inner.inner
        handler.setFormatter(_RedactingFormatter(inner, redact))
