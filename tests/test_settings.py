"""Settings: forgiving where it is safe (case), loud where a mistake would go unnoticed."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main
from monitor.envcheck import present_variables, stray_variables
from monitor.settings import load_settings
from tests.helpers import make_rules


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("NEWS_MONITOR_LOG_LEVEL", "debug", "log_level", "DEBUG"),
        ("NEWS_MONITOR_LOG_LEVEL", "Warning", "log_level", "WARNING"),
        ("NEWS_MONITOR_LOG_FORMAT", "JSON", "log_format", "json"),
    ],
)
def test_words_in_any_case(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, field: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert getattr(load_settings(), field) == expected


KNOWN = ["NEWS_MONITOR_LOG_LEVEL", "NEWS_MONITOR_SLACK_WEBHOOK_URL", "NEWS_MONITOR_STATE_DIR"]


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (["NEWS_MONITOR_LOG_LEVEL"], []),
        (
            ["NEWS_MONITOR_LOG_LEVL"],
            [
                "NEWS_MONITOR_LOG_LEVL is set but no setting or channel uses it; "
                "did you mean NEWS_MONITOR_LOG_LEVEL?"
            ],
        ),
        (
            ["NEWS_MONITOR_SLACK_URL"],
            [
                "NEWS_MONITOR_SLACK_URL is set but no setting or channel uses it; "
                "did you mean NEWS_MONITOR_SLACK_WEBHOOK_URL?"
            ],
        ),
        (["NEWS_MONITOR_ZZZ"], ["NEWS_MONITOR_ZZZ is set but no setting or channel uses it"]),
    ],
)
def test_stray_variables_name_the_closest(present: list[str], expected: list[str]) -> None:
    assert stray_variables(present, KNOWN) == expected


def test_present_variables_from_environment_and_dotenv(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\nNEWS_MONITOR_A=1\nexport NEWS_MONITOR_B = 'x'\nNEWS_MONITOR_EMPTY=\n"
        'NEWS_MONITOR_QUOTED_EMPTY=""\nOTHER=1\n'
    )
    environ = {"NEWS_MONITOR_C": "1", "NEWS_MONITOR_UNSET": "", "PATH": "/bin"}
    assert present_variables(environ, env_file) == {
        "NEWS_MONITOR_A",
        "NEWS_MONITOR_B",
        "NEWS_MONITOR_C",
    }


def test_rules_check_warns_about_a_misspelled_variable_and_a_bad_ca_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "not-a-ca.pem").write_text("not a certificate\n")
    email = {
        "name": "editors",
        "type": "email",
        "host": "127.0.0.1",
        "sender": "a@example.invalid",
        "recipients": ["b@example.invalid"],
    }
    make_rules(
        tmp_path,
        {},
        channels=[
            {**email, "ca_file": str(tmp_path / "missing.pem")},
            {**email, "name": "garbled", "ca_file": str(tmp_path / "not-a-ca.pem")},
        ],
    )
    monkeypatch.setenv("NEWS_MONITOR_MIN_NOVLETY", "0.5")
    assert main(["rules", "check", "--rules", str(tmp_path / "rules")]) == 0
    err = capsys.readouterr().err
    assert (
        f"warning: channel editors: ca_file {tmp_path}/missing.pem: cannot be used "
        "(No such file or directory)" in err
    )
    assert f"warning: channel garbled: ca_file {tmp_path}/not-a-ca.pem: cannot be used" in err
    assert (
        "NEWS_MONITOR_MIN_NOVLETY is set but no setting or channel uses it; did you mean "
        "NEWS_MONITOR_MIN_NOVELTY?" in err
    )


@pytest.mark.parametrize(("hours", "expected_hours"), [(None, 24.0), ("72", 72.0), ("200", 168.0)])
def test_development_burst_is_a_setting(
    monkeypatch: pytest.MonkeyPatch, hours: str | None, expected_hours: float
) -> None:
    from monitor.app import story_book

    if hours is not None:
        monkeypatch.setenv("NEWS_MONITOR_DEVELOPMENT_BURST_HOURS", hours)
    book = story_book(load_settings())
    assert book.burst.total_seconds() / 3600 == expected_hours  # never beyond the window


def test_a_secrets_folder_that_is_not_there_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWS_MONITOR_SECRETS_DIR", str(tmp_path / "run-secrets"))
    assert main(["rules", "check"]) == 2
    assert capsys.readouterr().err == (
        f"error: NEWS_MONITOR_SECRETS_DIR: Value error, {tmp_path}/run-secrets is not a "
        "folder; unset it, or mount the secrets there\n"
    )


def test_known_variables_are_settings_and_channel_secrets() -> None:
    from monitor.envcheck import known_variables
    from monitor.notify.channels import ChannelsFile

    hook = {"name": "hook", "type": "webhook", "url_env": "NEWS_MONITOR_HOOK_URL"}
    known = known_variables(ChannelsFile.model_validate({"default": [], "channels": [hook]}))
    expected = {"NEWS_MONITOR_LOG_LEVEL", "NEWS_MONITOR_HOOK_URL", "NEWS_MONITOR_HOOK_URL_FILE"}
    assert expected <= known
    assert "NEWS_MONITOR_LOG_LEVEL_FILE" not in known  # settings have no _FILE form
