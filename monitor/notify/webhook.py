"""Generic webhook: the alert as JSON, signed, with an idempotency key.

Headers: ``X-News-Monitor-Timestamp`` (Unix seconds), ``X-News-Monitor-Signature``
(``sha256=`` + hex HMAC-SHA256 over ``"<timestamp>.<body>"`` with the shared secret) and
``Idempotency-Key`` (the same on every retry of one alert: its key, percent-encoded where
it is not printable ASCII, as a feed's guid may be). Receivers should reject a signature
that does not verify or a timestamp older than a few minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import string
import time
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, urlsplit

from pydantic import Field, SecretStr

from monitor.errors import ConfigError, Problem
from monitor.models import Alert
from monitor.notify.base import (
    DEADLINE_SECONDS,
    MAX_DEADLINE_SECONDS,
    ChannelSettings,
    channel_secrets,
)
from monitor.notify.render import described_payload
from monitor.secrets import Secrets

if TYPE_CHECKING:
    import httpx

ENV_NAME = r"^[A-Z_][A-Z0-9_]*$"
_KEPT = string.punctuation.replace("%", "")  # with letters and digits: printable ASCII


class WebhookConfig(ChannelSettings):
    type: Literal["webhook"] = "webhook"
    url_env: str = Field(pattern=ENV_NAME, description="environment variable with the URL")
    secret_env: str | None = Field(None, pattern=ENV_NAME, description="HMAC key variable")
    deadline_seconds: float = Field(
        DEADLINE_SECONDS,
        gt=0,
        le=MAX_DEADLINE_SECONDS,
        description="longest one send may take in all, the whole answer read",
    )


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` over ``timestamp.body``: what a receiver recomputes to verify."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def idempotency_header(key: str) -> str:
    """``key`` as a header value: printable ASCII kept as it is (but ``%`` and spaces),
    the rest (a guid's ``ï``, a line break) percent-encoded as UTF-8: the same for the
    same alert, different for different ones."""
    return quote(key, safe=_KEPT)


def posting_url(secrets: Secrets, variable: str) -> SecretStr:
    """The URL in ``variable``; ``ConfigError`` (naming the variable, not the secret value)
    unless it is an http(s) URL with a host: otherwise every alert would be retried for a
    day and then fail, where an unavailable channel holds its alerts until it is fixed."""
    url = secrets.require(variable)
    try:
        parts = urlsplit(url.get_secret_value())
        # reading the port checks it: ValueError beyond 65535 or when it is no number
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        usable = False
    if not usable or not url.get_secret_value().isprintable():
        raise ConfigError(
            [Problem("", None, f"{variable} does not hold an http(s) URL (its value is secret)")]
        )
    return url


def new_http_client() -> httpx.AsyncClient:
    """The HTTP client of an HTTP channel; ``notify.http`` (and with it the fetching
    module) is imported only where such a channel is built, not to read its settings."""
    from monitor.notify.http import new_client

    return new_client()


class WebhookChannel:
    def __init__(self, config: WebhookConfig, secrets: Secrets | None = None) -> None:
        self.name = config.name
        found = channel_secrets(config, secrets)
        self._url = posting_url(found, config.url_env)
        self._secret = found.require(config.secret_env) if config.secret_env else None
        self._deadline = config.deadline_seconds
        self._client = new_http_client()

    async def send(self, alert: Alert, thread: str | None = None) -> str | None:
        from monitor.notify.http import post

        body = json.dumps(described_payload(alert), ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_header(alert.idempotency_key),
            "X-News-Monitor-Timestamp": timestamp,
        }
        if self._secret is not None:
            headers["X-News-Monitor-Signature"] = signature(
                self._secret.get_secret_value(), timestamp, body
            )
        url = self._url.get_secret_value()
        await post(self._client, self.name, url, body, headers, deadline=self._deadline)
        return None

    async def aclose(self) -> None:
        await self._client.aclose()
