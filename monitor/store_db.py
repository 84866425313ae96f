"""The two database backends behind the store: SQLite (embedded) and PostgreSQL (shared).

``Database`` is what the store's parts talk to: ``execute`` (SQL written with ``?``
placeholders, the SQLite way; PostgreSQL gets them as ``%s``), ``transaction`` and the few
places where the two dialects differ (schema versions, the schema's types, a JSON list's
values, an advisory lock). psycopg is imported here only, and only for PostgreSQL.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import lru_cache
from typing import Any, Protocol

from monitor.dburl import is_postgres_url, redact_url


class Cursor(Protocol):
    """What the store reads from an executed statement."""

    @property
    def rowcount(self) -> int: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database:
    """One connection to SQLite or PostgreSQL; used by one thread at a time (the store's lock)."""

    dialect: str = "sqlite"
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    shared: bool = False  # several processes share it (PostgreSQL)
    lock_rows: str = ""  # appended to a SELECT whose rows a transaction claims

    def __init__(self, connection: sqlite3.Connection, name: str) -> None:
        self._sqlite = connection
        self.name = name

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        return self._sqlite.execute(sql, tuple(params))

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """A write transaction, committed when the block ends, rolled back on an exception.

        ``BEGIN IMMEDIATE`` takes the write lock at once, so a transaction that reads and
        then writes never fails halfway on another process's lock, and schema steps (DDL,
        which Python's sqlite3 would not wrap) are atomic.
        """
        self._sqlite.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self._sqlite.commit()
        except BaseException:
            self._sqlite.rollback()
            raise

    @contextmanager
    def snapshot(self) -> Iterator[Database]:
        """A read transaction: every statement in it sees the database at one moment, while
        other connections go on writing (SQLite's write-ahead log keeps that moment)."""
        self._sqlite.execute("BEGIN")
        try:
            yield self
        finally:
            self._sqlite.rollback()

    def alone(self) -> AbstractContextManager[Database]:
        """For one statement, atomic by itself: a transaction in SQLite; in PostgreSQL
        the statement commits on its own (no BEGIN and COMMIT round trips)."""
        return self.transaction()

    def close(self) -> None:
        self._sqlite.close()

    # where the dialects differ -------------------------------------------------------------

    def schema_version(self) -> int:
        return int(self._sqlite.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, version: int) -> None:
        self._sqlite.execute(f"PRAGMA user_version = {int(version)}")

    def lock_schema(self) -> None:
        """Inside a transaction: keep other processes from migrating at the same time (the
        transaction already holds SQLite's write lock)."""

    def lock_clock_steps(self) -> None:
        """Inside a transaction: keep other processes from recording a clock step at the
        same time (the transaction already holds SQLite's write lock)."""

    def lock_alerts(self) -> None:
        """Inside a transaction: wait for every transaction that is recording alerts to
        end, and keep new ones out until this one does, so that the alerts committed so far
        are exactly those with a smaller id than any recorded later (the transaction
        already holds SQLite's write lock: SQLite commits one transaction at a time)."""

    def schema(self, script: str) -> str:
        """A migration step in this dialect (the steps are written for SQLite)."""
        return script

    def statements(self, script: str) -> Iterator[str]:
        """The SQL statements of ``script``, one at a time."""
        buffer = ""
        for line in script.splitlines(keepends=True):
            buffer += line
            if sqlite3.complete_statement(buffer):
                yield buffer.strip()
                buffer = ""
        if buffer.strip():
            yield buffer.strip()

    def json_list(self, column: str) -> str:
        """A FROM item ``j`` whose ``j.value`` are the texts of ``column``'s JSON ``rules`` list."""
        return f"json_each({column}, '$.rules') j"

    def json_text(self, column: str, *keys: str) -> str:
        """An SQL expression: the text at ``keys`` (object keys, outermost first) in
        ``column``'s JSON, NULL where there is none."""
        return f"json_extract({column}, '$.{'.'.join(keys)}')"

    def damage(self) -> list[str]:
        found = [str(row[0]) for row in self.execute("PRAGMA quick_check").fetchall()]
        return [] if found == ["ok"] else found

    def tables(self) -> list[str]:
        """The names of the schema's tables."""
        rows = self.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return [str(row[0]) for row in rows]

    def columns(self, table: str) -> list[str]:
        """The names of ``table``'s columns, in order."""
        return [str(row[1]) for row in self.execute(f"PRAGMA table_info({table})").fetchall()]

    def insert_many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        self._sqlite.executemany(sql, rows)

    def copied(self, table: str) -> None:
        """After rows were copied into ``table`` with their ids: new ids continue after them."""

    def try_lock(self, key: int) -> bool:
        """Take the process-wide decision lock ``key`` without waiting (SQLite: one process
        uses the database, so the lock is always free)."""
        return True

    def unlock(self, key: int) -> None:
        """Let ``try_lock``'s lock go."""

    def be_present(self, name: str) -> None:
        """Show, for this connection's life, that the replica ``name`` runs (SQLite: one
        process, always)."""

    def present(self, column: str) -> str:
        """An SQL condition: the replica named in ``column`` runs (see ``be_present``)."""
        return "1 = 1"


@lru_cache(maxsize=512)
def _postgres_sql(sql: str) -> str:
    """``?`` placeholders as ``%s`` (and a literal ``%`` doubled) for psycopg."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresDatabase(Database):
    """A psycopg 3 connection in autocommit mode; ``transaction`` groups statements.

    A connection lost (server restart, network) is opened again at the next statement;
    one closed by ``close`` stays closed. The replica's presence (``be_present``) is taken
    again with it: at once, or, while the server still keeps the old session (a network
    cut it has not noticed yet) and with it the presence lock, at each statement until that
    session ends (TCP keepalives end it within about a minute: ``_connect``).
    """

    dialect = "postgres"
    shared = True
    lock_rows = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str) -> None:  # no SQLite connection: not Database.__init__
        import psycopg

        self.errors = (psycopg.Error,)
        self.url = url
        self.name = redact_url(url)
        self._psycopg = psycopg
        self._conn = self._connect()
        self._closed = False
        self._presence: str | None = None
        self._present = False  # this session holds the presence lock

    def _connection(self) -> Any:
        if self._conn.closed and not self._closed:
            self._conn = self._connect()
            self._present = False  # the old session's lock went with it, or goes with it
        if self._presence is not None and not self._present:
            row = self._conn.execute(_PRESENCE_SQL, (PRESENCE_LOCKS, self._presence)).fetchone()
            self._present = bool(row and row[0])
        return self._conn

    def _connect(self) -> Any:
        """A new session, with TCP keepalives both ways (unless the URL sets them): this
        side notices a server cut off, and the server ends the session of a replica cut off
        (and lets its presence and decision locks go) within about a minute, not when the
        operating system gives up on the connection (hours)."""
        from psycopg.conninfo import conninfo_to_dict

        given = conninfo_to_dict(self.url)
        keepalives = {key: value for key, value in KEEPALIVES.items() if key not in given}
        conn = self._psycopg.connect(self.url, autocommit=True, connect_timeout=30, **keepalives)
        # the server's side, settable by any user for this session, unless the URL (or
        # PGOPTIONS) sets it or turns keepalives off
        chosen = f"{given.get('options', '')} {os.environ.get('PGOPTIONS', '')}"
        if "tcp_keepalives" not in chosen and str(given.get("keepalives", "1")) != "0":
            try:
                conn.execute(_SERVER_KEEPALIVES_SQL)
            except BaseException:
                conn.close()
                raise
        return conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        cursor: Cursor = self._connection().execute(_postgres_sql(sql), tuple(params))
        return cursor

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        with self._connection().transaction():
            yield self

    @contextmanager
    def snapshot(self) -> Iterator[Database]:
        with self._connection().transaction():
            self.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield self

    def alone(self) -> AbstractContextManager[Database]:
        return nullcontext(self)

    def close(self) -> None:
        self._closed = True
        self._conn.close()

    def __del__(self) -> None:  # a store dropped without close() lets its connection go
        conn = getattr(self, "_conn", None)
        if conn is not None and not conn.closed:
            conn.close()

    def schema_version(self) -> int:
        self.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = self.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def set_schema_version(self, version: int) -> None:
        self.execute("DELETE FROM schema_version")
        self.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def lock_schema(self) -> None:
        self.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))

    def lock_clock_steps(self) -> None:
        self.execute("SELECT pg_advisory_xact_lock(?)", (CLOCK_STEP_LOCK,))

    def lock_alerts(self) -> None:
        # conflicts with the ROW EXCLUSIVE lock an INSERT takes before it draws its id, and
        # with itself; reads go on
        self.execute("LOCK TABLE alerts IN SHARE ROW EXCLUSIVE MODE")

    def schema(self, script: str) -> str:
        """Autoincrementing ``id`` keys as identity columns; text compared byte by byte (ISO times
        sort as text, whatever the database's locale)."""
        script = re.sub(
            r"\bid INTEGER PRIMARY KEY",
            "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            script,
        )
        return re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', script)

    def tables(self) -> list[str]:
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
        return [str(row[0]) for row in rows]

    def columns(self, table: str) -> list[str]:
        rows = self.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def insert_many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        with self._connection().cursor() as cursor:
            cursor.executemany(_postgres_sql(sql), rows)

    def copied(self, table: str) -> None:
        if "id" not in self.columns(table):
            return
        sequence = self.execute("SELECT pg_get_serial_sequence(?, 'id')", (table,)).fetchone()
        if sequence and sequence[0]:  # an identity column, not a text id
            self.execute(
                f"SELECT setval(?, (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)",
                (sequence[0],),
            )

    def json_list(self, column: str) -> str:
        return f"jsonb_array_elements_text(({column})::jsonb -> 'rules') AS j(value)"

    def json_text(self, column: str, *keys: str) -> str:
        return f"(({column})::jsonb #>> '{{{','.join(keys)}}}')"

    def damage(self) -> list[str]:
        return []

    def try_lock(self, key: int) -> bool:
        row = self.execute("SELECT pg_try_advisory_lock(?)", (key,)).fetchone()
        return bool(row[0])

    def unlock(self, key: int) -> None:
        self.execute("SELECT pg_advisory_unlock(?)", (key,))

    def be_present(self, name: str) -> None:
        """A session advisory lock keyed by the name's hash: PostgreSQL lets it go as soon
        as the session ends, so a replica killed (or cut off) is seen gone at once."""
        self._presence, self._present = name, False
        self._connection()

    def present(self, column: str) -> str:
        return (
            "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            f" AND classid = {PRESENCE_LOCKS} AND objid = hashtext({column})::oid"
            " AND objsubid = 2)"
        )


MIGRATION_LOCK = 0x6E6D0001  # advisory lock keys: "nm" + a number
DECISION_LOCK = 0x6E6D0002
PRESENCE_LOCKS = 0x6E6D0003  # with a replica name's hash: that replica's presence
CLOCK_STEP_LOCK = 0x6E6D0004
_PRESENCE_SQL = "SELECT pg_try_advisory_lock(%s, hashtext(%s))"
# A peer silent for 20 s is probed every 10 s; after 3 probes unanswered (50 s) its
# connection ends.
KEEPALIVES: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 20,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
_SERVER_KEEPALIVES_SQL = (
    "SELECT set_config('tcp_keepalives_idle', '20', false),"
    " set_config('tcp_keepalives_interval', '10', false),"
    " set_config('tcp_keepalives_count', '3', false)"
)


def connect(location: object) -> Database:
    """A ``Database`` for a PostgreSQL URL; SQLite callers build ``Database`` themselves."""
    assert is_postgres_url(location)
    return PostgresDatabase(str(location))
