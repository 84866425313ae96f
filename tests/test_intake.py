"""Which new entries are examined: maximum age and the first-poll policy."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from monitor.app import Service
from monitor.detect.engine import Detector
from monitor.errors import StateError
from monitor.intake import FirstPoll, Intake
from monitor.models import Article
from monitor.poller import Poller, PollOutcome
from monitor.ruleset import load_ruleset
from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import FeedState, open_store
from tests.conftest import RULES
from tests.helpers import SHIFT_ITEM, VOTE_ITEM, make_rules, settings_for
from tests.servers import FeedServer, Receiver, rss, serving

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def article(ident: str, age_hours: float | None) -> Article:
    published = None if age_hours is None else NOW - timedelta(hours=age_hours)
    return Article(id=ident, feed="f", title=ident, text="", published=published)


ENTRIES = [article("fresh", 1), article("old", 24 * 300), article("undated", None)]


@pytest.mark.parametrize(
    ("max_age_hours", "first_poll", "is_first", "expected"),
    [
        (72, "examine", True, ["fresh", "undated"]),
        (72, "examine", False, ["fresh", "undated"]),
        (None, "examine", False, ["fresh", "old", "undated"]),
        (72, "mark-seen", True, []),
        (72, "mark-seen", False, ["fresh", "undated"]),
    ],
)
def test_select(
    max_age_hours: float | None, first_poll: FirstPoll, is_first: bool, expected: list[str]
) -> None:
    intake = Intake(timedelta(hours=max_age_hours) if max_age_hours else None, first_poll)
    assert [a.id for a in intake.select(ENTRIES, NOW, first_poll=is_first)] == expected


def dated(item: dict[str, str], when: datetime, guid: str) -> dict[str, str]:
    return {**item, "guid": guid, "pubDate": format_datetime(when, usegmt=True)}


@pytest.mark.parametrize(
    ("first_poll", "first_alerts"),
    [("examine", {"recent-vote"}), ("mark-seen", set())],
)
def test_backlog_is_seen_not_alerted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_poll: str, first_alerts: set[str]
) -> None:
    now = datetime.now(UTC)
    backlog = dated(VOTE_ITEM, now - timedelta(days=300), "january-vote")
    recent = dated(VOTE_ITEM, now - timedelta(hours=1), "recent-vote")
    later = dated(SHIFT_ITEM, now, "later-shift")
    hook = {"name": "hook", "type": "webhook", "url_env": "TEST_HOOK_URL"}
    with serving(FeedServer()) as server, serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        server.feeds["/news.xml"] = rss([backlog, recent])
        make_rules(tmp_path, {"news": server.url("/news.xml")}, channels=[hook])

        def alerted() -> set[str]:
            return {json.loads(r.body)["entry"]["id"] for r in receiver.accepted}

        async def scenario() -> tuple[set[str], set[str]]:
            service = Service.build(settings_for(tmp_path, first_poll=first_poll))
            try:
                await service.daemon.run_once()
                first = alerted()
                server.feeds["/news.xml"] = rss([backlog, recent, later])
                await service.daemon.run_once()
                return first, alerted() - first
            finally:
                await service.aclose()

        first, second = asyncio.run(scenario())
    assert first == first_alerts
    assert second == {"later-shift"}


@pytest.mark.parametrize("first_poll", ["mark-seen", "examine"])
@pytest.mark.parametrize("interrupted", ["failed", "cancelled"])
def test_a_poll_cut_short_in_its_slices_is_taken_up_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_poll: FirstPoll, interrupted: str
) -> None:
    """A first poll of over 500 entries records those that alert nothing after its own
    transaction, in slices. The feed's success and its ETag were recorded before them: when
    a slice failed (or the shutdown cancelled it), the next poll was no longer a first one
    (``mark-seen``: the backlog was examined and alerted) and got a 304 (the entries not
    recorded were never read again until the feed changed)."""
    ruleset = load_ruleset(RULES)
    detector = Detector(ruleset.claims, ruleset.rules)
    store = open_store(tmp_path / "state.db")
    routed: list[str] = []
    published = datetime(2027, 3, 3, 21, tzinfo=UTC)  # VOTE_ITEM's
    poller = Poller(
        Fetcher(FetchLimits()),
        store,
        lambda: detector,
        lambda alert: routed.append(alert.article.id) or [],
        clock=lambda: published + timedelta(hours=1),
        intake=Intake(timedelta(hours=72), first_poll),
    )
    record_seen, entered = store.record_seen, threading.Event()

    def cut_short(*args: object) -> None:
        if not entered.is_set():
            entered.set()
            if interrupted == "failed":
                raise StateError("state database: database is locked")
            time.sleep(0.5)  # the shutdown cancels the poll meanwhile
        record_seen(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "record_seen", cut_short)
    filler = [
        {"title": f"Bakery {n} opens", "guid": f"b{n}", "description": "Fresh bread."}
        for n in range(600)
    ]
    with serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = rss([VOTE_ITEM, *filler])
        feed = FeedConfig(name="wire", url=server.url("/wire.xml"))

        async def scenario() -> tuple[FeedState, PollOutcome]:
            first = asyncio.create_task(poller.poll(feed))
            await asyncio.to_thread(entered.wait, 30)
            if interrupted == "cancelled":
                first.cancel()
            with pytest.raises(StateError if interrupted == "failed" else asyncio.CancelledError):
                await first
            state = await store.run(store.feed_state, "wire")
            return state, await poller.poll(feed)

        try:
            state, second = asyncio.run(scenario())
            entries = store.entry_count()
        finally:
            poller.close()
            store.close()
    assert (second.status, entries) == ("ok", 601)  # the whole feed read, not a 304
    if first_poll == "mark-seen":  # still a first poll: the backlog is seen, not examined
        assert (second.new_entries - second.skipped, routed) == (0, [])
    else:  # the first poll's alert was recorded with it; the rest is examined again
        assert routed == ["vote-1"]
    assert (state.last_success, state.etag) == (None, None)
