"""Copy a whole state from one database to another (``news-monitor state migrate``, and the
in-memory copy a dry run makes of a PostgreSQL state).

Both databases are at the current schema (``open_store`` upgrades them first). Every row
of every table is copied with its ids, parents before children (the foreign keys hold at
every step), as the source was at one moment, in one transaction on the target, which must
hold no state yet. Claims of
channels and the clock steps seen are not copied: they belong to the processes of the old
database.
"""

from __future__ import annotations

from monitor.errors import StateError
from monitor.store_db import Database

# Parents before children; tables added later (not listed) come after these, by name.
ORDER = (
    "feeds",
    "entries",
    "developments",
    "silences",
    "alerts",
    "outbox",
    "threads",
    "attempts",
    "sends",
    "feed_leases",
    "decisions",
)
NOT_COPIED = {"schema_version", "channel_claims", "clock_steps", "sqlite_sequence"}
BATCH = 1000


def _tables(db: Database) -> list[str]:
    found = set(db.tables()) - NOT_COPIED
    return [t for t in ORDER if t in found] + sorted(found - set(ORDER))


def copy_state(source: Database, target: Database) -> dict[str, int]:
    """Copy every table of ``source`` into the empty ``target``; rows copied per table.

    ``StateError`` if the target already holds state (nothing is copied then).
    """
    tables = _tables(source)
    copied: dict[str, int] = {}
    with source.snapshot(), target.transaction():  # replicas may write the source meanwhile
        target.execute("DELETE FROM decisions")  # the one row the schema starts with
        for table in tables:
            if target.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall():
                raise StateError(
                    f"state migrate: {target.name} already holds state (table {table}); "
                    "migrate into an empty database"
                )
        for table in tables:
            columns = source.columns(table)
            names = ", ".join(columns)
            insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
            rows = source.execute(f"SELECT {names} FROM {table}").fetchall()
            for start in range(0, len(rows), BATCH):
                target.insert_many(insert, [tuple(row) for row in rows[start : start + BATCH]])
            target.copied(table)
            copied[table] = len(rows)
    return copied
