"""OPML 2.0 feed lists, which every feed reader imports and exports.

``read_outlines`` returns every outline that carries an ``xmlUrl`` (nested category
outlines are walked), and those that look like a feed without one; ``write_opml`` writes
feeds as a flat OPML 2.0 document, name as ``text`` and ``title``. A document with a DTD
is refused (no entity expansion from a file someone sent you). ``ParseError`` says what is
wrong with the file as a whole.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import xml.parsers.expat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from monitor.errors import ParseError
from monitor.sources.feeds import FeedConfig


@dataclass(frozen=True)
class Outline:
    """One feed outline: its name (``text`` or ``title``) and address (may be empty)."""

    name: str
    url: str


class _Prolog(Exception):
    """The prolog was read to its end: ``dtd`` says whether it had a document type."""

    def __init__(self, dtd: bool) -> None:
        self.dtd = dtd


def _has_dtd(data: bytes) -> bool:
    """Whether the document declares a document type (where entities are declared): its
    prolog is read by expat, in whatever encoding, up to the root element."""

    def stop(dtd: bool) -> Callable[..., None]:
        def handler(*_: object) -> None:
            raise _Prolog(dtd)

        return handler

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = stop(True)
    parser.StartElementHandler = stop(False)
    try:
        parser.Parse(data, True)
    except _Prolog as found:
        return found.dtd
    except xml.parsers.expat.ExpatError:
        return False  # not well-formed before its root: said by the parse that follows
    return False


def read_outlines(data: bytes, source: str) -> list[Outline]:
    """Every feed outline of the OPML document ``data``, in document order."""
    if _has_dtd(data):
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
