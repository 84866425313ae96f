from __future__ import annotations

from monitor.plural import counted


def test_counted_says_one_in_the_singular_and_others_in_the_plural() -> None:
    assert counted(1, "file") == "1 file"
    assert [counted(n, "file") for n in (0, 2)] == ["0 files", "2 files"]
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
