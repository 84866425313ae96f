"""Entry markup with constructs that never end (a hostile or broken feed): html.parser of
Python before 3.12.11 / 3.13.4 reads each such construct again from every later ``<`` to
the end of the entry, quadratic in its length (50 kB of ``<a `` took a minute of the
thread that also detects for every other feed). Parsing an entry now reads none of them
again; the text stays what html.parser gives for them (as text, up to the next ``>``)."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from xml.sax.saxutils import escape

import pytest

from monitor.sources.parse import parse_feed
from monitor.text import html_to_text

REPEAT = 3000  # enough to be costly on the parent (a second or so), not more


def feed_with(markup: str) -> bytes:
    return (
        "<rss version='2.0'><channel><title>t</title><item><guid>g</guid><title>T</title>"
        f"<description>{escape(markup)}</description></item></channel></rss>"
    ).encode()


CASES = {  # markup: the start of the entry's text
    "start-tags": ("Lead. " + "<a " * REPEAT, "Lead. <a <a <a"),
    "quoted-attributes": ("Lead. " + "<a x='" * REPEAT, "Lead. <a x='<a x='"),
    "end-tags": ("Lead. " + "</b " * REPEAT, "Lead. </b </b"),
    "comments-with-a-gt": ("Lead. " + "<!--a>" * REPEAT, "Lead. <!--a><!--a>"),
    "cdata-with-a-gt": ("Lead. " + "<![CDATA[a>" * REPEAT, "Lead. <![CDATA[a><![CDATA[a>"),
    "ms-sections": ("Lead. " + "<![if a>" * REPEAT, "Lead. <![if a><![if a>"),
}


def count_unfinished(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count html.parser's attempts at a construct that found no end (each one reads to
    the end of the input)."""
    unfinished = [0]
    for name in ("parse_starttag", "parse_endtag", "parse_comment", "parse_html_declaration"):
        real = getattr(HTMLParser, name)

        def counted(self: HTMLParser, i: int, *rest: object, _real: Callable = real) -> int:
            found: int = _real(self, i, *rest)
            unfinished[0] += found < 0
            return found

        monkeypatch.setattr(HTMLParser, name, counted)
    return unfinished


@pytest.mark.parametrize("case", list(CASES))
def test_constructs_that_never_end_are_not_read_again(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    markup, text = CASES[case]
    unfinished = count_unfinished(monkeypatch)
    (article,) = parse_feed(feed_with(markup), "wire").articles
    assert article.text.startswith(text)
    assert unfinished[0] <= 1  # the parent: one for each repeat, read to the end


ORDINARY = [
    "<p>Troops <b>landed</b> at dawn.</p><!-- ad --><p>More &amp; more.</p>",
    "<![CDATA[kept]]><p>x < y and 3 > 2</p><![if !supportLists]>1.<![endif]>",
    "<p>Ends in a stray <",
    "<!-- never closed <p>Paragraph</p><p>Another</p>",
]


@pytest.mark.parametrize("markup", ORDINARY)
def test_ordinary_markup_reads_as_before(markup: str) -> None:
    (article,) = parse_feed(feed_with(markup), "wire").articles
    assert article.text == html_to_text(markup)
