"""What is a feed: bytes that are not one (an HTML page where the feed was: a login wall, a
bot check, a moved site) are a ParseError, so the feed shows unhealthy with the reason;
a real feed with no entries yet is fine."""

from __future__ import annotations

import pytest

from monitor.errors import ParseError
from monitor.sources.parse import parse_feed

CASES = {  # body: the feed's title, or the start of the ParseError's reason
    # well-formed HTML: feedparser finds no feed, but puts the page in feed.summary, and
    # the poll was 'ok' with no entries, the feed healthy, poll after poll
    "html-page": (
        b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
        b"<body><p>Checking your browser before accessing the site.</p></body></html>",
        "not a feed",
    ),
    "xhtml-page": (
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head>'
        b"<title>Sign in</title></head><body><p>Sign in to continue</p></body></html>",
        "not a feed",
    ),
    "broken-html": (b"<html><body>This is not a feed at all", "not a usable feed"),
    "empty-body": (b"", "not a feed"),
    "empty-rss": (
        b'<rss version="2.0"><channel><title>Quiet wire</title></channel></rss>',
        "Quiet wire",
    ),
    "empty-atom": (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet atom</title></feed>',
        "Quiet atom",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_what_is_a_feed(case: str) -> None:
    body, expected = CASES[case]
    try:
        got = parse_feed(body, "wire").title
    except ParseError as exc:
        got = exc.reason
    assert got.startswith(expected), got
