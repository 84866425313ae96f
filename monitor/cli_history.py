"""Commands over the alert history: ``alerts list``, ``alerts show``, ``outbox retry``.

They read (and, for ``outbox retry``, update) the state database the daemon writes; a
running daemon may keep going meanwhile (SQLite serialises the writes).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.cli_help import add_command, later
from monitor.errors import ConfigError, NoStateError, Problem, StateError

if TYPE_CHECKING:
    from monitor.settings import Settings
    from monitor.store import Store

# The commands import what they use when they run: registering them costs no more than
# argparse, so `rules check` or `run --once` loads none of it (issue 11).
SettingsFor = Callable[[argparse.Namespace], "Settings"]
Command = Callable[[argparse.Namespace, "Settings"], int]


def with_settings(command: Command, settings: SettingsFor) -> Callable[[argparse.Namespace], int]:
    """``command`` as an argparse ``func``: called with the arguments and their settings."""
    return lambda args: command(args, settings(args))


def duration_arg(text: str) -> timedelta:
    """A command-line duration (``90s``, ``2h``, ``7d``); argparse reports a bad one."""
    from monitor.durations import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def day_arg(text: str) -> date:
    """A calendar day on the command line (``2026-01-08``); argparse reports a bad one."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from exc


def id_arg(text: str) -> int:
    """A row id on the command line (``store_base.row_id``); argparse reports a bad one."""
    from monitor.store_base import row_id  # the commands that take an id open the store

    found = row_id(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (a whole number from 1)")
    return found


def write_output(text: str, target: str) -> None:
    """Write ``text`` to the file ``target``, or to stdout for "-"; ``ConfigError`` naming
    the file when it cannot be written."""
    if target == "-":
        sys.stdout.write(text)
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError([Problem(target, None, f"cannot write: {reason}")]) from exc


@contextmanager
def existing_store(settings: Settings) -> Iterator[Store]:
    """The state database, closed afterwards; ``NoStateError`` if the daemon never ran here."""
    if not settings.state_exists:
        raise NoStateError(f"no state yet at {settings.state_name} (has the daemon run?)")
    from monitor.store import open_store  # the state's modules, only for commands that read it

    store = open_store(settings.state_location)
    try:
        yield store
    finally:
        store.close()


def cmd_alerts_list(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.history import list_line, record_json
    from monitor.notify.render import printable

    since = datetime.now(UTC) - args.since if args.since else None
    with existing_store(settings) as store:
        records = store.recorded_alerts(since=since, rule=args.rule)
    if args.json:
        print(json.dumps([record_json(r) for r in records], ensure_ascii=False, indent=2))
    else:
        for record in records:
            print(printable(list_line(record)))
        print(f"alerts: {len(records)} alerts and updates", file=sys.stderr)
    return 0


def cmd_alerts_show(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.history import record_json, show_text
    from monitor.notify.render import printable

    with existing_store(settings) as store:
        record = store.alert_record(args.id)
    if record is None:
        print(f"alerts: no alert with id {args.id}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(record_json(record), ensure_ascii=False, indent=2))
    else:
        print(printable(show_text(record)))
    return 0


def cmd_outbox_retry(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.plural import counted

    if not args.ids and not args.failed:
        print("outbox retry: name delivery ids, or --failed", file=sys.stderr)
        return 2
    with existing_store(settings) as store:
        found = {i: store.delivery(i) for i in args.ids}
        problems = [
            f"delivery {i}: " + (f"{d.state}, not failed" if d else "no such delivery")
            for i, d in found.items()
            if d is None or d.state != "failed"
        ]
        problems += [
            f"delivery {i}: to {d.channel}, not {args.channel}"
            for i, d in found.items()
            if d is not None and d.state == "failed" and args.channel not in (None, d.channel)
        ]
        now = datetime.now(UTC)
        requeued = store.requeue_failed(now, ids=args.ids, channel=args.channel)
    for problem in problems:
        print(f"outbox retry: {problem}", file=sys.stderr)
    held = len(requeued.held)
    silenced = f"; {held} of them held by a silence instead" if held else ""
    print(
        f"outbox retry: {counted(len(requeued.ids), 'delivery', 'deliveries')} requeued" + silenced,
        file=sys.stderr,
    )
    if requeued.pending and not args.queue_only:
        import asyncio

        asyncio.run(_deliver(settings, requeued.pending))
    return 1 if problems else 0


async def _deliver(settings: Settings, requeued: list[int]) -> None:
    """Deliver what is due now (the requeued rows among it) and report their outcome; when
    a running daemon holds the state, leave the sending to it."""
    from monitor.app import Service  # the whole service, only for this command
    from monitor.history import delivery_summary

    try:
        service = Service.build(settings)
    except StateError as exc:
        print(
            f"outbox retry: not sent from here ({exc}); the requeued deliveries wait in the "
            "outbox for the news-monitor that holds the state",
            file=sys.stderr,
        )
        return
    try:
        await service.deliver()
        for outbox_id in requeued:
            record = service.store.delivery(outbox_id)
            if record is not None:
                print(f"outbox retry: delivery {outbox_id} to {delivery_summary(record)}")
    finally:
        await service.aclose()


def add_history_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], settings: SettingsFor
) -> None:
    """Register ``alerts list|show`` on the top-level subcommands (its commands are added
    when parsing reaches ``alerts``)."""

    def commands(group: argparse.ArgumentParser) -> None:
        alerts = group.add_subparsers(dest="alerts_command", required=True)
        p = add_command(alerts, "list", "alerts list")
        p.add_argument("--since", type=duration_arg, help="only the last DURATION (e.g. 24h, 7d)")
        p.add_argument("--rule", help="only alerts of this rule")
        p.add_argument("--json", action="store_true", help="a JSON array instead of lines")
        p.set_defaults(func=with_settings(cmd_alerts_list, settings))
        p = add_command(alerts, "show", "alerts show")
        p.add_argument("id", type=id_arg, help="alert id (from alerts list)")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=with_settings(cmd_alerts_show, settings))

    sub.add_parser("alerts", help="the alert history")
    later(sub, "alerts", commands)


def add_retry_command(
    outbox: argparse._SubParsersAction[argparse.ArgumentParser], settings: SettingsFor
) -> None:
    """Register ``retry`` on the commands of ``outbox``."""
    p = add_command(outbox, "retry", "outbox retry")
    p.add_argument("ids", nargs="*", type=id_arg, help="delivery ids (from alerts show)")
    p.add_argument("--failed", action="store_true", help="every failed delivery")
    p.add_argument("--channel", help="only deliveries to this channel")
    p.add_argument(
        "--queue-only",
        action="store_true",
        help="only mark them pending; the running daemon sends them",
    )
    p.set_defaults(func=with_settings(cmd_outbox_retry, settings))
