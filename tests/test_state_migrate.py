"""``news-monitor state migrate --to URL`` copies a SQLite state into a real PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest

from monitor.dburl import redact_url
from monitor.errors import StateError
from monitor.statelock import StateLock
from monitor.store import Store, open_store
from monitor.store_copy import open_store_copy
from tests.helpers import daemon_env, make_rules, record_alerts, run_command
from tests.notify.test_outbox import alerts

T0 = datetime(2027, 3, 3, 21, 0, tzinfo=UTC)


def snapshot(store: Store) -> tuple[object, ...]:
    return (
        store.feed_states(),
        store.recorded_alerts(),
        store.outbox_rows(),
        store.silences(),
        store.developments(),
        store.entry_count(),
        store.thread_of("dev-1", "slack"),
        [store.alert_record(r.id) for r in store.recorded_alerts()],
    )


def test_a_sqlite_state_is_copied_whole(tmp_path: Path, postgres_url: str) -> None:
    make_rules(tmp_path, {})
    database = tmp_path / "state" / "news-monitor.db"
    store = open_store(database)
    store.record_failure("broken", "http://127.0.0.1/x", "HTTP 500", T0)
    later = T0 + timedelta(hours=2)
    silence = store.add_silence("rule", "other-rule", later, later + timedelta(hours=1), "c", "a")
    record_alerts(store, alerts(3), T0, ["hook", "mail"])
    first, second = store.due(T0)[:2]
    store.mark_delivered(first.id, T0)
    store.mark_retry(second.id, "HTTP 503", T0 + timedelta(minutes=1), T0)
    store.save_thread("dev-1", "slack", "1700000000.000001")
    store.hold([3], silence.id)
    before = snapshot(store)
    store.close()

    env = daemon_env(tmp_path)
    done = run_command(env, "state", "migrate", "--to", postgres_url)
    assert done.returncode == 0, done.stderr
    assert "state migrate: alerts: 3 rows" in done.stdout
    assert "postgres@127.0.0.1" in done.stdout

    copied = open_store(postgres_url)
    assert snapshot(copied) == before
    record_alerts(copied, [alerts(5)[4]], T0, ["hook"])  # new ids follow the copied ones
    assert [r.id for r in copied.recorded_alerts()] == [1, 2, 3, 4]
    copied.close()

    again = run_command(env, "state", "migrate", "--to", postgres_url)
    assert again.returncode == 1
    assert "already holds state" in again.stderr


def test_migrate_is_refused_while_a_daemon_holds_the_state(
    tmp_path: Path, postgres_url: str
) -> None:
    make_rules(tmp_path, {})
    database = tmp_path / "state" / "news-monitor.db"
    open_store(database).close()
    lock = StateLock(database)
    lock.acquire()
    try:
        refused = run_command(daemon_env(tmp_path), "state", "migrate", "--to", postgres_url)
    finally:
        lock.release()
    assert refused.returncode == 1
    assert "is locked by process" in refused.stderr
    bad = run_command(daemon_env(tmp_path), "state", "migrate", "--to", "mysql://x")
    assert bad.returncode == 2


def test_a_dry_run_copy_of_a_postgresql_state_writes_nothing_back(postgres_url: str) -> None:
    store = open_store(postgres_url)
    record_alerts(store, alerts(2), T0, ["hook"])
    before = snapshot(store)
    copy = open_store_copy(postgres_url)
    assert snapshot(copy) == before
    record_alerts(copy, [alerts(3)[2]], T0, ["hook"])
    copy.close()
    assert snapshot(store) == before
    store.close()


def test_commands_work_on_a_postgresql_state_and_never_show_its_password(
    tmp_path: Path, postgres_url: str
) -> None:
    make_rules(tmp_path, {})
    store = open_store(postgres_url)
    record_alerts(store, alerts(2), T0, ["hook"])
    store.close()
    with_password = postgres_url.replace("postgres@", "postgres:hunter2@")
    env = daemon_env(tmp_path, database_url=with_password)
    status = run_command(env, "status")
    assert status.returncode == 0, status.stderr
    assert "database: postgresql://postgres:***@127.0.0.1" in status.stdout
    assert "state: ok; PostgreSQL" in status.stdout
    assert "2 pending" in status.stdout
    listed = run_command(env, "alerts", "list")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.strip().splitlines()) >= 2
    # the desk's judgment is recorded in, and exported from, the state in force, never
    # from a SQLite file left in the state folder
    (tmp_path / "state").mkdir(exist_ok=True)
    stale = open_store(tmp_path / "state" / "news-monitor.db")
    record_alerts(stale, alerts(1), T0, ["hook"])
    stale.add_feedback("wrong", alert_id=1, author="old", via="cli", now=T0)
    stale.close()
    marked = run_command(env, "feedback", "2", "--right")
    assert marked.returncode == 0, marked.stderr
    exported = run_command(env, "feedback", "export", "-o", str(tmp_path / "desk.jsonl"))
    assert exported.returncode == 0, exported.stderr
    items = (tmp_path / "desk.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(items) == 1 and json.loads(items[0])["kind"] == "development"
    broken = run_command({**env, "NEWS_MONITOR_DATABASE_URL": with_password + "_missing"}, "status")
    assert broken.returncode == 1
    assert "hunter2" not in status.stdout + status.stderr + broken.stdout + broken.stderr


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ("postgresql://postgres:hunter2@{host}/db", "postgresql://postgres:***@{host}/db"),
        ("postgresql://:hunter2@{host}/db", "postgresql://:***@{host}/db"),  # no user name
        ("postgresql://postgres:hun@ter2@{host}/db", "postgresql://postgres:***@{host}/db"),
        (
            "postgres://postgres@{host}/db?password=hunter2",
            "postgres://postgres@{host}/db?password=***",
        ),
        (
            "postgresql://postgres@{host}/db?sslmode=disable&sslpassword=hunter2",
            "postgresql://postgres@{host}/db?sslmode=disable&sslpassword=***",
        ),
        ("postgresql://postgres:hunter2%zz@{host}/db", "postgresql://postgres:***@{host}/db"),
        ("postgresql://postgres:hunter2@[::1/db", "postgresql://postgres:***@[::1/db"),
    ],
)
def test_a_database_url_s_password_is_in_no_name_and_no_error(
    postgres_url: str, template: str, shown: str
) -> None:
    """The URL as messages name it, and the error of opening it (libpq quotes what it cannot
    parse, the password included), never carry the password."""
    host = postgres_url.split("@", 1)[1].split("/", 1)[0]
    url = template.format(host=host)
    assert redact_url(url) == shown.format(host=host)
    with pytest.raises(StateError) as opened:
        open_store(url).close()
    with pytest.raises(StateError) as copied:
        open_store_copy(url).close()
    for error in (opened.value, copied.value):
        assert "hunter2" not in str(error) and "ter2" not in str(error), error
        assert "state database" in str(error)


def test_a_copy_of_a_postgresql_state_in_use_is_one_moment_of_it(postgres_url: str) -> None:
    """Replicas keep writing while a dry run (or ``state migrate``) copies their state:
    the copy reads every table at one moment, so no outbox row arrives without its alert
    (the dry run's copy had such rows; a migration's foreign keys refused them)."""
    import threading

    store = open_store(postgres_url)
    made = alerts(4000)
    for start in range(0, len(made), 500):  # alerts to read before the outbox
        record_alerts(store, made[start : start + 500], T0, ["hook"])
    stop = threading.Event()

    def replica() -> None:
        writer = open_store(postgres_url)
        base = made[0]
        more = (replace(base, article=replace(base.article, id=f"more-{n}")) for n in count())
        try:
            while not stop.is_set():
                record_alerts(writer, [next(more)], T0, ["hook"])
        finally:
            writer.close()

    thread = threading.Thread(target=replica)
    thread.start()
    try:
        for _ in range(5):
            copy = open_store_copy(postgres_url)
            try:
                ids = {r.id for r in copy.recorded_alerts()}
                assert {alert_id for alert_id, *_ in copy.outbox_rows()} == ids
            finally:
                copy.close()
    finally:
        stop.set()
        thread.join()
        store.close()
