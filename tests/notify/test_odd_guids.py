"""Feed guids HTTP headers cannot carry (non-ASCII, line breaks) against a real receiver:
the webhook's ``Idempotency-Key`` is printable ASCII, the same at every retry, and the
alert arrives at once; a request that cannot be built fails for good, naming the channel,
instead of being retried for a day while the channel's later alerts wait."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

from monitor.errors import DeliveryError
from monitor.models import Alert
from monitor.notify.http import post
from monitor.notify.slack import SlackChannel
from monitor.store import open_store
from tests.notify.test_channels import SECRET, make_alert, verify_signature
from tests.notify.test_outbox import Clock, drain, outbox, queue
from tests.notify.test_slack_threads import FakeSlackApi, config
from tests.servers import Receiver, serving

GUIDS = [
    "https://example.org/naïve-1",
    "urn:feed:2\r\nX-Injected: yes",
    "https://example.org/ok-3",
    "tag:example.org,2027:/a b%20c",
]


def with_guids(guids: list[str]) -> list[Alert]:
    base = make_alert()
    return [replace(base, article=replace(base.article, id=guid)) for guid in guids]


def test_any_guid_is_delivered_at_once_with_a_stable_ascii_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_HOOK_SECRET", SECRET)
    with serving(Receiver(script=[503], check=verify_signature)) as receiver:  # then a retry
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        clock = Clock()
        store = open_store(tmp_path / "state.db")
        queue(store, with_guids(GUIDS), clock())
        box = outbox(store, clock)
        drain(box, clock, 3, timedelta(minutes=1))
        asyncio.run(box.aclose())
    assert [row[2:4] for row in store.outbox_rows()] == [("delivered", 2)] + [("delivered", 1)] * 3
    assert [json.loads(r.body)["entry"]["id"] for r in receiver.accepted] == GUIDS
    keys = [r.headers["Idempotency-Key"] for r in receiver.received]
    assert keys[0] == keys[1], "a retry has the same key"
    assert all(key.isascii() and key.isprintable() for key in keys)
    assert "X-Injected" not in receiver.received[2].headers
    assert [unquote(k) for k in keys[1:]] == [a.idempotency_key for a in with_guids(GUIDS)]
    assert keys[3] == "uk-parliament-vote:dev-1:https://example.org/ok-3", "plain keys unchanged"


def test_a_header_http_cannot_carry_is_a_permanent_failure_naming_the_channel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A token with a character no header may hold (pasted from a word processor)."""
    monkeypatch.setenv("TEST_SLACK_TOKEN", "xoxb-0000-tökén")
    with serving(Receiver(reply=FakeSlackApi())) as api:
        channel = SlackChannel(config(api.url("/api")))

        async def go() -> None:
            try:
                await channel.send(make_alert())
            finally:
                await channel.aclose()

        with pytest.raises(DeliveryError) as caught:
            asyncio.run(go())
    assert str(caught.value) == (
        "channel slack: request not sent: header Authorization is not printable ASCII"
    )
    assert not caught.value.retryable
    assert "tökén" not in str(caught.value)
    assert api.received == []


def test_a_request_that_cannot_be_built_is_a_permanent_failure() -> None:
    async def go() -> None:
        async with httpx.AsyncClient() as client:
            await post(client, "hook", "http://[::1/hook", b"{}", {})

    with pytest.raises(DeliveryError) as caught:
        asyncio.run(go())
    assert str(caught.value) == "channel hook: request could not be built (InvalidURL)"
    assert not caught.value.retryable
