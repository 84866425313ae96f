"""Development decisions across replicas on one PostgreSQL state (``SharedDecisions``)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import psycopg
import pytest

from monitor.errors import DecisionsMoved, StateError
from monitor.models import Development
from monitor.replicas import SharedDecisions
from monitor.store import open_store
from monitor.store_db import DECISION_LOCK
from tests.helpers import commit_developments

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
