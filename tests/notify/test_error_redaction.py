"""Receiver error pages that echo a secret never reach the log, the state or `status`."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import pytest

from monitor.logs import JsonFormatter
from monitor.notify.outbox import Outbox
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.redact import SecretRedactor, redact_url
from monitor.store import open_store
from tests.helpers import SHIFT_ITEM, VOTE_ITEM, daemon_env, make_rules, run_command
from tests.notify.test_outbox import Clock, alerts, drain, queue
from tests.servers import FeedServer, rss, send, serving

TOKEN = "T0KEN5ecretPathSegment"
QUERY_KEY = "Qu3rySecretValue77"
HMAC_KEY = "hmac-shared-key-42"
SLACK_PATH = "/services/T000/B000/XXXXsl4ckXXXX"


@dataclass
class EchoingReceiver:
    """Answers every POST with 404 and a page echoing the path, as many frameworks do, and
    (badly configured) the shared signing key."""

    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        request.rfile.read(length)
        page = f"Cannot POST {request.path} (key {HMAC_KEY})"
        send(request, 404, page.encode())


def test_receiver_error_pages_are_redacted_everywhere(tmp_path: Path) -> None:
    with serving(FeedServer()) as feeds, serving(EchoingReceiver()) as receiver:
        feeds.feeds["/news.xml"] = rss([VOTE_ITEM, SHIFT_ITEM])
        channels: list[dict[str, object]] = [
            {"name": "hook", "type": "webhook", "url_env": "T_HOOK", "secret_env": "T_KEY"},
            {"name": "slack", "type": "slack", "url_env": "T_SLACK"},
        ]
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, channels=channels)
        base = f"http://127.0.0.1:{receiver.port}"
        env = {
            **daemon_env(tmp_path),
            "T_HOOK": f"{base}/hook/{TOKEN}?key={QUERY_KEY}",
            "T_KEY": HMAC_KEY,
            "T_SLACK": base + SLACK_PATH,
        }
        run = run_command(env, "run", "--once")
        status = run_command(env, "status")
    assert run.returncode == 0, run.stderr
    with sqlite3.connect(tmp_path / "state" / "news-monitor.db") as db:
        stored = [row[0] for row in db.execute("SELECT last_error FROM outbox") if row[0]]
    # 404 refuses the channel's address: its first alert waits for a retry, the next behind it
    assert len(stored) == 2 and all("HTTP 404: Cannot POST" in e for e in stored), stored
    assert "outbox: 4 pending" in status.stdout
    assert "refused the channel's address or credentials" in run.stderr
    for text in (run.stderr, status.stdout, *stored):
        for secret in (TOKEN, QUERY_KEY, HMAC_KEY, SLACK_PATH, "/hook/", "XXXXsl4ckXXXX"):
            assert secret not in text, (secret, text)


def test_redactor_covers_url_parts_and_encodings() -> None:
    redact = SecretRedactor([f"https://h.example/hook/{TOKEN}?key={QUERY_KEY}", "", HMAC_KEY])
    assert redact(f"no route for /hook/{TOKEN}?key={QUERY_KEY}") == "no route for ***"
    assert redact(f"token={TOKEN}") == "token=***"
    assert QUERY_KEY not in redact(quote(f"/hook/{TOKEN}?key={QUERY_KEY}", safe=""))
    assert redact(f"signed with {HMAC_KEY}") == "signed with ***"
    assert redact("an ordinary message") == "an ordinary message"
    assert TOKEN not in repr(redact)


def test_tokens_in_the_host_part_of_a_notification_url_are_redacted() -> None:
    bot = "123456789:AAHdefghijklmnopqrstuvwxyz"
    push = "o.gn5kj6nfhv736I7jC3cj3QLRiyhgl98b"
    redact = SecretRedactor([f"tgram://{bot}/-1001234", f"pbul://{push}"])
    said = f"POST https://api.telegram.org/bot{bot}/sendMessage failed; token {push} invalid"
    assert bot not in redact(said) and push not in redact(said)
    assert redact_url(f"tgram://{bot}/-1001234") == "tgram://***/-1001234"
    assert redact_url(f"https://api.telegram.org/bot{bot}/sendMessage") == (
        "https://api.telegram.org/***/sendMessage"
    )
    assert redact_url("https://hooks.example:8443/a") == "https://hooks.example:8443/a"


@dataclass
class ErrorPage:
    """Answers every POST with ``status`` and an HTML error page quoting the path, the
    token well past the first 150 characters (as Express's default page does)."""

    status: int = 400
    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        request.rfile.read(int(request.headers.get("Content-Length") or 0))
        page = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>Error</title>\n</head>\n<body>\n<pre>Cannot POST "
            f"{request.path}</pre>\n</body>\n</html>\n"
        )
        send(request, self.status, page.encode())


def test_a_long_error_page_is_redacted_before_it_is_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Cut first, the page would end inside the token: its first part, no longer the
    whole secret, would escape redaction into the state and the log."""
    token = "Zx9" * 22 + "Qw"
    with serving(ErrorPage()) as receiver:
        url = f"http://127.0.0.1:{receiver.port}/api/webhooks/123456789012345678/{token}"
        monkeypatch.setenv("TEST_HOOK_URL", url)
        clock = Clock()
        store = open_store(tmp_path / "state.db")
        queue(store, alerts(1), clock())
        channel = WebhookChannel(WebhookConfig(name="hook", url_env="TEST_HOOK_URL"))
        box = Outbox(store, {"hook": channel}, clock=clock, redact=SecretRedactor([url]))
        with caplog.at_level(logging.INFO, logger="monitor.deliver"):
            drain(box, clock, 1, timedelta(minutes=1))
        asyncio.run(box.aclose())
    ((_, _, state, _, error),) = store.outbox_rows()
    assert state == "failed" and error is not None
    assert error.startswith("HTTP 400: <!DOCTYPE html>") and "Cannot POST ***</pre>" in error
    logged = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    for text in (error, logged):
        assert "Zx9Zx9" not in text and "123456789012345678" not in text, text
