"""Development decisions across replicas on one PostgreSQL state (``SharedDecisions``)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import psycopg
import pytest

from monitor.detect.engine import Detector as EngineDetector
from monitor.errors import DecisionsMoved, StateError
from monitor.models import Alert, Development
from monitor.poller import Poller
from monitor.replicas import SharedDecisions
from monitor.ruleset import load_ruleset
from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher, FetchLimits
from monitor.store import open_store
from monitor.store_db import DECISION_LOCK
from tests.conftest import RULES
from tests.helpers import VOTE_ITEM, commit_developments
from tests.servers import FeedServer, rss, serving

T0 = datetime(2027, 1, 1, tzinfo=UTC)


class Detector:
    """What ``deciding`` reads of a detector: its book (here, the times it was reloaded)."""

    def __init__(self) -> None:
        self.book: list[str] = []


def development(name: str) -> Development:
    return Development(name, "rule", "stage", T0, T0, ["evidence"], [f"f:{name}"])


def test_a_replica_that_lost_the_decision_lock_with_its_session_records_nothing(
    postgres_url: str,
) -> None:
    """A's session ends while it decides: its store reconnects without the lock, and B
    takes the lock and records a development. A's commit, decided on a book without B's,
    records nothing; A's next turn takes B's in first."""
    store_a, store_b = open_store(postgres_url), open_store(postgres_url)
    store_a.be_present("a")
    store_b.be_present("b")
    admin = psycopg.connect(postgres_url, autocommit=True)
    seen = store_a.decisions_seq()
    a, b = SharedDecisions(store_a, seen), SharedDecisions(store_b, seen)
    detector = Detector()

    async def reload(book: list[str]) -> None:
        book.append("reloaded")

    async def scenario() -> bool:
        async with a.deciding(detector, reload) as turn_a:  # type: ignore[arg-type]
            assert not turn_a.stale
            (pid,) = store_a._rows("SELECT pg_backend_pid()")[0]
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            await asyncio.sleep(0.3)
            with pytest.raises(StateError):
                await store_a.run(store_a.ping)
            await store_a.run(store_a.ping)  # a new session, without the lock
            async with asyncio.timeout(5), b.deciding(Detector(), reload) as turn_b:  # type: ignore[arg-type]
                await store_b.run(
                    lambda: commit_developments(store_b, [development("b")], decided_on=turn_b.seen)
                )
                turn_b.recorded()
            with pytest.raises(DecisionsMoved):
                await store_a.run(
                    lambda: commit_developments(store_a, [development("a")], decided_on=turn_a.seen)
                )
        async with a.deciding(detector, reload) as turn:  # type: ignore[arg-type]
            return turn.stale

    try:
        stale = asyncio.run(scenario())
        recorded = [d.id for d in store_b.developments()]
        counter = store_b.decisions_seq()
    finally:
        admin.close()
        store_a.close()
        store_b.close()
    assert recorded == ["b"]
    assert counter == seen + 1
    assert stale and detector.book == ["reloaded"]


def test_a_replica_holding_the_decision_lock_too_long_is_named_and_decided_past(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A replica frozen while it holds the lock does not hold the others' polls without
    bound: past the wait they decide without it (the commit's check keeps them right)."""
    frozen = psycopg.connect(postgres_url, autocommit=True)
    frozen.execute("SELECT pg_advisory_lock(%s)", (DECISION_LOCK,))
    store = open_store(postgres_url)
    seen = store.decisions_seq()
    decisions = SharedDecisions(store, seen, wait=0.3)

    async def noreload(book: list[str]) -> None:
        return None

    async def scenario() -> None:
        async with asyncio.timeout(10), decisions.deciding(Detector(), noreload) as turn:  # type: ignore[arg-type]
            await store.run(
                lambda: commit_developments(store, [development("d")], decided_on=turn.seen)
            )
            turn.recorded()

    try:
        with caplog.at_level(logging.WARNING, logger="monitor.replicas"):
            asyncio.run(scenario())
        still_held = not store.try_decision_lock()  # left alone: not this replica's lock
        counter = store.decisions_seq()
    finally:
        frozen.close()
        store.close()
    assert still_held
    assert counter == seen + 1
    assert any("held the decision lock" in r.getMessage() for r in caplog.records)


def test_the_state_connection_keeps_tcp_keepalives_both_ways(postgres_url: str) -> None:
    """A peer cut off is noticed within about a minute, by either side: the server ends a
    cut-off replica's session, and with it its locks."""
    store = open_store(postgres_url)
    try:
        server = store._rows(
            "SELECT current_setting('tcp_keepalives_idle'),"
            " current_setting('tcp_keepalives_interval'), current_setting('tcp_keepalives_count')"
        )[0]
        client = store._guarded(lambda db: db._conn.info.get_parameters())  # type: ignore[attr-defined]
    finally:
        store.close()
    assert tuple(server) == ("20", "10", "3")
    assert (client["keepalives"], client["keepalives_idle"], client["keepalives_count"]) == (
        "1",
        "20",
        "3",
    )


def server_keepalive_idle(url: str) -> str:
    store = open_store(url)
    try:
        return str(store._rows("SELECT current_setting('tcp_keepalives_idle')")[0][0])
    finally:
        store.close()


def test_keepalives_the_url_sets_are_left_as_it_sets_them(postgres_url: str) -> None:
    """The URL's own server setting stands, and keepalives turned off leave the server's
    default (the operating system's), not this project's 20 s."""
    assert server_keepalive_idle(f"{postgres_url}?options=-c%20tcp_keepalives_idle%3D300") == "300"
    assert server_keepalive_idle(f"{postgres_url}?keepalives=0") != "20"
    assert server_keepalive_idle(postgres_url) == "20"


def test_a_poll_whose_decision_guard_failed_alerts_next_time(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state fails as a poll enters the decision guard, after detection changed its book:
    the book is put back to what the store recorded, so the next poll alerts (it found the
    report already in an unrecorded development and sent nothing)."""
    ruleset = load_ruleset(RULES)
    store = open_store(postgres_url)
    decisions = SharedDecisions(store, store.decisions_seq())
    detector = EngineDetector(ruleset.claims, ruleset.rules)
    routed: list[str] = []

    def route(alert: Alert) -> list[str]:
        routed.append(alert.type)
        return ["desk"]

    poller = Poller(
        Fetcher(FetchLimits()), store, lambda: detector, route, deciding=decisions.deciding
    )
    answered = store.decisions_seq
    failures = [StateError("decisions_seq: connection lost")]

    def decisions_seq() -> int:
        if failures:
            raise failures.pop()
        return answered()

    monkeypatch.setattr(store, "decisions_seq", decisions_seq)  # the state fails once
    with serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = rss([VOTE_ITEM])
        wire = FeedConfig(name="wire", url=server.url("/wire.xml"))

        async def two_polls() -> None:
            with pytest.raises(StateError):
                await poller.poll(wire)
            assert [d.id for d in detector.book.developments] == []  # as the store
            await poller.poll(wire)

        try:
            asyncio.run(two_polls())
            assert routed == ["alert"]
            assert len(store.developments()) == 1
        finally:
            poller.close()
            store.close()
