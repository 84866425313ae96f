"""Load everything detection needs from the rules folder, reporting every problem at once.

``detector_options`` turns the settings into the detector's model and thresholds: the
settings' own (``NEWS_MONITOR_ALERT_THRESHOLD``, ``NEWS_MONITOR_DETECTOR_MODEL``) first, then
the calibration ``calibrate --apply`` wrote, then the model's; and the judge, when one is set.

``rules/baseline.yaml`` holds the known claims, ``rules/watch/*.yaml`` the watch rules.
``load_ruleset`` raises one ``ConfigError`` with the problems of all files together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.errors import ConfigError, Problem
from monitor.settings import JUDGE_KEY_ENV, Settings

if TYPE_CHECKING:
    from monitor.baseline import Baseline
    from monitor.detect.rules import Rule
    from monitor.models import Claim


@dataclass(frozen=True)
class RuleSet:
    """The baseline claims (and the day they tell the story up to) and the watch rules,
    validated together."""

    claims: list[Claim]
    rules: list[Rule]
    as_of: date | None = None


def load_ruleset(rules_dir: Path) -> RuleSet:
    """Load ``rules_dir/baseline.yaml`` and ``rules_dir/watch/``; raise on any problem."""
    from monitor.baseline import load_baseline  # their models are built at first use
    from monitor.detect.rules import load_rules

    problems: list[Problem] = []
    baseline: Baseline | None = None
    rules: list[Rule] = []
    try:
        baseline = load_baseline(rules_dir / "baseline.yaml")
    except ConfigError as exc:
        problems.extend(exc.problems)
    try:
        rules = load_rules(rules_dir / "watch")
    except ConfigError as exc:
        problems.extend(exc.problems)
    if problems or baseline is None:
        raise ConfigError(problems)
    return RuleSet(baseline.claims, rules, baseline.as_of)


def detector_options(
    settings: Settings,
    *,
    judge_outcome: Callable[[str], None] | None = None,
    judge_budget: Any = None,
) -> dict[str, Any]:
    """The ``Detector`` keyword arguments the settings call for (model file, thresholds,
    calibration, judge); ``judge_outcome`` is told the outcome of every judge call, and
    ``judge_budget`` (a ``judge_budget.CallBudget``) is shared by the judges built with it.
    Detection's modules are imported only when a model file or a calibration is there:
    ``run --once`` may not need them."""
    model = None
    if settings.detector_model:
        from monitor.detect.model import load_model

        model = load_model(settings.detector_model)
    threshold = settings.alert_threshold
    if settings.calibration_path.exists():
        from monitor.calibration_file import load_calibration
        from monitor.detect.model import default_model

        calibration = load_calibration(settings.calibration_path)
        if calibration is not None:  # made by `calibrate` for the model in force
            model = calibration.scoring_model(model if model is not None else default_model())
            threshold = threshold if threshold is not None else calibration.threshold
    options: dict[str, Any] = {
        "min_novelty": settings.min_novelty,
        "threshold": threshold,
        "model": model,
    }
    if settings.judge_url:
        from monitor.judge import Judge, JudgeSettings  # httpx only when a judge is set

        judge_settings = JudgeSettings(
            url=settings.judge_url,
            model=settings.judge_model,
            key=settings.secret(JUDGE_KEY_ENV),
            timeout=settings.judge_timeout_seconds,
            calls_per_hour=settings.judge_calls_per_hour,
            max_chars=settings.judge_max_chars,
            min_score=settings.judge_min_score,
            max_score=settings.judge_max_score,
        )
        options["judge"] = Judge(judge_settings, judge_outcome, budget=judge_budget)
    return options
