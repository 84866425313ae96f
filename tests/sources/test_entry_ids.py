"""Entries that share an id within one feed (a CMS giving every item the same guid, an item
listed twice): each distinct entry is examined once, not again at every poll. Polled by
the real service from a local server on 127.0.0.1 that sends the whole feed every time."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from monitor.app import Service
from tests.helpers import REHASH_ITEM, SHIFT_ITEM, VOTE_ITEM, make_rules, settings_for
from tests.servers import FeedServer, rss, serving

SAME = "https://example.invalid/news"  # the guid a broken CMS gives every item

CASES = {  # items: (new entries, alerts) of the first poll, then of two more polls
    "two-stories-one-guid": (
        [VOTE_ITEM, dict(SHIFT_ITEM, guid=VOTE_ITEM["guid"])],
        [(2, 2), (0, 0), (0, 0)],
    ),
    "every-item-one-guid": (
        [dict(item, guid=SAME) for item in (VOTE_ITEM, SHIFT_ITEM, REHASH_ITEM)],
        [(3, 2), (0, 0), (0, 0)],
    ),
    "an-item-listed-twice": ([VOTE_ITEM, VOTE_ITEM], [(1, 1), (0, 0), (0, 0)]),
    "distinct-ids": ([VOTE_ITEM, SHIFT_ITEM], [(2, 2), (0, 0), (0, 0)]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_entry_is_new_once(tmp_path: Path, case: str) -> None:
    items, expected = CASES[case]
    with serving(FeedServer(etags=False)) as server:
        server.feeds["/news.xml"] = rss(items)
        make_rules(tmp_path, {"news": server.url("/news.xml")})

        async def polls() -> list[tuple[int, int]]:
            seen = []
            for _ in expected:
                service = Service.build(settings_for(tmp_path))
                try:
                    (outcome,) = (await service.daemon.run_once()).outcomes
                    assert outcome.status == "ok", outcome.error
                    seen.append((outcome.new_entries, outcome.alerts))
                finally:
                    await service.aclose()
            return seen

        assert asyncio.run(polls()) == expected
