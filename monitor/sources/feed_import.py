"""Adding feeds from a feed list (OPML) to ``feeds.yaml``, with a report.

``plan_import`` decides, for each outline, whether it is added (a valid, new address,
under a unique name), skipped (its address is already listed, or came earlier in the
same file) or invalid (no address, or one ``FeedConfig`` rejects). ``append_feeds`` adds
the new feeds at the end of ``feeds.yaml``, keeping its comments and layout; only when
the file does not end in its ``feeds:`` list is it rewritten whole. Writes are atomic, so
a running daemon that reloads on change never reads half a file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from monitor.atomicfile import replace_file
from monitor.sources.feeds import FeedConfig
from monitor.sources.opml import Outline

_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ImportReport:
    """What an import did (or would do) with each outline."""

    added: list[FeedConfig] = field(default_factory=list)
    skipped: list[tuple[Outline, str]] = field(default_factory=list)
    invalid: list[tuple[Outline, str]] = field(default_factory=list)


def feed_name(text: str, url: str, taken: set[str]) -> str:
    """A valid feed name from an outline's text (else its address), unique among ``taken``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = _NOT_IN_NAME.sub("-", ascii_text).strip("-._")[:90]
    if not base:
        base = _NOT_IN_NAME.sub("-", url.split("://", 1)[-1]).strip("-._")[:90] or "feed"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}-{number}"
    return name


def plan_import(existing: Sequence[FeedConfig], outlines: Sequence[Outline]) -> ImportReport:
    """Sort ``outlines`` into added, skipped and invalid against the ``existing`` feeds."""
    report = ImportReport()
    by_url = {str(feed.url): feed.name for feed in existing}
    taken = {feed.name for feed in existing}
    for outline in outlines:
        if not outline.url:
            report.invalid.append((outline, "no xmlUrl"))
            continue
        name = feed_name(outline.name, outline.url, taken)
        try:
            feed = FeedConfig.model_validate({"name": name, "url": outline.url})
        except ValidationError as exc:
            report.invalid.append((outline, exc.errors()[0]["msg"]))
            continue
        if str(feed.url) in by_url:
            report.skipped.append((outline, f"already listed as {by_url[str(feed.url)]}"))
            continue
        by_url[str(feed.url)] = name
        taken.add(name)
        report.added.append(feed)
    return report


def _entries(feeds: Sequence[FeedConfig]) -> list[dict[str, Any]]:
    return [{"name": feed.name, "url": str(feed.url)} for feed in feeds]


def _appended(text: str, feeds: Sequence[FeedConfig]) -> str | None:
    """``text`` with ``feeds`` added to the end of its ``feeds:`` list, or None if that
    would not give the same list plus the new feeds (the list is not at the end)."""
    items = re.findall(r"^( *)- name:", text, re.MULTILINE)
    indent = items[-1] if items else "  "
    block = yaml.safe_dump(_entries(feeds), sort_keys=False, allow_unicode=True)
    candidate = text.rstrip("\n") + "\n" + "".join(indent + line for line in block.splitlines(True))
    try:
        before, after = yaml.safe_load(text) or {}, yaml.safe_load(candidate) or {}
    except yaml.YAMLError:
        return None
    if not isinstance(before, dict) or not isinstance(after, dict):
        return None
    expected = {**before, "feeds": [*(before.get("feeds") or []), *_entries(feeds)]}
    return candidate if after == expected else None


def append_feeds(path: Path, feeds: Sequence[FeedConfig]) -> bool:
    """Add ``feeds`` to the feeds file at ``path`` (created if missing); return whether its
    comments and layout were kept (False: it had to be rewritten whole)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    updated = _appended(text, feeds) if text.strip() else None
    kept = updated is not None or not text.strip()
    if updated is None:
        data = (yaml.safe_load(text) if text.strip() else None) or {}
        data["feeds"] = [*(data.get("feeds") or []), *_entries(feeds)]
        updated = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, updated.encode("utf-8"))
    return kept
