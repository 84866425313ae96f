"""Three replicas on one real PostgreSQL: 500 feeds polled once per interval between them,
one development per event, every alert delivered once; kill -9 of one replica mid-cycle
and its feeds resume within 1.5 intervals, nothing lost or doubled."""

from __future__ import annotations

import itertools
import signal
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from monitor.replicas import LEASE_SHARE
from tests.helpers import HOOK, SHIFT_ITEM, VOTE_ITEM, daemon_env, make_rules, start_daemon
from tests.servers import FeedServer, Receiver, rss, serving

FEEDS = 500
INTERVAL = 10.0  # seconds; the daemons claim due feeds every twentieth of it
LEASE = INTERVAL * LEASE_SHARE  # a claim not settled by then is taken over
VOTE_FEEDS = range(0, FEEDS, 41)  # the first event, on 13 feeds from the first poll on
SHIFT_FEEDS = range(7, FEEDS, 43)  # the second, published just after a replica is killed


def bland(i: int) -> dict[str, str]:
    return {
        "title": f"Local bakery {i} wins a prize",
        "guid": f"bakery-{i}",
        "description": "A bakery won a regional prize for its sourdough bread.",
    }


def wait_for(what: str, done: Callable[[], bool], seconds: float, url: str) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            outbox = query(url, "SELECT state, COUNT(*) FROM outbox GROUP BY state")
            claims = query(url, "SELECT * FROM channel_claims")
            pytest.fail(f"timed out waiting for {what}; outbox {outbox}, claims {claims}")
        time.sleep(0.5)  # the feed server shares this process: leave it the CPU


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as db:
        return list(db.execute(sql).fetchall())


