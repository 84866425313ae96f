"""Load everything detection needs from the rules folder, reporting every problem at once.

``detector_options`` turns the settings into the detector's model and thresholds.

``rules/baseline.yaml`` holds the known claims, ``rules/watch/*.yaml`` the watch rules.
``load_ruleset`` raises one ``ConfigError`` with the problems of all files together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.baseline import load_baseline
from monitor.detect.rules import Rule, load_rules
from monitor.errors import ConfigError, Problem
from monitor.models import Claim
from monitor.settings import Settings


@dataclass(frozen=True)
class RuleSet:
    """The baseline claims and the watch rules, validated together."""

    claims: list[Claim]
    rules: list[Rule]


def load_ruleset(rules_dir: Path) -> RuleSet:
    """Load ``rules_dir/baseline.yaml`` and ``rules_dir/watch/``; raise on any problem."""
    problems: list[Problem] = []
    claims: list[Claim] = []
    rules: list[Rule] = []
    try:
        claims = load_baseline(rules_dir / "baseline.yaml")
    except ConfigError as exc:
        problems.extend(exc.problems)
    try:
        rules = load_rules(rules_dir / "watch")
    except ConfigError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return RuleSet(claims, rules)


def detector_options(settings: Settings) -> dict[str, Any]:
    """The ``Detector`` keyword arguments the settings call for (model file, thresholds)."""
    model = None
    if settings.detector_model:  # detection's imports only then: `run --once` may not need them
        from monitor.detect.model import load_model

        model = load_model(settings.detector_model)
    return {
        "min_novelty": settings.min_novelty,
        "threshold": settings.alert_threshold,
        "model": model,
    }
