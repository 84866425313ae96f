"""Named parts of a rule's regular expressions, written once and used as ``{{name}}``.

A rule file may define ``fragments`` (name: regex) and use ``{{name}}`` in any ``regex`` of
the rule; loading writes each use out as the fragment in a non-capturing group, before the
regexes are checked, so a rule behaves exactly as if every regex had been written in full. A
use of a name not defined is left as written, for the regex's own check to name it.
"""

from __future__ import annotations

import re
from typing import Any

FRAGMENT_NAME = r"^[a-z][a-z0-9-]{0,40}$"
USE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# what would change meaning once written out inside another regex: numbered backreferences
# (which count the groups before the use) and flags for the whole pattern
_OUT_OF_PLACE = re.compile(r"\\[1-9]|\(\?[aiLmsux]+\)")


def check_fragment(name: str, text: str) -> str:
    """``text`` if it can be written out in place of ``{{name}}``, else ``ValueError``."""
    if USE.search(text):
        raise ValueError(f"fragment {name!r} uses another fragment: write it in full")
    if _OUT_OF_PLACE.search(text):
        raise ValueError(
            f"fragment {name!r} holds a numbered backreference or a global flag, which mean "
            "something else inside another regex"
        )
    check_compiles(text, f"fragment {name!r}")
    return text


def check_compiles(regex: str, what: str) -> None:
    """Raise ``ValueError`` naming ``what`` if ``regex`` does not compile."""
    try:
        re.compile(regex)
    except re.error as exc:
        raise ValueError(f"{what} does not compile: {exc}") from exc


def write_out(rule: dict[str, Any]) -> dict[str, Any]:
    """``rule`` (a rule file's mapping) with every ``{{name}}`` of a defined fragment in its
    regexes replaced by ``(?:fragment)``."""
    fragments = rule.get("fragments")
    if not isinstance(fragments, dict) or not fragments:
        return rule  # nothing to write out; the schema says what is wrong with it, if anything
    # a fragment that cannot be written out is refused on its own line: its uses are written
    # out empty, so that they do not repeat its problem
    known = {
        name: text if _can_write_out(name, text) else ""
        for name, text in fragments.items()
        if isinstance(name, str)
    }
    written: dict[str, Any] = _written_out(rule, known)
    return written


def _can_write_out(name: str, text: object) -> bool:
    """Whether ``text`` is a fragment that can be written out (its own check says why not)."""
    if not isinstance(text, str) or not text:
        return False
    try:
        check_fragment(name, text)
    except ValueError:
        return False
    return True


def _written_out(node: Any, fragments: dict[str, str]) -> Any:
    """``node`` with the fragments written out in the regex lists found in it."""
    if isinstance(node, dict):
        return {
            key: (
                [_expand(r, fragments) if isinstance(r, str) else r for r in value]
                if key == "regex" and isinstance(value, list)
                else _written_out(value, fragments)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_written_out(value, fragments) for value in node]
    return node


def _expand(regex: str, fragments: dict[str, str]) -> str:
    """``regex`` with each ``{{name}}`` of ``fragments`` replaced by ``(?:fragment)``."""

    def one(use: re.Match[str]) -> str:
        text = fragments.get(use.group(1))
        return use.group(0) if text is None else f"(?:{text})"

    return USE.sub(one, regex)
