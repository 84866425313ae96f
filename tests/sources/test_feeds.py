"""feeds.yaml: defaults, and errors that name file, line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.sources.feeds import load_feeds

FEED = "feeds:\n  - name: wire\n    url: https://example.invalid/rss\n"


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ("    weight: 0.5\n", 2, "feeds.0: Value error, weight is no longer accepted"),
        ("    intervall: 5m\n", 4, "feeds.0.intervall: unknown key"),
        # a second feed of the same name: the line of that name (it was line 1, top level)
        (
            "  - name: wire\n    url: https://example.invalid/other\n",
            4,
            "feeds.1.name: feed name 'wire' is used twice",
        ),
        # headers httpx cannot send: each poll failed (a non-ASCII value escaped as an
        # unexpected error, leaving the feed shown healthy); now refused at load, with the line
        (
            '    headers:\n      X-Name: "Zoë"\n',
            4,
            "feeds.0.headers: Value error, header X-Name: its value must be printable ASCII",
        ),
        (
            '    headers:\n      X-Name: "one\\r\\nX-Other: two"\n',
            4,
            "feeds.0.headers: Value error, header X-Name: its value must be printable ASCII",
        ),
        (
            "    headers:\n      Accept Language: en\n",
            4,
            "feeds.0.headers: Value error, header 'Accept Language' is not a valid name",
        ),
    ],
)
def test_problems_name_file_and_line(tmp_path: Path, extra: str, line: int, message: str) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(FEED + extra)
    with pytest.raises(ConfigError) as caught:
        load_feeds(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:")
    assert problem.line == line
    assert message in problem.message


def test_defaults_headers_are_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text('defaults:\n  headers:\n    X-Tab: "a\\tb"\n    X-Bad: "\\u00e9"\n' + FEED)
    with pytest.raises(ConfigError) as caught:
        load_feeds(path)
    (problem,) = caught.value.problems
    assert problem.line == 2
    assert "defaults.headers: Value error, header X-Bad: its value" in problem.message


def test_defaults_apply(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("defaults:\n  interval: 90s\n" + FEED)
    (feed,) = load_feeds(path)
    assert feed.interval is not None and feed.interval.total_seconds() == 90
