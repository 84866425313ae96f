"""The console channel: prints alerts to standard output (for demos, cron and debugging)."""

from __future__ import annotations

import sys
from typing import Literal, TextIO

from monitor.models import Alert
from monitor.notify.base import ChannelSettings
from monitor.notify.render import alert_text
from monitor.secrets import Secrets


class ConsoleConfig(ChannelSettings):
    type: Literal["console"] = "console"


class ConsoleChannel:
    def __init__(
        self, config: ConsoleConfig, secrets: Secrets | None = None, stream: TextIO | None = None
    ) -> None:
        self.name = config.name
        self._stream = stream

    async def send(self, alert: Alert, thread: str | None = None) -> str | None:
        stream = self._stream or sys.stdout
        stream.write(alert_text(alert) + "\n\n")
        stream.flush()
        return None

    async def aclose(self) -> None:
        return None
