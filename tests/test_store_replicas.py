"""What replicas agree through the store, on SQLite and on PostgreSQL: feed leases, channel
claims, the rate limit's sends and the development decisions counter."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from monitor.models import Development, OutletReport, ReportTrace
from monitor.replicas import FeedLeases
from monitor.sources.feeds import FeedConfig
from monitor.store import REPORTS_KEPT, Store, open_store
from tests.helpers import commit_developments

T0 = datetime(2027, 1, 1, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


LEASE = timedelta(seconds=10)


def settle(store: Store, holder: str, names: list[str]) -> list[str]:
    for name in names:
        store.finish_feed(name, holder)
    return names


def present(store: Store, *holders: str) -> Store:
    """``store`` showing ``holders`` running: their claims last until they run out."""
    for holder in holders:
        store.be_present(holder)
    return store


def test_a_claimed_feed_is_not_due_again_until_its_interval(any_store: Store) -> None:
    present(any_store, "one", "two")
    any_store.lease_feeds(["a", "b", "c"], T0)
    leases = {"a": (MINUTE, LEASE), "b": (MINUTE, LEASE), "c": (2 * MINUTE, LEASE)}
    assert settle(any_store, "one", any_store.claim_feeds(leases, "one", T0, 2)) == ["a", "b"]
    assert settle(any_store, "two", any_store.claim_feeds(leases, "two", T0, 5)) == ["c"]
    assert any_store.claim_feeds(leases, "two", T0 + MINUTE / 2, 5) == []
    assert settle(any_store, "two", any_store.claim_feeds(leases, "two", T0 + MINUTE, 5)) == [
        "a",
        "b",
    ]
    assert any_store.feed_holders() == {"a": "two", "b": "two", "c": "two"}
    any_store.lease_feeds(["a"], T0 + 10 * MINUTE)  # a known feed keeps its schedule
    assert any_store.feed_due("a") == T0 + 2 * MINUTE
    any_store.finish_feed("c", "one", T0 + 5 * MINUTE)  # not its lease: nothing changes
    assert any_store.feed_due("c") == T0 + 2 * MINUTE
    any_store.finish_feed("c", "two", T0 + 5 * MINUTE)  # a failing feed backs off
    assert any_store.claim_feeds({"c": (MINUTE, LEASE)}, "one", T0 + 4 * MINUTE, 5) == []
    assert any_store.claim_feeds({"c": (MINUTE, LEASE)}, "one", T0 + 5 * MINUTE, 5) == ["c"]
    # a feed only another replica knows is left to it
    assert any_store.claim_feeds({"a": (MINUTE, LEASE)}, "one", T0 + 9 * MINUTE, 5) == ["a"]
    assert any_store.feed_due("unknown") is None
    any_store.lease_feeds(["d", "e"], T0, spread=MINUTE)
    assert (any_store.feed_due("d"), any_store.feed_due("e")) == (T0, T0 + MINUTE / 2)


def test_a_lease_that_runs_out_unsettled_makes_the_feed_due(any_store: Store) -> None:
    present(any_store, "dead", "live", "other")  # "dead": cut off, its session not ended yet
    any_store.lease_feeds(["a"], T0)
    leases = {"a": (HOUR, LEASE)}
    assert any_store.claim_feeds(leases, "dead", T0, 5) == ["a"]  # and never settled
    assert any_store.claim_feeds(leases, "live", T0 + LEASE / 2, 5) == []
    assert any_store.claim_feeds(leases, "live", T0 + LEASE, 5) == ["a"]
    any_store.renew_feeds(["a"], "dead", T0 + 10 * LEASE)  # not its lease any more
    assert any_store.claim_feeds(leases, "other", T0 + 2 * LEASE, 5) == ["a"]
    any_store.renew_feeds(["a"], "other", T0 + 10 * LEASE)  # a poll still in flight
    assert any_store.claim_feeds(leases, "live", T0 + 9 * LEASE, 5) == []
    assert any_store.claim_feeds(leases, "live", T0 + 10 * LEASE, 5) == ["a"]
    any_store.finish_feed("a", "live")
    assert any_store.claim_feeds(leases, "live", T0 + 11 * LEASE, 5) == []  # settled
    assert any_store.feed_due("a") == T0 + 10 * LEASE + HOUR


def test_a_replicas_clock_stepped_back_brings_back_the_feeds_it_scheduled(
    any_store: Store,
) -> None:
    """The feeds a replica claimed were due an interval after its clock before the step;
    after its clock stepped back an hour, claims at its time found none of them due for an
    hour. Now the times it wrote come back by the step (never before now); feeds another
    replica scheduled, and its own leases still in flight, keep theirs."""
    present(any_store, "one", "two")
    any_store.lease_feeds(["near", "far", "theirs", "flying", "new"], T0)
    leases = {name: (MINUTE, LEASE) for name in ("near", "far", "flying")}
    assert any_store.claim_feeds(leases, "one", T0, 5) == ["far", "flying", "near"]
    settle(any_store, "one", ["near"])  # due T0 + 1 min
    any_store.finish_feed("far", "one", T0 + 2 * HOUR)  # backing off
    assert settle(
        any_store, "two", any_store.claim_feeds({"theirs": (MINUTE, LEASE)}, "two", T0, 5)
    )
    any_store.lease_feeds(["new"], T0)  # known: no one claimed it yet, due T0
    now = T0 - HOUR + 30 * timedelta(seconds=1)  # the clock of "one", stepped back an hour
    assert any_store.bring_back_leases("one", HOUR, now) == 3
    due = {name: any_store.feed_due(name) for name in ("near", "far", "theirs", "flying", "new")}
    assert due == {
        "near": T0 - HOUR + MINUTE,
        "far": T0 + HOUR,
        "theirs": T0 + MINUTE,
        "flying": T0 + MINUTE,  # in flight: its end settles it from the clock then
        "new": now,  # would have been before now
    }
    assert any_store.claim_feeds({"new": (MINUTE, LEASE)}, "one", now, 5) == ["new"]


def test_a_poll_across_a_backward_clock_step_is_next_due_from_now(any_store: Store) -> None:
    """A poll that began before its replica's clock stepped back an hour settled its feed
    due an interval after its start, an hour ahead of the clock now."""
    present(any_store, "one")
    clock = [T0]
    leases = FeedLeases(any_store, "one", lambda: clock[0])
    feed = FeedConfig(name="a", url="http://127.0.0.1/a.xml", interval=MINUTE)

    async def scenario() -> None:
        await leases.adopt([feed])
        assert [f.name for f in await leases.claim({"a": feed}, 5)] == ["a"]
        clock[0] = T0 - HOUR + timedelta(seconds=3)
        await leases.finish(feed, started=T0)

    asyncio.run(scenario())
    assert any_store.feed_due("a") == T0 - HOUR + timedelta(seconds=3) + MINUTE


def test_replicas_claiming_at_once_get_each_feed_once(state_location: Path | str) -> None:
    setup = open_store(state_location)
    names = [f"feed-{i:03d}" for i in range(200)]
    setup.lease_feeds(names, T0)
    setup.close()
    leases = dict.fromkeys(names, (MINUTE, LEASE))
    claimed: dict[str, list[str]] = {}
    start, end = threading.Barrier(4), threading.Barrier(4)

    def replica(holder: str) -> None:
        store = present(open_store(state_location), holder)
        start.wait()
        mine: list[str] = []
        while batch := store.claim_feeds(leases, holder, T0, limit=7):
            mine += batch
        claimed[holder] = mine
        end.wait()  # a replica gone would leave its unsettled feeds to the others
        store.close()

    threads = [threading.Thread(target=replica, args=(f"r{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [name for mine in claimed.values() for name in mine]
    assert sorted(every) == names  # each feed exactly once


def test_a_channel_is_drained_by_one_holder_until_its_claim_expires(any_store: Store) -> None:
    present(any_store, "one", "two")
    assert any_store.claim_channel("hook", "one", T0, T0 + MINUTE)
    assert not any_store.claim_channel("hook", "two", T0 + MINUTE / 2, T0 + 2 * MINUTE)
    assert any_store.claim_channel("hook", "one", T0 + MINUTE / 2, T0 + 2 * MINUTE)  # renewed
    assert not any_store.claim_channel("hook", "two", T0 + MINUTE, T0 + 3 * MINUTE)
    assert any_store.claim_channel("hook", "two", T0 + 2 * MINUTE, T0 + 3 * MINUTE)  # expired
    any_store.release_channel("hook", "one")  # not its claim: nothing changes
    assert not any_store.claim_channel("hook", "one", T0 + 2 * MINUTE, T0 + 3 * MINUTE)
    any_store.release_channel("hook", "two")
    assert any_store.claim_channel("hook", "one", T0 + 2 * MINUTE, T0 + 3 * MINUTE)


def test_sends_are_counted_from_a_time_and_kept_for_a_minute(any_store: Store) -> None:
    for second in range(0, 60, 10):
        any_store.record_send("hook", T0 + timedelta(seconds=second))
    any_store.record_send("other", T0)
    assert any_store.sends_since("hook", T0) == 6
    assert any_store.sends_since("hook", T0 + timedelta(seconds=10)) == 5  # from, inclusive
    assert any_store.sends_since("other", T0) == 1
    any_store.record_send("hook", T0 + timedelta(seconds=125))  # drops those over a minute old
    assert any_store.sends_since("hook", T0) == 1


def test_recording_developments_changes_the_decisions_counter(any_store: Store) -> None:
    before = any_store.decisions_seq()
    commit_developments(any_store, [])
    assert any_store.decisions_seq() == before
    commit_developments(
        any_store, [Development("d1", "rule", "stage", T0, T0, ["evidence"], ["f:1"])]
    )
    assert any_store.decisions_seq() != before
    assert any_store.try_decision_lock()
    any_store.release_decision_lock()


def test_a_poll_still_running_keeps_its_feed_past_the_interval(any_store: Store) -> None:
    present(any_store, "slow", "other")
    any_store.lease_feeds(["a"], T0)
    leases = {"a": (MINUTE, LEASE)}
    assert any_store.claim_feeds(leases, "slow", T0, 5) == ["a"]
    for second in range(10, 130, 10):  # renewed every tick, longer than the interval
        any_store.renew_feeds(["a"], "slow", T0 + timedelta(seconds=second) + LEASE)
        assert any_store.claim_feeds(leases, "other", T0 + timedelta(seconds=second), 5) == []
    any_store.finish_feed("a", "slow")
    assert any_store.claim_feeds(leases, "other", T0 + timedelta(seconds=130), 5) == ["a"]


def test_a_gone_replicas_feeds_and_channel_are_taken_over_at_once(postgres_url: str) -> None:
    """A replica is gone when its connection is (killed: the server ends its session at
    once); its unsettled leases and its channel claim are taken over then, long before they
    run out. On SQLite one process uses the state: nothing to take over."""
    live = present(open_store(postgres_url), "live")
    doomed = present(open_store(postgres_url), "doomed")
    try:
        leases = {"a": (HOUR, LEASE), "b": (HOUR, LEASE)}
        live.lease_feeds(["a", "b"], T0)
        assert doomed.claim_feeds(leases, "doomed", T0, 5) == ["a", "b"]
        doomed.finish_feed("b", "doomed")  # settled: due an interval after its claim
        assert doomed.claim_channel("hook", "doomed", T0, T0 + HOUR)
        assert live.claim_feeds(leases, "live", T0 + LEASE / 2, 5) == []  # still running
        assert not live.claim_channel("hook", "live", T0 + LEASE / 2, T0 + HOUR)
    finally:
        doomed.close()
    deadline = time.monotonic() + 10  # the server notices the closed connection
    while not (taken := live.claim_feeds(leases, "live", T0 + LEASE / 2, 5)):
        assert time.monotonic() < deadline, "the gone replica's lease was not taken over"
        time.sleep(0.05)
    try:
        assert taken == ["a"]  # "b" was settled: due at its interval, as always
        assert live.claim_channel("hook", "live", T0 + LEASE / 2, T0 + HOUR)
    finally:
        live.close()


def test_a_development_keeps_its_rules_and_outlets_across_a_restart(any_store: Store) -> None:
    """Each cron run starts from the store: a development comes back with every rule it was
    reported under, its outlets, whether it was alerted and the stage a later report told, so
    later reports group, count and wait for ``confirm`` as they would in a running daemon."""
    development = Development(
        "ceasefire-1", "ceasefire", "reported", T0, T0, ["Truce agreed."], ["e1"], ["ceasefire"]
    )
    development.alerted = False
    commit_developments(any_store, [development])
    development.rules.append("new-development")
    development.outlets += ["wire", "desk"]
    commit_developments(any_store, [development])
    (waiting,) = any_store.developments()
    assert waiting.rules == ["ceasefire", "new-development"]
    assert (waiting.outlets, waiting.alerted) == (["wire", "desk"], False)
    development.alerted = True
    development.stage = "agreed"  # a later report a pattern staged
    development.adopted = True
    development.first_seen = T0 - timedelta(hours=3)  # a late report, older than the first
    # what the story book compares later reports with: bytes and floats come back exact
    vector = np.array([0.1, -2.5e-8, 1 / 3], dtype=np.float32).tobytes()
    development.reports = [ReportTrace(vector, {"truce agreed": 0.1 + 0.2}, ("Truce agreed.",))]
    commit_developments(any_store, [development])
    (confirmed,) = any_store.developments()
    assert (confirmed.alerted, confirmed.stage, confirmed.adopted) == (True, "agreed", True)
    assert confirmed.first_seen == development.first_seen
    assert confirmed.reports == development.reports


def test_a_replica_cut_off_shows_it_runs_again_once_its_old_session_is_gone(
    postgres_url: str,
) -> None:
    """A replica cut off from the server (a network cut) opens a new session while the
    server still keeps its old one, which holds the replica's presence lock; when the
    server ends the old session at last, the replica must take its presence again, or the
    others take over the feeds it is still polling (and its channels) at once. The old
    session is played by a connection of its own holding the same lock."""
    import psycopg

    from monitor.errors import StateError
    from monitor.store_db import PRESENCE_LOCKS

    cut = present(open_store(postgres_url), "cut")
    other = present(open_store(postgres_url), "other")
    old_session = psycopg.connect(postgres_url, autocommit=True)
    try:
        leases = {"a": (HOUR, LEASE)}
        cut.lease_feeds(["a"], T0)
        assert cut.claim_feeds(leases, "cut", T0, 5) == ["a"]  # its poll runs
        (pid,), *_ = cut._rows("SELECT pg_backend_pid()")
        other._rows("SELECT pg_terminate_backend(?)", (pid,))  # the cut, as the replica sees it
        old_session.execute(f"SELECT pg_advisory_lock({PRESENCE_LOCKS}, hashtext('cut'))")
        with pytest.raises(StateError):
            cut.renew_feeds(["a"], "cut", T0 + LEASE)
        cut.renew_feeds(["a"], "cut", T0 + LEASE)  # a new session, the old one still there
        old_session.close()  # the server ends the old session at last
        deadline = time.monotonic() + 10
        held = (
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            f" AND classid = {PRESENCE_LOCKS} AND objid = hashtext('cut')::oid"
        )
        while other._rows(held):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        for second in (1, 2):  # the replica's next ticks renew its lease
            cut.renew_feeds(["a"], "cut", T0 + LEASE + timedelta(seconds=second))
            assert other.claim_feeds(leases, "other", T0 + timedelta(seconds=second), 5) == []
        assert other.claim_feeds(leases, "other", T0 + LEASE * 3, 5) == ["a"]  # ran out
    finally:
        old_session.close()
        cut.close()
        other.close()


def test_reports_for_corroboration_are_shared_and_forgotten_after_their_days(
    any_store: Store,
) -> None:
    """A poll stores what detection observed; another replica (or the daemon after a
    restart) reads what it did not store itself, after the last row it read; reports older
    than ``REPORTS_KEPT`` are forgotten as polls go on."""
    vector = np.array([0.6, 0.8], dtype=np.float32).tobytes()
    old = OutletReport(0, "wire", T0 - REPORTS_KEPT - timedelta(hours=1), vector)
    fresh = OutletReport(0, "paper", T0 - timedelta(hours=2), vector)
    commit_developments(any_store, [], T0, observed=[old, fresh], observer="replica-a")
    since = T0 - REPORTS_KEPT
    rows, others = any_store.stored_reports(0, [], since, "replica-a")
    assert (len(rows), others) == (1, [])  # its own: the row, not the report
    rows, (read,) = any_store.stored_reports(0, [], T0 - 2 * REPORTS_KEPT, "replica-b")
    assert (read.outlet, read.at, read.vector) == ("paper", fresh.at, vector)  # old: forgotten
    assert rows == [read.id] and read.id > 0
    assert any_store.stored_reports(read.id, [], since, "replica-b") == ([], [])
    assert any_store.stored_reports(read.id, [read.id], since, "replica-b") == (rows, [read])
