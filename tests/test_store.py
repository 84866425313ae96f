"""The SQLite store: schema upgrades in place, retention, transactional polls."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.errors import StateError
from monitor.models import Article
from monitor.store import SCHEMA_VERSION, Store, compare_listing, open_store

T0 = datetime(2027, 1, 1, tzinfo=UTC)


def test_new_database_gets_the_current_schema(tmp_path: Path) -> None:
    store = open_store(tmp_path / "deep" / "state.db")
    store.close()
    with sqlite3.connect(tmp_path / "deep" / "state.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_existing_database_is_kept_and_reopened(tmp_path: Path, state_location: Path | str) -> None:
    store = open_store(state_location)
    store.record_failure("feed", "http://127.0.0.1/x", "HTTP 500", T0)
    store.close()
    store = open_store(state_location)
    assert store.feed_state("feed").reason == "HTTP 500"
    store.close()


def test_newer_schema_is_refused_clearly(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "state.db") as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StateError, match="newer than this news-monitor"):
        open_store(tmp_path / "state.db")


def test_unusable_path_is_a_state_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StateError, match="cannot open state database"):
        open_store(tmp_path / "file" / "state.db")


def _unseen(store: Store, feed: str, articles: list[Article], now: datetime) -> list[Article]:
    """What the poller would take as new or changed in a full response of ``articles``."""
    return compare_listing(store.seen_entries(feed), articles, now).unseen


def test_unseen_changed_and_pruned_entries(tmp_path: Path, state_location: Path | str) -> None:
    store = open_store(state_location)
    first = Article("a", "feed", "Title", "Text")
    store.commit_poll(
        feed="feed",
        url="u",
        etag='"1"',
        last_modified=None,
        articles=[first],
        alerts=[],
        developments=[],
        route=lambda a: [],
        now=T0,
    )
    changed = Article("a", "feed", "Title", "Text, corrected")
    other = Article("b", "feed", "Other", "Text")
    assert _unseen(store, "feed", [first, changed, other], T0) == [changed, other]
    assert _unseen(store, "another-feed", [first], T0) == [first]
    assert store.feed_state("feed").etag == '"1"'
    assert store.prune_entries(T0 + timedelta(days=1)) == 1
    assert _unseen(store, "feed", [first], T0) == [first]
    store.close()


def test_older_schema_is_upgraded_in_place(tmp_path: Path) -> None:
    from monitor.store_schema import MIGRATIONS

    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0])
        db.execute("INSERT INTO feeds (name, url) VALUES ('kept', 'http://127.0.0.1/x')")
        db.execute("PRAGMA user_version = 1")
    store = open_store(path)
    assert store.feed_state("kept").healthy
    store.save_thread("dev-1", "slack", "1700000000.000001")
    assert store.thread_of("dev-1", "slack") == "1700000000.000001"
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 12
        assert db.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 0


def test_a_development_stored_before_reports_were_kept_reads_back_without_them(
    tmp_path: Path,
) -> None:
    """A state written by version 8 keeps its developments; the story book compares them by
    their evidence (``StoryBook.reset``) until a new report is recorded."""
    from monitor.store_schema import MIGRATIONS

    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        for step in MIGRATIONS[:8]:
            db.executescript(step)
        db.execute(
            "INSERT INTO developments (id, rule, stage, first_seen, last_seen, evidence, entries,"
            " rules, outlets) VALUES ('d1', 'vote', 'held', ?, ?, '[\"MPs voted.\"]',"
            " '[\"f:1\"]', '[\"vote\"]', '[\"wire\"]')",
            (T0.isoformat(), T0.isoformat()),
        )
        db.execute("PRAGMA user_version = 8")
    store = open_store(path)
    try:
        (development,) = store.developments()
    finally:
        store.close()
    assert (development.evidence, development.outlets) == (["MPs voted."], ["wire"])
    assert (development.reports, development.adopted) == ([], False)


def test_the_pages_queries_read_the_same_on_both_backends(any_store: Store) -> None:
    from tests.helpers import record_alerts
    from tests.notify.test_outbox import alerts

    made = alerts(3)
    record_alerts(any_store, made, T0, ["hook"])
    first = any_store.due(T0)[0]
    any_store.mark_retry(first.id, "HTTP 503", T0 + timedelta(minutes=1), T0)
    rule = made[0].rule
    assert [r.id for r in any_store.alert_records()] == [1, 2, 3]
    assert any_store.entries_by_feed() == {"wire": 3}
    assert any_store.outbox_by_channel() == {"hook": {"pending": 3}}
    assert [(d.channel, d.error) for d in any_store.troubled_deliveries()] == [("hook", "HTTP 503")]
    assert any_store.rules_last_fired() == {rule: T0.isoformat()}
    assert len(any_store.recorded_alerts(rule=rule)) == 3
    assert any_store.recorded_alerts(rule="no-such-rule") == []


def test_an_entry_with_a_nul_character_is_recorded_on_both_backends(
    tmp_path: Path,
    state_location: Path | str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A feed may carry NUL characters (raw, or as ``&#0;``, which feedparser decodes):
    SQLite stores them, PostgreSQL refuses every text holding one, so the feed's every poll
    failed as 'state database: PostgreSQL text fields cannot contain NUL (0x00) bytes'
    and its entries alerted again at each run."""
    from monitor.cli import main
    from tests.helpers import VOTE_ITEM, make_rules
    from tests.servers import FeedServer, rss, serving

    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("NEWS_MONITOR_HEALTH_BIND", "")
    if isinstance(state_location, str):
        monkeypatch.setenv("NEWS_MONITOR_DATABASE_URL", state_location)
    else:
        monkeypatch.setenv("NEWS_MONITOR_DATABASE", str(state_location))
    item = {**VOTE_ITEM, "title": "Commons backs\x00 sending troops to Ukraine", "guid": "v\x00-1"}
    body = rss([item]).replace(b"401 to 60", b"401&#0; to 60")
    with serving(FeedServer()) as server:
        server.feeds["/wire.xml"] = body
        server.etags = False  # every run parses the feed again
        rules = make_rules(tmp_path, {"wire": server.url("/wire.xml")})
        argv = ["--rules", str(rules), "run", "--once"]
        assert main(argv) == 0
        first = capsys.readouterr().err
        assert main(argv) == 0
        second = capsys.readouterr().err
    assert "state database" not in first + second
    assert "1 alerts and updates" in first and "0 alerts and updates" in second
    store = open_store(state_location)
    try:
        assert store.entry_count() == 1 and store.feed_state("wire").healthy
        [alert] = store.recorded_alerts()
        assert store.recorded_alerts(rule=alert.rule) == [alert]
        assert store.rules_last_fired()[alert.rule] == alert.created
    finally:
        store.close()


