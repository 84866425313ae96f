"""Warn about ``NEWS_MONITOR_*`` variables that nothing reads (a misspelled setting or
secret would otherwise be ignored in silence), naming the closest known variable.

Known are the settings (``NEWS_MONITOR_`` + field name), the service's own secrets, the
variables the channels name and those variables' ``NAME_FILE`` forms. Looked at are the
process environment and ``.env``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from monitor.notify.channels import ChannelsFile
from monitor.secrets import FILE_SUFFIX
from monitor.settings import ENV_FILE, SERVICE_SECRETS, Settings

PREFIX = "NEWS_MONITOR_"
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=[ \t]*(.*)$", re.MULTILINE)
_EMPTY = {"", '""', "''"}


def known_variables(channels: ChannelsFile) -> set[str]:
    """Every variable news-monitor reads with this channels file."""
    secrets = {name for channel in channels.channels for name in channel.secret_variables()}
    secrets |= set(SERVICE_SECRETS)
    settings = {PREFIX + field.upper() for field in Settings.model_fields}
    return settings | secrets | {name + FILE_SUFFIX for name in secrets}


def present_variables(
    environ: Mapping[str, str] = os.environ, env_file: Path = ENV_FILE
) -> set[str]:
    """``NEWS_MONITOR_*`` names with a value in ``environ`` or in ``env_file`` (an empty
    value is unset, as in ``.env.example``)."""
    names = {name for name, value in environ.items() if value}
    try:
        text = env_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    for name, value in _ASSIGNMENT.findall(text):
        if value.split(" #")[0].strip() not in _EMPTY:
            names.add(name)
    return {name for name in names if name.startswith(PREFIX)}


def stray_variables(present: Iterable[str], known: Iterable[str]) -> list[str]:
    """One message per present variable that is not known, with the closest known one."""
    known = sorted(set(known))
    strays = sorted(set(present) - set(known))
    if not strays:
        return []
    import difflib  # only when there is something to warn about

    # Compared without the prefix they share, which would make every name look close.
    tails = {name.removeprefix(PREFIX): name for name in known}
    messages = []
    for name in strays:
        close = difflib.get_close_matches(name.removeprefix(PREFIX), tails, n=1, cutoff=0.6)
        hint = f"; did you mean {tails[close[0]]}?" if close else ""
        messages.append(f"{name} is set but no setting or channel uses it{hint}")
    return messages


def stray_warnings(channels: ChannelsFile) -> list[str]:
    """The messages for this process: its environment and ``.env`` against ``channels``."""
    return stray_variables(present_variables(), known_variables(channels))
