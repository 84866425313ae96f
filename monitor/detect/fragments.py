"""Named parts of a rule's regular expressions, written once and used as ``{{name}}``.

A rule file may define ``fragments`` (name: regex) and use ``{{name}}`` in any ``regex`` of
the rule; loading writes each use out as the fragment in a non-capturing group, before the
regexes are checked, so a rule behaves exactly as if every regex had been written in full.
"""

from __future__ import annotations

import re
from typing import Any

FRAGMENT_NAME = r"^[a-z][a-z0-9-]{0,40}$"
_USE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def write_out(rule: dict[str, Any]) -> dict[str, Any]:
    """``rule`` (a rule file's mapping) with every ``{{name}}`` in its regexes replaced by
    its fragment. Raises ``ValueError`` naming an undefined, unused or ill-formed fragment."""
    fragments = rule.get("fragments") or {}
    if not isinstance(fragments, dict):
        return rule  # the schema says what is wrong with it
    for name, text in fragments.items():
        if not isinstance(name, str) or not re.match(FRAGMENT_NAME, name):
            raise ValueError(
                f"fragment name {name!r}: lower-case letters, digits and '-', "
                "starting with a letter"
            )
        if not isinstance(text, str) or not text:
            raise ValueError(f"fragment {name!r} needs a regex as its text")
        if _USE.search(text):
            raise ValueError(f"fragment {name!r} uses another fragment: write it in full")
        try:
            re.compile(text)
        except re.error as exc:
            raise ValueError(f"fragment {name!r} does not compile: {exc}") from exc
    used: set[str] = set()
    written: dict[str, Any] = _written_out(rule, fragments, used)
    unused = sorted(set(fragments) - used)
    if unused:
        raise ValueError(f"fragment(s) used by no regex of the rule: {', '.join(unused)}")
    return written


def _written_out(node: Any, fragments: dict[str, str], used: set[str]) -> Any:
    """``node`` with the fragments written out in the regex lists found in it."""
    if isinstance(node, dict):
        return {
            key: (
                [_expand(r, fragments, used) if isinstance(r, str) else r for r in value]
                if key == "regex" and isinstance(value, list)
                else _written_out(value, fragments, used)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_written_out(value, fragments, used) for value in node]
    return node


def _expand(regex: str, fragments: dict[str, str], used: set[str]) -> str:
    """``regex`` with each ``{{name}}`` replaced by ``(?:fragment)``."""

    def one(use: re.Match[str]) -> str:
        name = use.group(1)
        if name not in fragments:
            known = ", ".join(sorted(fragments)) or "none"
            raise ValueError(
                f"regex {regex!r} uses {{{{{name}}}}}, which 'fragments' does not define "
                f"(defined: {known})"
            )
        used.add(name)
        return f"(?:{fragments[name]})"

    return _USE.sub(one, regex)
