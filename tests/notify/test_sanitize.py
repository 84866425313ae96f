"""Hostile feed content rendered through every channel stays inert text."""

from __future__ import annotations

import asyncio
import io
import json
import unicodedata
from html.parser import HTMLParser

import pytest

from monitor.models import Alert, Article, Evidence
from monitor.notify.console import ConsoleChannel, ConsoleConfig
from monitor.notify.email import email_message
from monitor.notify.render import alert_payload, alert_text
from monitor.notify.slack import slack_message
from monitor.sources.parse import parse_feed
from tests.conftest import SHARED

SANITIZE = SHARED / "corpora" / "feedparser-tests" / "tests" / "wellformed" / "sanitize"
EMAIL_TAGS = {"html", "body", "h2", "p", "b", "i", "small", "a"}
HEADERS = {
    "Subject",
    "From",
    "To",
    "Date",
    "Message-ID",
    "X-News-Monitor-Idempotency-Key",
    "Content-Type",
    "MIME-Version",
}

HOSTILE = Alert(
    "alert",
    "uk-parliament-vote",
    "dev-1",
    "high",
    Article(
        "x",
        "evil<feed>",
        "<!channel> <@U123> *bold* <http://evil.example|click> & \r\nBcc: victim@example.invalid",
        "",
        "javascript:alert(1)",
    ),
    0.5,
    (
        Evidence(
            "<script>alert(1)</script> <!here> `code` _it_ ~s~",
            0.5,
            "<b onmouseover=x>claim</b>",
            0.5,
        ),
    ),
    description="desc <!everyone>",
)


class TerminalStream(io.StringIO):
    def isatty(self) -> bool:
        return True


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(alert: Alert) -> None:
    # Slack: feed text only in plain_text objects, with Slack's control characters escaped.
    body = slack_message(alert)
    assert "<" not in body["text"] and ">" not in body["text"]
    for block in body["blocks"]:
        objects = [block.get("text"), *block.get("fields", []), *block.get("elements", [])]
        for obj in filter(None, objects):
            if obj.get("type") == "button":
                assert obj["url"].startswith(("http://", "https://"))
                continue
            assert "<" not in obj["text"] and ">" not in obj["text"], obj
    # Email: only our own tags, links only to http(s); no header injection.
    message = email_message(alert, "m@example.invalid", ["d@example.invalid"])
    assert set(message.keys()) <= HEADERS
    assert all("\n" not in str(value) and "\r" not in str(value) for value in message.values())
    html_part = message.get_body(("html",))
    assert html_part is not None
    collector = TagCollector()
    collector.feed(html_part.get_content())
    for tag, attrs in collector.tags:
        assert tag in EMAIL_TAGS, tag
        for name, value in attrs:
            assert (tag, name) == ("a", "href") and (value or "").startswith("http"), attrs
    # Webhook and console: plain data and text.
    assert json.loads(json.dumps(alert_payload(alert)))["entry"]["title"] == alert.article.title
    assert alert_text(alert)


def test_hand_made_injection_attempts() -> None:
    assert_inert(HOSTILE)
    text = json.dumps(slack_message(HOSTILE))
    for live in ("<!channel>", "<@U123>", "<!here>", "<!everyone>", "<http://evil"):
        assert live not in text
    subject = email_message(HOSTILE, "m@example.invalid", ["d@example.invalid"])["Subject"]
    assert "Bcc" in subject  # kept as text in the subject, not a header of its own


@pytest.mark.skipif(not SANITIZE.is_dir(), reason="shared feedparser corpus not present")
def test_sanitize_corpus_through_every_channel() -> None:
    files = sorted(SANITIZE.glob("*.xml"))
    count = 0
    for path in files:
        parsed = parse_feed(path.read_bytes(), path.stem)
        # Feed-level text (titles of the feed itself) is tested as a headline too.
        articles = [*parsed.articles, Article(path.stem, parsed.title, parsed.title, "")]
        for article in articles:
            evidence = Evidence(article.text[:1000] or article.title, 0.9, article.title, 0.1)
            alert = Alert(
                "alert", "r", "d", "high", article, 0.9, (evidence,), description=article.title
            )
            assert_inert(alert)
            count += 1
    assert count >= len(files) > 700


CONTROL_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>'
    b"<guid>g1</guid>"
    b"<title>Troops &#27;]0;owned&#7;&#27;[2J vote&#8;&#8;&#0;&#127;&#155;31m</title>"
    b"<link>https://x.example/a</link><description>MPs voted &#27;[31m red</description>"
    b"</item></channel></rss>"
)


def _controls(text: str, allowed: str = "") -> set[str]:
    return {ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in allowed}


def test_control_characters_from_a_feed_reach_no_terminal_and_no_header() -> None:
    (article,) = parse_feed(CONTROL_FEED, "wire").articles
    assert "\x1b" in article.title and "\x1b" in article.text  # the parser lets them through
    evidence = Evidence(article.text, 0.9, "known", 0.1)
    alert = Alert("alert", "r", "d", "high", article, 0.9, (evidence,), description="d\x1b[5m")
    stream = TerminalStream()
    asyncio.run(ConsoleChannel(ConsoleConfig(name="console"), stream=stream).send(alert))
    printed = stream.getvalue()
    assert _controls(printed, allowed="\n\t") == set(), printed
    assert "Troops" in printed and "vote" in printed and "MPs voted" in printed
    message = email_message(alert, "m@example.invalid", ["d@example.invalid"])
    raw_headers = message.as_bytes().split(b"\n\n", 1)[0].decode("ascii")
    assert _controls(raw_headers, allowed="\n") == set(), raw_headers
    assert "Troops" in str(message["Subject"])
