"""``silence add|list|expire``: silences kept in the state database.

A running daemon reads them at every poll, so they hold without a restart.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from monitor.cli_help import add_command, later
from monitor.cli_history import (
    SettingsFor,
    duration_arg,
    existing_store,
    id_arg,
    with_settings,
)
from monitor.errors import ConfigError

if TYPE_CHECKING:
    from monitor.settings import Settings
    from monitor.silences import MatcherKind, Silence
    from monitor.store import Store


def describe(silence: Silence, now: datetime, held: int) -> str:
    """One line: id, state, matcher, window, author, comment and what it held; what an
    operator wrote (matcher, author, comment) with its control characters shown as
    ``\\xNN`` (``printable``), as ``alerts list`` shows feed text."""
    from monitor.notify.render import printable

    notify = ", summary on expiry" if silence.notify_on_expiry else ""
    return (
        f"{silence.id:>4} {silence.state(now):<7} {printable(silence.matcher)}"
        f" from {silence.starts.isoformat(timespec='seconds')}"
        f" until {silence.ends.isoformat(timespec='seconds')}"
        f" by {printable(silence.author)}: {printable(silence.comment)} (held {held}{notify})"
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _unknown_rule(settings: Settings, rule: str) -> str | None:
    """Why ``rule`` cannot be silenced (not a rule of the rules folder), or None."""
    from monitor.ruleset import load_ruleset

    try:
        known = {r.id for r in load_ruleset(settings.rules_dir).rules}
    except ConfigError:
        return None  # broken rules must not stop an operator from silencing
    if rule in known:
        return None
    return f"unknown rule {rule!r}; known: {', '.join(sorted(known))}"


def cmd_silence_add(args: argparse.Namespace, settings: Settings) -> int:
    given: list[tuple[MatcherKind, str | None]] = [
        ("rule", args.rule),
        ("development", args.development),
        ("match", args.text),
    ]
    kind, value = next((k, v) for k, v in given if v is not None)
    assert value is not None  # argparse requires exactly one matcher
    if not value.strip():
        print(f"silence: --{kind} needs a value", file=sys.stderr)
        return 2
    problem = _unknown_rule(settings, value) if kind == "rule" else None
    if problem:
        print(f"silence: {problem}", file=sys.stderr)
        return 2
    now = datetime.now(UTC)
    from monitor.silences import hold_waiting
    from monitor.store import open_store

    fresh = not settings.state_exists
    store = open_store(settings.state_location)
    try:
        silence = store.add_silence(
            kind,
            value,
            now,
            now + args.duration,
            args.comment,
            args.author or _user(),
            args.notify_on_expiry,
        )
        held = hold_waiting(store, silence, now)
        known = kind != "development" or any(d.id == value for d in store.developments())
    finally:
        store.close()
    print(f"silence added:\n{describe(silence, now, held)}")
    if fresh:
        print(
            f"silence: warning: there was no state at {settings.state_name}: it was created"
            " for this silence, which holds only the alerts of a daemon run with this state",
            file=sys.stderr,
        )
    if not known:
        print(
            f"silence: warning: no development {value!r} recorded yet "
            "(ids are in alerts list --json)",
            file=sys.stderr,
        )
    return 0


def cmd_silence_list(args: argparse.Namespace, settings: Settings) -> int:
    now = datetime.now(UTC)
    with existing_store(settings) as store:
        found = store.silences(None if args.all else now)
        lines = [describe(s, now, store.held_count(s.id)) for s in found]
    print("\n".join(lines) if lines else "silence: none" + ("" if args.all else " in force"))
    return 0


def cmd_silence_expire(args: argparse.Namespace, settings: Settings) -> int:
    with existing_store(settings) as store:
        return _expire(store, args.id)


def _expire(store: Store, silence_id: int) -> int:
    from monitor.silences import queue_expiry_summaries

    now = datetime.now(UTC)
    silence = store.silence(silence_id)
    if silence is None:
        print(f"silence: no silence with id {silence_id}", file=sys.stderr)
        return 1
    if silence.state(now) == "expired":
        print(f"silence {silence_id}: already expired", file=sys.stderr)
        return 1
    store.expire_silence(silence_id, now)
    summarised = silence_id in queue_expiry_summaries(store, now)
    print(
        f"silence {silence_id} expired; held {store.held_count(silence_id)}"
        + ("; summary queued for delivery" if summarised else "")
    )
    return 0


def add_silence_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], settings: SettingsFor
) -> None:
    """Register ``silence add|list|expire`` on the top-level subcommands (its commands are
    added when parsing reaches ``silence``)."""
    sub.add_parser("silence", help="hold back matching alerts for a while")
    later(sub, "silence", lambda group: _silence_commands(group, settings))


def _silence_commands(group: argparse.ArgumentParser, settings: SettingsFor) -> None:
    silence = group.add_subparsers(dest="silence_command", required=True)
    p = add_command(silence, "add", "silence add")
    matcher = p.add_mutually_exclusive_group(required=True)
    matcher.add_argument("--rule", help="rule id")
    matcher.add_argument("--development", help="development id (from alerts list)")
    matcher.add_argument("--match", dest="text", help="text in the entry or evidence (any case)")
    p.add_argument(
        "--for", dest="duration", type=duration_arg, default="1h", help="how long (default 1h)"
    )
    p.add_argument("--comment", required=True, help="why (shown in silence list)")
    p.add_argument("--author", help="who (default: your user name)")
    p.add_argument(
        "--notify-on-expiry",
        action="store_true",
        help="when it ends, send one summary of what it held",
    )
    p.set_defaults(func=with_settings(cmd_silence_add, settings))
    p = add_command(silence, "list", "silence list")
    p.add_argument("--all", action="store_true", help="expired ones too")
    p.set_defaults(func=with_settings(cmd_silence_list, settings))
    p = add_command(silence, "expire", "silence expire")
    p.add_argument("id", type=id_arg)
    p.set_defaults(func=with_settings(cmd_silence_expire, settings))
