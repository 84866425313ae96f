"""The ``news-monitor`` command line.

Each subcommand is a small function that loads what it needs, calls the package and
prints. User errors (bad rules, unreadable files) print one clear message per problem to
stderr and exit 2; nothing here prints a traceback for them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from monitor import __version__
from monitor.cli_feedback import add_feedback_commands
from monitor.cli_feeds import add_feed_commands
from monitor.cli_help import RULES_HELP, Subcommands, Unmade, add_command
from monitor.cli_history import add_history_commands, add_retry_command
from monitor.cli_silence import add_silence_commands
from monitor.cli_state import add_state_commands
from monitor.errors import ConfigError, NewsMonitorError, NoStateError, Problem, StateError

if TYPE_CHECKING:
    from monitor.detect.engine import Detector
    from monitor.notify.base import Channel
    from monitor.redact import SecretRedactor
    from monitor.settings import Settings

# Each command imports what it uses when it runs: detection (numpy, the embedding model),
# the web stack and the scheduler cost a good part of a second to import, and `rules check`
# or a cron-driven `run --once` should not pay for what they do not use (issue 11).

EXIT_USAGE = 2


class Progress:
    """A one-line progress counter on stderr, shown only when stderr is a terminal."""

    def __init__(self, total: int, label: str, stream: TextIO = sys.stderr) -> None:
        self.total, self.label, self.stream = total, label, stream
        self.enabled = stream.isatty() and total > 0
        self._last = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and done < self.total):
            return
        self._last = now
        width = 30
        filled = width * done // self.total
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}"
        )
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _write_output(text: str, target: str) -> None:
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


def _settings(args: argparse.Namespace) -> Settings:
    from monitor.settings import load_settings

    overrides = {"rules_dir": args.rules} if getattr(args, "rules", None) else {}
    return load_settings(**overrides)


def _detector(settings: Settings) -> Detector:
    from monitor.app import story_book
    from monitor.detect.engine import Detector
    from monitor.ruleset import detector_options, load_ruleset

    ruleset = load_ruleset(settings.rules_dir)
    book = story_book(settings)
    return Detector(ruleset.claims, ruleset.rules, book, **detector_options(settings))


def cmd_replay(args: argparse.Namespace) -> int:
    from monitor.notify.render import alert_payload, alert_text, printable
    from monitor.replay import collect_feed_files, read_articles, replay

    settings = _settings(args)
    detector = _detector(settings)
    files = collect_feed_files([Path(p) for p in args.paths])
    missing = [str(p) for p in args.paths if not Path(p).exists()]
    problems = 0

    def report(path: Path, message: str) -> None:
        nonlocal problems
        problems += 1
        print(f"replay: {path}: {message}", file=sys.stderr)

    for path in missing:
        report(Path(path), "no such file or folder")
    articles = read_articles(files, report)
    progress = Progress(len(articles), "replay")
    counts = {"alert": 0, "update": 0}
    for alert in replay(articles, detector, progress):
        counts[alert.type] += 1
        if args.format == "jsonl":
            print(json.dumps(alert_payload(alert), ensure_ascii=False))
        else:
            print(printable(alert_text(alert)) + "\n")
    print(
        f"replay: {len(files)} files, {len(articles)} entries, {counts['alert']} alerts, "
        f"{counts['update']} updates, {problems} files with problems",
        file=sys.stderr,
    )
    if detector.judge is not None:
        from monitor.judge_report import judge_summary

        print(f"replay: judge: {judge_summary(detector.judge.counts)}", file=sys.stderr)
    return 0


def cmd_baseline_build(args: argparse.Namespace) -> int:
    from monitor.baseline import build_claims, dump_baseline

    documents = []
    for name in args.documents:
        path = Path(name)
        try:
            documents.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
        except OSError as exc:
            print(f"baseline: {path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    claims = build_claims(documents)
    _write_output(dump_baseline(claims, story=args.story), args.output)
    single = sum(1 for c in claims if c.low_corroboration)
    print(
        f"baseline: {len(claims)} candidate claims from {len(documents)} documents "
        f"({single} found in one document only) -> {args.output}",
        file=sys.stderr,
    )
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    from monitor.config import load_configuration
    from monitor.detect.rules import disabled_references
    from monitor.envcheck import stray_warnings
    from monitor.notify.build import availability

    settings = _settings(args)
    config = load_configuration(settings)
    ruleset = config.ruleset
    enabled = sum(1 for r in ruleset.rules if r.enabled)
    print(
        f"rules: OK: {len(ruleset.claims)} baseline claims, {len(ruleset.rules)} rules "
        f"({enabled} enabled), {len(config.feeds)} feeds, "
        f"{len(config.channels.channels)} channels in {settings.rules_dir}"
    )
    found = availability(config.channels, settings)
    for reason in found.unavailable.values():
        print(f"rules: warning: {reason} (needed to deliver, not to check)", file=sys.stderr)
    for reason in found.off.values():
        print(f"rules: {reason}: optional, off")
    for warning in [*disabled_references(ruleset.rules), *stray_warnings(config.channels)]:
        print(f"rules: warning: {warning}", file=sys.stderr)
    return 0


# Parsing runs on a worker thread; a short switch interval hands the interpreter back to the
# event loop within half a millisecond instead of five, so /healthz stays quick meanwhile.
SWITCH_INTERVAL = 0.0005


def cmd_run(args: argparse.Namespace) -> int:
    import asyncio

    if not args.once:
        from monitor.hangups import defer_hangups

        defer_hangups()  # a reload asked for during the start-up is not fatal
    from monitor.logs import configure_logging

    settings = _settings(args)
    if args.dry_run and not args.once:
        print("run: --dry-run goes with --once", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings.log_level, settings.log_format)
    sys.setswitchinterval(SWITCH_INTERVAL)
    if args.dry_run:
        _resume_collection()
        from monitor.dryrun import dry_run

        return asyncio.run(dry_run(settings))
    return asyncio.run(_run(settings, once=args.once))


async def _run(settings: Settings, *, once: bool) -> int:
    from monitor.app import Service

    # A run that polls once reads the rules at the first article it examines (issue 11).
    service = Service.build(settings, serving=not once, rules_when_needed=once)
    _resume_collection()
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


def cmd_status(args: argparse.Namespace) -> int:
    from monitor.status import collect_status, status_json, status_text

    settings = _settings(args)
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


def cmd_outbox_drop(args: argparse.Namespace) -> int:
    from monitor.notify.channels import load_channels
    from monitor.poller import utc_now
    from monitor.store import open_store

    settings = _settings(args)
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


def cmd_demo(args: argparse.Namespace) -> int:
    import asyncio

    from monitor.demo import run_demo
    from monitor.ruleset import load_ruleset

    settings = _settings(args)
    load_ruleset(settings.rules_dir)  # fail early, with file and line, on broken rules
    return asyncio.run(run_demo(settings.rules_dir, sys.stdout, args.step_seconds))


def cmd_test_alert(args: argparse.Namespace) -> int:
    import asyncio

    from monitor.config import load_configuration
    from monitor.notify.build import build_channel, secret_values
    from monitor.redact import SecretRedactor

    settings = _settings(args)
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


def cmd_rules_schema(args: argparse.Namespace) -> int:
    from monitor.detect.rules import rule_json_schema

    _write_output(json.dumps(rule_json_schema(), indent=2) + "\n", args.output)
    return 0


def cmd_rules_explain(args: argparse.Namespace) -> int:
    from monitor.explain import assessment_payload, assessment_text
    from monitor.notify.render import printable
    from monitor.replay import read_articles

    settings = _settings(args)
    detector = _detector(settings)
    known = {r.id for r in detector.rules}
    unknown = [r for r in args.rule if r not in known]
    if unknown:
        print(
            f"rules explain: unknown rule {', '.join(unknown)}; known: {', '.join(sorted(known))}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.text is not None:
        items = [("", args.text)]
    else:
        unread: list[Path] = []

        def report(path: Path, message: str) -> None:
            unread.append(path)
            print(f"rules explain: {path}: {message}", file=sys.stderr)

        items = [(a.title, a.text) for a in read_articles([Path(args.feed)], report)]
        if unread and not items:  # nothing to explain: the file is missing or not a feed
            return EXIT_USAGE
    for title, text in items:
        assessment = detector.explain(title, text)
        if args.json:
            print(json.dumps(assessment_payload(assessment, title, args.rule)))
        else:
            print(printable(assessment_text(assessment, title, args.rule)))
    return 0


def build_parser(*, every_command: bool = False) -> argparse.ArgumentParser:
    """The command line. A command's parser is made, and its options (a group's commands)
    added, when parsing reaches it (``cli_help.Subcommands``); ``every_command`` makes them
    all now, as argparse alone does."""
    parser = argparse.ArgumentParser(
        prog="news-monitor",
        description="Follow a developing news story; alert on new developments, not rehashes.",
        epilog="`news-monitor COMMAND --help` says what a command does, the environment\n"
        "variables it reads and its exit status.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"news-monitor {__version__}")
    parser.add_argument("--rules", help=RULES_HELP)  # and after any command (add_command)
    unmade: dict[str, Any] = {} if every_command else {"parser_class": Unmade}
    sub = parser.add_subparsers(dest="command", required=True, action=Subcommands, **unmade)
    assert isinstance(sub, Subcommands)

    def command(group: Any, name: str, path: str = "") -> argparse.ArgumentParser:
        return add_command(group, name, path or name)

    def replay(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", help="RSS/Atom files or folders of them")
        p.add_argument("--format", choices=["text", "jsonl"], default="text")
        p.set_defaults(func=cmd_replay)

    def baseline(group: argparse.ArgumentParser) -> None:
        commands = group.add_subparsers(dest="baseline_command", required=True)
        p = command(commands, "build", "baseline build")
        p.add_argument("documents", nargs="+", help="plain text or HTML documents")
        p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
        p.add_argument("--story", default="", help="a one-line name of the story")
        p.set_defaults(func=cmd_baseline_build)

    def rules(group: argparse.ArgumentParser) -> None:
        commands = group.add_subparsers(dest="rules_command", required=True)
        p = command(commands, "check", "rules check")
        p.set_defaults(func=cmd_rules_check, late_collection=True)  # short: none at all
        p = command(commands, "explain", "rules explain")
        p.add_argument("--json", action="store_true", help="one JSON object per article")
        p.add_argument("--rule", action="append", default=[], help="only this rule (repeatable)")
        source = p.add_mutually_exclusive_group(required=True)
        source.add_argument("--text", help="text to explain")
        source.add_argument("--feed", help="a feed file whose entries to explain")
        p.set_defaults(func=cmd_rules_explain)
        p = command(commands, "schema", "rules schema")
        p.add_argument("-o", "--output", default="-")
        p.set_defaults(func=cmd_rules_schema)

    def run(p: argparse.ArgumentParser) -> None:
        p.add_argument("--once", action="store_true", help="poll every feed once, deliver, exit")
        p.add_argument(
            "--dry-run",
            action="store_true",
            help="with --once: print what would be sent; record and deliver nothing",
        )
        p.set_defaults(func=cmd_run, late_collection=True)  # resumed once the service is built

    def status(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="one JSON object instead of text")
        p.set_defaults(func=cmd_status)

    def outbox(group: argparse.ArgumentParser) -> None:
        commands = group.add_subparsers(dest="outbox_command", required=True)
        p = command(commands, "drop", "outbox drop")
        p.add_argument("channel", help="the channel name the deliveries were queued for")
        p.set_defaults(func=cmd_outbox_drop)
        add_retry_command(commands, _settings)

    def demo(p: argparse.ArgumentParser) -> None:
        p.add_argument("--step-seconds", type=float, default=2.5, help="time between steps")
        p.set_defaults(func=cmd_demo)

    def test_alert(p: argparse.ArgumentParser) -> None:
        p.add_argument("channel", help="channel name from channels.yaml")
        p.set_defaults(func=cmd_test_alert)

    groups = {"baseline": "baseline tools", "rules": "rule tools", "outbox": "the delivery outbox"}
    for name, build in [
        ("replay", replay),
        ("baseline", baseline),
        ("rules", rules),
        ("run", run),
        ("status", status),
        ("outbox", outbox),
        ("demo", demo),
        ("test-alert", test_alert),
    ]:
        if name in groups:
            sub.add_parser(name, help=groups[name])
        else:
            command(sub, name)
        sub.later(name, build)
    add_history_commands(sub, _settings)
    add_silence_commands(sub, _settings)
    add_feed_commands(sub, _settings)
    add_feedback_commands(sub, _settings)
    add_state_commands(sub, _settings)
    return parser


def run() -> None:
    """The ``news-monitor`` program: ``main`` with the process's arguments, then exit.

    Start-up (imports, settings, the configuration) runs without Python's cyclic garbage
    collector: nearly all it allocates lives as long as the command, and the ~140
    collections it triggered cost 0.05-0.15 s of a cron-driven ``run --once`` (issue 11).
    Collection resumes before a command's own work (``_resume_collection``): at once for
    most commands, once the service is built for ``run``; ``rules check`` ends without it.
    What is left in memory at exit is not searched for garbage first either (a fifth of a
    second); shutdown is otherwise the usual one (logs flushed, state closed, exit handlers
    run).
    """
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


def _resume_collection() -> None:
    """End of start-up: what it made is frozen out of the collector's sight (it lives as
    long as the command) and collection resumes; nothing to do unless ``run`` held it back."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not getattr(args, "late_collection", False):
        _resume_collection()
    try:
        return int(args.func(args))
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except NoStateError as exc:  # as status, outbox drop and state migrate say it
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except NewsMonitorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
