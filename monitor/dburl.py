"""Telling a PostgreSQL URL from a SQLite file, and naming it without its password.

Apart from ``store_db`` so that the settings can use them without importing the database
backends (``sqlite3``) at every start.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

# The user information's password: everything after the user name's ":" up to the last "@"
# before the query (a password may hold "@" or "/", escaped or not); and the query's
# password values (libpq takes ``password`` and ``sslpassword`` there too).
_USERINFO = re.compile(r"(://[^:/@?]*):([^?]*)@")
_QUERY = re.compile(r"([?&](?:ssl)?password=)([^&#]*)", re.IGNORECASE)


def is_postgres_url(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL database (``postgresql://`` or ``postgres://``)."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def redact_url(url: str) -> str:
    """``url`` without its password (in the user information or the query), for messages."""
    return _QUERY.sub(r"\1***", _USERINFO.sub(r"\1:***@", url, count=1))


def redact_error(text: str, url: str) -> str:
    """``text`` (a database error about ``url``) without the URL's password: libpq quotes
    the URL, or the part it cannot parse, in its errors (of a password with an unescaped
    "@", the part after it as a host name)."""
    text = text.replace(url, redact_url(url))
    found = _USERINFO.search(url)
    secrets = [found.group(2)] if found else []
    secrets += [match.group(2) for match in _QUERY.finditer(url)]
    forms = {
        form for secret in secrets for form in (secret, unquote(secret), *secret.split("@")) if form
    }
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "***")
    return text
