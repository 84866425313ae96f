"""The calibration file on disk: ``--apply`` and ``--rollback`` leave exactly the state they
promise, and a crash or power loss at any step leaves one whole calibration in force."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.atomicfile import replace_file
from monitor.calibration_file import (
    Calibration,
    apply_calibration,
    load_calibration,
    previous_path,
    roll_back,
)
from monitor.errors import ConfigError

A, B = 0.41, 0.52


def made(threshold: float) -> Calibration:
    return Calibration(created=datetime(2027, 3, 1, tzinfo=UTC), threshold=threshold)


def in_force(path: Path) -> float | None:
    found = load_calibration(path)
    return None if found is None else found.threshold


def test_apply_then_roll_back_from_none_leaves_none_after_an_earlier_round(
    tmp_path: Path,
) -> None:
    """Apply A, roll back, apply B, roll back: no calibration, as before B (A came back)."""
    path = tmp_path / "calibration.json"
    assert apply_calibration(path, made(A)) is None
    assert roll_back(path) is None and in_force(path) is None
    assert apply_calibration(path, made(B)) is None, "no previous one kept: there was none"
    assert roll_back(path) is None
    assert in_force(path) is None
    assert in_force(previous_path(path)) == B, "a second roll-back undoes the first"
    assert roll_back(path) is not None and in_force(path) == B
    assert roll_back(path) is None and in_force(path) is None


def test_roll_back_restores_the_state_before_the_last_apply(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    apply_calibration(path, made(A))
    assert apply_calibration(path, made(B)) == previous_path(path)
    restored = roll_back(path)
    assert restored is not None and restored.threshold == A and in_force(path) == A
    assert in_force(previous_path(path)) == B
    roll_back(path)
    assert in_force(path) == B and in_force(previous_path(path)) == A
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name, previous_path(path).name]


def test_roll_back_with_nothing_to_roll_back_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no calibration to roll back"):
        roll_back(tmp_path / "calibration.json")


def test_a_replaced_file_is_synced_before_the_rename_and_its_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the syncs a power loss can leave the renamed file empty (and a daemon that
    refuses to start on an empty calibration file)."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        folder = stat.S_ISDIR(os.fstat(descriptor).st_mode)
        events.append("sync folder" if folder else "sync file")
        real_fsync(descriptor)

    def replace(source: str | Path, target: str | Path) -> None:
        events.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    path = tmp_path / "calibration.json"
    replace_file(path, b"{}\n")
    assert events == ["sync file", "rename", "sync folder"]
    assert path.read_bytes() == b"{}\n"


class Crash(BaseException):
    """The process dies here."""


@pytest.mark.parametrize("crash_at", [0, 1, 2, 3])
def test_a_crash_at_any_step_of_a_roll_back_leaves_a_whole_calibration_and_loses_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_at: int
) -> None:
    """The roll-back swaps two files; a crash between the steps left the previous one in
    both places, the other one lost (rolling back again changed nothing)."""
    path = tmp_path / "calibration.json"
    apply_calibration(path, made(A))
    apply_calibration(path, made(B))
    renames = 0
    real_replace = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        nonlocal renames
        renames += 1
        if renames > crash_at and crash_at < 3:
            raise Crash
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    try:
        roll_back(path)
    except Crash:
        pass
    monkeypatch.setattr(os, "replace", real_replace)
    first = in_force(path)
    assert first in (A, B), "a daemon starting now finds one whole calibration"
    roll_back(path)
    second = in_force(path)
    assert {first, second} == {A, B}, "rolling back still goes from one to the other"
    roll_back(path)
    assert in_force(path) == first
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == [path.name, previous_path(path).name]
