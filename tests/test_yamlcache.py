"""The cache of parsed YAML (``monitor.yamlcache``): used only for the same text and the
same parser, only for data JSON keeps exactly, never a reason to fail, and the same
problems (file, line, message) with it as without it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from monitor import yamlfile
from monitor.errors import ConfigError
from monitor.yamlcache import MISSING, ParseCache, exact_in_json
from monitor.yamlfile import load_model


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    tags: list[str] = []


TEXT = "name: news\ntags:\n  - a\n  - on\n"


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(path: Path, text: str) -> Any:
        raise AssertionError(f"{path} parsed")

    monkeypatch.setattr(yamlfile, "_parse", parse)


def primed(tmp_path: Path, text: str, model: type[BaseModel] = Loose) -> tuple[Path, Path]:
    """A YAML file of ``text`` and a cache file written by loading it once."""
    source, stored = tmp_path / "file.yaml", tmp_path / "cache.json"
    source.write_text(text, encoding="utf-8")
    cache = ParseCache(stored)
    load_model(source, model, cache)
    cache.save()
    return source, stored


def test_unchanged_text_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, stored = primed(tmp_path, "name: news\ntags: [a, b]\n")
    parsed = load_model(source, Strict)
    no_parsing(monkeypatch)
    assert load_model(source, Strict, ParseCache(stored)) == parsed


def test_changed_text_is_parsed_and_the_cache_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, stored = primed(tmp_path, "name: news\n")
    source.write_text("name: other\n", encoding="utf-8")
    cache = ParseCache(stored)
    assert load_model(source, Strict, cache).name == "other"
    cache.save()
    no_parsing(monkeypatch)
    assert load_model(source, Strict, ParseCache(stored)).name == "other"


@pytest.mark.parametrize(
    "text",
    [
        "name: news\ntags: [a]\nextra: 1\n",  # an unknown key
        "name: [news]\n",  # not text
        TEXT,  # YAML read "on" as a boolean: the fix is named from the words as written
        "tags: [a]\n",  # a missing key
    ],
)
def test_problems_are_the_same_with_the_cache(tmp_path: Path, text: str) -> None:
    """Data cached under one model that a stricter one (a newer release) rejects: the
    problems name the same lines and fixes as when the file is parsed."""
    source, stored = primed(tmp_path, text)
    with pytest.raises(ConfigError) as parsed:
        load_model(source, Strict)
    cache = ParseCache(stored)
    assert cache.get(source, text) is not MISSING
    with pytest.raises(ConfigError) as cached:
        load_model(source, Strict, cache)
    assert [str(p) for p in cached.value.problems] == [str(p) for p in parsed.value.problems]
    assert all(p.line for p in cached.value.problems)


def test_syntax_errors_are_never_cached(tmp_path: Path) -> None:
    source, stored = tmp_path / "file.yaml", tmp_path / "cache.json"
    source.write_text("name: [news\n", encoding="utf-8")
    for _ in range(2):
        cache = ParseCache(stored)
        with pytest.raises(ConfigError, match="YAML syntax"):
            load_model(source, Loose, cache)
        cache.save()
    assert not stored.exists()


ALIASED: dict[str, Any] = {"a": [1]}
ALIASED["b"] = ALIASED["a"]
CYCLE: list[Any] = []
CYCLE.append(CYCLE)


@pytest.mark.parametrize(
    ("data", "exact"),
    [
        ({"a": [1, 2.5, "x", True, None, {"b": []}]}, True),
        (None, True),
        ({1: "a"}, False),  # YAML keys need not be text; JSON's are
        ({True: "a"}, False),
        ({"when": date(2026, 1, 1)}, False),  # a YAML timestamp
        ({"set": {"a"}}, False),
        ({"raw": b"x"}, False),  # !!binary
        (ALIASED, False),  # &anchor / *alias: one object in two places
        (CYCLE, False),
    ],
)
def test_only_data_json_keeps_exactly_is_cached(data: Any, exact: bool) -> None:
    assert exact_in_json(data) is exact


def test_a_file_of_dates_is_parsed_every_time(tmp_path: Path) -> None:
    source, stored = primed(tmp_path, "name: news\nsince: 2026-01-01\n")
    assert ParseCache(stored).get(source, source.read_text()) is MISSING


@pytest.mark.parametrize(
    "stored",
    [
        "{not json",
        "[]",
        json.dumps({"format": 0, "files": {}}),
        '{"format": 1, "parser": null, "files": {}}',
    ],
)
def test_a_malformed_or_foreign_cache_counts_as_empty(tmp_path: Path, stored: str) -> None:
    source, path = tmp_path / "file.yaml", tmp_path / "cache.json"
    source.write_text("name: news\n", encoding="utf-8")
    path.write_text(stored, encoding="utf-8")
    cache = ParseCache(path)
    assert load_model(source, Strict, cache).name == "news"
    cache.save()
    assert ParseCache(path).get(source, "name: news\n") == {"name": "news"}


def test_another_yaml_installation_parses_again(tmp_path: Path) -> None:
    source, stored = primed(tmp_path, "name: news\n")
    body = json.loads(stored.read_text())
    body["parser"][2] += 1  # PyYAML upgraded: its files were written again
    stored.write_text(json.dumps(body), encoding="utf-8")
    assert ParseCache(stored).get(source, "name: news\n") is MISSING


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    """No state folder yet, or one that cannot be written: the file is read as before."""
    source = tmp_path / "file.yaml"
    source.write_text("name: news\n", encoding="utf-8")
    (tmp_path / "a-file").write_text("")
    for where in (tmp_path / "missing" / "cache.json", tmp_path / "a-file" / "cache.json"):
        cache = ParseCache(where)
        assert load_model(source, Strict, cache).name == "news"
        cache.save()
        assert not where.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "file.yaml"]


def test_a_cache_from_before_duplicate_keys_were_refused_is_not_used(tmp_path: Path) -> None:
    from monitor.yamlcache import parser_identity

    text = "name: one\nname: two\n"
    source, stored = tmp_path / "file.yaml", tmp_path / "cache.json"
    source.write_text(text, encoding="utf-8")
    # what the version that kept the last of two keys wrote for this text
    entry = {
        "format": 1,
        "parser": parser_identity(),
        "files": {str(source): [text, {"name": "two"}]},
    }
    stored.write_text(json.dumps(entry), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_model(source, Strict, ParseCache(stored))
    assert [str(p).split(": ", 1)[0] for p in caught.value.problems] == [f"{source}:2"]
