"""The Apprise channel: one Apprise URL (``json://``, ``tgram://``, ``ntfy://``, ...) reaches
any service Apprise supports, through the same outbox, retries and rate limit as the rest.

The URL is a secret (it carries tokens and keys): it is read from the environment
variable ``url_env`` names and never reaches logs, errors or ``repr``. Apprise answers a
send with success or failure and logs the cause; that log line is captured (Apprise's
logger prints nothing itself) and becomes the ``DeliveryError``: an HTTP status 401, 403,
404 or 410 refuses the channel (``ChannelRefused``, retried), another 4xx (other than 408
and 429) is permanent, anything else is retried. Each send keeps what Apprise logs while
it runs apart from every other's (a context variable), so sends need no common lock.

Apprise's HTTP timeouts bound each read, not a send: a service answering a byte at a time
would hold it for as long as it likes. So a send runs in a thread of its own and has a
deadline (``deadline_seconds``); past it the send fails, to be retried, and the outbox
goes on. Apprise cannot be interrupted: the thread is left to finish alone (a daemon
thread, which neither holds other channels nor the process's exit), and the channel
sends nothing else until it has (``AppriseBusy``, retried), so one channel never has two
sends in flight. A send abandoned this way may still reach the service in the end; its
retry then sends the alert again.

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
from concurrent.futures import Future
from contextvars import ContextVar
from dataclasses import replace
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from pydantic import Field

from monitor.errors import ConfigError, DeliveryError, Problem
from monitor.models import Alert
from monitor.notify.base import (
    DEADLINE_SECONDS,
    MAX_DEADLINE_SECONDS,
    REFUSING_STATUSES,
    ChannelRefused,
    ChannelSettings,
    channel_secrets,
)
from monitor.notify.render import alert_text, headline, inert_mentions, one_line
from monitor.notify.slack import safe_link
from monitor.notify.webhook import ENV_NAME
from monitor.redact import host_secrets
from monitor.secrets import Secrets

_STATUS = re.compile(r"error=(\d{3})\b")
_SAID: ContextVar[list[str] | None] = ContextVar("apprise_said", default=None)
_RUNNING: dict[str, Future[str | None]] = {}  # by channel name: its send in flight


class _Captured(logging.Handler):
    """Keeps Apprise's warnings and errors in the list of the send that logged them (the
    thread's context; Apprise 2 copies it into its own workers); others are dropped."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        lines = _SAID.get()
        if lines is not None:
            lines.append(record.getMessage())


_CAPTURED = _Captured()
_LOGGER = logging.getLogger("apprise")
_LOGGER.handlers[:] = [_CAPTURED]
_LOGGER.setLevel(logging.WARNING)  # its debug lines show URLs
_LOGGER.propagate = False
logging.getLogger("urllib3").setLevel(logging.WARNING)  # Apprise's HTTP: debug lines show paths


class AppriseBusy(DeliveryError):
    """The channel's previous send, abandoned at its deadline, still runs: retried later."""

    def __init__(self, channel: str) -> None:
        reason = "its previous send, abandoned at its deadline, still runs (the service is slow)"
        super().__init__(channel, reason, retryable=True)


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
    deadline_seconds: float = Field(
        DEADLINE_SECONDS,
        gt=0,
        le=MAX_DEADLINE_SECONDS,
        description="longest one send may take in all (Apprise's timeouts bound each read)",
    )


def _asset(apprise: Any) -> Any:
    """Apprise's settings: Apprise 2 sends in a pool of its own, past its own timeout too,
    whose threads the process waits for at exit; without that timeout it sends in the
    calling thread, as Apprise 1 does (the deadline is ``AppriseChannel``'s)."""
    try:
        return apprise.AppriseAsset(service_timeout=0)
    except (AttributeError, TypeError):  # Apprise 1: no such setting
        return apprise.AppriseAsset()


class AppriseChannel:
    def __init__(self, config: AppriseConfig, secrets: Secrets | None = None) -> None:
        self.name = config.name
        self.deadline = config.deadline_seconds
        self._url = channel_secrets(config, secrets).require(config.url_env)
        import apprise  # a fifth of a second to import: only where an Apprise channel is built

        self._apprise = apprise.Apprise(asset=_asset(apprise))
        self._text = apprise.NotifyFormat.TEXT
        accepted = self._apprise.add(self._url.get_secret_value())  # its complaint: dropped
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
        said: list[str] = []
        _SAID.set(said)  # this thread's own context: it runs this send only
        if self._apprise.notify(body=body, title=title, body_format=self._text):
            return None
        text = " ".join(said)
        for part in _secret_parts(self._url.get_secret_value()):
            text = text.replace(part, "<redacted>")
        return one_line(text)[:300] or "Apprise reported a failure"

    def _run(self, title: str, body: str, result: Future[str | None]) -> None:
        """``_notify`` with its outcome put in ``result`` (the body of the send's thread)."""
        try:
            result.set_result(self._notify(title, body))
        except BaseException as exc:  # passed on to the waiting send, if it still waits
            result.set_exception(exc)

    async def _within_deadline(self, title: str, body: str) -> str | None:
        """``_notify`` in a daemon thread, waited for until the deadline; past it a
        ``DeliveryError`` to retry, and the thread left to finish alone (``AppriseBusy``
        until it has)."""
        previous = _RUNNING.get(self.name)
        if previous is not None and not previous.done():
            raise AppriseBusy(self.name)
        result: Future[str | None] = Future()
        result.set_running_or_notify_cancel()  # never cancelled: the thread sets it
        _RUNNING[self.name] = result
        args = (title, body, result)
        threading.Thread(target=self._run, args=args, name="apprise-send", daemon=True).start()
        try:
            async with asyncio.timeout(self.deadline) as scope:
                return await asyncio.wrap_future(result)
        except TimeoutError as exc:
            if not scope.expired():
                raise  # raised by the send itself
            raise DeliveryError(
                self.name,
                f"Apprise send not finished within its deadline of {self.deadline:g} s "
                "(deadline_seconds; the service answers too slowly)",
                retryable=True,
            ) from exc

    async def send(self, alert: Alert, thread: str | None = None) -> str | None:
        title = inert_mentions(headline(alert))
        failure = await self._within_deadline(title, chat_text(alert))
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
