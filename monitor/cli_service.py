"""The daemon and its deliveries: ``run``, ``status``, ``outbox drop``, ``demo`` and
``test-alert``.

``run`` starts the service (or polls once); the others read the state or the channels it
delivers to. Exit status as each command's ``--help`` says (``cli_help.HELP``).
"""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING

from monitor.cli_help import EXIT_USAGE, add_command, later
from monitor.cli_history import SettingsFor, add_retry_command, with_settings
from monitor.errors import StateError

if TYPE_CHECKING:
    from monitor.notify.base import Channel
    from monitor.redact import SecretRedactor
    from monitor.settings import Settings

# Each command imports what it uses when it runs: the web stack and the scheduler cost a
# good part of a second to import, and a cron-driven `run --once` should not pay for what it
# does not use (issue 11).

# Parsing runs on a worker thread; a short switch interval hands the interpreter back to the
# event loop within half a millisecond instead of five, so /healthz stays quick meanwhile.
SWITCH_INTERVAL = 0.0005


def cmd_run(args: argparse.Namespace, settings_of: SettingsFor) -> int:
    """``run``: the daemon, or one poll of every feed (``--once``, ``--dry-run``). Hang-ups
    are deferred before the settings are read."""
    import asyncio

    if not args.once:
        from monitor.hangups import defer_hangups

        defer_hangups()  # a reload asked for during the start-up is not fatal
    from monitor.logs import configure_logging

    settings = settings_of(args)
    if args.dry_run and not args.once:
        print("run: --dry-run goes with --once", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings.log_level, settings.log_format)
    sys.setswitchinterval(SWITCH_INTERVAL)
    if args.dry_run:
        resume_collection()
        from monitor.dryrun import dry_run

        return asyncio.run(dry_run(settings))
    return asyncio.run(_run(settings, once=args.once))


async def _run(settings: Settings, *, once: bool) -> int:
    from monitor.app import Service

    # A run that polls once reads the rules at the first article it examines (issue 11).
    service = Service.build(settings, serving=not once, rules_when_needed=once)
    resume_collection()
    try:
        if not once:
            await service.serve()
            return 0
        summary = await service.daemon.run_once()
        outcomes = summary.outcomes
        print(
            f"run: {len(outcomes)} feeds polled, {len(summary.failed)} failed, "
            f"{sum(o.new_entries for o in outcomes)} new entries, "
            f"{sum(o.alerts for o in outcomes)} alerts and updates, "
            f"{summary.delivered} deliveries",
            file=sys.stderr,
        )
        for failed in summary.failed:
            print(f"run: feed {failed.feed}: {failed.error}", file=sys.stderr)
        waiting = service.store.pending_by_channel()
        if waiting:  # held back by a rate limit, a retry's backoff, or an unavailable channel
            print(
                "run: still queued: "
                + ", ".join(f"{count} for {name}" for name, count in sorted(waiting.items())),
                file=sys.stderr,
            )
        if service.config.rules_error is not None:  # their entries wait, unexamined
            raise service.config.rules_error  # each problem with file and line; exit 2
        return 1 if outcomes and len(summary.failed) == len(outcomes) else 0
    finally:
        await service.aclose()


