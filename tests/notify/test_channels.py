"""Each channel against a real receiver on 127.0.0.1: payload shape, signature, email parts."""

from __future__ import annotations

import asyncio
import email
import email.policy
import hashlib
import hmac
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from monitor.errors import DeliveryError
from monitor.models import Alert, Article, Evidence
from monitor.notify.console import ConsoleChannel, ConsoleConfig
from monitor.notify.email import EmailChannel, EmailConfig
from monitor.notify.slack import SlackChannel, SlackConfig
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from tests.notify.conftest import Mailbox
from tests.servers import Received, Receiver, serving

SECRET = "s3cret-signing-key"


def make_alert(
    title: str = "Commons backs Ukraine deployment",
    text: str | None = None,
    link: str = "https://example.invalid/a/1",
    kind: str = "alert",
) -> Alert:
    sentence = text or "MPs voted 401 to 60 to approve sending British troops to Ukraine."
    article = Article(
        "entry-1", "wire", title, sentence, link, datetime(2027, 3, 3, 21, 0, tzinfo=UTC)
    )
    evidence = Evidence(sentence, 0.46, "Starmer pledged that MPs would get a vote.", 0.54)
    return Alert(
        kind,
        "uk-parliament-vote",
        "dev-1",
        "high",
        article,
        0.46,  # type: ignore[arg-type]
        (evidence,),
        description="UK Parliament votes on sending troops",
    )


def check_block_kit(received: Received) -> str | None:
    """What Slack would reject: missing text, too many blocks, over-long fields."""
    body = json.loads(received.body)
    if not body.get("text") or len(body["text"]) > 40000:
        return "text missing or too long"
    blocks = body.get("blocks") or []
    if not 0 < len(blocks) <= 50:
        return "0 or more than 50 blocks"
    for block in blocks:
        kind = block["type"]
        if kind == "header" and (
            block["text"]["type"] != "plain_text" or len(block["text"]["text"]) > 150
        ):
            return "header must be plain_text of at most 150 characters"
        if kind == "section":
            if "text" in block and len(block["text"]["text"]) > 3000:
                return "section text over 3000 characters"
            if len(block.get("fields", [])) > 10 or any(
                len(f["text"]) > 2000 for f in block.get("fields", [])
            ):
                return "too many or too long fields"
        if kind == "context" and len(block["elements"]) > 10:
            return "more than 10 context elements"
        if kind == "actions":
            for element in block["elements"]:
                if len(element.get("url", "")) > 3000:
                    return "button url too long"
    return None


def verify_signature(received: Received) -> str | None:
    timestamp = received.headers.get("X-News-Monitor-Timestamp", "")
    expected = (
        "sha256="
        + hmac.new(
            SECRET.encode(), timestamp.encode() + b"." + received.body, hashlib.sha256
        ).hexdigest()
    )
    if not hmac.compare_digest(expected, received.headers.get("X-News-Monitor-Signature", "")):
        return "bad signature"
    return None


def send(channel: Any, alert: Alert) -> None:
    async def go() -> None:
        try:
            await channel.send(alert)
        finally:
            await channel.aclose()

    asyncio.run(go())


def test_slack_payload_fits_block_kit(monkeypatch: pytest.MonkeyPatch) -> None:
    long_title = "A very long headline " * 40
    with serving(Receiver(check=check_block_kit)) as receiver:
        monkeypatch.setenv("TEST_SLACK_URL", receiver.url("/services/T0/B0/abc"))
        config = SlackConfig(name="slack", url_env="TEST_SLACK_URL")
        send(SlackChannel(config), make_alert(title=long_title, text="word " * 2000))
    (got,) = receiver.accepted
    body = json.loads(got.body)
    texts = [b["text"]["text"] for b in body["blocks"] if "text" in b]
    assert texts[0] == "New development: UK Parliament votes on sending troops"
    assert any(t.endswith("\u2026") for t in texts), "long texts are cut cleanly"
    assert body["blocks"][-1]["elements"][0]["url"] == "https://example.invalid/a/1"


