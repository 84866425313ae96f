"""news-monitor next to rss2email on the same local feeds: first cycle and all-304 cycle.

Usage: python benchmarks/vs_rss2email.py [--feeds 200] [--hosts 10] [--runs 3] [--r2e PATH]

rss2email is not a dependency: install it in a virtual environment of its own
(``python3 -m venv /tmp/r2e && /tmp/r2e/bin/pip install rss2email``) and pass its ``r2e``
(default: ``r2e`` on PATH). A separate process serves ``--feeds`` feeds of 10 entries of
news-length text on ``--hosts`` loopback addresses (127.0.0.10, ...), with ETags (304 once
fetched) and no added latency. Each run starts both tools on empty state, interleaved:
``news-monitor run --once`` (shipped rules, detection on, console channel) and
``r2e run --no-send`` (everything but handing the mails over), twice each: the first cycle
(everything new) and the second (everything 304). Medians over ``--runs`` of wall-clock and
of CPU time (user + system, children included: less disturbed by other work on a shared
machine) and the ratios rss2email / news-monitor are printed (above 1: news-monitor is
faster). Both start as fresh processes, so their start-up is part of each cycle, as under
cron.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.startup import timed  # noqa: E402
from tests.helpers import make_rules  # noqa: E402
from tests.servers import rss  # noqa: E402

ENTRIES = 10
SENTENCES = (
    "Officials in the regional capital said on Tuesday that talks would resume next week.",
    "The delegation arrived late in the evening after a delay at the border crossing.",
    "Local councils reported that the weather had closed several roads overnight.",
    "Analysts cautioned that the figures released so far were preliminary.",
    "A spokesperson declined to comment on the timing of any further announcements.",
)


def feed_body(feed: int) -> bytes:
    items = [
        {
            "title": f"Report {feed}-{n}: talks and weather in the region",
            "guid": f"f{feed}-{n}",
            "description": " ".join(SENTENCES[(feed + n + k) % len(SENTENCES)] for k in range(4)),
        }
        for n in range(ENTRIES)
    ]
    return rss(items, title=f"feed {feed}")


def serve(hosts: int, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = feed_body(int(self.path.strip("/").split(".")[0]))
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            fresh = self.headers.get("If-None-Match") == etag
            self.send_response(304 if fresh else 200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "0" if fresh else str(len(body)))
            self.end_headers()
            if not fresh:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    for host in range(hosts):
        server = ThreadingHTTPServer((f"127.0.0.{10 + host}", 8790), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()
    while True:
        time.sleep(3600)


def one_run(feeds: int, hosts: int, r2e: str) -> dict[str, tuple[float, float]]:
    urls = {f"feed-{n}": f"http://127.0.0.{10 + n % hosts}:8790/{n}.xml" for n in range(feeds)}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_rules(folder, urls)
        monitor_env = env | {
            "NEWS_MONITOR_RULES_DIR": str(folder / "rules"),
            "NEWS_MONITOR_STATE_DIR": str(folder / "state"),
            "NEWS_MONITOR_HEALTH_BIND": "",
            "NEWS_MONITOR_LOG_LEVEL": "WARNING",
        }
        config, data = folder / "r2e.cfg", folder / "r2e.json"
        r2e_cmd = [r2e, "-c", str(config), "-d", str(data)]
        timed([*r2e_cmd, "new", "reader@example.invalid"], env)
        with config.open("a", encoding="utf-8") as out:
            for name, url in urls.items():
                out.write(f"\n[feed.{name}]\nurl = {url}\n")
        monitor_cmd = [sys.executable, "-m", "monitor", "run", "--once"]
        figures = {}
        for cycle in ("first", "304"):
            figures[f"news-monitor {cycle}"] = timed(monitor_cmd, monitor_env)
            figures[f"rss2email {cycle}"] = timed([*r2e_cmd, "run", "--no-send"], env)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--r2e", default=shutil.which("r2e") or "")
    args = parser.parse_args()
    if not args.r2e or not Path(args.r2e).exists():
        sys.exit("rss2email not found: install it in a venv of its own and pass --r2e PATH")
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(args.hosts, ready), daemon=True)
    server.start()
    ready.wait(30)
    runs = [one_run(args.feeds, args.hosts, args.r2e) for _ in range(args.runs)]
    server.terminate()
    for kind, index in (("wall", 0), ("cpu", 1)):
        medians = {name: statistics.median(run[name][index] for run in runs) for name in runs[0]}
        for name, value in medians.items():
            each = ", ".join(f"{run[name][index]:.2f}" for run in runs)
            print(f"{kind:<4} {name:<22} {value:7.2f} s   (runs: {each})")
        for cycle in ("first", "304"):
            ratio = medians[f"rss2email {cycle}"] / medians[f"news-monitor {cycle}"]
            print(f"{kind:<4} {cycle} cycle: rss2email / news-monitor = {ratio:.2f}x")


if __name__ == "__main__":
    main()
