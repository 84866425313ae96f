"""Telling a PostgreSQL URL from a SQLite file, and naming it without its password.

Apart from ``store_db`` so that the settings can use them without importing the database
backends (``sqlite3``) at every start.
"""

from __future__ import annotations

import re


def is_postgres_url(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def redact_url(url: str) -> str:
    """``url`` without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