def resume_collection() -> None:
    """End of start-up: what it made is frozen out of the collector's sight (it lives as
    long as the command) and collection resumes; nothing to do unless ``cli.run`` held it back."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.status import collect_status, status_json, status_text

    try:
        report = collect_status(settings)
    except StateError as exc:
        print(f"state: UNUSABLE: {exc}", file=sys.stderr)
        return 1
    print(status_json(report) if args.json else status_text(report))
    if not report.state_found:
        print(
            f"status: no state yet at {report.state} (has the daemon run with these rules? "
            "state/ beside the rules folder is the default)",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_outbox_drop(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.notify.channels import load_channels
    from monitor.poller import utc_now
    from monitor.store import open_store

    if args.channel in load_channels(settings.rules_dir / "channels.yaml").by_name():
        print(
            f"outbox: channel {args.channel} is configured, so its deliveries are not held; "
            "nothing dropped",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not settings.state_exists:
        print(f"outbox: no state at {settings.state_name}; nothing dropped", file=sys.stderr)
        return 1
    store = open_store(settings.state_location)
    try:
        dropped = store.drop_pending(
            args.channel, "dropped by the operator (channel no longer configured)", utc_now()
        )
    finally:
        store.close()
    print(f"outbox: dropped {dropped} held deliveries to {args.channel}")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from monitor.demo import run_demo
    from monitor.ruleset import load_ruleset

    load_ruleset(settings.rules_dir)  # fail early, with file and line, on broken rules
    return asyncio.run(run_demo(settings.rules_dir, sys.stdout, args.step_seconds))


def cmd_test_alert(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from monitor.config import load_configuration
    from monitor.notify.build import build_channel, secret_values
    from monitor.redact import SecretRedactor

    config = load_configuration(settings)
    if args.channel not in config.channels.by_name():
        known = ", ".join(sorted(config.channels.by_name()))
        print(f"test-alert: unknown channel {args.channel!r}; known: {known}", file=sys.stderr)
        return EXIT_USAGE
    channel = build_channel(config.channels.by_name()[args.channel], settings)
    redact = SecretRedactor(secret_values(config.channels, settings))
    return asyncio.run(_send_test(channel, redact))


async def _send_test(channel: Channel, redact: SecretRedactor) -> int:
    import uuid

    from monitor.errors import DeliveryError
    from monitor.notify.render import sample_alert

    try:
        await channel.send(sample_alert(uuid.uuid4().hex))
    except DeliveryError as exc:
        kind = "temporary" if exc.retryable else "permanent"
        print(f"test-alert: {channel.name}: FAILED ({kind}): {redact(exc.reason)}", file=sys.stderr)
        return 1
    finally:
        await channel.aclose()
    print(f"test-alert: {channel.name}: delivered")
    return 0


def add_service_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], settings: SettingsFor
) -> None:
    """Register ``run``, ``status``, ``outbox drop|retry``, ``demo`` and ``test-alert`` on
    the top-level subcommands (their options are added when parsing reaches them)."""

    def run(p: argparse.ArgumentParser) -> None:
        p.add_argument("--once", action="store_true", help="poll every feed once, deliver, exit")
        p.add_argument(
            "--dry-run",
            action="store_true",
            help="with --once: print what would be sent; record and deliver nothing",
        )
        p.set_defaults(  # collection resumed once the service is built
            func=lambda args: cmd_run(args, settings), late_collection=True
        )

    def status(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="one JSON object instead of text")
        p.set_defaults(func=with_settings(cmd_status, settings))

    def outbox(group: argparse.ArgumentParser) -> None:
        commands = group.add_subparsers(dest="outbox_command", required=True)
        p = add_command(commands, "drop", "outbox drop")
        p.add_argument("channel", help="the channel name the deliveries were queued for")
        p.set_defaults(func=with_settings(cmd_outbox_drop, settings))
        add_retry_command(commands, settings)

    def demo(p: argparse.ArgumentParser) -> None:
        p.add_argument("--step-seconds", type=float, default=2.5, help="time between steps")
        p.set_defaults(func=with_settings(cmd_demo, settings))

    def test_alert(p: argparse.ArgumentParser) -> None:
        p.add_argument("channel", help="channel name from channels.yaml")
        p.set_defaults(func=with_settings(cmd_test_alert, settings))

    for name, build in [("run", run), ("status", status)]:
        add_command(sub, name, name)
        later(sub, name, build)
    sub.add_parser("outbox", help="the delivery outbox")
    later(sub, "outbox", outbox)
    for name, build in [("demo", demo), ("test-alert", test_alert)]:
        add_command(sub, name, name)
        later(sub, name, build)
