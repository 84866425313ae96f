"""/healthz latency of a running daemon while it polls a 10,000-entry feed, and when idle.

Usage: python benchmarks/healthz.py [--entries 10000] [--seconds 20] [--interval 1s]

Two daemon subprocesses (``news-monitor run``) on this machine, one after the other: the
first polls a one-entry feed (the idle baseline), the second a feed of ``--entries``
entries with no ETag, so it is fetched and parsed again at every poll. Each is probed on
/healthz every 20 ms for ``--seconds`` once it has started, each probe on a fresh
connection from a bare socket (so the probe's own overhead stays small); p50, p95 and max
latency are printed, how many probes took over 100 ms, and the number of polls the
daemon finished meanwhile.
"""

from __future__ import annotations

import argparse
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import daemon_env, health_address, make_rules, start_daemon  # noqa: E402
from tests.servers import FeedServer, rss, serving  # noqa: E402


def get_healthz(host: str, port: int) -> float:
    """Seconds for one GET /healthz on a fresh connection (a bare socket: little overhead)."""
    started = time.perf_counter()
    with socket.create_connection((host, port), timeout=30) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    if not answer.startswith(b"HTTP/1.1 200"):
        sys.exit(f"/healthz answered {answer[:100]!r}")
    return time.perf_counter() - started


def probe(entries: int, seconds: float, interval: str) -> tuple[list[float], int]:
    """Latencies of /healthz while a daemon polls a feed of ``entries`` entries; and polls."""
    items = [
        {"title": f"Weather report {n}", "guid": f"w{n}", "description": f"Rain in town {n}."}
        for n in range(entries)
    ]
    with tempfile.TemporaryDirectory() as tmp, serving(FeedServer(etags=False)) as feeds:
        folder = Path(tmp)
        feeds.feeds["/feed.xml"] = rss(items)
        make_rules(folder, {"feed": feeds.url("/feed.xml")}, interval=interval)
        log = folder / "daemon.log"
        daemon = start_daemon(daemon_env(folder, health_bind="127.0.0.1:0"), log)
        latencies: list[float] = []
        try:
            deadline = time.monotonic() + 30
            while not health_address(log):
                if time.monotonic() > deadline or daemon.poll() is not None:
                    sys.exit(f"the daemon did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.05)
            host, port = health_address(log).rsplit(":", 1)
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                latencies.append(get_healthz(host, int(port)))
                time.sleep(0.02)
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(60)
        return latencies, log.read_text().count('"poll: feed polled"')


def report(label: str, latencies: list[float], polls: int) -> None:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"{label:<22} probes {len(ordered):>4}  p50 {statistics.median(ordered) * 1000:6.1f} ms"
        f"  p95 {p95 * 1000:6.1f} ms  max {ordered[-1] * 1000:6.1f} ms"
        f"  over 100 ms {sum(1 for x in ordered if x > 0.1):>3}  polls {polls}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--interval", default="1s", help="the feeds' poll interval")
    args = parser.parse_args()
    report("idle (1 entry)", *probe(1, args.seconds, args.interval))
    report(f"{args.entries} entries", *probe(args.entries, args.seconds, args.interval))


if __name__ == "__main__":
    main()
