"""Slack incoming webhook with a Block Kit message.

Everything taken from feeds goes into ``plain_text`` objects (no markdown, links or
mentions are parsed there) with Slack's control characters ``& < >`` escaped as well, so
``<!channel>``, ``<@U123>``, ``*bold*`` or ``<http://x|y>`` in a headline stay inert text.
Texts are cut to Block Kit's limits; the article link goes into a button only if it is an
http(s) URL.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import Field

from monitor.models import Alert
from monitor.notify.base import ChannelSettings, secret_from_env
from monitor.notify.http import new_client, post
from monitor.notify.render import headline, one_line, truncate
from monitor.notify.webhook import ENV_NAME

HEADER_LIMIT = 150
TEXT_LIMIT = 3000
CONTEXT_LIMIT = 2000
URL_LIMIT = 3000


class SlackConfig(ChannelSettings):
    type: Literal["slack"] = "slack"
    url_env: str = Field(pattern=ENV_NAME, description="variable with the incoming-webhook URL")


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
                {"type": "mrkdwn", "text": f"*Rule*\n{escape(alert.rule)}"},
            ],
        },
        {"type": "section", "text": _plain(article.title or "(untitled)", TEXT_LIMIT)},
    ]
    for evidence in alert.evidence[:2]:
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


class SlackChannel:
    def __init__(self, config: SlackConfig, source: str = "") -> None:
        self.name = config.name
        self._url = secret_from_env(config.url_env, config.name, source)
        self._client = new_client()

    async def send(self, alert: Alert) -> None:
        body = json.dumps(slack_message(alert), ensure_ascii=False).encode()
        await post(
            self._client,
            self.name,
            self._url.get_secret_value(),
            body,
            {"Content-Type": "application/json; charset=utf-8"},
        )

    async def aclose(self) -> None:
        await self._client.aclose()
