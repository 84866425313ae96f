"""Articles per second through detection, next to feedparser's parse time for the same feeds.

Usage: python benchmarks/detection.py [FEED_FILE_OR_FOLDER ...] [--repeat N] [--routine N]
Defaults to the bundled examples/feeds. Times are CPU seconds of this process
(process_time), which other work on the machine disturbs less than wall-clock time. Each
repeat parses every file again and runs every article through a fresh Detector (fresh
developments, so the work per repeat is the same); the embedding model is loaded once per
process (``bundled_embedder`` is cached), and the last line says how often it was.
``--without patterns`` (or ``novelty``, repeatable) skips that stage of detection, to show
what the rest costs: the alerts then differ, so it measures a stage's share, not a detector.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from polling import feed_body

from monitor.detect.embedding import bundled_embedder
from monitor.detect.engine import Detector
from monitor.detect.features import FeatureExtractor, RuleHit
from monitor.detect.novelty import KnownClaims
from monitor.models import Evidence, in_published_order
from monitor.replay import collect_feed_files
from monitor.ruleset import load_ruleset
from monitor.sources.parse import parse_feed

ROOT = Path(__file__).resolve().parent.parent


def _no_hits(self: FeatureExtractor, *args: object) -> tuple[RuleHit, ...]:
    return ()


def _no_novelty(self: KnownClaims, sentences: Sequence[str], *args: object) -> list[Evidence]:
    return [Evidence(sentence, 0.5, "", 0.5) for sentence in sentences]


# stage -> (class, method, stand-in that skips the stage's work)
STAGES: dict[str, tuple[type, str, Callable[..., object]]] = {
    "patterns": (FeatureExtractor, "_hits", _no_hits),
    "novelty": (KnownClaims, "assess_all", _no_novelty),
}


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
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=sorted(STAGES),
        help="skip this stage of detection (its share of the cost; alerts differ)",
    )
    args = parser.parse_args()
    for stage in args.without:
        owner, method, stand_in = STAGES[stage]
        setattr(owner, method, stand_in)
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
        detector = Detector.of(ruleset)
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
    if args.without:
        print(f"stages skipped: {', '.join(args.without)}")


if __name__ == "__main__":
    main()
