"""Articles per second through detection, next to feedparser's parse time for the same feeds.

Usage: python benchmarks/detection.py [FEED_FILE_OR_FOLDER ...] [--repeat N] [--routine N]
Defaults to the bundled examples/feeds. Times are CPU seconds of this process
(process_time), which other work on the machine disturbs less than wall-clock time. Each
repeat parses every file again and runs every article through a fresh Detector (fresh
developments, so the work per repeat is the same); the embedding model is loaded once per
process (``bundled_embedder`` is cached), and the last line says how often it was.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from polling import feed_body

from monitor.detect.embedding import bundled_embedder
from monitor.detect.engine import Detector
from monitor.models import in_published_order
from monitor.replay import collect_feed_files
from monitor.ruleset import load_ruleset
from monitor.sources.parse import parse_feed

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "examples" / "feeds")])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--routine",
        type=int,
        default=0,
        metavar="N",
        help="instead of files, N feeds of routine local news (as benchmarks/polling.py serves)",
    )
    args = parser.parse_args()
    if args.routine:
        files = [Path(f"routine-{n}") for n in range(args.routine)]
        blobs = [(f"routine-{n}", feed_body(n, 0)) for n in range(args.routine)]
    else:
        files = collect_feed_files([Path(p) for p in args.paths])
        blobs = [(path.stem, path.read_bytes()) for path in files]
    ruleset = load_ruleset(ROOT / "rules")

    parse_seconds = detect_seconds = 0.0
    articles = alerts = 0
    for _ in range(args.repeat):
        started = time.process_time()
        parsed = [a for name, data in blobs for a in parse_feed(data, name).articles]
        parse_seconds += time.process_time() - started
        detector = Detector(ruleset.claims, ruleset.rules)
        started = time.process_time()
        for article in in_published_order(parsed):
            alerts += len(detector.examine(article))
        detect_seconds += time.process_time() - started
        articles += len(parsed)

    print(
        f"files: {len(files)}, articles per repeat: {articles // args.repeat}, "
        f"repeats: {args.repeat}, alerts+updates per repeat: {alerts // args.repeat}"
    )
    print(
        f"parse (feedparser): {parse_seconds / articles * 1e3:.3f} ms/article, "
        f"{articles / parse_seconds:.0f} articles/s"
    )
    print(
        f"detect:             {detect_seconds / articles * 1e3:.3f} ms/article, "
        f"{articles / detect_seconds:.0f} articles/s"
    )
    print(f"detect / parse time: {detect_seconds / parse_seconds:.2f}")
    print(f"embedding model loads in this process: {bundled_embedder.cache_info().misses}")


if __name__ == "__main__":
    main()
