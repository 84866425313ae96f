"""An in-memory copy of the state database, for runs that must not write it (dry runs)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from monitor.dburl import is_postgres_url, redact_error, redact_url
from monitor.errors import StateError
from monitor.store import Store, _migrate
from monitor.store_db import Database, connect
from monitor.store_transfer import copy_state


def open_store_copy(location: Path | str) -> Store:
    """An in-memory copy of the state at ``location`` (empty if there is none), for dry runs.

    A PostgreSQL state is copied row by row into an in-memory SQLite database.
    """
    if is_postgres_url(location):
        return _postgres_copy(str(location))
    return _sqlite_copy(Path(location))


def _postgres_copy(url: str) -> Store:
    copy = Database(sqlite3.connect(":memory:", check_same_thread=False), ":memory:")
    try:
        _migrate(copy, ":memory:")
        source = connect(url)
    except Exception as exc:  # psycopg's errors, without importing it here
        raise StateError(
            f"cannot read state database {redact_url(url)}: {redact_error(str(exc), url)}"
        ) from exc
    try:
        copy_state(source, copy)
    except source.errors as exc:
        raise StateError(f"cannot read state database {source.name}: {exc}") from exc
    finally:
        source.close()
    return Store(copy)


def _sqlite_copy(path: Path) -> Store:
    """An in-memory copy of the SQLite file at ``path`` (empty if there is none).

    Nothing is written to ``path``: without a write-ahead log beside it (no daemon has it
    open) the file is only read as bytes; with one, it is read through a read-only
    connection, which sees what the running daemon committed.
    """
    try:
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        if path.exists() and not path.with_name(path.name + "-wal").exists():
            image = bytearray(path.read_bytes())
            if len(image) > 19:
                image[18] = image[19] = 1  # rollback journal: memory images cannot be WAL
            copy.deserialize(bytes(image))
        elif path.exists():
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            try:
                source.backup(copy)
            finally:
                source.close()
        copy.execute("PRAGMA foreign_keys = ON")
        _migrate(Database(copy, str(path)), str(path))
    except (sqlite3.Error, OSError) as exc:
        raise StateError(f"cannot read state database {path}: {exc}") from exc
    return Store(Database(copy, str(path)))
