from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from monitor.baseline import build_claims, dump_baseline, load_baseline
from monitor.cli import main
from tests.conftest import RULES, SHARED
from tests.helpers import VOTE_ITEM, make_rules
from tests.servers import FeedServer, rss, serving

DOC_A = (
    "Britain and France signed a declaration of intent to deploy troops to Ukraine. "
    "It was cold. Moscow called the coalition an axis of war on Thursday."
)
DOC_B = (
    "<p>The UK and France signed a declaration of intent to deploy troops to Ukraine.</p>"
    "<p>Rogozin threatened Britain with missile strikes over the troop plan.</p>"
)


def test_build_merges_near_duplicates_and_orders_by_corroboration() -> None:
    claims = build_claims([("a.txt", DOC_A), ("b.html", DOC_B)])
    assert claims[0].sources == ("a.txt", "b.html")
    assert claims[0].text.startswith("Britain and France signed")
    assert not claims[0].low_corroboration
    assert [c.corroboration for c in claims] == [2, 1, 1]
    assert all("It was cold" not in c.text for c in claims), "fragments are not claims"
    assert any(c.text.startswith("Rogozin threatened") for c in claims), "HTML is stripped"


def test_dump_and_load_round_trip(tmp_path: Path) -> None:
    claims = build_claims([("a.txt", DOC_A), ("b.html", DOC_B)])
    path = tmp_path / "baseline.yaml"
    path.write_text(dump_baseline(claims, "story"), encoding="utf-8")
    assert load_baseline(path).claims == claims
    data = yaml.safe_load(path.read_text())
    assert data["claims"][0]["corroboration"] == 2
    assert data["claims"][1]["low_corroboration"] is True


def test_cli_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(DOC_A, encoding="utf-8")
    (tmp_path / "b.html").write_text(DOC_B, encoding="utf-8")
    out = tmp_path / "candidates.yaml"
    assert (
        main(
            ["baseline", "build", str(tmp_path / "a.txt"), str(tmp_path / "b.html"), "-o", str(out)]
        )
        == 0
    )
    assert "3 candidate claims from 2 documents (2 found in one document only)" in (
        capsys.readouterr().err
    )
    assert len(load_baseline(out).claims) == 3
    assert load_baseline(out).as_of is None
    documents = [str(tmp_path / "a.txt"), "-o", str(out), "--as-of", "2026-01-08"]
    assert main(["baseline", "build", *documents]) == 0
    assert load_baseline(out).as_of == date(2026, 1, 8)
    with pytest.raises(SystemExit) as caught:
        main(["baseline", "build", str(tmp_path / "a.txt"), "--as-of", "8 January"])
    assert caught.value.code == 2
    assert "argument --as-of: '8 January' is not a day (YYYY-MM-DD)" in capsys.readouterr().err


def test_shipped_baseline_cites_the_seed_documents() -> None:
    claims = load_baseline(RULES / "baseline.yaml").claims
    assert len(claims) >= 20
    seeds = SHARED / "seeds"
    if seeds.is_dir():
        names = {p.name for p in seeds.iterdir()}
        assert all(set(c.sources) <= names and c.sources for c in claims)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("sources: [a.txt]\n    corroboration: 2", "corroboration is 2 but 1 sources are listed"),
        (
            "sources: [a.txt, b.txt]\n    low_corroboration: true",
            "low_corroboration must be false for 2 source(s)",
        ),
    ],
)
def test_corroboration_marks_must_match_sources(tmp_path: Path, entry: str, message: str) -> None:
    from monitor.errors import ConfigError

    path = tmp_path / "baseline.yaml"
    path.write_text(f"claims:\n  - text: A claim.\n    {entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_baseline(path)
    assert str(caught.value) == f"{path}:2: claims.0: Value error, {message}"


def test_the_day_the_baseline_tells_the_story_up_to_is_read_and_checked(tmp_path: Path) -> None:
    from monitor.errors import ConfigError

    assert load_baseline(RULES / "baseline.yaml").as_of == date(2026, 1, 8)
    path = tmp_path / "baseline.yaml"
    path.write_text("claims:\n  - text: A claim.\n", encoding="utf-8")
    assert load_baseline(path).as_of is None  # not said: every article is examined
    path.write_text("as_of: 8 January\nclaims:\n  - text: A claim.\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_baseline(path)
    assert str(caught.value).startswith(f"{path}:1: as_of: Input should be a valid date")


def test_shipped_baseline_marks_single_source_claims() -> None:
    data = yaml.safe_load((RULES / "baseline.yaml").read_text())
    singles = [c for c in data["claims"] if len(c["sources"]) == 1]
    assert singles and all(c["low_corroboration"] is True for c in singles)


# The daemon's vote, reported on the baseline's own day and on the day after (written for these
# tests; the shipped baseline tells the story up to 8 January 2026).
ON_THE_DAY = {**VOTE_ITEM, "guid": "vote-8", "pubDate": "Thu, 08 Jan 2026 22:00:00 GMT"}
DAY_AFTER = {**VOTE_ITEM, "guid": "vote-9", "pubDate": "Fri, 09 Jan 2026 08:00:00 GMT"}


@pytest.mark.parametrize(("item", "alerts"), [(ON_THE_DAY, 0), (DAY_AFTER, 1)])
def test_replay_and_the_daemon_read_the_baseline_day(
    tmp_path: Path,
    cli_state: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    item: dict[str, str],
    alerts: int,
) -> None:
    """``replay`` and ``run --once`` (every entry examined, whatever its age) leave a report
    published on the baseline's day alone, and alert on the same words the day after."""
    feed = tmp_path / "wire.xml"
    feed.write_bytes(rss([item]))
    assert main(["--rules", str(RULES), "replay", "--format", "jsonl", str(feed)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == alerts
    monkeypatch.setenv("NEWS_MONITOR_MAX_ENTRY_AGE_HOURS", "0")
    with serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = rss([item])
        rules = make_rules(tmp_path, {"wire": server.url("/wire.xml")})
        assert main(["--rules", str(rules), "run", "--once"]) == 0
    assert f"{alerts} alerts and updates" in capsys.readouterr().err
