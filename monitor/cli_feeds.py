"""``feeds import FILE.opml`` and ``feeds export``: feed lists in OPML 2.0.

Import validates every outline and reports what was added, skipped or invalid; the new
feeds are appended to ``feeds.yaml`` (a running daemon picks them up on its own).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.cli_help import add_command, later
from monitor.cli_history import SettingsFor, with_settings

if TYPE_CHECKING:
    from monitor.settings import Settings
    from monitor.sources.feeds import FeedConfig


def _listed(path: Path) -> list[FeedConfig]:
    """Every feed of the feeds file, disabled ones included (none if there is no file)."""
    from monitor.sources.feeds import FeedsFile
    from monitor.yamlfile import load_model

    return list(load_model(path, FeedsFile).feeds) if path.exists() else []


def cmd_feeds_import(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.sources.feed_import import append_feeds, plan_import
    from monitor.sources.opml import read_outlines

    target = settings.rules_dir / "feeds.yaml"
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"feeds import: {args.file}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    report = plan_import(_listed(target), read_outlines(data, args.file))
    for feed in report.added:
        print(f"added    {feed.name}: {feed.url}")
    for outline, reason in report.skipped:
        print(f"skipped  {outline.name or '-'}: {outline.url}: {reason}")
    for outline, reason in report.invalid:
        print(f"invalid  {outline.name or '-'}: {outline.url or '-'}: {reason}")
    note = ""
    if report.added and not args.dry_run:
        if not append_feeds(target, report.added):
            note = f" ({target} was rewritten: its comments could not be kept)"
    counts = f"{len(report.added)} added, {len(report.skipped)} skipped, {len(report.invalid)}"
    where = "nothing written (dry run)" if args.dry_run else str(target)
    print(f"feeds import: {counts} invalid -> {where}{note}", file=sys.stderr)
    return 0


def cmd_feeds_export(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.sources.opml import write_opml

    feeds = _listed(settings.rules_dir / "feeds.yaml")
    document = write_opml(feeds)
    if args.output == "-":
        sys.stdout.write(document)
    else:
        try:
            Path(args.output).write_text(document, encoding="utf-8")
        except OSError as exc:
            message = exc.strerror or exc
            print(f"feeds export: {args.output}: cannot write: {message}", file=sys.stderr)
            return 2
    print(f"feeds export: {len(feeds)} feeds", file=sys.stderr)
    return 0


def add_feed_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], settings: SettingsFor
) -> None:
    """Register ``feeds import|export`` on the top-level subcommands (its commands are
    added when parsing reaches ``feeds``)."""
    sub.add_parser("feeds", help="feed lists in OPML")
    later(sub, "feeds", lambda group: _feed_commands(group, settings))


def _feed_commands(group: argparse.ArgumentParser, settings: SettingsFor) -> None:
    feeds = group.add_subparsers(dest="feeds_command", required=True)
    p = add_command(feeds, "import", "feeds import")
    p.add_argument("file", help="an OPML file (from any feed reader)")
    p.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    p.set_defaults(func=with_settings(cmd_feeds_import, settings))
    p = add_command(feeds, "export", "feeds export")
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    p.set_defaults(func=with_settings(cmd_feeds_export, settings))
