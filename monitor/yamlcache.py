"""What the YAML files of the rules folder said when last parsed, kept in one JSON file, so
that a start whose files have not changed imports no YAML parser (issue 11).

A cached entry is the file's whole text and the data PyYAML made of it. It is used only for
the very same text parsed by the very same PyYAML installation (the file, size and
modification time of its ``__init__.py``, the check Python makes of its own bytecode
caches), so it is what parsing would make now. Only data that JSON keeps exactly is cached:
mappings with text keys, lists, text, numbers, booleans and nulls, each object once (no
YAML aliases); a file whose data has dates, other keys or aliases is parsed every time.
Validation always runs on the data; errors and their lines come from parsing the file again
(``yamlfile.load_model``), so they are the same with or without the cache.

The cache file lives in the state folder (``Settings.config_cache_path``) and is as trusted
as the state database beside it. It is a help, never a need: an unreadable, malformed or
foreign file counts as empty, and one that cannot be written (no state folder yet, a
read-only one) is left as it is; nothing is raised and every file is then parsed as before.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
from pathlib import Path
from typing import Any

from monitor.atomicfile import replace_file

log = logging.getLogger(__name__)

# Raise when what yamlfile makes of a text changes (another loader, other options).
FORMAT = 2  # 2: a key written twice is refused (format 1 kept the last)
MISSING: Any = object()


def parser_identity() -> list[Any] | None:
    """Which PyYAML installation parses: its ``__init__.py``, size and modification time;
    None when PyYAML is not found (nothing is cached then)."""
    spec = importlib.util.find_spec("yaml")
    if spec is None or not spec.origin:
        return None
    try:
        found = os.stat(spec.origin)
    except OSError:
        return None
    return [spec.origin, found.st_size, found.st_mtime_ns]


def exact_in_json(data: Any) -> bool:
    """Whether JSON gives ``data`` back equal and of the same types, each container being
    met once (YAML aliases share one object; a cycle would never end)."""
    seen: set[int] = set()
    pending = [data]
    while pending:
        item = pending.pop()
        if item is None or isinstance(item, str | bool | int | float):
            if type(item) not in (type(None), str, bool, int, float):
                return False  # a subclass (as a YAML tag could make) comes back as its base
            continue
        if type(item) not in (dict, list) or id(item) in seen:
            return False
        seen.add(id(item))
        if isinstance(item, dict):
            if not all(type(key) is str for key in item):
                return False
            pending.extend(item.values())
        else:
            pending.extend(item)
    return True


class ParseCache:
    """The parsed data of YAML files by their text, read from and written to ``path``.

    ``get`` answers from the file read at the first call; ``put`` records what a parse
    made; ``save`` writes the entries used since (one file replaced at once, so a reader
    never sees half of it) when they differ from what was read.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._parser: list[Any] | None = None
        self._read: dict[str, Any] | None = None
        self._used: dict[str, list[Any]] = {}

    def _entries(self) -> dict[str, Any]:
        if self._read is None:
            self._read = {}
            self._parser = parser_identity()
            try:
                stored = json.loads(self.path.read_bytes())
            except (OSError, ValueError):
                return self._read
            if (
                isinstance(stored, dict)
                and stored.get("format") == FORMAT
                and stored.get("parser") == self._parser
                and isinstance(stored.get("files"), dict)
            ):
                self._read = stored["files"]
        return self._read

    def get(self, source: Path, text: str) -> Any:
        """The data of ``source`` if it was parsed from exactly ``text``, else ``MISSING``."""
        entry = self._entries().get(str(source))
        if self._parser is None or not isinstance(entry, list) or len(entry) != 2:
            return MISSING
        if entry[0] != text:
            return MISSING
        self._used[str(source)] = entry
        return entry[1]

    def put(self, source: Path, text: str, data: Any) -> None:
        """Record that ``text`` of ``source`` parses to ``data`` (if JSON keeps it exactly)."""
        if self._parser is not None and exact_in_json(data):
            self._used[str(source)] = [text, data]

    def save(self) -> None:
        """Write the entries used since the file was read, if they changed; a file that
        cannot be written is left as it is (see the module docstring)."""
        if self._parser is None or self._used == self._entries():
            return
        body = {"format": FORMAT, "parser": self._parser, "files": self._used}
        try:
            replace_file(self.path, json.dumps(body).encode("utf-8"))
        except (OSError, ValueError) as exc:  # ValueError: an integer too long for JSON
            log.debug("rules: configuration cache not written", extra={"reason": str(exc)})
