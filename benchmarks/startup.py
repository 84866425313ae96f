"""Start-up cost of ``rules check`` and ``run --once`` over importing feedparser and httpx alone.

Usage: python benchmarks/startup.py [--runs 5] [--feeds 12,2000]

For each feed count, a rules folder holds the shipped baseline and watch rules and that many
feeds on a local server that answers 304 (ETag) once each feed has been fetched, so
``run --once`` after a first priming run is the cron case "nothing changed". Side by side
in one run, each measured ``--runs`` times in a fresh interpreter (median printed):

- ``python -c "import feedparser, httpx"``, the floor the issue measures against;
- ``news-monitor rules check``;
- ``news-monitor run --once`` (all 304).

It prints each median and its difference to the floor ("over"), the figure issue 11 bounds
at 0.35 s, for wall-clock time and for CPU time (user + system, less disturbed by other
work on a shared machine). The children may write bytecode caches
(``PYTHONDONTWRITEBYTECODE`` is dropped), as an installed package has them: otherwise
every start compiles the package's modules again.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import make_rules  # noqa: E402
from tests.servers import rss  # noqa: E402

BODY = rss([{"title": "Weather", "guid": "w1", "description": "Rain in town."}])
ONCE_LIMIT = 200
ETAG = '"' + hashlib.sha1(BODY).hexdigest() + '"'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", ETAG)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: object) -> None:
        pass


def timed(command: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``command``; a failure stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def medians(samples: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The median wall-clock and the median CPU time of ``samples``."""
    return statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--feeds", default="12,2000", help="comma-separated feed counts")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    cli = [sys.executable, "-m", "monitor"]
    floor_cmd = [sys.executable, "-c", "import feedparser, httpx"]
    print(f"{'feeds':>6} {'command':<24} {'wall':>7} {'over':>8} {'cpu':>7} {'over':>8}")
    for count in (int(n) for n in args.feeds.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_rules(folder, {f"feed-{n}": f"{base}/{n}.xml" for n in range(count)})
            env = {
                **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                "NEWS_MONITOR_RULES_DIR": str(folder / "rules"),
                "NEWS_MONITOR_STATE_DIR": str(folder / "state"),
                "NEWS_MONITOR_HEALTH_BIND": "",
                "NEWS_MONITOR_LOG_LEVEL": "WARNING",
            }
            timed([*cli, "run", "--once"], env)  # prime: every feed fetched, caches written
            cases = {
                "import feedparser+httpx": floor_cmd,
                "rules check": [*cli, "rules", "check"],
                "run --once (all 304)": [*cli, "run", "--once"],
            }
            if count > ONCE_LIMIT:  # one local host: polling itself would dominate
                del cases["run --once (all 304)"]
            samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
            for _ in range(args.runs):  # interleaved, so load changes hit every case alike
                for name, command in cases.items():
                    samples[name].append(timed(command, env))
            floor = medians(samples["import feedparser+httpx"])
            for name, values in samples.items():
                wall, cpu = medians(values)
                print(
                    f"{count:>6} {name:<24} {wall:>6.3f}s {wall - floor[0]:>+7.3f}s"
                    f" {cpu:>6.3f}s {cpu - floor[1]:>+7.3f}s"
                )
    server.shutdown()


if __name__ == "__main__":
    main()
