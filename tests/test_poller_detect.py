"""What a poll's detection job hands to the store: the developments it opened or extended,
as copies, and whether the book was reset since (then the poll detects again)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.detect.engine import Detector
from monitor.errors import StateError
from monitor.models import Alert, Article
from monitor.poller import Detected, Poller
from monitor.ruleset import load_ruleset
from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import Store, open_store
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


def fail_once(monkeypatch: pytest.MonkeyPatch, store: Store, *names: str) -> set[str]:
    """Make each of the store's calls ``names`` raise ``StateError`` once (a database gone
    and back); returns the names still to fail."""
    failing = set(names)

    def failing_once(name: str) -> Callable[..., object]:
        real = getattr(store, name)

        def call(*args: object, **kwargs: object) -> object:
            if name in failing:
                failing.discard(name)
                raise StateError(f"{name}: disk I/O error")
            return real(*args, **kwargs)

        return call

    for name in names:
        monkeypatch.setattr(store, name, failing_once(name))
    return failing


@contextlib.contextmanager
def routing_poller(tmp_path: Path) -> Iterator[tuple[Store, Poller, list[str]]]:
    """A poller on a fresh store whose routing notes each alert's type; closed after."""
    ruleset = load_ruleset(RULES)
    detector = Detector(ruleset.claims, ruleset.rules)
    store = open_store(tmp_path / "state.db")
    routed: list[str] = []

    def route(alert: Alert) -> list[str]:
        routed.append(alert.type)
        return []

    poller = Poller(Fetcher(FetchLimits()), store, lambda: detector, route)
    try:
        yield store, poller, routed
    finally:
        poller.close()
        store.close()


def test_a_poll_whose_commit_and_reload_both_failed_alerts_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database failed to record a poll and then to give back the developments: the
    book must not keep what was never recorded, or the entry, examined again, would find
    itself already known and its alert would be lost."""
    with routing_poller(tmp_path) as (store, poller, routed), serving(FeedServer()) as server:
        failing = fail_once(monkeypatch, store, "commit_poll", "developments")
        server.feeds["/wire.xml"] = rss([VOTE_ITEM])
        feed = FeedConfig(name="wire", url=server.url("/wire.xml"))

        async def scenario() -> None:
            with pytest.raises(StateError):
                await poller.poll(feed)
            assert not failing
            await poller.poll(feed)

        asyncio.run(scenario())
    assert routed == ["alert"], routed  # an alert, not an update of itself


def test_a_book_emptied_by_a_failed_reload_is_reloaded_before_it_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a failed commit and a failed reload the book holds nothing; the next decision
    must rest on what the store recorded, or a second report of a development already
    alerted goes out as a new alert."""
    with routing_poller(tmp_path) as (store, poller, routed), serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = rss([VOTE_ITEM])
        server.feeds["/other.xml"] = rss([{**VOTE_ITEM, "guid": "vote-copy"}])
        wire = FeedConfig(name="wire", url=server.url("/wire.xml"))
        other = FeedConfig(name="other", url=server.url("/other.xml"))

        async def scenario() -> None:
            await poller.poll(wire)
            fail_once(monkeypatch, store, "commit_poll", "developments")
            with pytest.raises(StateError):
                await poller.poll(other)
            await poller.poll(other)

        asyncio.run(scenario())
    # the copy repeats what the story has told (the store keeps the report's sentences), as
    # it would have without the failures: known, not a second alert
    assert routed == ["alert"], routed


