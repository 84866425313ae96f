"""The console channel: prints alerts to standard output (for demos, cron and containers).

``format: text`` prints the readable lines of ``alert_text``; ``json`` prints one JSON
object per line (the webhook body), which log collectors can parse; ``auto`` (the
default) is text on a terminal and JSON otherwise, so a container's stdout stays
machine-readable. Text shows control characters from feeds as ``\\xNN`` (no escape
sequence reaches the terminal).
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Literal, TextIO

from pydantic import Field

from monitor.notify.base import ChannelSettings
from monitor.notify.render import alert_text, described_payload, printable
from monitor.secrets import Secrets

if TYPE_CHECKING:
    from monitor.models import Alert


class ConsoleConfig(ChannelSettings):
    type: Literal["console"] = "console"
    format: Literal["auto", "text", "json"] = Field(
        "auto", description="text, json (one object per line), or auto: text on a terminal"
    )


def console_line(alert: Alert, as_json: bool) -> str:
    """The alert as printed: one JSON line, or readable lines and a blank line."""
    if as_json:
        return json.dumps(described_payload(alert), ensure_ascii=False) + "\n"
    return printable(alert_text(alert)) + "\n\n"


class ConsoleChannel:
    def __init__(
        self, config: ConsoleConfig, secrets: Secrets | None = None, stream: TextIO | None = None
    ) -> None:
        self.name = config.name
        self.format = config.format
        self._stream = stream

    async def send(self, alert: Alert, thread: str | None = None) -> str | None:
        stream = self._stream or sys.stdout
        as_json = self.format == "json" or (self.format == "auto" and not stream.isatty())
        stream.write(console_line(alert, as_json))
        stream.flush()
        return None

    async def aclose(self) -> None:
        return None
