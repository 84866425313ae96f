"""SIGHUP before the daemon listens for it: remembered, not fatal.

SIGHUP's default action ends the process, and the start-up (imports, detection's model)
takes seconds before ``Daemon.run_forever`` listens for it. ``defer_hangups``, called
by the program's first code (``monitor.entry``) and again by ``cmd_run`` (for a ``main``
called in-process), remembers one for ``run_forever`` to act on (a reload: the rules
may have changed after they were read); ``ignore_hangups`` keeps one harmless while the
daemon closes. Importing this module costs nothing but ``signal``.
"""

from __future__ import annotations

import contextlib
import signal

_early: list[int] = []  # SIGHUPs that came before the daemon listened


def defer_hangups() -> None:
    """From now until the daemon listens, a SIGHUP is remembered."""
    with contextlib.suppress(AttributeError, ValueError):  # no SIGHUP; not the main thread
        signal.signal(signal.SIGHUP, lambda signum, _: _early.append(signum))


def early_hangup() -> bool:
    """Whether a SIGHUP came before the daemon listened (asked once: it is forgotten)."""
    came = bool(_early)
    _early.clear()
    return came


def ignore_hangups() -> None:
    """From now on (the daemon closes), a SIGHUP does nothing."""
    with contextlib.suppress(AttributeError, ValueError):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
