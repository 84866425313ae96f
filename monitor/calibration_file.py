"""The calibration file: the alert threshold and pattern floor (and weights, when refitted)
chosen by ``news-monitor calibrate --apply``, kept beside the state database.

``load_calibration`` reads it (None when there is none; ``ConfigError`` naming the file when
it is unusable, so a daemon reload rejects it like a bad rule edit). ``apply_calibration``
writes a new one atomically, keeping the one it replaces as ``<name>.previous.json``;
``roll_back`` swaps the two. The file is plain JSON, meant to be read and reviewed.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from monitor.atomicfile import replace_file
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
    one, whose path is returned. A calibration stays in force throughout (a daemon that
    reloads meanwhile never finds none)."""
    kept = None
    if path.exists():
        kept = previous_path(path)
        _put(kept, path.read_bytes())
    _write(path, calibration)
    return kept


def roll_back(path: Path) -> Calibration | None:
    """Put the previous calibration back in force (the current one becomes the previous, so
    a second roll-back undoes the first); return the one now in force, None if there was no
    previous one and the current one was removed. ``ConfigError`` if there is neither."""
    previous = previous_path(path)
    if not previous.exists():
        if not path.exists():
            raise ConfigError([Problem(str(path), None, "no calibration to roll back")])
        os.replace(path, previous)  # back to the model's own threshold
        return None
    restored = load_calibration(previous)
    current = path.read_bytes() if path.exists() else None
    _put(path, previous.read_bytes())
    if current is not None:
        _put(previous, current)
    else:
        previous.unlink()
    return restored
