"""The calibration file: the alert threshold and pattern floor (and weights, when refitted)
chosen by ``news-monitor calibrate --apply``, kept beside the state database.

``load_calibration`` reads it (None when there is none; ``ConfigError`` naming the file when
it is unusable, so a daemon reload rejects it like a bad rule edit). ``apply_calibration``
writes a new one atomically, keeping the one it replaces as ``<name>.previous.json`` (none
when there was none in force, so that a roll-back leaves none); ``roll_back`` swaps the
two, through a copy of the current one (``.<name>.swap.json``) and two renames, so that a
crash between them is finished by the next ``apply`` or roll-back. The file is plain JSON,
meant to be read and reviewed.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.atomicfile import move_file, replace_file, sync_folder
from monitor.detect.model import ModelFile, ScoringModel, unusable
from monitor.errors import ConfigError, Problem


class Calibration(BaseModel):
    """What ``calibrate --apply`` wrote: the threshold, optionally a refitted model, and
    the figures and labels it was chosen on (for the reader; not used by detection)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = Field(1, ge=1, le=1)
    created: datetime
    threshold: float = Field(ge=0.0, le=1.0)
    pattern_floor: float | None = Field(None, ge=0.0, le=1.0)
    model: ModelFile | None = None
    figures: dict[str, Any] = Field(default_factory=dict)
    labels: dict[str, int] = Field(default_factory=dict)

    def scoring_model(self, base: ScoringModel) -> ScoringModel:
        """``base`` (or the refitted model) with the calibrated pattern floor."""
        spec = self.model if self.model is not None else base.spec
        if self.pattern_floor is not None:
            spec = spec.model_copy(update={"pattern_floor": self.pattern_floor})
        return base if spec is base.spec else ScoringModel(spec)


def previous_path(path: Path) -> Path:
    """Where the calibration replaced by the last ``--apply`` is kept."""
    return path.with_name(path.stem + ".previous" + path.suffix)


def _swap_path(path: Path) -> Path:
    """Where ``roll_back`` copies the current calibration before the swap."""
    return path.with_name(f".{path.stem}.swap{path.suffix}")


def _finish_swap(path: Path) -> None:
    """Finish a roll-back a crash interrupted: the copy of the calibration it replaced
    becomes the previous one (if the previous was already moved into force), or goes."""
    swap = _swap_path(path)
    if not swap.exists():
        return
    if previous_path(path).exists():  # the crash came before the swap began
        swap.unlink()
        sync_folder(path.parent)
    else:
        move_file(swap, previous_path(path))


def load_calibration(path: Path) -> Calibration | None:
    """The calibration at ``path``, or None when there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError([Problem(str(path), None, f"cannot read: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(str(path), None, "not UTF-8 text")]) from exc
    try:
        calibration = Calibration.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ConfigError([Problem(str(path), exc.lineno, f"not JSON: {exc.msg}")]) from exc
    except ValidationError as exc:
        raise ConfigError(
            [
                Problem(str(path), None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in exc.errors()
            ]
        ) from exc
    problems = unusable(calibration.model, f"{path} (model)") if calibration.model else []
    if problems:
        raise ConfigError(problems)
    return calibration


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, data)


def _write(path: Path, calibration: Calibration) -> None:
    body = json.dumps(calibration.model_dump(mode="json"), indent=1, sort_keys=True) + "\n"
    _put(path, body.encode("utf-8"))


def apply_calibration(path: Path, calibration: Calibration) -> Path | None:
    """Write ``calibration`` to ``path``; the one it replaces (if any) becomes the previous
    one, whose path is returned; with none in force, no previous one is kept (a roll-back
    then leaves none). A calibration stays in force throughout (a daemon that reloads
    meanwhile never finds none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _finish_swap(path)
    kept = previous_path(path)
    if path.exists():
        replace_file(kept, path.read_bytes())
    elif kept.exists():
        kept.unlink()
        sync_folder(path.parent)
    _write(path, calibration)
    return kept if kept.exists() else None


def roll_back(path: Path) -> Calibration | None:
    """Put the previous calibration back in force (the current one becomes the previous, so
    a second roll-back undoes the first); return the one now in force, None if there was no
    previous one and the current one was set aside. ``ConfigError`` if there is neither.
    Each step is a rename, so a reader finds one calibration or the other, never a mix."""
    _finish_swap(path)
    previous = previous_path(path)
    if not previous.exists():
        if not path.exists():
            raise ConfigError([Problem(str(path), None, "no calibration to roll back")])
        move_file(path, previous)  # back to the model's own threshold
        return None
    restored = load_calibration(previous)
    if not path.exists():
        move_file(previous, path)
        return restored
    swap = _swap_path(path)
    replace_file(swap, path.read_bytes())
    move_file(previous, path)
    move_file(swap, previous)
    return restored
