"""Durations in configuration files: ``90``, ``"90s"``, ``"5m"``, ``"1h30m"``, ``"2d"``.

``Duration`` is a pydantic-ready type that validates such a value into a ``timedelta``,
with an error that shows the accepted forms. A duration is positive and at most 365 days
(so ``inf`` or ``1e12`` can never overflow a timer).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)")  # "ms" before "m"
_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
MAX_SECONDS = 365 * 86400.0


def parse_duration(value: Any) -> timedelta:
    """Seconds as a number, or a string of number+unit parts (d, h, m, s, ms)."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 300, '90s', '5m' or '1h'")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and value.strip():
        text = value.strip().lower().replace(" ", "")
        if re.fullmatch(r"\d+(\.\d+)?", text):
            seconds = float(text)
        else:
            parts = _PART.findall(text)
            if not parts or "".join(n + u for n, u in parts) != text:
                raise ValueError(f"{value!r} is not a duration; use e.g. 300, '90s', '5m', '1h'")
            seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    else:
        raise ValueError("expected a duration such as 300, '90s', '5m' or '1h'")
    if not seconds > 0:
        raise ValueError("a duration must be positive")
    if seconds > MAX_SECONDS:
        raise ValueError(f"{value!r} is too long; a duration is at most 365 days")
    duration = timedelta(seconds=seconds)
    if not duration:
        raise ValueError(f"{value!r} is shorter than a microsecond")
    return duration


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(lambda d: d.total_seconds(), return_type=float),
]
