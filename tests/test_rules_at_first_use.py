"""`run --once` reads the rules at the first article it examines (issue 11): a poll where
nothing changed does not compile their patterns, and a broken pattern is still one clear
error naming file and line wherever it can matter: `rules check`, the daemon's start and
the first article to examine, whose entries then wait for the fix."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from monitor.app import Service
from monitor.cli import main
from monitor.errors import ConfigError
from tests.helpers import REHASH_ITEM, make_rules, settings_for
from tests.servers import FeedServer, rss, serving

GOOD = r"(is|was)\s+(over"
BROKEN = r"(is|was\s+(over"  # an unbalanced group


def break_a_pattern(rules: Path) -> tuple[Path, int]:
    """Break the shipped ceasefire rule's first pattern; its file and the line of the
    broken regex's ``regex:`` key (where the error points)."""
    rule = rules / "watch" / "ceasefire.yaml"
    text = rule.read_text()
    assert GOOD in text
    rule.write_text(text.replace(GOOD, BROKEN, 1))
    lines = text[: text.index(GOOD)].splitlines()
    return rule, max(n for n, line in enumerate(lines, 1) if line.strip().startswith("regex:"))


def errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error: ")]


@contextmanager
def news_feed(tmp_path: Path) -> Iterator[tuple[FeedServer, Path]]:
    """A local server with one feed of one entry, and a rules folder that polls it."""
    with serving(FeedServer()) as server:
        server.feeds["/news.xml"] = rss([REHASH_ITEM])
        yield server, make_rules(tmp_path, {"news": server.url("/news.xml")})


@pytest.mark.usefixtures("cli_state")
def test_a_broken_pattern_is_named_by_rules_check_the_daemon_and_the_first_examination(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with news_feed(tmp_path) as (_, rules):
        rule, line = break_a_pattern(rules)
        argv = ["--rules", str(rules)]

        assert main([*argv, "rules", "check"]) == 2
        checked = errors(capsys.readouterr().err)
        assert checked[0].startswith(f"error: {rule}:{line}: patterns.0.all.1.regex")
        assert "does not compile" in checked[0]  # (and rules naming it: unknown to them)

        with pytest.raises(ConfigError) as caught:  # the daemon does not start
            Service.build(settings_for(tmp_path))
        assert [f"error: {p}" for p in caught.value.problems] == checked

        assert main([*argv, "run", "--once"]) == 2  # a new entry: the rules are needed
        err = capsys.readouterr().err
        assert errors(err) == checked
        assert "run: feed news: entries not examined: " in err

        rule.write_text(rule.read_text().replace(BROKEN, GOOD, 1))
        assert main([*argv, "run", "--once"]) == 0  # the entry waited for the fix
        assert "1 new entries" in capsys.readouterr().err


@pytest.mark.usefixtures("cli_state")
def test_run_once_where_nothing_changed_does_not_read_the_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with news_feed(tmp_path) as (server, rules):
        argv = ["--rules", str(rules), "run", "--once"]
        assert main(argv) == 0
        break_a_pattern(rules)
        assert main(argv) == 0  # all 304: no article to examine, no rule to apply
        assert server.requests.count("/news.xml") == 2
    err = capsys.readouterr().err
    assert errors(err) == []
    assert "1 feeds polled, 0 failed, 0 new entries" in err
