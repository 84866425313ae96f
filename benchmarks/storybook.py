"""How long the story book takes to be read back from the state (at a start, a resync, or
another replica's decisions), for many developments of many long reports.

Usage: python benchmarks/storybook.py [--developments 300] [--reports 8] [--sentences 60]
A book records ``--reports`` reports of ``--sentences`` sentences of story words (seeded),
embedded and read by the shipped model, for each of ``--developments`` developments; they are
stored in a SQLite state in a temporary folder. Prints the stored size, and the CPU time to
read the developments from the state and into a fresh book, with their reports and (as stored
before reports were kept) without them.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.detect.embedding import bundled_embedder  # noqa: E402
from monitor.detect.model import default_model  # noqa: E402
from monitor.detect.stories import Report, StoryBook, Verdict  # noqa: E402
from monitor.models import Decision, Development  # noqa: E402
from monitor.store import open_store  # noqa: E402
from tests.helpers import commit_developments  # noqa: E402

WORDS = (
    "troops ukraine coalition ministers vote commons kyiv moscow ceasefire force british "
    "french deployment parliament treaty guarantees kremlin peace talks mission"
).split()
T0 = datetime(2027, 1, 1, tzinfo=UTC)


def _book() -> StoryBook:
    return StoryBook(embed=bundled_embedder().embed, vectorise=default_model().vectorise)


def _recorded(count: int, reports: int, sentences: int) -> list[Development]:
    """A book's developments, each opened and extended by reports of its own."""
    book, chance = _book(), random.Random(20260106)
    embed, vectorise = bundled_embedder().embed, default_model().vectorise
    for number in range(count):
        development = None
        for index in range(reports):
            said = tuple(
                " ".join(chance.choice(WORDS) for _ in range(22)).capitalize() + "."
                for _ in range(sentences)
            )
            text = " ".join(said)
            report = Report(
                ("vote",),
                "held",
                said[:1],
                embed([text])[0],
                vectorise(text),
                f"o{index}",
                sentences=said,
            )
            decision = Decision.NEW_DEVELOPMENT if development is None else Decision.UPDATE
            verdict = Verdict(decision, development, 1.0, "benchmark")
            at = T0 + timedelta(minutes=number)
            development = book.record(verdict, report, f"e{number}-{index}", at)
    return book.developments


def _measure(path: Path, developments: list[Development]) -> tuple[float, float, float]:
    """Store ``developments`` in a state at ``path``; its size (MB), and the CPU seconds to
    read them from it and into a fresh book."""
    store = open_store(path)
    try:
        commit_developments(store, developments, T0)
        started = time.process_time()
        read = store.developments()
        reading = time.process_time() - started
        book = _book()
        started = time.process_time()
        book.reset(read)
        taking = time.process_time() - started
    finally:
        store.close()
    return path.stat().st_size / 1e6, reading, taking


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--developments", type=int, default=300)
    parser.add_argument("--reports", type=int, default=8)
    parser.add_argument("--sentences", type=int, default=60)
    args = parser.parse_args()
    developments = _recorded(args.developments, args.reports, args.sentences)
    bare = [replace(d, reports=[]) for d in developments]  # as stored before reports were kept
    with tempfile.TemporaryDirectory() as folder:
        for name, stored in (("with reports", developments), ("without", bare)):
            size, reading, taking = _measure(Path(folder) / f"{name}.db", stored)
            print(
                f"{name}: state {size:.1f} MB, read from it {reading:.2f} s, "
                f"into a book {taking:.2f} s"
            )


if __name__ == "__main__":
    main()
