"""Shared fixtures: paths to the shipped rules and to the shared evaluation material."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.detect.engine import Detector
from monitor.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def shipped_detector() -> Detector:
    ruleset = load_ruleset(RULES)
    return Detector(ruleset.claims, ruleset.rules)
