"""YAML loading: errors name file, line and the fix, including words YAML does not keep as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from monitor.errors import ConfigError
from monitor.yamlfile import load_model, load_yaml


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


class Rule(BaseModel):
    id: str
    description: str = ""
    tags: dict[str, object] = {}


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        # the second description silently replaced the first
        ("id: a\ndescription: one\ndescription: two\n", ["3: description: duplicate key"]),
        ("id: a\ntags:\n  x: 1\n  y: 2\n  x: 3\n", ["5: tags.x: duplicate key"]),
        ("id: a\ntags: {x: 1, x: 2}\n", ["2: tags.x: duplicate key"]),
        ("id: a\nid: b\ndescription: d\ndescription: e\n", ["2: id: dup", "4: description: dup"]),
    ],
)
def test_a_key_written_twice_is_refused(
    tmp_path: Path, yaml_text: str, expected: list[str]
) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as caught:
        load_model(path, Rule)
    found = [str(p) for p in caught.value.problems]
    assert len(found) == len(expected), found
    for problem, start in zip(found, expected, strict=True):
        assert problem.startswith(f"{path}:{start}"), problem


@pytest.mark.parametrize(
    "yaml_text",
    [
        # a merge key's values are overridden by the mapping's own keys: not a duplicate
        "base: &b {x: 1, y: 2}\nid: a\ntags:\n  <<: *b\n  x: 3\n",
        "id: a\ntags: {x: 1, y: 2}\n",
    ],
)
def test_merged_and_distinct_keys_are_not_duplicates(tmp_path: Path, yaml_text: str) -> None:
    class Loose(BaseModel):
        id: str
        tags: dict[str, int]

    path = tmp_path / "rule.yaml"
    path.write_text(yaml_text)
    assert load_model(path, Loose).tags["x"] == (3 if "<<" in yaml_text else 1)


NESTED_ALIASES = """\
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
any:
  - &word on
  - *word
  - *d
"""


def test_aliases_are_followed_once_when_finding_lines(tmp_path: Path) -> None:
    # Each level of aliases multiplied the map of lines by ten: eight such lines of a
    # rule file with a problem kept rules check busy for hours.
    path = tmp_path / "terms.yaml"
    path.write_text(NESTED_ALIASES)
    _, lines, _ = load_yaml(path)
    assert len(lines) < 100, len(lines)
    with pytest.raises(ConfigError) as caught:
        load_model(path, Terms)
    assert [str(p) for p in caught.value.problems] == [
        f'{path}:6: any.0: {STRING}: YAML read on as a boolean; quote it: "on"',
        f'{path}:6: any.1: {STRING}: YAML read on as a boolean; quote it: "on"',
        f"{path}:4: any.2: {STRING}",
    ]


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("id: a\ntags:\n  since: 2026-13-08\n", "3: '2026-13-08' is not a date: month must be"),
        ("id: a\ntags: [x, 2026-02-30]\n", "2: '2026-02-30' is not a date: day is out of range"),
        (
            "id: a\ntags: &t [*t, 2026-02-30]\n",
            "2: '2026-02-30' is not a date: day is out of range",
        ),
    ],
)
def test_a_date_that_is_none_is_named_with_its_line(
    tmp_path: Path, yaml_text: str, expected: str
) -> None:
    """YAML reads a value written as a date by its form; one that is no date in the calendar
    is a problem on its line, not a traceback."""
    path = tmp_path / "rule.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as caught:
        load_model(path, Rule)
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith(f"{path}:{expected}"), problem


@pytest.mark.parametrize("yaml_text", ["", "\n\n", "# a rule, one day\n"])
def test_an_empty_file_is_said_to_be_empty(tmp_path: Path, yaml_text: str) -> None:
    """Not only "id: Field required", which does not say why."""
    path = tmp_path / "rule.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as caught:
        load_model(path, Rule)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: the file is empty (nothing but blanks or comments)"
    ]
    assert load_model(path, Defaults) == Defaults(), "a model with defaults takes it"


class Defaults(BaseModel):
    note: str = ""
