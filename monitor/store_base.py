"""What the parts of the store share: the connection, its reads and its transactions.

``Store`` (``store.py``) implements ``_rows`` and ``_transaction``; the parts it inherits
(``store_outbox.py``, ``store_history.py``, ``store_silences.py``, ``store_feedback.py``,
``store_replicas.py``, ``store_clockstep.py``, ``store_views.py``) read through ``_rows``
and write through ``_transaction``, so a database failure is always a ``StateError``.
They write SQL with ``?`` placeholders; ``store_db.Database`` adapts it to PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, TypeVar

from monitor.store_db import Database

T = TypeVar("T")
LARGEST_ID = 2**63 - 1  # the largest row id the state databases hold
KEPT_TEXT = 20_000
"""How much of an article's text the state keeps with its alert (at most), and so how much
of it a ``--match`` silence searches, whether the alert is new or waits in the outbox."""


def row_id(value: object) -> int | None:
    """A row id (alert, delivery, silence) as given on the command line, in a form or in
    JSON: a whole number (not a float or a boolean) or a string of ASCII digits, from 1 to
    the databases' largest; None for anything else."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if type(value) is int and 0 < value <= LARGEST_ID:
        return value
    return None


def stamp(moment: datetime) -> str:
    """``moment`` as the state stores it: ISO 8601 in UTC. The queries compare times as
    text, which orders them as times only when every one is in UTC (``isoformat`` writes
    whole seconds or microseconds, and ``+`` sorts before ``.``, so either compares right);
    a time with another offset is converted, one without an offset refused (``ValueError``)."""
    if moment.utcoffset() is None:
        raise ValueError(f"state: time {moment.isoformat()} without a UTC offset")
    return moment.astimezone(UTC).isoformat()


class StorePart:
    """A group of store queries; mixed into ``Store``, which provides the connection."""

    _db: Database
    _lock: threading.RLock  # held around every use of ``_db`` (see ``Store.run``)

    def _transaction(self, alone: bool = False) -> AbstractContextManager[Database]:
        """A transaction, ``StateError`` on any database error (implemented by ``Store``);
        ``alone``: the block runs one statement (see ``Database.alone``)."""
        raise NotImplementedError

    def _failed(self, exc: Exception) -> Exception:
        """The ``StateError`` for ``exc``, reported to the observer (implemented by ``Store``)."""
        raise NotImplementedError

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        """Every row of a query; ``StateError`` on failure (implemented by ``Store``)."""
        raise NotImplementedError

    def _guarded(self, call: Callable[[Database], T]) -> T:
        """``call(connection)`` under the lock; ``StateError`` on failure (implemented by
        ``Store``)."""
        raise NotImplementedError
