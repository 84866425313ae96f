"""Shared fixtures: paths to the shipped rules and to the shared evaluation material; a
real PostgreSQL server and a store on each backend."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.detect.engine import Detector
from monitor.ruleset import load_ruleset
from monitor.store import Store, open_store
from tests.pgserver import PostgresServer
from tests.pgserver import unavailable as pg_unavailable

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shipped_detector() -> Detector:
    ruleset = load_ruleset(RULES)
    return Detector.of(ruleset)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole session (skips, saying why, if none can run)."""
    reason = pg_unavailable()
    if reason is not None:
        pytest.skip(f"PostgreSQL tests: {reason}")
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres.create_database(f"test_{os.getpid()}_{next(_databases)}")


@pytest.fixture(params=["sqlite", "postgres"])
def state_location(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a new state database lives: a SQLite file, then a PostgreSQL database (the
    same store tests run against both backends)."""
    if request.param == "sqlite":
        return tmp_path / "state.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def any_store(state_location: Path | str) -> Iterator[Store]:
    """A new store on each backend in turn."""
    store = open_store(state_location)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def cli_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The state folder of CLI runs (``tmp_path/state``), with no health listener."""
    state = tmp_path / "state"
    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(state))
    monkeypatch.setenv("NEWS_MONITOR_HEALTH_BIND", "")
    return state