def test_webhook_is_signed_with_idempotency_key(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(Receiver(check=verify_signature)) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        monkeypatch.setenv("TEST_HOOK_SECRET", SECRET)
        config = WebhookConfig(name="hook", url_env="TEST_HOOK_URL", secret_env="TEST_HOOK_SECRET")
        send(WebhookChannel(config), make_alert())
    (got,) = receiver.accepted
    payload = json.loads(got.body)
    assert payload["rule"] == "uk-parliament-vote" and payload["type"] == "alert"
    assert got.headers["Idempotency-Key"] == "uk-parliament-vote:dev-1:entry-1"


def test_webhook_rejects_tampering(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(Receiver(check=verify_signature)) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        monkeypatch.setenv("TEST_HOOK_SECRET", "another key")
        config = WebhookConfig(name="hook", url_env="TEST_HOOK_URL", secret_env="TEST_HOOK_SECRET")
        with pytest.raises(DeliveryError) as caught:
            send(WebhookChannel(config), make_alert())
    assert caught.value.reason == "HTTP 400: bad signature"
    assert not caught.value.retryable
    assert receiver.accepted == []


@pytest.mark.parametrize(
    ("status", "sends_retry_after", "retryable", "retry_after"),
    [
        (500, False, True, None),
        (500, True, True, 1.0),  # Retry-After counts with any status
        (429, True, True, 1.0),
        (400, False, False, None),
        (404, False, True, None),  # the channel's address refused: retried, not the alert's fault
    ],
)
def test_http_failures_classified(
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    sends_retry_after: bool,
    retryable: bool,
    retry_after: float | None,
) -> None:
    on = (status,) if sends_retry_after else ()
    with serving(Receiver(script=[status], retry_after_on=on)) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        with pytest.raises(DeliveryError) as caught:
            send(WebhookChannel(WebhookConfig(name="hook", url_env="TEST_HOOK_URL")), make_alert())
    assert caught.value.retryable is retryable
    assert caught.value.retry_after == retry_after


def test_unreachable_receiver_is_retryable(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.notify.conftest import free_port

    monkeypatch.setenv("TEST_HOOK_URL", f"http://127.0.0.1:{free_port()}/hook")
    with pytest.raises(DeliveryError) as caught:
        send(WebhookChannel(WebhookConfig(name="hook", url_env="TEST_HOOK_URL")), make_alert())
    assert caught.value.retryable
    assert "127.0.0.1" not in str(caught.value)


def test_email_has_both_parts_and_intact_headers(smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    config = EmailConfig(
        name="mail",
        host="127.0.0.1",
        port=port,
        security="none",
        sender="monitor@example.invalid",
        recipients=["desk@example.invalid"],
    )
    send(EmailChannel(config), make_alert())
    (raw,) = mailbox.messages
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == (
        "[news-monitor] New development: UK Parliament votes on "
        "sending troops: Commons backs Ukraine deployment"
    )
    assert message["From"] == "monitor@example.invalid"
    assert message["To"] == "desk@example.invalid"
    assert message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert "MPs voted 401 to 60" in plain.get_content()
    assert "MPs voted 401 to 60" in html.get_content()
    assert mailbox.envelopes == [("monitor@example.invalid", ["desk@example.invalid"])]


class _Stream(io.StringIO):
    def __init__(self, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize(
    ("fmt", "terminal", "as_json"),
    [("auto", False, True), ("auto", True, False), ("json", True, True), ("text", False, False)],
)
def test_console_prints_json_lines_unless_on_a_terminal(
    fmt: str, terminal: bool, as_json: bool
) -> None:
    stream = _Stream(terminal)
    config = ConsoleConfig.model_validate({"name": "console", "format": fmt})
    send(ConsoleChannel(config, stream=stream), make_alert(title="Two\nlines"))
    out = stream.getvalue()
    if as_json:
        (line,) = out.splitlines()
        assert json.loads(line)["entry"]["title"] == "Two\nlines"
    else:
        assert out.startswith("[NEW] uk-parliament-vote")
