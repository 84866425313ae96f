"""feeds.yaml: defaults, and errors that name file, line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.sources.feeds import load_feeds

FEED = "feeds:\n  - name: wire\n    url: https://example.invalid/rss\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    weight: 0.5\n", "feeds.0: Value error, weight is no longer accepted"),
        ("    intervall: 5m\n", "feeds.0.intervall: unknown key"),
    ],
)
def test_problems_name_file_and_line(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(FEED + extra)
    with pytest.raises(ConfigError) as caught:
        load_feeds(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:")
    assert message in problem.message


def test_defaults_apply(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("defaults:\n  interval: 90s\n" + FEED)
    (feed,) = load_feeds(path)
    assert feed.interval is not None and feed.interval.total_seconds() == 90
