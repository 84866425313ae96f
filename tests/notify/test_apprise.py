"""The Apprise channel through the outbox, against a real receiver on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.notify.apprise import AppriseChannel, AppriseConfig
from monitor.notify.outbox import Outbox
from monitor.notify.render import inert_mentions
from monitor.store import open_store
from tests.notify.test_channels import make_alert
from tests.notify.test_outbox import Clock, alerts, drain, queue
from tests.servers import Receiver, serving

PASSWORD, TOKEN = "s3cr3t-pass", "t0ken-in-path"


def apprise_outbox(tmp_path: Path, clock: Clock) -> Outbox:
    channel = AppriseChannel(AppriseConfig(name="chat", url_env="TEST_APPRISE_URL"))
    store = open_store(tmp_path / "state.db")
    queue(store, alerts(2), clock(), channel="chat")
    return Outbox(store, {"chat": channel}, clock=clock, rng=random.Random(1))


def test_apprise_json_url_delivers_in_order_and_retries_on_500(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with serving(Receiver(script=[500])) as receiver:
        url = f"json://ops:{PASSWORD}@127.0.0.1:{receiver.port}/hook/{TOKEN}"
        monkeypatch.setenv("TEST_APPRISE_URL", url)
        clock = Clock()
        box = apprise_outbox(tmp_path, clock)
        assert repr(box.channels["chat"]) == "AppriseChannel(name='chat')"
        drain(box, clock, 4, timedelta(minutes=1))
        rows = box.store.outbox_rows()
        record = box.store.alert_record(1)
        asyncio.run(box.aclose())
    assert [r[2:4] for r in rows] == [("delivered", 2), ("delivered", 1)]
    assert record is not None
    attempts = [(a.outcome, a.error) for a in record.deliveries[0].history]
    assert attempts[0][0] == "retry" and "error=500" in (attempts[0][1] or "")
    assert attempts[1] == ("delivered", None)
    bodies = [json.loads(r.body) for r in receiver.accepted]
    assert [b["title"] for b in bodies] == [
        "New development: UK Parliament votes on sending troops"
    ] * 2
    assert "entry-0" not in bodies[0]["message"]  # the readable text, not the JSON payload
    assert "MPs voted 401 to 60" in bodies[0]["message"]
    assert receiver.received[0].path == f"/hook/{TOKEN}"
    auth = receiver.received[0].headers["Authorization"].split()[1]
    assert base64.b64decode(auth).decode() == f"ops:{PASSWORD}"
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert "deliver: failed, will retry" in logged
    for secret in (PASSWORD, TOKEN, url):
        assert secret not in logged and secret not in str(rows)


def test_apprise_400_is_permanent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(Receiver(script=[400])) as receiver:
        monkeypatch.setenv("TEST_APPRISE_URL", f"json://127.0.0.1:{receiver.port}/{TOKEN}")
        clock = Clock()
        box = apprise_outbox(tmp_path, clock)
        drain(box, clock, 1, timedelta(minutes=1))
        rows = box.store.outbox_rows()
        asyncio.run(box.aclose())
    (state, attempts, error) = rows[0][2:]
    assert (state, attempts) == ("failed", 1) and "error=400" in (error or "")
    assert rows[1][2] == "delivered"  # the next alert went on
    assert TOKEN not in (error or "")


@pytest.mark.parametrize("url", ["bogus://user:s3cr3t@host/x", "tgram://", "not a url"])
def test_apprise_url_it_does_not_accept_is_a_clear_error_without_the_url(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_APPRISE_URL", url)
    with pytest.raises(ConfigError) as caught:
        AppriseChannel(AppriseConfig(name="chat", url_env="TEST_APPRISE_URL"))
    message = str(caught.value)
    assert message.startswith("channels.yaml: channel chat: Apprise does not accept the URL in")
    assert url not in message and "s3cr3t" not in message


HOSTILE_TITLE = "@everyone <@&123> <@!456> <@U789> <!channel> <!here> @here: markets crash"


def test_mentions_from_feeds_reach_apprise_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Apprise escapes formatting, not mentions: a headline must not ping a server."""
    alert = make_alert(
        title=HOSTILE_TITLE,
        text="Sources told @Room and x@everyone; write to desk@example.org.",
        link="https://mastodon.example/@desk/1",
    )
    alert = replace(alert, description="Markets @here")
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_APPRISE_URL", f"json://127.0.0.1:{receiver.port}/{TOKEN}")
        clock = Clock()
        store = open_store(tmp_path / "state.db")
        queue(store, [alert], clock(), channel="chat")
        channel = AppriseChannel(AppriseConfig(name="chat", url_env="TEST_APPRISE_URL"))
        box = Outbox(store, {"chat": channel}, clock=clock)
        drain(box, clock, 1, timedelta(minutes=1))
        asyncio.run(box.aclose())
    (body,) = [json.loads(r.body) for r in receiver.accepted]
    sent = body["title"] + "\n" + body["message"]
    for live in ("@everyone", "@here", "@Room", "<@&", "<@!", "<@U", "<!channel>", "<!here>"):
        assert live not in sent, (live, sent)
    assert body["title"] == "New development: Markets @\u200bhere"
    assert "@\u200beveryone <\u200b@&123> <\u200b@!456>" in body["message"]
    assert "desk@example.org" in body["message"], "an address is no mention"
    assert body["message"].endswith("\n  https://mastodon.example/@desk/1"), "the link whole"


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ("@everyone", "@\u200beveryone"),
        ("hi @Here!", "hi @\u200bHere!"),
        ("x@channel", "x@\u200bchannel"),
        ("<@123> <@&4> <!subteam^S1>", "<\u200b@123> <\u200b@&4> <\u200b!subteam^S1>"),
        ("@elon said", "@\u200belon said"),
        ("@**all**", "@\u200b**all**"),
        ("desk@example.org https://m.example/@desk", "desk@example.org https://m.example/@desk"),
        ("no mention", "no mention"),
    ],
)
def test_inert_mentions(text: str, inert: str) -> None:
    assert inert_mentions(text) == inert
