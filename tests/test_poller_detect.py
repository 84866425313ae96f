"""What a poll's detection job hands to the store: the developments it opened or extended,
as copies, and whether the book was reset since (then the poll detects again)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from monitor.detect.engine import Detector
from monitor.models import Article
from monitor.poller import Poller
from monitor.ruleset import load_ruleset
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import open_store
from tests.conftest import RULES

T0 = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)
VOTE = Article(
    id="vote-1",
    feed="wire",
    title="Commons backs sending troops to Ukraine",
    text="MPs voted 401 to 60 to approve the deployment of British troops to Ukraine.",
    published=T0,
)


def test_a_detection_job_hands_over_copies_of_what_it_changed(tmp_path: Path) -> None:
    ruleset = load_ruleset(RULES)
    detector = Detector(ruleset.claims, ruleset.rules)
    store = open_store(tmp_path / "state.db")
    poller = Poller(Fetcher(FetchLimits()), store, lambda: detector, lambda alert: [])

    async def scenario() -> None:
        first = await poller._detect(detector, [VOTE], T0)
        (opened,) = first.developments
        (kept,) = detector.book.developments
        assert opened.id == kept.id and opened is not kept  # a copy: the book's may change
        assert not first.outdated
        nothing = await poller._detect(detector, [], T0)
        assert nothing.developments == []  # a job that changed nothing hands over nothing
        detector.book.reset([])  # a failed commit, or another replica's decisions
        assert first.outdated

    try:
        asyncio.run(scenario())
    finally:
        poller.close()
        store.close()
