"""`news-monitor demo`: the real daemon on the bundled timeline, offline."""

from __future__ import annotations

import re

import pytest

from monitor.cli import main
from monitor.demo import load_timeline
from tests.conftest import RULES


def test_demo_alerts_once_per_development(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules", str(RULES), "demo", "--step-seconds", "1.5"]) == 0
    out = capsys.readouterr().out
    new = re.findall(r"^\[NEW\] ([a-z, -]+) \(.*: (.*)$", out, flags=re.MULTILINE)
    assert sorted(rules for rules, _ in new) == [
        "russia-position-change, new-development",
        "uk-parliament-vote, new-development",
    ]
    titles = {title for _, title in new}
    assert "Kremlin says neutral peacekeepers could be discussed" in titles
    # The two outlets' vote reports are published in the same step: whichever feed is polled
    # first brings the alert, the other its update (under load either order happens).
    vote = {
        "Commons backs sending British troops to Ukraine",
        "Parliament approves Ukraine deployment after long debate",
    }
    (first,) = titles & vote
    updates = re.findall(r"^\[update\] uk-parliament-vote.*: (.*)$", out, flags=re.MULTILINE)
    assert updates == [(vote - {first}).pop()]
    assert "nearest known claim" in out
    assert "confirmed by 2 independent outlets" in out
    assert "the webhook sink received 3 signed deliveries (0 bad signatures)" in out
    assert "6 entries stayed quiet" in out


def test_timeline_is_well_formed() -> None:
    steps = load_timeline()
    items = [item for step in steps for item in step.items]
    assert len(steps) == 4
    assert len({item.id for item in items}) == len(items)
    assert [i.published for i in items] == sorted(i.published for i in items)
