"""Every file of feedparser's test corpus, served over local HTTP, is ingested without a crash."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from monitor.app import Service
from tests.conftest import SHARED
from tests.helpers import make_rules, settings_for
from tests.servers import FeedServer, serving

CORPUS = SHARED / "corpora" / "feedparser-tests" / "tests"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared feedparser corpus not present")
def test_every_corpus_file_is_ingested(tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    server = FeedServer()
    names = {}
    for index, path in enumerate(files):
        route = f"/corpus/{index}"
        server.feeds[route] = path.read_bytes()
        names[f"f{index}"] = route
    with serving(server):
        make_rules(tmp_path, {name: server.url(route) for name, route in names.items()})

        async def scenario() -> list[tuple[str, str, str | None]]:
            service = Service.build(settings_for(tmp_path))
            summary = await service.daemon.run_once()
            await service.aclose()
            return [(o.feed, o.status, o.error) for o in summary.outcomes]

        outcomes = asyncio.run(scenario())
    assert len(outcomes) == len(files) > 1000
    # the parser's own verdict on a file; not 'invalid feed: parser failed: ...' (feedparser
    # raised) nor 'invalid feed: the parsing process died', which the prefix alone let pass
    refused = ("invalid feed: not a feed (", "invalid feed: not a usable feed (")
    unexpected = [o for o in outcomes if o[1] == "error" and not (o[2] or "").startswith(refused)]
    assert unexpected == []
    ok = sum(1 for o in outcomes if o[1] == "ok")
    assert ok > 0.95 * len(files)
