"""Poll 1,000 local feeds through the real service: feeds/s, CPU seconds and peak memory.

Usage: python benchmarks/polling.py [--feeds 1000] [--hosts 50] [--workers 32] [--changed 0.1]

A separate process serves the feeds on loopback addresses 127.0.0.10.. (one server per
"host", so per-host limits apply as in real life), each response delayed 100-300 ms like a
real server. Cycle 1 fetches everything (all new); cycle 2 finds most feeds unchanged
(304) and a fraction changed (one new entry each). CPU time and peak RSS are this
process's own, so the server's work is not counted.
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
    ready: multiprocessing.synchronize.Event,
) -> None:  # type: ignore[name-defined]
    cache: dict[tuple[int, int], bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            feed = int(self.path.strip("/").split(".")[0])
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


def measure(label: str, run: object) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--changed", type=float, default=0.1)
    args = parser.parse_args()

    changed = set(range(0, args.feeds, max(1, round(1 / args.changed))))
    generation = multiprocessing.Value("i", 0)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(
        target=serve, args=(args.hosts, generation, changed, ready), daemon=True
    )
    server.start()
    ready.wait(30)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_rules(
            folder,
            {
                f"feed-{n}": f"http://127.0.0.{10 + n % args.hosts}:8765/{n}.xml"
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

        async def cycle() -> list[object]:
            service = Service.build(settings)
            try:
                return list(await service.daemon.poll_all())
            finally:
                await service.aclose()

        print(
            f"{args.feeds} feeds on {args.hosts} hosts, {args.workers} workers, "
            f"{len(changed)} feeds change between cycles"
        )
        measure("cycle 1 (all new)", cycle())
        generation.value = 1
        measure("cycle 2 (mostly 304)", cycle())
    server.terminate()


if __name__ == "__main__":
    main()
