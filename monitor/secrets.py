"""Channel secrets by variable name, read through pydantic-settings as ``SecretStr``.

Each secret a channel names (``url_env: NEWS_MONITOR_SLACK_WEBHOOK_URL``) is looked up, in
this order:

1. the variable itself, in the process environment, then in ``.env``, then as a file of
   that name in the secrets directory (``NEWS_MONITOR_SECRETS_DIR``, e.g. ``/run/secrets``);
2. ``NAME_FILE`` (environment or ``.env``): the path of a file holding the value
   (Docker and Kubernetes secrets).

An empty value counts as unset. Setting both ``NAME`` and ``NAME_FILE`` is an error, as is
a ``NAME_FILE`` that cannot be read. Values never appear in errors, logs or ``repr``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, create_model
from pydantic_settings import BaseSettings, SettingsConfigDict

from monitor.errors import ConfigError, Problem

FILE_SUFFIX = "_FILE"
WHERE = "the environment, .env, {name}_FILE or the secrets directory"


class _Sources(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")


class Secrets:
    """Secret values by variable name; ``require`` raises a ``ConfigError`` naming the
    variable and where it was looked for when it is missing."""

    def __init__(self, values: Mapping[str, SecretStr], source: str = "") -> None:
        self._values = dict(values)
        self.source = source

    def __repr__(self) -> str:
        return f"Secrets({sorted(self._values)})"

    def get(self, variable: str) -> SecretStr | None:
        return self._values.get(variable)

    def missing(self, variable: str) -> str:
        """What to say when ``variable`` is not set: where it was looked for."""
        return f"{variable} is not set (in {WHERE.format(name=variable)})"

    def require(self, variable: str) -> SecretStr:
        value = self._values.get(variable)
        if value is None:
            raise ConfigError([Problem(self.source, None, self.missing(variable))])
        return value


@lru_cache(maxsize=64)
def _sources_model(wanted: tuple[str, ...]) -> type[_Sources]:
    """The settings model that reads the variables ``wanted`` (and their ``_FILE``
    variants); built once per set of names, as a start looks up the same ones again."""
    fields: dict[str, Any] = {}
    for index, name in enumerate(wanted):
        fields[f"value{index}"] = (SecretStr | None, Field(None, validation_alias=name))
        fields[f"file{index}"] = (str | None, Field(None, validation_alias=name + FILE_SUFFIX))
    return create_model("ChannelSecretSources", __base__=_Sources, **fields)


def read_secrets(
    names: Iterable[str],
    *,
    env_file: Path | None = Path(".env"),
    secrets_dir: Path | None = None,
    source: str = "",
) -> Secrets:
    """Look up every variable of ``names`` (see the module docstring for where)."""
    wanted = sorted(set(names))
    if not wanted:  # nothing to look up: no settings model to build and fill
        return Secrets({}, source)
    model = _sources_model(tuple(wanted))
    has_env_file = env_file is not None and env_file.is_file()
    has_dir = secrets_dir is not None and secrets_dir.is_dir()
    found = model(
        _env_file=env_file if has_env_file else None,
        _secrets_dir=secrets_dir if has_dir else None,
    )
    values: dict[str, SecretStr] = {}
    problems: list[Problem] = []
    for index, name in enumerate(wanted):
        value: SecretStr | None = getattr(found, f"value{index}")
        file: str | None = getattr(found, f"file{index}")
        if value is not None and value.get_secret_value() and file:
            problems.append(
                Problem(source, None, f"set either {name} or {name}{FILE_SUFFIX}, not both")
            )
        elif value is not None and value.get_secret_value():
            values[name] = value
        elif file:
            try:
                text = Path(file).read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or type(exc).__name__
                problems.append(
                    Problem(source, None, f"{name}{FILE_SUFFIX}: cannot read {file}: {reason}")
                )
                continue
            if text:
                values[name] = SecretStr(text)
    if problems:
        raise ConfigError(problems)
    return Secrets(values, source)
