"""The Apprise channel: one Apprise URL (``json://``, ``tgram://``, ``ntfy://``, ...) reaches
any service Apprise supports, through the same outbox, retries and rate limit as the rest.

The URL is a secret (it carries tokens and keys): it is read from the environment
variable ``url_env`` names and never reaches logs, errors or ``repr``. Apprise answers a
send with success or failure and logs the cause; that log line is captured (Apprise's
logger prints nothing itself) and becomes the ``DeliveryError``: an HTTP status 401, 403,
404 or 410 refuses the channel (``ChannelRefused``, retried), another 4xx (other than 408
and 429) is permanent, anything else is retried. Sends through Apprise run one at a time,
in a worker thread, so each failure is told apart from the others.

Apprise escapes a service's formatting but not its mentions: ``@everyone`` or ``<@&123>``
in a headline would ping a Discord server. Every mention in the title and text is made
inert (``render.inert_mentions``), for every service; only a plain http(s) link is kept
whole, to stay a link.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from dataclasses import replace
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from pydantic import Field

from monitor.errors import ConfigError, DeliveryError, Problem
from monitor.models import Alert
from monitor.notify.base import REFUSING_STATUSES, ChannelRefused, ChannelSettings, channel_secrets
from monitor.notify.render import alert_text, headline, inert_mentions, one_line
from monitor.notify.slack import safe_link
from monitor.notify.webhook import ENV_NAME
from monitor.redact import host_secrets
from monitor.secrets import Secrets

_STATUS = re.compile(r"error=(\d{3})\b")


class _Captured(logging.Handler):
    """Keeps Apprise's warnings and errors (of the one send in progress)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


_CAPTURED = _Captured()
_LOGGER = logging.getLogger("apprise")
_LOGGER.handlers[:] = [_CAPTURED]
_LOGGER.setLevel(logging.WARNING)  # its debug lines show URLs
_LOGGER.propagate = False
logging.getLogger("urllib3").setLevel(logging.WARNING)  # Apprise's HTTP: debug lines show paths
_ONE_AT_A_TIME = threading.Lock()


def _secret_parts(url: str) -> list[str]:
    """The URL and each part of it that may be a secret, longest first."""
    parts = urlsplit(url)
    pieces = [url, parts.username, parts.password, *host_secrets(parts), *parts.path.split("/")]
    pieces += [value for _, value in parse_qsl(parts.query)]
    return sorted({p for p in pieces if p and len(p) >= 4}, key=len, reverse=True)


def chat_text(alert: Alert) -> str:
    """``alert_text`` with every mention made inert, but for a plain http(s) link (its
    last line), which must stay whole to be a link."""
    link = alert.article.link
    text = inert_mentions(alert_text(replace(alert, article=replace(alert.article, link=""))))
    return text + (f"\n  {safe_link(link) or inert_mentions(link)}" if link else "")


class AppriseConfig(ChannelSettings):
    type: Literal["apprise"] = "apprise"
    url_env: str = Field(pattern=ENV_NAME, description="environment variable with the URL")


class AppriseChannel:
    def __init__(self, config: AppriseConfig, secrets: Secrets | None = None) -> None:
        self.name = config.name
        self._url = channel_secrets(config, secrets).require(config.url_env)
        import apprise  # a fifth of a second to import: only where an Apprise channel is built

        self._apprise = apprise.Apprise()
        self._text = apprise.NotifyFormat.TEXT
        with _ONE_AT_A_TIME:
            accepted = self._apprise.add(self._url.get_secret_value())
            _CAPTURED.lines.clear()  # its complaint may quote the URL
        if not accepted:
            raise ConfigError(
                [
                    Problem(
                        "channels.yaml",
                        None,
                        f"channel {config.name}: Apprise does not accept the URL in "
                        f"{config.url_env} (unknown scheme or missing parts; the URL is "
                        "not shown as it may hold secrets)",
                    )
                ]
            )

    def __repr__(self) -> str:
        return f"AppriseChannel(name={self.name!r})"

    def _notify(self, title: str, body: str) -> str | None:
        """Send once; None on success, else what Apprise said (the URL blanked out)."""
        with _ONE_AT_A_TIME:
            _CAPTURED.lines.clear()
            delivered = bool(self._apprise.notify(body=body, title=title, body_format=self._text))
            said = " ".join(_CAPTURED.lines)
            _CAPTURED.lines.clear()
        if delivered:
            return None
        for part in _secret_parts(self._url.get_secret_value()):
            said = said.replace(part, "<redacted>")
        return one_line(said)[:300] or "Apprise reported a failure"

    async def send(self, alert: Alert, thread: str | None = None) -> str | None:
        title = inert_mentions(headline(alert))
        failure = await asyncio.to_thread(self._notify, title, chat_text(alert))
        if failure is None:
            return None
        status = _STATUS.search(failure)
        code = int(status.group(1)) if status else None
        if code in REFUSING_STATUSES:
            raise ChannelRefused(self.name, failure)
        permanent = code is not None and 400 <= code < 500 and code not in (408, 429)
        raise DeliveryError(self.name, failure, retryable=not permanent)

    async def aclose(self) -> None:
        return None
