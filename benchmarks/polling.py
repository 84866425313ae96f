"""Poll many local feeds through the real service: feeds/s, CPU seconds and peak memory.

Usage: python benchmarks/polling.py [--feeds 1000] [--hosts 50] [--changed 0.1]
           [--latency-ms MS] [--order interleaved|site|both]

A separate process serves the feeds on loopback addresses 127.0.0.10.. (one server per
"host", so per-host limits apply as in real life), each response delayed 100-300 ms like a
real server (or exactly ``--latency-ms``). Cycle 1 fetches everything (all new); cycle 2
finds most feeds unchanged (304) and a fraction changed (one new entry each). CPU time and
peak RSS are this process's own, so the server's work is not counted.

``--order`` lists the feeds interleaved (host 0, 1, 2, ..., 0, 1, ...) or site by site (all
feeds of host 0, then of host 1, ..., as hand-written feed lists usually are); ``both``
runs the two side by side and prints the ratio of their cycle times.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import multiprocessing
import resource
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.app import Service  # noqa: E402
from monitor.settings import Settings  # noqa: E402
from tests.helpers import make_rules  # noqa: E402
from tests.servers import rss  # noqa: E402

ITEMS_PER_FEED = 20


def feed_body(feed: int, generation: int) -> bytes:
    items = [
        {
            "title": f"Item {feed}-{n} about the weather in town {n}",
            "guid": f"f{feed}-{n}",
            "description": f"Routine local report number {n} for feed {feed}. Nothing new.",
        }
        for n in range(ITEMS_PER_FEED + generation)
    ]
    return rss(items, title=f"feed {feed}")


def serve(
    hosts: int,
    generation: multiprocessing.sharedctypes.Synchronized,  # type: ignore[name-defined]
    changed: set[int],
    ready: multiprocessing.synchronize.Event,  # type: ignore[name-defined]
    latency_ms: float | None,
) -> None:
    cache: dict[tuple[int, int], bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            feed = int(self.path.strip("/").split(".")[0])
            if latency_ms is not None:
                time.sleep(latency_ms / 1000)
            else:
                time.sleep(0.1 + (feed * 7919 % 200) / 1000)  # 100-300 ms, fixed per feed
            gen = generation.value if feed in changed else 0
            body = cache.setdefault((feed, gen), feed_body(feed, gen))
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    for host in range(hosts):
        server = ThreadingHTTPServer((f"127.0.0.{10 + host}", 8765), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()
    threading.Event().wait()


def measure(label: str, run: object) -> float:
    """Run one cycle, print its figures, return its wall time."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    outcomes = asyncio.run(run)  # type: ignore[arg-type]
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    print(
        f"{label}: {len(outcomes)} feeds in {wall:.2f} s = {len(outcomes) / wall:.0f} feeds/s, "
        f"CPU {cpu:.2f} s, statuses {statuses}, "
        f"new entries {sum(o.new_entries for o in outcomes)}, "
        f"peak RSS {after.ru_maxrss / 1024:.0f} MB"
    )
    return wall


def host_of(feed: int, feeds: int, hosts: int, order: str) -> int:
    """The host serving ``feed``: interleaved, or site by site in blocks."""
    return feed % hosts if order == "interleaved" else feed * hosts // feeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--workers", type=int, default=32, help="overall fetch limit")
    parser.add_argument("--changed", type=float, default=0.1)
    parser.add_argument("--latency-ms", type=float, default=None)
    parser.add_argument("--order", choices=["interleaved", "site", "both"], default="interleaved")
    args = parser.parse_args()

    changed = set(range(0, args.feeds, max(1, round(1 / args.changed))))
    generation = multiprocessing.Value("i", 0)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(
        target=serve,
        args=(args.hosts, generation, changed, ready, args.latency_ms),
        daemon=True,
    )
    server.start()
    ready.wait(30)
    orders = ["interleaved", "site"] if args.order == "both" else [args.order]
    latency = f"{args.latency_ms:.0f} ms" if args.latency_ms is not None else "100-300 ms"
    print(
        f"{args.feeds} feeds on {args.hosts} hosts, latency {latency}, overall limit "
        f"{args.workers}, {len(changed)} feeds change between cycles"
    )
    walls: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for order in orders:
            folder = Path(tmp) / order
            make_rules(
                folder,
                {
                    f"feed-{n}": f"http://127.0.0.{10 + host_of(n, args.feeds, args.hosts, order)}"
                    f":8765/{n}.xml"
                    for n in range(args.feeds)
                },
            )
            settings = Settings(
                rules_dir=folder / "rules",
                state_dir=folder / "state",
                max_concurrent_fetches=args.workers,
                log_level="ERROR",
                log_format="text",
            )

            async def cycle(settings: Settings = settings) -> list[object]:
                service = Service.build(settings)
                try:
                    return list(await service.daemon.poll_all())
                finally:
                    await service.aclose()

            generation.value = 0
            walls[order, 1] = measure(f"{order}: cycle 1 (all new)", cycle())
            generation.value = 1
            walls[order, 2] = measure(f"{order}: cycle 2 (mostly 304)", cycle())
    if len(orders) == 2:
        for number in (1, 2):
            ratio = walls["site", number] / walls["interleaved", number]
            print(f"cycle {number}: site-by-site / interleaved = {ratio:.2f}x")
    server.terminate()


if __name__ == "__main__":
    main()
