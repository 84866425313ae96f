"""Slack through the Web API: updates as thread replies under the first alert."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from monitor.errors import DeliveryError
from monitor.logs import JsonFormatter
from monitor.notify.console import ConsoleConfig
from monitor.notify.outbox import Outbox
from monitor.notify.slack import SlackChannel, SlackConfig
from monitor.store import open_store
from tests.notify.test_outbox import Clock, alerts, drain, queue
from tests.servers import Received, Receiver, serving

TOKEN = "xoxb-0000000000-TESTTOKENVALUE"


class FakeSlackApi:
    """Answers chat.postMessage like Slack: ok with a new ts, or the configured error."""

    def __init__(self, error: str | None = None) -> None:
        self.error = error
        self.count = 0

    def __call__(self, received: Received) -> bytes:
        if self.error:
            return json.dumps({"ok": False, "error": self.error}).encode()
        self.count += 1
        return json.dumps({"ok": True, "ts": f"1700000000.{self.count:06d}"}).encode()


def config(api_url: str, **extra: Any) -> SlackConfig:
    return SlackConfig.model_validate(
        {
            "name": "slack",
            "token_env": "TEST_SLACK_TOKEN",
            "channel": "C0123",
            "api_url": api_url,
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url_env": "X", "updates": "thread"}, "only Slack through the Web API"),
        ({}, "give either url_env"),
        ({"url_env": "X", "token_env": "Y", "channel": "C1"}, "give either url_env"),
        ({"token_env": "Y"}, "token_env needs channel"),
    ],
)
def test_slack_config_is_checked(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SlackConfig.model_validate({"name": "slack", **fields})


def test_threads_only_where_possible() -> None:
    with pytest.raises(ValidationError, match="thread is not possible for this channel"):
        ConsoleConfig.model_validate({"name": "c", "updates": "thread"})


def test_updates_reply_in_the_first_alerts_thread(
    tmp_path: Path,
    state_location: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("TEST_SLACK_TOKEN", TOKEN)
    first, second, third = alerts(3)
    updates = [replace(second, type="update"), replace(third, type="update")]
    with serving(Receiver(reply=FakeSlackApi())) as api:
        settings = config(api.url("/api"), updates="thread")
        clock = Clock()
        store = open_store(state_location)
        queue(store, [first], clock(), channel="slack")
        box = Outbox(
            store, {"slack": SlackChannel(settings)}, settings={"slack": settings}, clock=clock
        )
        with caplog.at_level(logging.DEBUG, logger="monitor"):
            drain(box, clock, 1, timedelta(seconds=1))
            queue(store, updates, clock(), channel="slack")
            drain(box, clock, 1, timedelta(seconds=1))
        asyncio.run(box.aclose())
    bodies = [json.loads(r.body) for r in api.accepted]
    assert [r.path for r in api.accepted] == ["/api/chat.postMessage"] * 3
    assert all(b["channel"] == "C0123" and b["blocks"] for b in bodies)
    assert "thread_ts" not in bodies[0]
    assert [b["thread_ts"] for b in bodies[1:]] == ["1700000000.000001"] * 2
    assert all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in api.accepted)
    assert store.thread_of("dev-1", "slack") == "1700000000.000001"
    logged = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert TOKEN not in logged


NOT_AN_OBJECT = "Slack API answered with something not a JSON object"


@pytest.mark.parametrize(
    ("answer", "reason", "retryable"),
    [
        (FakeSlackApi("invalid_blocks"), "Slack API error: invalid_blocks", False),
        (
            FakeSlackApi("channel_not_found"),  # the channel refused, not the alert: retried
            "Slack API error: channel_not_found (the receiver refuses the channel's address "
            "or credentials)",
            True,
        ),
        (FakeSlackApi("ratelimited"), "Slack API error: ratelimited", True),
        *(
            ((lambda received, body=body: body), NOT_AN_OBJECT, True)
            for body in (b"[]", b'"ok"', b"null", b"{not json", b"42")
        ),
    ],
)
def test_api_errors(
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[Received], bytes],
    reason: str,
    retryable: bool,
) -> None:
    monkeypatch.setenv("TEST_SLACK_TOKEN", TOKEN)
    with serving(Receiver(reply=answer)) as api:
        channel = SlackChannel(config(api.url("/api")))

        async def go() -> None:
            try:
                await channel.send(alerts(1)[0])
            finally:
                await channel.aclose()

        with pytest.raises(DeliveryError) as caught:
            asyncio.run(go())
    assert caught.value.reason == reason
    assert caught.value.retryable is retryable
