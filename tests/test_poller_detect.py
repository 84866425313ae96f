"""What a poll's detection job hands to the store: the developments it opened or extended,
as copies, and whether the book was reset since (then the poll detects again)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.detect.engine import Detector
from monitor.errors import StateError
from monitor.models import Alert, Article
from monitor.poller import Poller, PollOutcome
from monitor.ruleset import load_ruleset
from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import open_store
from tests.conftest import RULES
from tests.helpers import VOTE_ITEM
from tests.servers import FeedServer, rss, serving

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


def test_a_poll_whose_commit_and_reload_both_failed_alerts_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database failed to record a poll and then to give back the developments: the
    book must not keep what was never recorded, or the entry, examined again, would find
    itself already known and its alert would be lost."""
    ruleset = load_ruleset(RULES)
    detector = Detector(ruleset.claims, ruleset.rules)
    store = open_store(tmp_path / "state.db")
    routed: list[str] = []

    def route(alert: Alert) -> list[str]:
        routed.append(alert.type)
        return []

    poller = Poller(Fetcher(FetchLimits()), store, lambda: detector, route)
    failing = {"commit_poll", "developments"}  # each fails once: a database gone and back

    def fail_once(name: str) -> Callable[..., object]:
        real = getattr(store, name)

        def call(*args: object, **kwargs: object) -> object:
            if name in failing:
                failing.discard(name)
                raise StateError(f"{name}: disk I/O error")
            return real(*args, **kwargs)

        return call

    for name in sorted(failing):
        monkeypatch.setattr(store, name, fail_once(name))
    with serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = rss([VOTE_ITEM])
        feed = FeedConfig(name="wire", url=server.url("/wire.xml"))

        async def scenario() -> PollOutcome:
            with pytest.raises(StateError):
                await poller.poll(feed)
            assert not failing
            return await poller.poll(feed)

        try:
            outcome = asyncio.run(scenario())
        finally:
            poller.close()
            store.close()
    assert outcome.alerts == 1, outcome
    assert routed[-1] == "alert", routed  # an alert, not an update of itself
