"""Counts in words, for messages: ``counted(2, "file")`` is ``"2 files"``. No imports, so
any module may use it without adding to the start-up cost."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str = "") -> str:
    """``"1 file"``, ``"2 files"``: a count and its noun, plural (``noun + "s"`` unless
    given) unless the count is one."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
