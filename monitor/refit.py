"""Refit the model's weights on labelled items (the corpora plus the desk's feedback).

Uses the training script's own pieces (``scripts/train_detector.py``: ``Table``, ``fit``,
``prune``), so it needs a source checkout and scikit-learn (``pip install -e '.[train]'``);
``load_trainer`` says so when either is missing. The heads refitted are those of the model
in force (its ``development`` head and the rule heads it kept), with the rule heads' own
thresholds; the development threshold and pattern floor are then chosen by
``calibrate``. Out-of-fold probabilities come from one model per held-out group (each
development event, each block of quiet items), trained without it, so the figures are by
leave-one-event-out (the cut is chosen on the same out-of-fold scores: slightly optimistic).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from monitor.calibrate import Scored, item_article
from monitor.detect.engine import Detector, surest_passage
from monitor.detect.features import dense_features
from monitor.detect.model import DEVELOPMENT, ModelFile, ScoringModel
from monitor.errors import ConfigError, Problem

TRAINER = Path(__file__).resolve().parent.parent / "scripts" / "train_detector.py"
MIN_DESK_LABELS = 30  # --weights auto refits from this many desk labels ...
MIN_EACH = 5  # ... with at least this many developments and this many quiet items


def enough_desk_labels(scored: Sequence[Scored]) -> bool:
    desk = [s for s in scored if s.desk]
    developments = sum(1 for s in desk if s.event is not None)
    return len(desk) >= MIN_DESK_LABELS and min(developments, len(desk) - developments) >= MIN_EACH


def load_trainer(path: Path = TRAINER) -> ModuleType:
    """The training script as a module; ``ConfigError`` with the fix when it cannot load."""
    if not path.is_file():
        raise ConfigError(
            [Problem(str(path), None, "refitting weights needs a source checkout of news-monitor")]
        )
    spec = importlib.util.spec_from_file_location("train_detector", path)
    if spec is None or spec.loader is None:
        raise ConfigError([Problem(str(path), None, "cannot be loaded")])
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ImportError as exc:
        raise ConfigError(
            [Problem(str(path), None, f"{exc}; install with: pip install -e '.[train]'")]
        ) from exc
    return module


def refit(
    detector: Detector,
    items: Sequence[tuple[dict[str, Any], bool]],
    scored: Sequence[Scored],
    progress: Callable[[str], None] = lambda line: None,
) -> tuple[ModelFile, list[Scored]]:
    """The model refitted on every item, and ``scored`` with out-of-fold probabilities."""
    trainer = load_trainer()
    signals = [detector.extractor.signals(item_article(item)) for item, _ in items]
    heads = list(detector.model.heads)
    labels = {DEVELOPMENT: np.array([s.event is not None for s in scored], int)}
    for head in heads:
        if head != DEVELOPMENT:
            labels[head] = np.array([head in (i.get("labels") or []) for i, _ in items], int)
    table = trainer.Table(signals, [s.corroboration for s in scored], heads)
    groups = np.array([s.group for s in scored])
    probabilities = np.zeros(len(scored))
    unique = sorted(set(groups))
    development = {DEVELOPMENT: labels[DEVELOPMENT]}
    for n, group in enumerate(unique, 1):
        progress(f"fold {n}/{len(unique)}")
        model = ScoringModel(trainer.fit(table, development, groups != group, {}, {}))
        for i in map(int, np.flatnonzero(groups == group)):
            vector = model.read(signals[i])
            dense = dense_features(signals[i], scored[i].corroboration)
            found = model.score(DEVELOPMENT, vector, dense)
            assert found is not None
            # as the detector reads a long article: in its surest passage
            probabilities[i] = surest_passage(model, signals[i], dense, found)[0].probability
    thresholds = {h: head.threshold for h, head in detector.model.heads.items()}
    about = {"refitted_by": "news-monitor calibrate", "items": len(items)}
    spec = trainer.prune(trainer.fit(table, labels, np.ones(len(items), bool), thresholds, about))
    current = detector.model.spec
    spec = spec.model_copy(
        update={"pattern_floor": current.pattern_floor, "example_match": current.example_match}
    )
    out_of_fold = [
        replace(s, probability=float(p)) for s, p in zip(scored, probabilities, strict=True)
    ]
    return spec, out_of_fold
