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
    assert err == (
        "test-alert: hook: FAILED (temporary): HTTP 404: no (the receiver refuses the "
        "channel's address or credentials)\n"
    )
    assert "secret-path-token" not in err
    assert json.loads(receiver.accepted[0].body)["rule"] == "test-alert"


def test_missing_secret_and_unknown_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rules(tmp_path, {}, channels=HOOK)
    monkeypatch.delenv("TEST_HOOK_URL", raising=False)
    assert run(tmp_path, "hook") == 2
    assert "channel hook: TEST_HOOK_URL is not set (in the environment, .env," in (
        capsys.readouterr().err
    )
    assert run(tmp_path, "nope") == 2
    assert "unknown channel 'nope'; known: hook" in capsys.readouterr().err


OTHERS = [
    {"name": "slack", "type": "slack", "url_env": "TEST_UNSET_SLACK_URL"},
    {
        "name": "editors",
        "type": "email",
        "host": "127.0.0.1",
        "password_env": "TEST_UNSET_SMTP_PASSWORD",
        "username_env": "TEST_UNSET_SMTP_USER",
        "sender": "a@example.invalid",
        "recipients": ["b@example.invalid"],
    },
]


def test_secret_from_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rules(tmp_path, {}, channels=HOOK)
    monkeypatch.delenv("TEST_HOOK_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    with serving(Receiver()) as receiver:
        (tmp_path / ".env").write_text(f"TEST_HOOK_URL={receiver.url()}\n")
        assert run(tmp_path, "hook") == 0, capsys.readouterr().err
    assert len(receiver.accepted) == 1


def test_one_channel_alone_while_others_lack_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_rules(tmp_path, {}, channels=HOOK + OTHERS, default=["hook"])
    for name in ("TEST_UNSET_SLACK_URL", "TEST_UNSET_SMTP_PASSWORD", "TEST_UNSET_SMTP_USER"):
        monkeypatch.delenv(name, raising=False)
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        assert run(tmp_path, "hook") == 0
    assert capsys.readouterr().err == ""
    assert len(receiver.accepted) == 1


def test_each_test_alert_has_a_fresh_idempotency_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_rules(tmp_path, {}, channels=HOOK)
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        assert run(tmp_path, "hook") == 0
        assert run(tmp_path, "hook") == 0
    keys = [r.headers["Idempotency-Key"] for r in receiver.accepted]
    assert len(keys) == 2 and keys[0] != keys[1]
