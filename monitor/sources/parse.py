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


def _no_nul(text: str) -> str:
    """``text`` without NUL characters: XML has none, but a feed may carry them (raw, or as
    ``&#0;``, which feedparser decodes), and PostgreSQL stores no text that holds one."""
    return text.replace("\x00", "")


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


_COMMENT_CLOSE = re.compile(r"--\s*>")  # where html.parser (_markupbase) ends them
_SECTION_CLOSE = {"cdata": re.compile(r"]\s*]\s*>"), "if": re.compile(r"]\s*>")}
_SECTIONS = {
    **dict.fromkeys(("temp", "cdata", "ignore", "include", "rcdata"), "cdata"),
    **dict.fromkeys(("if", "else", "endif"), "if"),
}
_SECTION_NAME = re.compile(r"<!\[([a-zA-Z][-_.a-zA-Z0-9]*)")
_REREAD_MOST = 100_000  # characters html.parser may read again for one piece of markup


def _last_start(pattern: re.Pattern[str], text: str) -> int:
    last = -1
    for found in pattern.finditer(text):
        last = found.start()
    return last


def _defused(markup: str) -> str:
    """``markup``, or, when html.parser would take long over it, ``markup`` with the ``<``
    of each construct that never ends (up to the next ``>``) written ``&lt;``.

    html.parser (before Python 3.12.11 and 3.13.4) reads a construct that never ends again
    from each later ``<`` to the end of its input, so 50 kB of ``<a `` in one entry took
    a minute of the worker thread that parses and detects for every feed. At the end it
    gives such a construct as text up to the next ``>``, as it gives ``&lt;``: so the text
    is all but the same, read once. Only markup whose reading again would cost more than
    ``_REREAD_MOST`` characters is changed. A construct ends at a ``>`` (a comment at
    ``-->``, a marked section at ``]]>``, or ``]>`` for ``<![if ...]>``), so one that
    starts after the last of those never does."""
    size = len(markup)
    last_gt = markup.rfind(">")
    tail = markup.count("<", last_gt + 1)
    cost = tail * (size - last_gt)  # each '<' after the last '>' is read to the end
    if cost <= _REREAD_MOST and "<!" not in markup:
        return markup
    comment_end = _last_start(_COMMENT_CLOSE, markup)
    section_end = {kind: _last_start(close, markup) for kind, close in _SECTION_CLOSE.items()}
    spans: list[tuple[int, int]] = []  # where each '<' is text
    at = markup.find("<")
    while 0 <= at <= last_gt:
        never = False
        if markup.startswith("<!--", at):
            never = at + 4 > comment_end
        elif markup.startswith("<![", at):
            name = _SECTION_NAME.match(markup, at)
            kind = _SECTIONS.get(name.group(1).lower()) if name else None
            never = kind is not None and at + 3 > section_end[kind]
        if never:
            gt = markup.find(">", at + 1) + 1
            spans.append((at, gt))
            cost += size - at
            at = markup.find("<", gt)
        else:
            at = markup.find("<", at + 1)
    if cost <= _REREAD_MOST:
        return markup
    if tail:
        spans.append((last_gt + 1, size))
    pieces: list[str] = []
    done = 0
    for begin, end in spans:
        pieces += (markup[done:begin], markup[begin:end].replace("<", "&lt;"))
        done = end
    return "".join(pieces) + markup[done:]


def _markup_text(markup: str) -> str:
    return html_to_text(_defused(markup))


def _text(entry: Any) -> str:
    parts: list[str] = []
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, dict) else None
        if value:
            parts.append(_markup_text(value))
    summary = _markup_text(entry.get("summary") or "")
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
        title = _no_nul(_markup_text(entry.get("title") or ""))
        text = _no_nul(_text(entry))
        if not title and not text:
            continue
        articles.append(
            Article(
                id=_no_nul(_entry_id(entry, title, text)),
                feed=feed,
                title=title,
                text=text,
                link=_no_nul(entry.get("link") or ""),
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
    title = _no_nul(_markup_text(parsed.feed.get("title") or "")) if parsed.feed else ""
    warning = f"ill-formed feed, {len(articles)} entries recovered ({reason})" if reason else None
    return ParsedFeed(title or feed, articles, warning)
