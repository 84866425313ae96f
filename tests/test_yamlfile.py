"""YAML loading: errors name file, line and the fix, including words YAML does not keep as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from monitor.errors import ConfigError
from monitor.yamlfile import load_model


class Terms(BaseModel):
    any: list[str]


STRING = "Input should be a valid string"


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("any: [on]", f'any.0: {STRING}: YAML read on as a boolean; quote it: "on"'),
        ("any:\n  - x\n  - No", f'any.1: {STRING}: YAML read No as a boolean; quote it: "No"'),
        ("any: [2026]", f'any.0: {STRING}: YAML read 2026 as a number; quote it: "2026"'),
        ("any: [1.5]", f'any.0: {STRING}: YAML read 1.5 as a number; quote it: "1.5"'),
        ("any: [[a]]", f"any.0: {STRING}"),
    ],
)
def test_non_text_words_say_how_to_fix_them(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text(yaml_text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_model(path, Terms)
    line = yaml_text.count("\n") + 1 if "No" in yaml_text else 1
    assert [str(p) for p in caught.value.problems] == [f"{path}:{line}: {message}"]
