"""Which character encoding a fetched feed is read in: the document's own (a byte order
mark or its XML declaration) first, then the charset of the HTTP Content-Type, then UTF-8;
polled through the real service from a local server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from monitor.app import Service
from monitor.models import Article
from monitor.sources.parsepool import ParsePool
from monitor.store import content_hash
from tests.helpers import make_rules, settings_for
from tests.servers import FeedServer, serving

TITLE = "Рада схвалила закон"  # Cyrillic: every single-byte charset reads it differently
TEXT = "Депутати проголосували за."


def feed(declaration: str = "") -> str:
    return (
        f"<?xml version='1.0'{declaration}?>"
        "<rss version='2.0'><channel><title>t</title><link>https://example.invalid/</link>"
        f"<item><guid>g1</guid><title>{TITLE}</title><description>{TEXT}</description></item>"
        "</channel></rss>"
    )


CASES = {
    # only the server names the charset: it was read as UTF-8, then windows-1252 (mojibake)
    "koi8-r-by-http": (feed().encode("koi8-r"), "application/rss+xml; charset=KOI8-R"),
    "cp1251-by-http": (feed().encode("cp1251"), "text/xml; charset=windows-1251"),
    # the document's own declaration beats a server-wide default
    "declared-utf8": (
        feed(" encoding='utf-8'").encode(),
        "application/rss+xml; charset=ISO-8859-1",
    ),
    "declared-cp1251": (
        feed(" encoding='windows-1251'").encode("cp1251"),
        "application/rss+xml; charset=utf-8",
    ),
    "bom-utf8": (b"\xef\xbb\xbf" + feed().encode(), "text/xml; charset=ISO-8859-1"),
    "nothing-said": (feed().encode(), "application/rss+xml"),
    "unknown-charset": (feed().encode(), "application/rss+xml; charset=no-such-thing"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_entries_are_read_in_the_right_encoding(tmp_path: Path, case: str) -> None:
    body, content_type = CASES[case]
    with serving(FeedServer()) as server:
        server.feeds["/f.xml"] = body
        server.content_types["/f.xml"] = content_type
        make_rules(tmp_path, {"wire": server.url("/f.xml")})

        async def poll() -> tuple[str, dict[str, str]]:
            service = Service.build(settings_for(tmp_path))
            try:
                (outcome,) = (await service.daemon.run_once()).outcomes
                return outcome.status, service.store.seen_hashes("wire")
            finally:
                await service.aclose()

        status, seen = asyncio.run(poll())
    expected = content_hash(Article(id="g1", feed="wire", title=TITLE, text=TEXT))
    assert (status, seen) == ("ok", {"g1": expected})


@pytest.mark.parametrize("process_bytes", [1, 10**9])  # a worker process; the thread
def test_both_ways_of_parsing_take_the_charset(process_bytes: int) -> None:
    async def parse() -> list[tuple[str, str]]:
        with ThreadPoolExecutor(1) as thread:
            pool = ParsePool(thread, process_bytes=process_bytes)
            try:
                parsed = await pool.parse(feed().encode("koi8-r"), "wire", "koi8-r")
            finally:
                pool.close()
        return [(a.title, a.text) for a in parsed.articles]

    assert asyncio.run(parse()) == [(TITLE, TEXT)]