def test_a_job_queued_behind_a_failed_reload_waits_for_the_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another feed's detection, queued on the worker while a failed reload empties the
    book, must not decide on the emptied book (a second report of an alerted development
    would go out as a new alert)."""
    # the poll reads the feed's entry (dated ahead) at the clock's time, so the copy comes
    # five minutes after it by the same clock: within the development's day
    later = datetime.now(UTC) + timedelta(minutes=5)
    second = Article(
        id="vote-copy", feed="other", title=VOTE.title, text=VOTE.text, published=later
    )
    with routing_poller(tmp_path) as (store, poller, routed), serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = rss([VOTE_ITEM])
        wire = FeedConfig(name="wire", url=server.url("/wire.xml"))
        detector = poller.detector()

        async def scenario() -> Detected:
            await poller.poll(wire)
            gate = threading.Event()  # holds the worker so both jobs queue behind it
            held = asyncio.get_running_loop().run_in_executor(poller._worker, gate.wait)
            fail_once(monkeypatch, store, "developments")
            reload = asyncio.create_task(poller._reload(detector.book))
            await asyncio.sleep(0.2)  # the failed read is in; the emptying job queued
            detect = asyncio.create_task(poller._detect(detector, [second], later))
            await asyncio.sleep(0.2)
            gate.set()
            await held
            with pytest.raises(StateError):
                await reload
            return await detect

        detected = asyncio.run(scenario())
    assert routed == ["alert"]
    # the store's book knows the development: the copy is a report of it (no new alert)
    assert [a.type for a in detected.alerts if a.type == "alert"] == [], detected.alerts


OTHER_VOTE_ITEM = {
    "title": "MPs approve British troop mission in Ukraine",
    "guid": "vote-2",
    "description": "The Commons voted by 401 to 60 to send British soldiers to Ukraine with "
    "the multinational force, the government said.",
    "pubDate": "Wed, 03 Mar 2027 22:30:00 GMT",
}


def _same(detector: Detector) -> Detector:
    return detector


def _polls(tmp_path: Path, runs: list[list[str]]) -> tuple[list[tuple[str, float, int]], Detector]:
    """Poll the feeds ``wire`` and ``paper`` of one state, each run by a poller of its own
    (a restart between runs, as each cron run is); the alerts and updates routed (type,
    confidence, outlets) and the last run's detector."""
    ruleset = load_ruleset(RULES)
    routed: list[tuple[str, float, int]] = []

    def route(alert: Alert) -> list[str]:
        routed.append((alert.type, alert.confidence, alert.outlets))
        return []

    with serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = rss([VOTE_ITEM])
        server.feeds["/paper.xml"] = rss([OTHER_VOTE_ITEM])
        for names in runs:
            store = open_store(tmp_path / "state.db")
            detector = Detector(ruleset.claims, ruleset.rules)
            detector.book.reset(store.developments())
            poller = Poller(
                Fetcher(FetchLimits()), store, functools.partial(_same, detector), route
            )

            async def run(names: list[str] = names, poller: Poller = poller) -> None:
                for name in names:
                    await poller.poll(FeedConfig(name=name, url=server.url(f"/{name}.xml")))

            try:
                asyncio.run(run())
            finally:
                poller.close()
                store.close()
    return routed, detector


def test_a_restarted_daemon_knows_what_corroborates_as_the_running_one(tmp_path: Path) -> None:
    """The paper's report of the vote is scored with the wire's report of it as its
    corroboration, whether the daemon ran on or started again between the two polls (each
    cron run does): the state keeps what each poll observed."""
    running, _ = _polls(tmp_path / "running", [["wire", "paper"]])
    restarted, detector = _polls(tmp_path / "restarted", [["wire"], ["paper"]])
    assert [kind for kind, _, _ in running] == ["alert", "update"], running
    assert restarted == running
    assert len(detector.recent) == 2  # the wire's report, taken in, and its own


def test_an_entry_still_listed_is_not_forgotten_and_never_alerts_again(tmp_path: Path) -> None:
    """An undated entry the feed kept listing, through 304s and full responses: its
    ``last_seen`` was never written again, pruning forgot it 30 days after it was first
    seen, and the next full response took it as new (it was examined, and alerted again).
    One the feed no longer lists is forgotten."""
    undated = {k: v for k, v in VOTE_ITEM.items() if k != "pubDate"}
    dropped = {"title": "Weather", "guid": "weather-0", "description": "Rain in town."}
    ruleset = load_ruleset(RULES)
    detector = Detector(ruleset.claims, ruleset.rules)
    store = open_store(tmp_path / "state.db")
    routed: list[str] = []
    clock = [T0]
    poller = Poller(
        Fetcher(FetchLimits()),
        store,
        lambda: detector,
        lambda alert: routed.append(alert.article.id) or [],
        clock=lambda: clock[0],
    )
    timeline = [  # (day, the feed's entries, the poll's status, its new entries)
        (0, [undated, dropped], "ok", 2),
        (10, [undated, dropped], "not-modified", 0),
        (20, [undated], "ok", 0),
        (29, [undated], "not-modified", 0),
        (40, [undated], "not-modified", 0),
        (55, [undated], "not-modified", 0),
    ]
    with serving(FeedServer()) as server:
        feed = FeedConfig(name="wire", url=server.url("/wire.xml"))

        async def scenario() -> list[tuple[int, str, int]]:
            polled = []
            for day, items, _, _ in timeline:
                clock[0] = T0 + timedelta(days=day)
                server.feeds["/wire.xml"] = rss(items)
                outcome = await poller.poll(feed)
                polled.append((day, outcome.status, outcome.new_entries))
            pruned = store.prune_entries(clock[0] - timedelta(days=30))
            clock[0] += timedelta(hours=1)
            later = {"title": "Markets", "guid": "markets-1", "description": "Shares rose."}
            server.feeds["/wire.xml"] = rss([undated, later])
            outcome = await poller.poll(feed)
            return [*polled, (pruned, outcome.status, outcome.new_entries)]

        try:
            polled = asyncio.run(scenario())
        finally:
            poller.close()
            store.close()
    assert polled == [*((day, s, n) for day, _, s, n in timeline), (1, "ok", 1)]
    assert routed == ["vote-1"]
