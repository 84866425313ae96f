"""OPML 2.0 feed lists, which every feed reader imports and exports.

``read_outlines`` returns every outline that carries an ``xmlUrl`` (nested category
outlines are walked), and those that look like a feed without one; ``write_opml`` writes
feeds as a flat OPML 2.0 document, name as ``text`` and ``title``. A document with a DTD
is refused (no entity expansion from a file someone sent you). ``ParseError`` says what is
wrong with the file as a whole.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from monitor.errors import ParseError
from monitor.sources.feeds import FeedConfig


@dataclass(frozen=True)
class Outline:
    """One feed outline: its name (``text`` or ``title``) and address (may be empty)."""

    name: str
    url: str


def read_outlines(data: bytes, source: str) -> list[Outline]:
    """Every feed outline of the OPML document ``data``, in document order."""
    if re.search(rb"<!(DOCTYPE|ENTITY)", data[:4096], re.IGNORECASE):
        raise ParseError(source, "OPML with a DTD or entities is not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ParseError(source, f"not well-formed XML: {exc}") from exc
    if root.tag != "opml" or root.find("body") is None:
        raise ParseError(source, "not an OPML document (no <opml> with a <body>)")
    found = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        is_feed = outline.get("type", "").lower() in ("rss", "atom") or bool(url)
        if is_feed:
            name = (outline.get("text") or outline.get("title") or "").strip()
            found.append(Outline(name, url))
    return found


def write_opml(feeds: Sequence[FeedConfig], title: str = "news-monitor feeds") -> str:
    """An OPML 2.0 document listing ``feeds`` (name and address; nothing else travels)."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{escape(title)}</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        lines.append(
            f'    <outline type="rss" text={quoteattr(feed.name)} title={quoteattr(feed.name)}'
            f" xmlUrl={quoteattr(str(feed.url))}/>"
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
