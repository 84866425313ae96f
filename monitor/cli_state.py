"""``news-monitor state migrate --to URL``: copy the state into another database.

The usual move is from the embedded SQLite file to a PostgreSQL database that several
replicas will share. The source is locked like a running daemon locks it, so the copy is
refused while a daemon uses it; the target must be empty (its schema is created first).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from monitor.cli_help import add_command, later
from monitor.errors import StateError

if TYPE_CHECKING:
    from monitor.settings import Settings


def cmd_state_migrate(settings: Settings, target: str) -> int:
    """Copy the state of ``settings`` into ``target``; print the rows copied per table."""
    from monitor.dburl import is_postgres_url, redact_url
    from monitor.statelock import StateLock

    if not (is_postgres_url(target) or target.startswith("sqlite:///")):
        print(
            "state migrate: --to takes postgresql://USER@HOST:PORT/DATABASE or sqlite:///PATH",
            file=sys.stderr,
        )
        return 2
    if not settings.state_exists:
        print(f"state migrate: no state at {settings.state_name}; nothing to copy", file=sys.stderr)
        return 1
    from monitor.store import open_store  # the state's modules, only for this command
    from monitor.store_transfer import copy_state

    lock = None if settings.shared_state else StateLock(settings.database_path)
    try:
        if lock is not None:
            lock.acquire()  # no daemon may write while the copy is made
        source = open_store(settings.state_location)
        location = target if is_postgres_url(target) else target.removeprefix("sqlite:///")
        destination = open_store(location)
        try:
            copied = copy_state(source.database, destination.database)
        except (*source.database.errors, *destination.database.errors) as exc:
            raise StateError(f"state migrate: {exc}") from exc
        finally:
            source.close()
            destination.close()
    except StateError as exc:
        print(f"state: {exc}", file=sys.stderr)
        return 1
    finally:
        if lock is not None:
            lock.release()
    for table, rows in copied.items():
        print(f"state migrate: {table}: {rows} rows")
    print(
        f"state migrate: copied {settings.state_name} to {redact_url(target)}; set "
        "NEWS_MONITOR_DATABASE_URL to it and start the replicas"
    )
    return 0


def add_state_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    settings_of: Callable[[argparse.Namespace], Settings],
) -> None:
    """The ``state`` command group (its commands are added when parsing reaches it)."""
    sub.add_parser("state", help="the state database")
    later(sub, "state", lambda group: _state_commands(group, settings_of))


def _state_commands(
    group: argparse.ArgumentParser, settings_of: Callable[[argparse.Namespace], Settings]
) -> None:
    state = group.add_subparsers(dest="state_command", required=True)
    p = add_command(state, "migrate", "state migrate")
    p.add_argument("--to", required=True, metavar="URL", help="postgresql://… or sqlite:///PATH")
    p.set_defaults(func=lambda args: cmd_state_migrate(settings_of(args), args.to))
