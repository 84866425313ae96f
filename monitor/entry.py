"""The ``news-monitor`` program's first code: hang-ups deferred before the heavy imports.

SIGHUP's default action ends the process, and importing the command line (``monitor.cli``
and what it imports) takes a tenth of a second or more after the interpreter starts: a
reload asked for in that time (a supervisor's, ``docker kill -s HUP`` right after a start)
killed the daemon. ``run`` defers hang-ups (``monitor.hangups``) for a daemon's command line
first, importing nothing but ``sys`` and ``signal``, then hands over to ``monitor.cli.run``.
What comes before this module (the interpreter's own start-up) is out of its reach.

``daemon_command`` reads the arguments as the parser will: ``run`` without ``--once`` (or
an abbreviation of it), as ``cmd_run`` decides. A command line it misreads only moves when
hang-ups are deferred: ``cmd_run`` defers them too, from the parsed arguments.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from monitor.hangups import defer_hangups

if TYPE_CHECKING:
    from collections.abc import Sequence

_VALUED = ("--rules",)  # options taking a value, before or after the command


def _option(arg: str, names: Sequence[str]) -> bool:
    """Whether ``arg`` is one of ``names``, or an unambiguous abbreviation as argparse takes."""
    name = arg.split("=", 1)[0]
    return len(name) > 2 and any(full.startswith(name) for full in names)


def daemon_command(args: Sequence[str]) -> bool:
    """Whether ``args`` (without the program name) start the daemon: ``run``, no ``--once``."""
    words: list[str] = []
    skip = False
    for arg in args:
        if arg == "--":
            break
        if skip:
            skip = False
        elif arg.startswith("-"):
            if "=" not in arg and _option(arg, _VALUED):
                skip = True  # its value follows, and is not the command
            elif words and _option(arg, ("--once",)):
                return False
        else:
            words.append(arg)
    return words[:1] == ["run"]


def run() -> None:
    """The ``news-monitor`` program: hang-ups deferred for the daemon, then the command line."""
    if daemon_command(sys.argv[1:]):
        defer_hangups()  # a reload asked for during the start-up is not fatal
    from monitor.cli import run as run_command_line

    run_command_line()
