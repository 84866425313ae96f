"""The container: lint the Dockerfile, and check what the image would run from the wheel.

No Docker engine runs here, so the image itself is not built; instead the wheel the
Dockerfile installs is built and installed into a fresh virtual environment, and the
commands the image relies on are run from it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

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
