"""README.md's YAML examples are real configuration: together they pass `rules check`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from monitor.cli import main
from tests.conftest import ROOT, RULES

BLOCK = re.compile(r"```yaml\n(.*?)```", flags=re.DOTALL)


def classify(text: str) -> str:
    """The rules-folder file a README example stands for, from its top-level keys."""
    keys = set(yaml.safe_load(text))
    if "id" in keys:
        return "watch/readme-example.yaml"
    if "feeds" in keys:
        return "feeds.yaml"
    if "channels" in keys:
        return "channels.yaml"
    raise AssertionError(f"a README YAML example no test knows what to do with: {sorted(keys)}")


def test_every_yaml_example_passes_rules_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = BLOCK.findall((ROOT / "README.md").read_text())
    files = {classify(text): text for text in blocks}
    assert len(files) == len(blocks) == 3, "one example of each file"
    rules = tmp_path / "rules"
    (rules / "watch").mkdir(parents=True)
    shutil.copy(RULES / "baseline.yaml", rules / "baseline.yaml")
    for name, text in files.items():
        (rules / name).write_text(text)
    assert main(["--rules", str(rules), "rules", "check"]) == 0, capsys.readouterr().err
    assert "error" not in capsys.readouterr().err


TOP = ("rules/", "monitor/", "examples/", "benchmarks/", "tests/")  # state/ fills at run time


def test_paths_in_readme_exist_or_are_said_to_be_elsewhere() -> None:
    readme = (ROOT / "README.md").read_text()
    missing, unexplained = [], []
    for paragraph in readme.split("\n\n"):
        for path in re.findall(r"`(?:\.venv/bin/)?([\w./*-]+/[\w./*-]*)`", paragraph):
            if path.startswith("../"):
                if "not part of this repository" not in paragraph:
                    unexplained.append(path)
            elif path.startswith(TOP) and not list(ROOT.glob(path.rstrip("/"))):
                missing.append(path)
        for command in re.findall(r"^    (?:python3|\.venv/bin/\S+) (.*)$", paragraph, re.M):
            outside = [w for w in command.split() if w.startswith("../")]
            if outside and "not part of this repository" not in readme:
                unexplained += outside
    assert (missing, unexplained) == ([], [])


@pytest.mark.parametrize("name", ["LICENSE", ".env.example", "compose.yaml", "Dockerfile"])
def test_files_readme_and_pyproject_promise_exist(name: str) -> None:
    assert (ROOT / name).is_file()
    if name == "LICENSE":
        assert (ROOT / name).read_text().startswith("MIT License\n")
        assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text()


def test_every_metric_is_in_the_readme_by_the_name_it_is_exposed_as() -> None:
    """The README listed ``news_monitor_judge_calls`` (exposed as ``..._total``) and left
    out ``news_monitor_judge_calls_total`` and ``news_monitor_feedback_total``."""
    from monitor.metrics import Metrics

    text = Metrics().exposition(None)[0].decode()
    families = re.findall(r"^# TYPE (news_monitor_\w+) ", text, re.MULTILINE)
    exposed = {name for name in families if not name.endswith("_created")}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(news_monitor_\w+)", readme))
    assert len(exposed) > 10 and exposed - named == set()
    assert named - exposed == set()
