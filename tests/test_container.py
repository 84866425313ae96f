"""The container: lint the Dockerfile, and check what the image would run from the wheel.

No Docker engine runs here, so the image itself is not built; instead the wheel the
Dockerfile installs is built and installed into a fresh virtual environment, and the
commands the image relies on are run from it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, RULES

HADOLINT = shutil.which("hadolint") or shutil.which(
    "hadolint", path=str(Path(sys.executable).parent)
)


def instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [
        tuple(line.split(None, 1))
        for line in text.splitlines()  # type: ignore[misc]
        if line.strip() and not line.startswith("#")
    ]


@pytest.mark.skipif(HADOLINT is None, reason="hadolint is not installed on this platform")
def test_dockerfile_passes_hadolint() -> None:
    result = subprocess.run(
        [str(HADOLINT), str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_unprivileged_with_state_volume_and_healthcheck() -> None:
    found = instructions()
    kinds = [kind for kind, _ in found]
    user = [arg for kind, arg in found if kind == "USER"]
    assert user and not user[-1].startswith(("root", "0"))
    assert ("VOLUME", '["/app/state"]') in found
    assert "HEALTHCHECK" in kinds and "/healthz" in dict(found)["HEALTHCHECK"]
    assert found[-1] == ("CMD", '["news-monitor", "run"]')


def test_wheel_installs_and_runs_in_a_fresh_environment(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    (wheel,) = wheels.glob("news_monitor-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert any(n.endswith("licenses/LICENSE") for n in archive.namelist()), "MIT text shipped"
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
    )
    # Dependencies come from this environment (tests reach no package index); the project
    # itself only from the wheel.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    script = env_dir / "bin" / "news-monitor"
    env = {**os.environ, "NEWS_MONITOR_RULES_DIR": str(RULES)}
    version = subprocess.run(
        [str(script), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    assert version.stdout.startswith("news-monitor ")
    check = subprocess.run(
        [str(script), "rules", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert check.returncode == 0, check.stderr
    assert "6 rules" in check.stdout
    located = subprocess.run(
        [
            str(python),
            "-c",
            "import monitor, monitor.demo; print(monitor.__file__); monitor.demo.load_timeline()",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=tmp_path,
    )
    assert located.stdout.startswith(str(env_dir)), "imported from the wheel, not the checkout"


def compose_service() -> dict[str, object]:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    return dict(services["news-monitor"])


def container_environment(values: dict[str, str]) -> dict[str, str]:
    """What the daemon in the container sees: the image's ENV, then compose's env_file
    (.env as .env.example documents it, filled with ``values``), then ``environment``."""
    env: dict[str, str] = {}
    for kind, arg in instructions():
        if kind == "ENV":
            env.update(dict(part.split("=", 1) for part in arg.split()))
    service = compose_service()
    entries: list[object] = list(service.get("env_file") or [])  # type: ignore[call-overload]
    files = [e["path"] if isinstance(e, dict) else e for e in entries]
    if ".env" in files:
        example = (ROOT / ".env.example").read_text().splitlines()
        names = [line.split("=", 1)[0] for line in example if line and not line.startswith("#")]
        env.update({name: values.get(name, "") for name in names})
    environment: dict[str, object] = dict(service.get("environment") or {})  # type: ignore[call-overload]
    env.update({key: str(value) for key, value in environment.items()})
    return env


def test_every_channel_of_the_image_gets_its_secrets_from_compose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.notify.build import availability
    from monitor.notify.channels import load_channels
    from monitor.settings import Settings

    assert ("COPY", "rules ./rules") in instructions(), "the image's channels.yaml is rules/'s"
    text = (RULES / "channels.yaml").read_text()
    named = set(re.findall(r"_env:\s*([A-Z_][A-Z0-9_]*)", text))  # examples in comments too
    env = container_environment({name: f"value-of-{name}" for name in named})
    assert sorted(named - env.keys()) == []
    for name in list(os.environ):
        if name.startswith("NEWS_MONITOR_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)  # no .env here: the environment alone
    settings = Settings(rules_dir=RULES)
    found = availability(load_channels(RULES / "channels.yaml"), settings)
    assert (found.unavailable, found.off) == ({}, {})


def test_compose_gives_the_daemon_time_to_stop() -> None:
    from monitor.durations import parse_duration
    from monitor.settings import Settings

    grace = parse_duration(str(compose_service()["stop_grace_period"])).total_seconds()
    default = Settings.model_fields["shutdown_grace_seconds"].default
    assert grace >= default + 5


def test_plain_compose_up_needs_no_variable_the_example_leaves_empty() -> None:
    """Compose interpolates every service before it applies profiles, so a `${NAME:?...}`
    in the "replicas" profile stops a plain `docker compose up -d` while NAME is empty."""
    text = (ROOT / "compose.yaml").read_text()
    required = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):?\?", text))
    example = (ROOT / ".env.example").read_text().splitlines()
    values = dict(line.split("=", 1) for line in example if "=" in line and line[0] != "#")
    assert sorted(name for name in required if not values.get(name, "").strip()) == []


def test_env_example_offers_the_web_token_the_image_needs() -> None:
    """The image binds beyond loopback, where the pages ask for NEWS_MONITOR_WEB_TOKEN."""
    env = container_environment({})
    assert not env["NEWS_MONITOR_HEALTH_BIND"].startswith(("127.", "localhost", "[::1]"))
    assert "NEWS_MONITOR_WEB_TOKEN=" in (ROOT / ".env.example").read_text()


@pytest.mark.parametrize("name", ["news-monitor", "replica"])
def test_a_calibration_applied_in_a_container_is_kept_where_every_replica_reads_it(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The calibration file (``Settings.calibration_path`` in the container) lies in a named
    volume of the service, which every replica of it mounts: the replicas had none, so
    ``calibrate --apply`` in one stayed in that container (and was lost with it)."""
    from monitor.settings import Settings

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    service = compose["services"][name]
    image_env = {}
    for kind, arg in instructions():
        if kind == "ENV":
            image_env.update(dict(part.split("=", 1) for part in arg.split()))
    for key, value in {**image_env, **service.get("environment", {})}.items():
        if key.startswith("NEWS_MONITOR_"):
            monkeypatch.setenv(key, str(value).replace("${POSTGRES_PASSWORD:-}", ""))
    monkeypatch.chdir(ROOT / "tests")  # no .env here
    path = Settings().calibration_path
    mounts = [str(v).split(":") for v in service.get("volumes", [])]
    named = [target for source, target, *_ in mounts if source in (compose.get("volumes") or {})]
    assert [t for t in named if path.is_relative_to(t)], f"{name}: {path} is in no named volume"
