"""The commands over the rules folder and feed files, not the state: ``replay``,
``baseline build`` and ``rules check|explain|schema``.

``replay`` and ``rules explain`` build their detector as the daemon does (``_detector``). A
file that cannot be read or written is named in one message (exit 2, see ``cli.main``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from monitor.cli_help import EXIT_USAGE, add_command, later
from monitor.cli_history import SettingsFor, day_arg, with_settings, write_output
from monitor.plural import counted

if TYPE_CHECKING:
    from monitor.detect.engine import Assessment, Detector
    from monitor.settings import Settings

# Each command imports what it uses when it runs: detection (numpy, the embedding model)
# costs a good part of a second to import, and `rules check` should not pay for it (issue 11).


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


def _detector(settings: Settings) -> Detector:
    from monitor.app import story_book
    from monitor.detect.engine import Detector
    from monitor.ruleset import detector_options, load_ruleset

    ruleset = load_ruleset(settings.rules_dir)
    book = story_book(settings)
    return Detector.of(ruleset, book, **detector_options(settings))


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.notify.render import alert_payload, alert_text, printable
    from monitor.replay import collect_feed_files, read_articles, replay

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
        f"replay: {counted(len(files), 'file')}, {counted(len(articles), 'entry', 'entries')}, "
        f"{counted(counts['alert'], 'alert')}, {counted(counts['update'], 'update')}, "
        f"{counted(problems, 'file')} with problems",
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
    write_output(dump_baseline(claims, story=args.story, as_of=args.as_of), args.output)
    single = sum(1 for c in claims if c.low_corroboration)
    print(
        f"baseline: {len(claims)} candidate claims from {len(documents)} documents "
        f"({single} found in one document only) -> {args.output}",
        file=sys.stderr,
    )
    return 0


def cmd_rules_check(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.config import load_configuration
    from monitor.detect.rules import disabled_references
    from monitor.envcheck import stray_warnings
    from monitor.notify.build import availability

    config = load_configuration(settings)
    ruleset = config.ruleset
    enabled = sum(1 for r in ruleset.rules if r.enabled)
    up_to = f" (the story up to {ruleset.as_of.isoformat()})" if ruleset.as_of else ""
    print(
        f"rules: OK: {len(ruleset.claims)} baseline claims{up_to}, {len(ruleset.rules)} rules "
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


def cmd_rules_explain(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.explain import assessment_payload, assessment_text
    from monitor.models import in_published_order
    from monitor.notify.render import printable
    from monitor.replay import read_articles

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
        explained: Iterable[tuple[str, Assessment]] = [("", detector.explain("", args.text))]
    else:
        unread: list[Path] = []

        def report(path: Path, message: str) -> None:
            unread.append(path)
            print(f"rules explain: {path}: {message}", file=sys.stderr)

        articles = read_articles([Path(args.feed)], report)
        if unread and not articles:  # nothing to explain: the file is missing or not a feed
            return EXIT_USAGE
        # the entries in a stream, as replay reads them: each after the ones published before
        explained = (
            (a.title, detector.explain_followed(detector.follow(a)))
            for a in in_published_order(articles)
        )
    for title, assessment in explained:
        if args.json:
            print(json.dumps(assessment_payload(assessment, title, args.rule)))
        else:
            print(printable(assessment_text(assessment, title, args.rule)))
    return 0


def cmd_rules_schema(args: argparse.Namespace) -> int:
    from monitor.detect.rules import rule_json_schema

    write_output(json.dumps(rule_json_schema(), indent=2) + "\n", args.output)
    return 0


def add_rule_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], settings: SettingsFor
) -> None:
    """Register ``replay``, ``baseline build`` and ``rules check|explain|schema`` on the
    top-level subcommands (their options are added when parsing reaches them)."""

    def replay(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", help="RSS/Atom files or folders of them")
        p.add_argument("--format", choices=["text", "jsonl"], default="text")
        p.set_defaults(func=with_settings(cmd_replay, settings))

    def baseline(group: argparse.ArgumentParser) -> None:
        commands = group.add_subparsers(dest="baseline_command", required=True)
        p = add_command(commands, "build", "baseline build")
        p.add_argument("documents", nargs="+", help="plain text or HTML documents")
        p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
        p.add_argument("--story", default="", help="a one-line name of the story")
        p.add_argument(
            "--as-of",
            type=day_arg,
            default=None,
            metavar="YYYY-MM-DD",
            help="the day the documents tell the story up to: articles published on or before "
            "it never alert (as_of in the file)",
        )
        p.set_defaults(func=cmd_baseline_build)

    def rules(group: argparse.ArgumentParser) -> None:
        commands = group.add_subparsers(dest="rules_command", required=True)
        p = add_command(commands, "check", "rules check")
        p.set_defaults(  # short: no collection at all
            func=with_settings(cmd_rules_check, settings), late_collection=True
        )
        p = add_command(commands, "explain", "rules explain")
        p.add_argument("--json", action="store_true", help="one JSON object per article")
        p.add_argument("--rule", action="append", default=[], help="only this rule (repeatable)")
        source = p.add_mutually_exclusive_group(required=True)
        source.add_argument("--text", help="text to explain")
        source.add_argument("--feed", help="a feed file whose entries to explain")
        p.set_defaults(func=with_settings(cmd_rules_explain, settings))
        p = add_command(commands, "schema", "rules schema")
        p.add_argument("-o", "--output", default="-")
        p.set_defaults(func=cmd_rules_schema)

    add_command(sub, "replay", "replay")
    later(sub, "replay", replay)
    sub.add_parser("baseline", help="baseline tools")
    later(sub, "baseline", baseline)
    sub.add_parser("rules", help="rule tools")
    later(sub, "rules", rules)
