"""The training script's own pieces (scripts/train_detector.py): the TF-IDF it trains on is
the one the model reads at run time, and folds fitted in parallel are the folds fitted one
by one."""

from __future__ import annotations

import math
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from monitor.calibrate import item_article, read_labelled
from monitor.detect.engine import Detector
from monitor.detect.features import ArticleSignals, model_terms
from monitor.detect.model import DEVELOPMENT, ModelFile, ScoringModel
from monitor.refit import load_trainer
from monitor.ruleset import load_ruleset
from tests.conftest import FIXTURES, RULES

pytest.importorskip("sklearn", reason="the training script needs pip install -e '.[train]'")
TRAINER = Path(__file__).resolve().parent.parent / "scripts" / "train_detector.py"


@pytest.fixture(scope="module")
def trainer() -> Iterator[ModuleType]:
    module = load_trainer(TRAINER)
    sys.modules[module.__name__] = module  # forked workers find its functions by name
    yield module
    del sys.modules[module.__name__]


@pytest.fixture(scope="module")
def signals() -> list[ArticleSignals]:
    """Reports of one writer's set, as whole items and as their headlines alone."""
    ruleset = load_ruleset(RULES)
    detector = Detector(ruleset.claims, ruleset.rules)
    items = read_labelled(FIXTURES / "other-writer-a.jsonl")[:40]
    articles = [item_article(item) for item in items]
    articles += [replace(article, id=f"{article.id}#headline", text="") for article in articles]
    return [detector.extractor.signals(article) for article in articles]


def test_every_fold_reads_the_terms_the_model_reads(
    trainer: ModuleType, signals: list[ArticleSignals]
) -> None:
    terms = trainer.Terms(signals)
    train = np.arange(len(signals)) % 5 != 0
    idf = terms.vocabulary(train)
    df = Counter(
        g
        for s, kept in zip(signals, train, strict=True)
        if kept
        for g in set(model_terms(s.text, s.title))
    )
    assert set(idf) == {g for g, n in df.items() if n >= trainer.MIN_DF}
    matrix = terms.design(train, idf).toarray()
    model = ScoringModel(ModelFile(format=1, idf=idf, scaling={}, heads={}))
    columns = sorted(idf)
    rows = [s for s, kept in zip(signals, train, strict=True) if kept]
    assert len(rows) == matrix.shape[0] and any(s.lexical_parts()[1] for s in rows)
    for row, s in zip(matrix, rows, strict=True):
        read = model.read(s)
        assert {columns[c]: v for c, v in enumerate(row) if v} == read  # to the last bit


def test_folds_fitted_in_parallel_are_the_folds_fitted_one_by_one(
    trainer: ModuleType, signals: list[ArticleSignals]
) -> None:
    labels = {DEVELOPMENT: np.array([i % 3 == 0 for i in range(len(signals))], int)}
    table = trainer.Table(signals, [0.0] * len(signals), list(labels))
    groups = np.array([f"g{i % 4}" for i in range(len(signals))])
    weights = np.ones(len(signals))
    alone = trainer.fold_models(table, labels, groups, weights, jobs=1)
    together = trainer.fold_models(table, labels, groups, weights, jobs=2)
    assert sorted(alone) == sorted(together) == ["g0", "g1", "g2", "g3"]
    assert all(alone[g].spec == together[g].spec for g in alone)
    assert alone["g0"].spec != alone["g1"].spec


def test_a_fold_keeps_its_most_frequent_terms_alphabetical_on_ties(
    trainer: ModuleType, signals: list[ArticleSignals], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trainer, "MAX_VOCABULARY", 50)
    train = np.arange(len(signals)) % 3 != 0
    chosen = [s for s, kept in zip(signals, train, strict=True) if kept]
    df = Counter(g for s in chosen for g in set(model_terms(s.text, s.title)))
    frequent = [g for g, n in df.items() if n >= trainer.MIN_DF]
    kept = sorted(frequent, key=lambda g: (-df[g], g))[:50]
    assert len(frequent) > 50
    idf = {g: math.log((1 + len(chosen)) / (1 + df[g])) + 1.0 for g in kept}
    assert trainer.Terms(signals).vocabulary(train) == idf


def _process(_: object) -> int:
    return os.getpid()


def test_jobs_run_in_other_processes(trainer: ModuleType) -> None:
    workers = set(trainer.forked_map(_process, range(8), 2))
    assert workers and os.getpid() not in workers
    assert set(trainer.forked_map(_process, range(8), 1)) == {os.getpid()}
