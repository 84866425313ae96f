"""What the parts of the store share: the connection, its reads and its transactions.

``Store`` (``store.py``) implements ``_rows`` and ``_transaction``; the parts it inherits
(``store_history.py``, ``store_silences.py``) read through ``_rows`` and write through
``_transaction``, so a SQLite failure is always a ``StateError``.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import Any


class StorePart:
    """A group of store queries; mixed into ``Store``, which provides the connection."""

    _db: sqlite3.Connection

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A transaction, ``StateError`` on any SQLite error (implemented by ``Store``)."""
        raise NotImplementedError

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        """Every row of a query; ``StateError`` on failure (implemented by ``Store``)."""
        raise NotImplementedError