def test_three_replicas_share_the_work_and_survive_a_kill(
    tmp_path: Path, postgres_url: str
) -> None:
    names = [f"f{i:03d}" for i in range(FEEDS)]
    with serving(FeedServer()) as feeds, serving(Receiver()) as receiver:
        for i, name in enumerate(names):
            vote = [{**VOTE_ITEM, "guid": f"vote-{i}"}] if i in VOTE_FEEDS else []
            feeds.feeds[f"/{name}"] = rss([bland(i), *vote])
        make_rules(tmp_path, {name: feeds.url(f"/{name}") for name in names}, HOOK, interval="10s")
        env = {
            **daemon_env(
                tmp_path,
                database_url=postgres_url,
                delivery_interval_seconds="0.5",
                max_fetches_per_host="32",
            ),
            "TEST_HOOK_URL": receiver.url(),
        }
        logs = [tmp_path / f"replica-{n}.log" for n in range(3)]
        replicas = [start_daemon(env, log) for log in logs]
        try:
            latest: dict[str, float] = {}  # each feed's last request, read incrementally
            scanned = [0]

            def polled_since(moment: float, indexes: range | list[int]) -> bool:
                end = len(feeds.arrivals)
                for at, path in feeds.arrivals[scanned[0] : end]:
                    latest[path] = at
                scanned[0] = end
                return all(latest.get(f"/{names[i]}", -1.0) >= moment for i in indexes)

            def settled() -> bool:
                rows = query(postgres_url, "SELECT COUNT(*) FROM outbox WHERE state <> 'delivered'")
                return rows[0][0] == 0

            started = time.monotonic()
            wait_for(
                "a first poll of every feed",
                lambda: polled_since(0, range(FEEDS)),
                60,
                postgres_url,
            )
            first_round = time.monotonic() - started
            holders = {h for (h,) in query(postgres_url, "SELECT DISTINCT holder FROM feed_leases")}
            wait_for(
                "the vote's alert delivered", lambda: receiver.accepted != [], 20, postgres_url
            )
            wait_for("the outbox drained", settled, 20, postgres_url)
            steady = time.monotonic()  # kill in steady polling, not in the first round's rush
            wait_for("a second poll", lambda: polled_since(steady, range(FEEDS)), 30, postgres_url)

            victim = replicas[0]
            victim.send_signal(signal.SIGKILL)  # mid-cycle: it holds leases and polls in flight
            victim.wait(10)
            killed = time.monotonic()
            orphans = {  # the feeds it claimed last: the others must take them over
                feed
                for (feed,) in query(
                    postgres_url,
                    f"SELECT feed FROM feed_leases WHERE holder LIKE '%:{victim.pid}:%'",
                )
            }
            for i in SHIFT_FEEDS:
                feeds.feeds[f"/{names[i]}"] = rss([bland(i), {**SHIFT_ITEM, "guid": f"shift-{i}"}])
            wait_for(
                "the shift's feeds polled",
                lambda: polled_since(killed, SHIFT_FEEDS),
                20,
                postgres_url,
            )
            wait_for(
                "every feed polled after the kill",
                lambda: polled_since(killed, range(FEEDS)),
                20,
                postgres_url,
            )
            wait_for("the outbox drained", settled, 20, postgres_url)
            ended = time.monotonic()
        finally:
            for replica in replicas:
                if replica.poll() is None:
                    replica.send_signal(signal.SIGTERM)
            for replica in replicas:
                try:
                    replica.wait(30)
                except subprocess.TimeoutExpired:
                    replica.kill()
        if not settled():
            # Stopped replicas finish the polls they have in flight and may record alerts
            # after the outbox was last seen drained: the next replica delivers those.
            drainer = start_daemon(env, tmp_path / "replica-next.log")
            try:
                wait_for("the next replica drained the outbox", settled, 30, postgres_url)
            finally:
                drainer.send_signal(signal.SIGTERM)
                drainer.wait(30)
        arrivals: dict[str, list[float]] = defaultdict(list)
        for at, path in list(feeds.arrivals):
            if at <= ended:
                arrivals[path].append(at)
        accepted = list(receiver.accepted)

    assert len(holders) == 3, f"every replica claimed feeds: {holders}"
    assert orphans, "the victim held feeds when it was killed"
    victims_wait = 0.0
    for name in names:
        times = sorted(arrivals[f"/{name}"])
        # one replica per interval: no second request within half an interval, but for a
        # poll the victim made and could not record: polled again once its lease ran out
        interrupted = (killed - LEASE - 1.0, killed)
        short = [
            (round(a - killed, 2), round(b - a, 2))
            for a, b in itertools.pairwise(times)
            if b - a < 0.5 * INTERVAL and not interrupted[0] <= a <= interrupted[1]
        ]
        assert not short, f"{name} polled twice in an interval (since the kill, gap): {short}"
        # ...and never more requests than intervals passed (plus the first)
        assert len(times) <= 2 + (ended - times[0]) / INTERVAL, f"{name}: {len(times)} polls"
        # a dead replica's feeds resume within 1.5 intervals of their last poll
        if name in orphans:
            before = max(t for t in times if t < killed)
            resumed = min(t for t in times if t > killed)
            waited = resumed - before
            victims_wait = max(victims_wait, waited)
            assert waited <= 1.5 * INTERVAL, f"{name} (the victim's) waited {waited:.1f} s"

    developments = query(postgres_url, "SELECT rule, evidence FROM developments")
    assert len(developments) == 2, f"one development per event: {developments}"
    recorded = {key for (key,) in query(postgres_url, "SELECT key FROM alerts")}
    keys = [item.headers["Idempotency-Key"] for item in accepted]
    assert sorted(keys) == sorted(recorded), "every alert delivered, each once"
    states = query(postgres_url, "SELECT state, COUNT(*) FROM outbox GROUP BY state")
    assert states == [("delivered", len(recorded))]
    lag = max(
        b - a
        for times in arrivals.values()
        for a, b in itertools.pairwise(sorted([*times, ended]))
        if b >= killed
    )
    print(
        f"\nreplicas: first round of {FEEDS} feeds in {first_round:.1f} s; after the kill the "
        f"longest wait of any feed {lag:.1f} s, {len(orphans)} feeds taken over, the longest"
        f" wait of one of those {victims_wait:.1f} s"
    )