def test_times_with_another_offset_compare_as_times(any_store: Store) -> None:
    """The store compares times as text; a time with another offset than UTC (a digest's
    period in its zone) compared by its local reading: 08:00-05:00 (13:00 UTC) came before
    12:30 UTC. Times are stored in UTC now, and a time without an offset is refused."""
    from zoneinfo import ZoneInfo

    from tests.notify.test_channels import make_alert

    noon = datetime(2027, 3, 3, 12, 30, tzinfo=UTC)
    alert = make_alert()
    any_store.commit_poll(
        feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
        articles=[alert.article], alerts=[alert], developments=[],
        route=lambda a: ["hook"], now=noon,
    )  # fmt: skip
    new_york = ZoneInfo("America/New_York")
    after = datetime(2027, 3, 3, 8, 0, tzinfo=new_york)  # 13:00 UTC
    before = datetime(2027, 3, 3, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 23:00 UTC the day before
    assert any_store.recorded_alerts(since=after) == []
    assert len(any_store.recorded_alerts(since=before, until=after)) == 1
    assert len(any_store.due(after)) == 1 and any_store.due(before) == []
    silence = any_store.add_silence("rule", "x", before, after, "zoned", "ops")
    assert any_store.silence(silence.id) == silence  # read back as the same times
    assert [s.id for s in any_store.silences(noon.astimezone(new_york))] == [silence.id]
    with pytest.raises(ValueError, match="without a UTC offset"):
        any_store.recorded_alerts(since=datetime(2027, 3, 3, 12, 0))


def _poll(store: Store, feed: list[Article], now: datetime) -> None:
    """Record a full response listing ``feed`` at ``now``, as the poller does."""
    listing = compare_listing(store.seen_entries("feed"), feed, now)
    store.commit_poll(
        feed="feed",
        url="u",
        etag='"e"',
        last_modified=None,
        articles=listing.unseen,
        alerts=[],
        developments=[],
        route=lambda a: [],
        now=now,
        listing=listing,
    )


def test_entries_a_feed_still_lists_are_not_pruned(any_store: Store) -> None:
    """``last_seen`` was written only for new or changed entries, and a 304 wrote nothing:
    entries still listed were pruned 30 days after first seen (the next full response
    took them as new: an undated one alerted again)."""
    kept = Article("kept", "feed", "Kept", "Listed all along")
    dropped = Article("dropped", "feed", "Dropped", "Listed until day 10")
    _poll(any_store, [kept, dropped], T0)
    any_store.record_not_modified("feed", "u", '"e"', None, T0 + timedelta(days=10), T0.isoformat())
    day_10 = T0 + timedelta(days=10, minutes=30)
    _poll(any_store, [kept], day_10)  # the feed no longer lists ``dropped``
    for day in (20, 30, 40):  # 304s renew what the feed listed at its last success
        last = any_store.feed_state("feed").last_success
        any_store.record_not_modified("feed", "u", '"e"', None, T0 + timedelta(days=day), last)
    assert any_store.prune_entries(T0 + timedelta(days=35)) == 1  # ``dropped`` only
    assert _unseen(any_store, "feed", [kept, dropped], T0 + timedelta(days=40)) == [dropped]
    any_store.record_not_modified("feed", "u", '"e"', None, T0 + timedelta(days=70), None)
    assert any_store.prune_entries(T0 + timedelta(days=65)) == 0


def test_a_304_renews_the_entries_once_an_hour(any_store: Store) -> None:
    entry = Article("a", "feed", "Title", "Text")
    _poll(any_store, [entry], T0)

    def not_modified(minutes: int) -> str:
        last = any_store.feed_state("feed").last_success
        any_store.record_not_modified(
            "feed", "u", None, None, T0 + timedelta(minutes=minutes), last
        )
        return any_store.seen_entries("feed")["a"][1]

    assert not_modified(59) == T0.isoformat()  # the same hour: no write
    assert not_modified(119) == T0.isoformat()  # seen within the hour before: none either
    assert not_modified(150) == (T0 + timedelta(minutes=150)).isoformat()


def test_an_upgraded_state_counts_every_entry_as_listed_at_its_feeds_last_success(
    tmp_path: Path,
) -> None:
    """Entries recorded before ``last_seen`` was renewed: a feed that answers 304 from
    then on keeps them."""
    from monitor.store_schema import MIGRATIONS

    path = tmp_path / "state.db"
    with sqlite3.connect(path) as db:
        for step in MIGRATIONS[:10]:
            db.executescript(step)
        late = (T0 + timedelta(days=20)).isoformat()
        db.execute("INSERT INTO feeds (name, url, last_success) VALUES ('feed', 'u', ?)", (late,))
        db.execute("INSERT INTO feeds (name, url) VALUES ('never', 'u')")
        db.executemany(
            "INSERT INTO entries (feed, entry_id, content_hash, first_seen, last_seen)"
            " VALUES (?, ?, 'h', ?, ?)",
            [(feed, "a", T0.isoformat(), T0.isoformat()) for feed in ("feed", "never")],
        )
        db.execute("PRAGMA user_version = 10")
    store = open_store(path)
    try:
        assert store.seen_entries("feed") == {"a": ("h", late)}
        assert store.seen_entries("never") == {"a": ("h", T0.isoformat())}
    finally:
        store.close()
