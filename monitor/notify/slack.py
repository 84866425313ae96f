"""Slack: an incoming webhook, or the Web API (which can reply in threads), Block Kit.

Everything taken from feeds goes into ``plain_text`` objects (no markdown, links or
mentions are parsed there) with Slack's control characters ``& < >`` escaped as well, so
``<!channel>``, ``<@U123>``, ``*bold*`` or ``<http://x|y>`` in a headline stay inert text.
Texts are cut to Block Kit's limits; the article link goes into a button only if it is an
http(s) URL.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import Field, model_validator

from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify.base import (
    DEADLINE_SECONDS,
    MAX_DEADLINE_SECONDS,
    ChannelRefused,
    ChannelSettings,
    channel_secrets,
)
from monitor.notify.render import (
    corroboration,
    headline,
    judge_line,
    one_line,
    shown_evidence,
    truncate,
)
from monitor.notify.webhook import ENV_NAME, new_http_client, posting_url
from monitor.secrets import Secrets

HEADER_LIMIT = 150
TEXT_LIMIT = 3000
CONTEXT_LIMIT = 2000
URL_LIMIT = 3000


class SlackConfig(ChannelSettings):
    """An incoming webhook (``url_env``), or the Web API (``token_env`` + ``channel``), which
    can also post updates as thread replies under the first alert (``updates: thread``)."""

    type: Literal["slack"] = "slack"
    url_env: str | None = Field(None, pattern=ENV_NAME, description="incoming-webhook URL")
    token_env: str | None = Field(None, pattern=ENV_NAME, description="bot token (Web API)")
    channel: str | None = Field(None, min_length=1, description="channel ID (Web API)")
    api_url: str = Field("https://slack.com/api", pattern=r"^https?://\S+$")
    deadline_seconds: float = Field(
        DEADLINE_SECONDS,
        gt=0,
        le=MAX_DEADLINE_SECONDS,
        description="longest one send may take in all, the whole answer read",
    )

    @model_validator(mode="after")
    def _one_way_to_post(self) -> SlackConfig:
        if (self.url_env is None) == (self.token_env is None):
            raise ValueError(
                "give either url_env (incoming webhook) or token_env and channel (Web API)"
            )
        if self.token_env is not None and self.channel is None:
            raise ValueError("token_env needs channel (the Slack channel ID to post to)")
        return self

    def supports_threads(self) -> bool:
        return self.token_env is not None


def escape(text: str) -> str:
    """Slack's own escaping of its three control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str, limit: int) -> dict[str, Any]:
    # Cut before escaping would be simpler but could leave a half entity; cut after, on words.
    return {"type": "plain_text", "text": truncate(escape(one_line(text)), limit), "emoji": False}


def safe_link(url: str) -> str | None:
    """The URL if it is a plain http(s) URL fit for a button, else None."""
    url = url.strip()
    if (
        url.startswith(("https://", "http://"))
        and len(url) <= URL_LIMIT
        and not any(ch.isspace() or ch in '<>|"' for ch in url)
    ):
        return url
    return None


def slack_message(alert: Alert) -> dict[str, Any]:
    """The webhook body: fallback ``text`` and Block Kit ``blocks``."""
    article = alert.article
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(headline(alert), HEADER_LIMIT)},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Severity*\n{escape(alert.severity)}"},
                {"type": "mrkdwn", "text": f"*Rules*\n{escape(', '.join(alert.all_rules))}"},
                {"type": "mrkdwn", "text": f"*Confidence*\n{alert.confidence:.2f}"},
                {"type": "mrkdwn", "text": f"*Outlets*\n{escape(corroboration(alert))}"},
            ],
        },
        {"type": "section", "text": _plain(article.title or "(untitled)", TEXT_LIMIT)},
    ]
    if alert.judge is not None:
        blocks.append(
            {"type": "context", "elements": [_plain(judge_line(alert.judge), CONTEXT_LIMIT)]}
        )
    for evidence in shown_evidence(alert, 2):
        blocks.append(
            {"type": "section", "text": _plain(f"Evidence: {evidence.sentence}", TEXT_LIMIT)}
        )
        if evidence.nearest_claim:
            blocks.append(
                {
                    "type": "context",
                    "elements": [
                        _plain(
                            f"Differs from known claim ({evidence.similarity:.2f}): "
                            f"{evidence.nearest_claim}",
                            CONTEXT_LIMIT,
                        )
                    ],
                }
            )
    when = article.published.strftime("%Y-%m-%d %H:%M UTC") if article.published else "undated"
    blocks.append(
        {
            "type": "context",
            "elements": [
                _plain(
                    f"Source: {article.feed} | {when} | development {alert.development}",
                    CONTEXT_LIMIT,
                )
            ],
        }
    )
    link = safe_link(article.link)
    if link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Read the article"},
                        "url": link,
                    }
                ],
            }
        )
    fallback = truncate(escape(one_line(f"{headline(alert)}: {article.title}")), TEXT_LIMIT)
    return {"text": fallback, "blocks": blocks}


# Web API errors worth retrying; any other error means the request itself is wrong, but
# for those refusing the token or the channel (``ChannelRefused``, retried as well).
_RETRYABLE_API_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
_REFUSING_API_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "invalid_token",
        "no_service",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "missing_scope",
        "team_access_not_granted",
    }
)


class SlackChannel:
    def __init__(self, config: SlackConfig, secrets: Secrets | None = None) -> None:
        self.name = config.name
        self.config = config
        found = channel_secrets(config, secrets)
        if config.url_env is not None:
            self._secret = posting_url(found, config.url_env)
        else:
            self._secret = found.require(config.token_env or "")
        self._client = new_http_client()

    async def send(self, alert: Alert, thread: str | None = None) -> str | None:
        from monitor.notify.http import post

        message = slack_message(alert)
        deadline = self.config.deadline_seconds
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.config.url_env is not None:
            body = json.dumps(message, ensure_ascii=False).encode()
            url = self._secret.get_secret_value()
            await post(self._client, self.name, url, body, headers, deadline=deadline)
            return None
        message["channel"] = self.config.channel
        if thread:
            message["thread_ts"] = thread
        headers["Authorization"] = f"Bearer {self._secret.get_secret_value()}"
        body = json.dumps(message, ensure_ascii=False).encode()
        url = self.config.api_url.rstrip("/") + "/chat.postMessage"
        content = await post(
            self._client, self.name, url, body, headers, answer=True, deadline=deadline
        )
        try:
            answer = json.loads(content)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise DeliveryError(
                self.name, "Slack API answered with something not a JSON object", retryable=True
            )
        if not answer.get("ok"):
            error = str(answer.get("error") or "unknown error")[:100]
            if error in _REFUSING_API_ERRORS:
                raise ChannelRefused(self.name, f"Slack API error: {error}")
            raise DeliveryError(
                self.name, f"Slack API error: {error}", retryable=error in _RETRYABLE_API_ERRORS
            )
        ts = answer.get("ts")
        return str(ts) if ts else None

    async def aclose(self) -> None:
        await self._client.aclose()
