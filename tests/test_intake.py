"""Which new entries are examined: maximum age and the first-poll policy."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from monitor.app import Service
from monitor.intake import FirstPoll, Intake
from monitor.models import Article
from tests.helpers import SHIFT_ITEM, VOTE_ITEM, make_rules, settings_for
from tests.servers import FeedServer, Receiver, rss, serving

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def article(ident: str, age_hours: float | None) -> Article:
    published = None if age_hours is None else NOW - timedelta(hours=age_hours)
    return Article(id=ident, feed="f", title=ident, text="", published=published)


ENTRIES = [article("fresh", 1), article("old", 24 * 300), article("undated", None)]


@pytest.mark.parametrize(
    ("max_age_hours", "first_poll", "is_first", "expected"),
    [
        (72, "examine", True, ["fresh", "undated"]),
        (72, "examine", False, ["fresh", "undated"]),
        (None, "examine", False, ["fresh", "old", "undated"]),
        (72, "mark-seen", True, []),
        (72, "mark-seen", False, ["fresh", "undated"]),
    ],
)
def test_select(
    max_age_hours: float | None, first_poll: FirstPoll, is_first: bool, expected: list[str]
) -> None:
    intake = Intake(timedelta(hours=max_age_hours) if max_age_hours else None, first_poll)
    assert [a.id for a in intake.select(ENTRIES, NOW, first_poll=is_first)] == expected


def dated(item: dict[str, str], when: datetime, guid: str) -> dict[str, str]:
    return {**item, "guid": guid, "pubDate": format_datetime(when, usegmt=True)}


@pytest.mark.parametrize(
    ("first_poll", "first_alerts"),
    [("examine", {"recent-vote"}), ("mark-seen", set())],
)
def test_backlog_is_seen_not_alerted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_poll: str, first_alerts: set[str]
) -> None:
    now = datetime.now(UTC)
    backlog = dated(VOTE_ITEM, now - timedelta(days=300), "january-vote")
    recent = dated(VOTE_ITEM, now - timedelta(hours=1), "recent-vote")
    later = dated(SHIFT_ITEM, now, "later-shift")
    hook = {"name": "hook", "type": "webhook", "url_env": "TEST_HOOK_URL"}
    with serving(FeedServer()) as server, serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        server.feeds["/news.xml"] = rss([backlog, recent])
        make_rules(tmp_path, {"news": server.url("/news.xml")}, channels=[hook])

        def alerted() -> set[str]:
            return {json.loads(r.body)["entry"]["id"] for r in receiver.accepted}

        async def scenario() -> tuple[set[str], set[str]]:
            service = Service.build(settings_for(tmp_path, first_poll=first_poll))
            try:
                await service.daemon.run_once()
                first = alerted()
                server.feeds["/news.xml"] = rss([backlog, recent, later])
                await service.daemon.run_once()
                return first, alerted() - first
            finally:
                await service.aclose()

        first, second = asyncio.run(scenario())
    assert first == first_alerts
    assert second == {"later-shift"}
