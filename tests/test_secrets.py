"""Channel secrets: environment, .env, NAME_FILE and a secrets folder; errors name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.secrets import read_secrets

NAME = "TEST_SECRET_URL"
VALUE = "https://hooks.example.invalid/T000/B000/secret-token"


@pytest.mark.parametrize(
    ("env", "dotenv", "file_text", "in_dir", "expected"),
    [
        ({NAME: VALUE}, "", None, False, VALUE),  # the process environment
        ({}, f"{NAME}={VALUE}\n", None, False, VALUE),  # .env
        ({}, "", VALUE + "\n", False, VALUE),  # NAME_FILE, trailing newline dropped
        ({}, "", None, True, VALUE),  # a file named NAME in the secrets folder
        ({NAME: VALUE}, f"{NAME}=from-dotenv\n", None, False, VALUE),  # environment wins
        ({NAME: ""}, "", None, False, None),  # empty counts as unset (compose ${X:-})
        ({}, "", None, False, None),  # nowhere
    ],
)
def test_where_secrets_come_from(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    dotenv: str,
    file_text: str | None,
    in_dir: bool,
    expected: str | None,
) -> None:
    monkeypatch.delenv(NAME, raising=False)
    monkeypatch.delenv(NAME + "_FILE", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    env_file = tmp_path / ".env"
    env_file.write_text(dotenv)
    if file_text is not None:
        (tmp_path / "slack-url").write_text(file_text)
        monkeypatch.setenv(NAME + "_FILE", str(tmp_path / "slack-url"))
    folder = tmp_path / "run-secrets"
    folder.mkdir()
    if in_dir:
        (folder / NAME).write_text(VALUE + "\n")
    secret = read_secrets([NAME], env_file=env_file, secrets_dir=folder).get(NAME)
    assert (secret.get_secret_value() if secret else None) == expected


@pytest.mark.parametrize(
    ("value", "file", "message"),
    [
        (VALUE, "exists", f"set either {NAME} or {NAME}_FILE, not both"),
        (None, "missing", f"{NAME}_FILE: cannot read"),
    ],
)
def test_conflicts_and_unreadable_files_are_errors_without_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None, file: str, message: str
) -> None:
    monkeypatch.delenv(NAME, raising=False)
    if value:
        monkeypatch.setenv(NAME, value)
    path = tmp_path / "secret"
    if file == "exists":
        path.write_text(VALUE)
    monkeypatch.setenv(NAME + "_FILE", str(path))
    with pytest.raises(ConfigError) as caught:
        read_secrets([NAME], env_file=None, source="rules/channels.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("rules/channels.yaml: ")
    assert "secret-token" not in str(caught.value)


def test_missing_secret_names_variable_and_places_and_repr_hides_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NAME, VALUE)
    monkeypatch.delenv("TEST_OTHER", raising=False)
    secrets = read_secrets([NAME, "TEST_OTHER"], env_file=None)
    assert "secret-token" not in repr(secrets) + repr(secrets.get(NAME))
    with pytest.raises(ConfigError, match=r"TEST_OTHER is not set .*TEST_OTHER_FILE"):
        secrets.require("TEST_OTHER")
