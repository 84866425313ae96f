"""`news-monitor test-alert CHANNEL`: success, the exact failure, and configuration errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main
from tests.helpers import make_rules
from tests.servers import Receiver, serving

HOOK = [{"name": "hook", "type": "webhook", "url_env": "TEST_HOOK_URL"}]


def run(tmp_path: Path, *args: str) -> int:
    return main(["--rules", str(tmp_path / "rules"), "test-alert", *args])


def test_success_and_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rules(tmp_path, {}, channels=HOOK)
    with serving(Receiver(script=[200, 404])) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url("/secret-path-token-0123456789abcdef"))
        assert run(tmp_path, "hook") == 0
        assert capsys.readouterr().out == "test-alert: hook: delivered\n"
        assert run(tmp_path, "hook") == 1
        err = capsys.readouterr().err
    assert err == "test-alert: hook: FAILED (permanent): HTTP 404: no\n"
    assert "secret-path-token" not in err
    assert json.loads(receiver.accepted[0].body)["rule"] == "test-alert"


def test_missing_secret_and_unknown_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rules(tmp_path, {}, channels=HOOK)
    monkeypatch.delenv("TEST_HOOK_URL", raising=False)
    assert run(tmp_path, "hook") == 2
    assert "channel hook: environment variable TEST_HOOK_URL is not set" in (
        capsys.readouterr().err
    )
    assert run(tmp_path, "nope") == 2
    assert "unknown channel 'nope'; known: hook" in capsys.readouterr().err
