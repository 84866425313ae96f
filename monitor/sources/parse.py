"""Turn feed bytes into ``Article``s: the only place feedparser is used.

feedparser always gets bytes, never a URL, so it never fetches anything itself. The
bytes are read in the encoding the document names (a byte order mark or its XML
declaration), else in the ``charset`` the server's Content-Type gave, else as UTF-8;
bytes invalid in that encoding make feedparser try others (a warning). An
ill-formed feed (feedparser's ``bozo`` flag) still yields the entries it could recover,
with a warning; one that yields no entries at all raises ``ParseError`` naming the feed, as
do bytes with no RSS/Atom/RDF structure (an HTML page where the feed was).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from monitor.errors import ParseError
from monitor.models import Article
from monitor.text import html_to_text


@dataclass(frozen=True)
class ParsedFeed:
    """What a feed yielded: its title, its articles and any warning about its form."""

    title: str
    articles: list[Article]
    warning: str | None = None


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _text(entry: Any) -> str:
    parts: list[str] = []
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if value:
            parts.append(html_to_text(value))
    summary = html_to_text(entry.get("summary") or "")
    if summary and not any(summary in part for part in parts):
        parts.insert(0, summary)
    return "\n".join(parts)


def _entry_id(entry: Any, title: str, text: str) -> str:
    for key in ("id", "link"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "sha1:" + hashlib.sha1(f"{title}\0{text}".encode()).hexdigest()


_DECLARED = re.compile(rb"\s*<\?xml[^>]*\bencoding\s*=")


def _http_charset(data: bytes, charset: str | None) -> dict[str, str]:
    """The response headers feedparser is to know: the server's ``charset``, when the
    document names no encoding of its own and Python knows that one."""
    if not charset:
        return {}
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return {}
    if b"\0" in data[:4] or _DECLARED.match(data):  # UTF-16/32 without a mark; a declaration
        return {}
    try:
        codecs.lookup(charset)
    except LookupError:
        return {}
    return {"content-type": f"application/xml; charset={charset}"}


def parse_feed(data: bytes, feed: str, charset: str | None = None) -> ParsedFeed:
    """Parse feed bytes; ``feed`` names the feed in articles and errors; ``charset`` is the
    one the HTTP Content-Type named, if any."""
    try:
        parsed = feedparser.parse(
            data,
            response_headers=_http_charset(data, charset),
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser is meant not to raise; be sure of it
        raise ParseError(feed, f"parser failed: {type(exc).__name__}: {exc}") from exc
    articles = []
    for entry in parsed.entries:
        title = html_to_text(entry.get("title") or "")
        text = _text(entry)
        if not title and not text:
            continue
        articles.append(
            Article(
                id=_entry_id(entry, title, text),
                feed=feed,
                title=title,
                text=text,
                link=entry.get("link") or "",
                published=_published(entry),
            )
        )
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    reason = f"{type(problem).__name__}: {problem}" if problem is not None else None
    if not articles:
        if reason:
            raise ParseError(feed, f"not a usable feed ({reason})")
        if not parsed.get("version"):  # an HTML page still gives a feed.summary
            raise ParseError(feed, "not a feed (no RSS/Atom/RDF structure found)")
    title = html_to_text(parsed.feed.get("title") or "") if parsed.feed else ""
    warning = f"ill-formed feed, {len(articles)} entries recovered ({reason})" if reason else None
    return ParsedFeed(title or feed, articles, warning)
