"""Receiver error pages that echo a secret never reach the log, the state or `status`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

from monitor.redact import SecretRedactor, redact_url
from tests.helpers import SHIFT_ITEM, VOTE_ITEM, daemon_env, make_rules, run_command
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
        stored = [row[0] for row in db.execute("SELECT last_error FROM outbox")]
    assert len(stored) == 4 and all("HTTP 404: Cannot POST" in e for e in stored), stored
    assert "failed: alert" in status.stdout
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
