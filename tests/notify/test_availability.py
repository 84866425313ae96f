"""Which channels can deliver: optional channels are off while unset, others a problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.notify.build import availability, build_channels
from monitor.notify.channels import ChannelsFile, router
from monitor.settings import Settings
from tests.notify.test_channels import make_alert

HOOK = {"name": "hook", "type": "webhook", "url_env": "TEST_A_URL", "secret_env": "TEST_A_KEY"}


@pytest.mark.parametrize(
    ("optional", "env", "state"),
    [
        (True, {}, "off"),
        (True, {"TEST_A_URL": "http://127.0.0.1:9/"}, "unavailable"),  # half set: a mistake
        (False, {}, "unavailable"),
        (True, {"TEST_A_URL": "http://127.0.0.1:9/", "TEST_A_KEY": "k"}, "ok"),
    ],
)
def test_optional_channels(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    optional: bool,
    env: dict[str, str],
    state: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TEST_A_URL", "TEST_A_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    channels = [{**HOOK, "optional": optional}, {"name": "console", "type": "console"}]
    config = ChannelsFile.model_validate({"default": ["hook", "console"], "channels": channels})
    found = availability(config, Settings(rules_dir=tmp_path))
    states = {"off": found.off, "unavailable": found.unavailable}
    found_in = [s for s, names in states.items() if "hook" in names]
    assert found_in == ([] if state == "ok" else [state])
    expected = ["console"] if state == "off" else ["hook", "console"]
    assert router(config, found.off)(make_alert()) == expected


@pytest.mark.parametrize(
    ("kind", "url", "usable"),
    [
        ("webhook", "http://127.0.0.1:9/hook", True),
        ("webhook", "hooks.example.org/services/T0/B0/SECRETPART", False),  # no scheme
        ("webhook", "ftp://hooks.example.org/SECRETPART", False),
        ("webhook", "https:///SECRETPART", False),  # no host
        ("webhook", "http://hooks.example.org:70000/SECRETPART", False),  # no such port
        ("webhook", "http://hooks.example.org:0/SECRETPART", False),
        ("webhook", "http://hooks.example.org:SECRETPART/x", False),
        ("slack", "https://hooks.slack.com/services/T0/B0/SECRETPART", True),
        ("slack", "hooks.slack.com/services/T0/B0/SECRETPART", False),
    ],
)
def test_a_url_that_cannot_be_posted_to_makes_the_channel_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, url: str, usable: bool
) -> None:
    """Its alerts are held until the URL is fixed, not failed for good after a day of
    retries; the message names the variable, never its value."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEST_A_URL", url)
    channels = [{"name": "hook", "type": kind, "url_env": "TEST_A_URL"}]
    config = ChannelsFile.model_validate({"default": ["hook"], "channels": channels})
    built, found = build_channels(config, Settings(rules_dir=tmp_path))
    assert ("hook" in built) is usable
    if not usable:
        reason = found.unavailable["hook"]
        assert "TEST_A_URL" in reason and "http(s) URL" in reason, reason
        assert "SECRETPART" not in reason and "hooks." not in reason
