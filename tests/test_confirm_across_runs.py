"""A rule's ``confirm: 2`` holds across `run --once` invocations: the development a first
outlet reported waits in the state database for the second outlet, which alerts, and a
third outlet in a later run updates it (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main
from monitor.store import open_store
from tests.helpers import VOTE_ITEM, make_rules
from tests.servers import FeedServer, rss, serving

THIRD_OUTLET = {
    "title": "Commons vote clears way for Ukraine deployment",
    "guid": "night-1",
    "description": "MPs approved sending British troops to Ukraine by 401 votes to 60 last night.",
    "pubDate": "Thu, 04 Mar 2027 06:00:00 GMT",
}
SECOND_OUTLET = {
    "title": "MPs approve troop deployment to Ukraine",
    "guid": "desk-1",
    "description": "The Commons backed the deployment of UK troops to Ukraine by 401 votes to 60.",
    "pubDate": "Wed, 03 Mar 2027 23:00:00 GMT",
}


def confirm_everything(rules: Path) -> None:
    for path in (rules / "watch").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8") + "confirm: 2\n", encoding="utf-8")


def test_a_second_outlet_in_a_later_run_confirms_the_development(
    tmp_path: Path, cli_state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = rss([VOTE_ITEM])
        server.feeds["/desk.xml"] = rss([])
        server.feeds["/night.xml"] = rss([])
        feeds = {name: server.url(f"/{name}.xml") for name in ("wire", "desk", "night")}
        rules = make_rules(tmp_path, feeds)
        confirm_everything(rules)
        argv = ["--rules", str(rules), "run", "--once"]
        assert main(argv) == 0
        assert "0 alerts and updates" in capsys.readouterr().err  # one outlet: it waits
        server.feeds["/desk.xml"] = rss([SECOND_OUTLET])
        assert main(argv) == 0
        assert "1 alerts and updates" in capsys.readouterr().err  # the second confirms it
        server.feeds["/night.xml"] = rss([THIRD_OUTLET])
        assert main(argv) == 0
    store = open_store(cli_state / "news-monitor.db")
    try:
        recorded = [(r.type, r.development) for r in store.recorded_alerts()]
    finally:
        store.close()
    assert sorted(kind for kind, _ in recorded) == ["alert", "update"], recorded
    assert len({development for _, development in recorded}) == 1
