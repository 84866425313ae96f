"""Development decisions across replicas on one PostgreSQL state (``SharedDecisions``)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import psycopg
import pytest

from monitor.errors import DecisionsMoved, StateError
from monitor.models import Development
from monitor.replicas import SharedDecisions
from monitor.store import open_store
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
