"""Settings from the environment (``NEWS_MONITOR_*``) and an optional ``.env`` file.

Every number has finite bounds (``inf``, ``nan`` and absurd sizes are refused with the
variable's name), so no setting can overflow a timer later. Channel secrets are not settings:
channel files name the variable that holds each secret, and ``monitor.secrets`` reads it
(environment, ``.env``, ``*_FILE``, secrets directory) as a ``SecretStr`` when the channel
is built. The one secret setting is ``web_token``; the judge's API key and the key that
signs feedback links (``SERVICE_SECRETS``) are read the way channel secrets are
(``Settings.secret``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from monitor.dburl import is_postgres_url, redact_url
from monitor.errors import ConfigError, Problem
from monitor.intake import FirstPoll, Intake
from monitor.secrets import read_secrets

ENV_FILE = Path(".env")
JUDGE_KEY_ENV = "NEWS_MONITOR_JUDGE_KEY"
FEEDBACK_KEY_ENV = "NEWS_MONITOR_FEEDBACK_KEY"
SERVICE_SECRETS = (JUDGE_KEY_ENV, FEEDBACK_KEY_ENV)
HOST_NAME = re.compile(r"[A-Za-z0-9.-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?|[0-9A-Fa-f:.]+")


def default_rules_dir() -> Path:
    """``./rules`` if there is one, else the ``rules/`` of the source checkout this package
    runs from (so commands work from any folder after ``pip install -e .``).

    The state folder follows the rules folder (``state/`` beside it) unless set, so every
    command run from any folder finds the same database."""
    here = Path("rules")
    if here.is_dir():
        return here
    checkout = Path(__file__).resolve().parent.parent / "rules"
    return checkout if checkout.is_dir() else here


class Settings(BaseSettings):
    """Every setting, its environment variable (prefix ``NEWS_MONITOR_``) and default."""

    model_config = SettingsConfigDict(
        env_prefix="NEWS_MONITOR_",
        env_file=ENV_FILE,
        extra="ignore",
        frozen=True,
        allow_inf_nan=False,
    )

    rules_dir: Path = Field(
        default_factory=lambda: default_rules_dir(),
        description="folder with baseline.yaml, watch/ etc.",
    )
    state_dir: Path = Field(
        Path("state"), description="folder for the state database; default: state/ beside rules"
    )
    database: Path | None = Field(
        None, description="SQLite file; default STATE_DIR/news-monitor.db"
    )
    database_url: str | None = Field(
        None,
        description="sqlite:///PATH, or postgresql://… to share the state between replicas",
    )
    secrets_dir: Path | None = Field(
        None, description="folder of secret files named like their variable (/run/secrets)"
    )
    min_novelty: float = Field(0.3, ge=0.0, le=1.0, description="novelty a sentence needs")
    alert_threshold: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="development probability that alerts (default: the model's own)",
    )
    detector_model: Path | None = Field(
        None, description="scoring model file (default: the one shipped with news-monitor)"
    )
    calibration_file: Path | None = Field(
        None,
        description="threshold (and weights) written by calibrate --apply; "
        "default STATE_DIR/calibration.json",
    )
    public_url: str = Field(
        "",
        pattern=r"^(https?://[^\s]+)?$",
        description="address readers open the pages at, for the feedback links in e-mail "
        "(with NEWS_MONITOR_FEEDBACK_KEY); empty: no links",
    )
    judge_url: str = Field(
        "",
        pattern=r"^(https?://[^\s]+)?$",
        description="base URL of an OpenAI-compatible API (ending /v1) asked about "
        "candidates; empty: no judge, nothing sent anywhere",
    )
    judge_model: str = Field("", max_length=200, description="the judge's model name")
    judge_timeout_seconds: float = Field(
        10.0, gt=0, le=600, description="longest a judge call may take; then the local decision"
    )
    judge_calls_per_hour: int = Field(
        60, ge=1, le=100000, description="judge calls allowed per hour; then the local decision"
    )
    judge_max_chars: int = Field(
        4000, ge=200, le=200000, description="article text sent to the judge, at most"
    )
    judge_min_score: float = Field(
        0.3, ge=0.0, le=1.0, description="development probability from which the judge is asked"
    )
    judge_max_score: float = Field(
        1.0,
        ge=0.0,
        le=1.0,
        description="development probability up to which the judge is asked (below the "
        "alert threshold: the judge may only add alerts)",
    )
    development_window_hours: float = Field(
        168.0, gt=0, le=8760, description="reports within this time of a development update it"
    )
    development_burst_hours: float = Field(
        24.0,
        gt=0,
        le=8760,
        description="a report within this time of a development's last report updates it "
        "when similar enough (asked less the sooner it comes) or of the same rule and stage",
    )
    development_follow_hours: float = Field(
        48.0,
        gt=0,
        le=8760,
        description="a report at the stage a rule says follows another as announced (a truce "
        "in force after it was agreed) updates the development within this time of its first "
        "report, as does a related one a pattern stages of a development of its rule that no "
        "pattern staged; one of its rule that no pattern stages (an analysis), of its last report",
    )
    development_history_days: float = Field(
        14.0,
        gt=0,
        le=3650,
        description="a report each of whose evidence sentences tells only of times at least "
        "this long before its publication (a year in review) retells: no alert",
    )
    max_concurrent_fetches: int = Field(32, ge=1, le=256, description="fetches at once, overall")
    max_fetches_per_host: int = Field(2, ge=1, le=64, description="fetches at once, per host")
    max_response_bytes: int = Field(
        10 * 1024 * 1024, ge=1024, le=1024**3, description="body cap, decoded"
    )
    connect_timeout_seconds: float = Field(10.0, gt=0, le=600)
    read_timeout_seconds: float = Field(20.0, gt=0, le=3600)
    poll_timeout_seconds: float = Field(
        60.0, gt=0, le=3600, description="longest time one fetch of a feed may take, in all"
    )
    parse_timeout_seconds: float = Field(
        120.0, gt=0, le=3600, description="longest time a large feed body may take to parse"
    )
    max_backoff_seconds: float = Field(
        3600.0, gt=0, le=7 * 86400, description="longest wait after failures"
    )
    max_entry_age_hours: float = Field(
        72.0,
        ge=0,
        le=87600,
        description="entries published longer ago are not examined; 0: no limit",
    )
    first_poll: FirstPoll = Field(
        "examine",
        description="a feed's first poll: examine its entries (within the maximum age), "
        "or mark-seen (record them as seen, alert only on later ones)",
    )
    retention_days: float = Field(30.0, gt=0, le=3650, description="forget seen entries after this")
    shutdown_grace_seconds: float = Field(
        20.0, ge=0, le=3600, description="time to finish work on stop"
    )
    delivery_interval_seconds: float = Field(
        5.0, gt=0, le=86400, description="how often the outbox runs"
    )
    health_bind: str = Field(
        "127.0.0.1:8080", description="host:port of /healthz, /readyz, /metrics; empty: off"
    )
    web_token: SecretStr | None = Field(
        None, description="token the pages and API ask for when bound beyond loopback"
    )
    web_allowed_hosts: str = Field(
        "",
        description="host names besides loopback's that the pages, bound to loopback, answer "
        "to without the token (comma-separated; a reverse proxy's); NEWS_MONITOR_PUBLIC_URL's "
        "host is one",
    )
    web_refresh_seconds: int = Field(
        10, ge=1, le=3600, description="how often the pages reload themselves"
    )
    reload_check_seconds: float = Field(
        2.0, gt=0, le=3600, description="how often rules/ is checked"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"

    @model_validator(mode="before")
    @classmethod
    def _state_beside_rules(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("state_dir") is None:
            rules = Path(data.get("rules_dir") or default_rules_dir())
            data = {**data, "state_dir": rules.parent / "state"}
        return data

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _any_case(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()

    @field_validator("secrets_dir")
    @classmethod
    def _a_folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder; unset it, or mount the secrets there")
        return value

    @field_validator("database_url")
    @classmethod
    def _a_database_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError(
                "expected sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE "
                "(leave it unset for SQLite in the state folder)"
            )
        return value or None

    @model_validator(mode="after")
    def _a_usable_judge(self) -> Settings:
        if self.judge_url and not self.judge_model.strip():
            raise ValueError(
                "NEWS_MONITOR_JUDGE_URL is set: name the model in NEWS_MONITOR_JUDGE_MODEL"
            )
        if self.judge_min_score > self.judge_max_score:
            raise ValueError(
                f"NEWS_MONITOR_JUDGE_MIN_SCORE {self.judge_min_score} is above "
                f"NEWS_MONITOR_JUDGE_MAX_SCORE {self.judge_max_score}: no article would be asked"
            )
        return self

    @field_validator("web_allowed_hosts")
    @classmethod
    def _host_names(cls, value: str) -> str:
        for name in value.split(","):
            if name.strip() and not HOST_NAME.fullmatch(name.strip()):
                raise ValueError(
                    f"{name.strip()!r} is not a host name; give names as the browser's "
                    "address bar shows them, comma-separated (monitor.lan,monitor.example.org)"
                )
        return value if value.strip() else ""

    @field_validator("health_bind")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        if value:
            host, _, port = value.rpartition(":")
            if not host or not port.isdigit() or int(port) > 65535:
                raise ValueError(
                    f"{value!r} is not host:port (e.g. 127.0.0.1:8080); "
                    "leave it empty to turn the endpoint off"
                )
        return value

    @property
    def health_address(self) -> tuple[str, int] | None:
        """The (host, port) to serve /healthz etc. on, or None when turned off."""
        if not self.health_bind:
            return None
        host, _, port = self.health_bind.rpartition(":")
        return host.strip("[]"), int(port)

    @property
    def web_hosts(self) -> frozenset[str]:
        """The host names the pages answer to on loopback besides loopback's own: those of
        ``web_allowed_hosts`` and the host readers are sent to (``public_url``)."""
        names = {name.strip() for name in self.web_allowed_hosts.split(",") if name.strip()}
        public = urlsplit(self.public_url).hostname if self.public_url else None
        return frozenset(names | ({public} if public else set()))

    @property
    def intake(self) -> Intake:
        """Which new entries are examined (maximum age, first-poll policy)."""
        hours = self.max_entry_age_hours
        return Intake(timedelta(hours=hours) if hours else None, self.first_poll)

    @property
    def database_path(self) -> Path:
        """The SQLite file (``sqlite:///PATH`` in ``database_url`` names it too)."""
        if self.database_url and self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return self.database or self.state_dir / "news-monitor.db"

    @property
    def calibration_path(self) -> Path:
        return self.calibration_file or self.state_dir / "calibration.json"

    @property
    def config_cache_path(self) -> Path:
        """Where ``run`` keeps the parsed data of the feeds and channels files
        (``monitor.yamlcache``)."""
        return self.state_dir / "config-cache.json"

    def secret(self, name: str) -> SecretStr | None:
        """One of ``SERVICE_SECRETS``, from the environment, ``.env``, ``NAME_FILE`` or the
        secrets folder (``ConfigError`` naming it when it cannot be read)."""
        found = read_secrets([name], env_file=ENV_FILE, secrets_dir=self.secrets_dir, source=name)
        return found.get(name)

    @property
    def shared_state(self) -> bool:
        """Whether the state is a PostgreSQL database that replicas may share."""
        return is_postgres_url(self.database_url)

    @property
    def state_location(self) -> Path | str:
        """What ``open_store`` opens: the PostgreSQL URL, or the SQLite file."""
        return self.database_url if self.database_url and self.shared_state else self.database_path

    @property
    def state_exists(self) -> bool:
        """Whether there is state to read (a PostgreSQL database is assumed to be there)."""
        return self.shared_state or self.database_path.exists()

    @property
    def state_name(self) -> str:
        """The state database for messages (a URL without its password)."""
        return (
            redact_url(self.database_url)
            if self.shared_state and self.database_url
            else str(self.database_path)
        )


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and ``overrides``); ``ConfigError`` names each bad
    variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(
            [
                Problem(
                    f"NEWS_MONITOR_{'_'.join(map(str, error['loc'])).upper()}"
                    if error["loc"]
                    else "settings",  # a problem of several variables together
                    None,
                    error["msg"],
                )
                for error in exc.errors()
            ]
        ) from exc
