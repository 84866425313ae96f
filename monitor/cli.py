"""The ``news-monitor`` command line: the parser and the program.

Each command group lives in a module of its own that registers its subcommands on the
parser: ``cli_rules`` (replay, baseline, rules), ``cli_service`` (run, status, outbox,
demo, test-alert), ``cli_history``, ``cli_silence``, ``cli_feeds``, ``cli_feedback`` and
``cli_state``; ``cli_help`` holds what their ``--help`` says. User errors (bad rules,
unreadable files) print one clear message per problem to stderr and exit 2; nothing here
prints a traceback for them.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from monitor import __version__
from monitor.cli_feedback import add_feedback_commands
from monitor.cli_feeds import add_feed_commands
from monitor.cli_help import EXIT_USAGE, RULES_HELP, Subcommands, Unmade
from monitor.cli_history import add_history_commands
from monitor.cli_rules import add_rule_commands
from monitor.cli_service import add_service_commands, resume_collection
from monitor.cli_silence import add_silence_commands
from monitor.cli_state import add_state_commands
from monitor.errors import ConfigError, NewsMonitorError, NoStateError

if TYPE_CHECKING:
    from monitor.settings import Settings


def _settings(args: argparse.Namespace) -> Settings:
    from monitor.settings import load_settings

    overrides = {"rules_dir": args.rules} if getattr(args, "rules", None) else {}
    return load_settings(**overrides)


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

    add_rule_commands(sub, _settings)
    add_service_commands(sub, _settings)
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
    Collection resumes before a command's own work (``cli_service.resume_collection``): at once for
    most commands, once the service is built for ``run``; ``rules check`` ends without it.
    What is left in memory at exit is not searched for garbage first either (a fifth of a
    second); shutdown is otherwise the usual one (logs flushed, state closed, exit handlers
    run).
    """
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not getattr(args, "late_collection", False):
        resume_collection()
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
