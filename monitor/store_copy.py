"""An in-memory copy of the state database, for runs that must not write it (dry runs)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from monitor.errors import StateError
from monitor.store import Store, _migrate


def open_store_copy(path: Path) -> Store:
    """An in-memory copy of the database at ``path`` (empty if there is none), for dry runs.

    Nothing is written to ``path``: without a write-ahead log beside it (no daemon has it
    open) the file is only read as bytes; with one, it is read through a read-only
    connection, which sees what the running daemon committed.
    """
    try:
        copy = sqlite3.connect(":memory:")
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
        _migrate(copy, path)
    except (sqlite3.Error, OSError) as exc:
        raise StateError(f"cannot read state database {path}: {exc}") from exc
    return Store(copy)
