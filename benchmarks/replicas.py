"""Replicas sharing a PostgreSQL state: how the polling divides, and what a cycle costs.

Usage: python benchmarks/replicas.py [--feeds 500] [--interval 10] [--cycles 3]
           [--replicas 1,3]

Starts a real PostgreSQL (the server binaries on the machine, as the tests do) and a local
feed server, then for each replica count runs that many ``news-monitor run`` processes on
a fresh database with every feed at ``--interval`` seconds. After every feed's first poll
it measures ``--cycles`` intervals of steady polling (all 304): requests per replica (the
feed server counts them, each replica's log says which were its own), the shortest time
between two requests for one feed (in intervals: under 1 would be a feed polled twice in an
interval), CPU seconds of the replicas per cycle (from /proc) and database
transactions per cycle (``pg_stat_database``). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from tests.helpers import daemon_env, make_rules  # noqa: E402
from tests.pgserver import PostgresServer, unavailable  # noqa: E402
from tests.servers import FeedServer, rss, serving  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def commits(url: str) -> int:
    with psycopg.connect(url) as db:
        row = db.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def polls_in(log: Path) -> int:
    count = 0
    for line in log.read_text().splitlines():
        try:
            count += json.loads(line).get("message") == "poll: feed polled"
        except ValueError:
            continue
    return count


def run(server: PostgresServer, replicas: int, feeds: int, interval: float, cycles: int) -> dict:
    url = server.create_database(f"bench_{replicas}_{int(time.time())}")
    folder = Path(tempfile.mkdtemp(prefix="news-monitor-replicas-"))
    names = [f"f{i:04d}" for i in range(feeds)]
    with serving(FeedServer()) as server_feeds:
        for i, name in enumerate(names):
            server_feeds.feeds[f"/{name}"] = rss(
                [{"title": f"Bakery {i} wins a prize", "guid": f"b{i}", "description": "Bread."}]
            )
        make_rules(folder, {n: server_feeds.url(f"/{n}") for n in names}, interval=f"{interval:g}s")
        env = daemon_env(folder, database_url=url, max_fetches_per_host="32")
        logs = [folder / f"replica-{n}.log" for n in range(replicas)]
        processes = []
        for log in logs:
            with log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "monitor", "run"],
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=out,
                    )
                )
        try:
            while len({path for _, path in list(server_feeds.arrivals)}) < feeds:
                time.sleep(0.2)
            time.sleep(interval)  # past the first (examining) round into steady polling
            start = time.monotonic()
            cpu0 = [cpu_seconds(p.pid) for p in processes]
            polls0 = [polls_in(log) for log in logs]
            commits0 = commits(url)
            time.sleep(cycles * interval)
            cpu1 = [cpu_seconds(p.pid) for p in processes]
            polls1 = [polls_in(log) for log in logs]
            commits1 = commits(url)
            end = time.monotonic()
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(60)
        window = [(at, path) for at, path in list(server_feeds.arrivals) if start <= at < end]
    times: dict[str, list[float]] = defaultdict(list)
    for at, path in window:
        times[path].append(at)
    gaps = [b - a for ats in times.values() for a, b in itertools.pairwise(sorted(ats))]
    return {
        "replicas": replicas,
        "requests": len(window),
        "requests_per_replica": [b - a for a, b in zip(polls0, polls1, strict=True)],
        "shortest_gap": min(gaps) / interval,
        "cpu_per_cycle": sum(b - a for a, b in zip(cpu0, cpu1, strict=True)) / cycles,
        "commits_per_cycle": (commits1 - commits0) / cycles,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--replicas", default="1,3")
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        sys.exit(f"replicas: no PostgreSQL: {reason}")
    server = PostgresServer.start()
    try:
        results = [
            run(server, int(n), args.feeds, args.interval, args.cycles)
            for n in args.replicas.split(",")
        ]
    finally:
        server.stop()
    base = results[0]
    print(f"{args.feeds} feeds every {args.interval:g} s, {args.cycles} steady cycles (all 304)")
    print(
        "replicas | requests/cycle | per replica | shortest gap/interval | CPU s/cycle"
        " | CPU ms/request | commits/cycle"
    )
    for r in results:
        print(
            f"{r['replicas']:>8} | {r['requests'] / args.cycles:>14.0f} | "
            f"{'/'.join(str(round(n / args.cycles)) for n in r['requests_per_replica']):>11} | "
            f"{r['shortest_gap']:>21.2f} | {r['cpu_per_cycle']:>11.2f} | "
            f"{1000 * r['cpu_per_cycle'] * args.cycles / max(1, r['requests']):>14.1f} | "
            f"{r['commits_per_cycle']:>13.0f}"
        )
    for r in results[1:]:
        print(
            f"{r['replicas']} replicas vs {base['replicas']}: CPU per cycle "
            f"{r['cpu_per_cycle'] / base['cpu_per_cycle']:.2f}x, commits per cycle "
            f"{r['commits_per_cycle'] / base['commits_per_cycle']:.2f}x"
        )


if __name__ == "__main__":
    main()
