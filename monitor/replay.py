"""Replay feed files through detection: no network, no state written.

``collect_feed_files`` expands files and folders; ``read_articles`` parses each file,
reporting an unusable one through ``on_problem`` and going on with the rest; ``replay``
runs every entry, oldest first, through a fresh ``Detector``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from monitor.detect.engine import Detector
from monitor.errors import FeedError
from monitor.models import Alert, Article, in_published_order
from monitor.sources.parse import parse_feed


def collect_feed_files(paths: Sequence[Path]) -> list[Path]:
    """The files named, and every non-hidden file below the folders named, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            files.append(path)
    return files


def read_articles(files: Iterable[Path], on_problem: Callable[[Path, str], None]) -> list[Article]:
    """Articles of every file; a file that cannot be read or parsed is reported, skipped."""
    articles: list[Article] = []
    for path in files:
        try:
            parsed = parse_feed(path.read_bytes(), path.stem)
        except OSError as exc:
            on_problem(path, f"cannot read: {exc.strerror or exc}")
            continue
        except FeedError as exc:
            on_problem(path, exc.reason)
            continue
        if parsed.warning:
            on_problem(path, parsed.warning)
        articles.extend(parsed.articles)
    return articles


def replay(
    articles: Sequence[Article], detector: Detector, progress: Callable[[int], None] | None = None
) -> Iterator[Alert]:
    """Alerts and updates for ``articles`` in published order."""
    for done, article in enumerate(in_published_order(articles), 1):
        yield from detector.examine(article)
        if progress is not None:
            progress(done)
