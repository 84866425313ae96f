"""Every number a user can set has finite bounds and a clear error naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main
from monitor.errors import ConfigError
from monitor.settings import Settings, load_settings
from tests.helpers import daemon_env, make_rules, run_command

NUMERIC = [
    name for name, field in Settings.model_fields.items() if field.annotation in (int, float)
]
ABSURD = ["inf", "-inf", "nan", "1e12", "1e308"]


def test_every_numeric_setting_is_known() -> None:
    assert "max_backoff_seconds" in NUMERIC and "max_concurrent_fetches" in NUMERIC


@pytest.mark.parametrize("name", NUMERIC)
def test_numeric_setting_refuses_absurd_values(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    variable = f"NEWS_MONITOR_{name.upper()}"
    for value in ABSURD:
        monkeypatch.setenv(variable, value)
        with pytest.raises(ConfigError) as caught:
            load_settings()
        assert [p.file for p in caught.value.problems] == [variable], value


def test_daemon_refuses_infinite_backoff_with_one_clear_line(tmp_path: Path) -> None:
    make_rules(tmp_path, {})
    env = daemon_env(tmp_path, max_backoff_seconds="inf", development_window_hours="1e12")
    result = run_command(env, "run", "--once")
    assert result.returncode == 2
    assert "error: NEWS_MONITOR_MAX_BACKOFF_SECONDS: Input should be a finite number" in (
        result.stderr
    )
    assert "error: NEWS_MONITOR_DEVELOPMENT_WINDOW_HOURS: Input should be less than" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", [".inf", "1.0e+12", "'1000000d'"])
def test_durations_in_rule_files_are_bounded(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = make_rules(tmp_path, {"news": "http://127.0.0.1:9/news.xml"})
    feeds = rules / "feeds.yaml"
    feeds.write_text(feeds.read_text().replace("interval: 5m", f"interval: {value}"))
    assert main(["--rules", str(rules), "rules", "check"]) == 2
    err = capsys.readouterr().err
    assert "feeds.yaml:" in err and "at most 365 days" in err, err


@pytest.mark.parametrize(
    ("variables", "said"),
    [
        ({"NEWS_MONITOR_JUDGE_URL": "http://127.0.0.1:9/v1"}, "name the model"),
        (
            {"NEWS_MONITOR_JUDGE_MIN_SCORE": "0.9", "NEWS_MONITOR_JUDGE_MAX_SCORE": "0.5"},
            "no article would be asked",
        ),
    ],
)
def test_a_judge_that_could_not_work_is_refused(
    variables: dict[str, str], said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    (problem,) = caught.value.problems
    assert problem.file == "settings" and said in problem.message
