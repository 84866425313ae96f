"""Load YAML configuration and validate it with pydantic, keeping line numbers.

``load_model(path, Model)`` returns a validated model or raises ``ConfigError`` whose
problems name the file, the line of the offending key and what to change. YAML syntax
errors, and a key written twice in one mapping, are reported the same way. Files are
parsed once, with libyaml's C loader when PyYAML has it; the map from keys to lines is
only built when a problem needs it. Given a ``ParseCache``, ``load_model`` takes the data
of a file whose text has not changed from it and imports no YAML parser
(``monitor.yamlcache``); its problems are found as without.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from monitor.errors import ConfigError, Problem
from monitor.yamlcache import MISSING, ParseCache

if TYPE_CHECKING:
    from collections.abc import Iterator

    import yaml

ModelT = TypeVar("ModelT", bound=BaseModel)
Location = tuple[str | int, ...]
MERGE_TAG = "tag:yaml.org,2002:merge"


class Lines(dict[Location, int]):
    """The 1-based line of each key path; ``links`` maps a path where an alias is used to
    the path its node was first met at, whose lines (and words) stand for it."""

    def __init__(self) -> None:
        super().__init__()
        self.links: dict[Location, Location] = {}


def _walk(
    node: yaml.Node,
    here: Location,
    lines: Lines,
    words: dict[Location, str],
    seen: dict[int, Location],
) -> None:
    import yaml

    lines[here] = node.start_mark.line + 1
    if id(node) in seen:  # an alias: walked once where it was first met, linked from here
        lines.links[here] = seen[id(node)]
        return
    seen[id(node)] = here
    if isinstance(node, yaml.ScalarNode) and not node.style:  # None (Python) or "" (libyaml)
        words[here] = node.value  # as written, unquoted: "on" before YAML made it True
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _key_text(key_node)
            lines[(*here, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*here, key), lines, words, seen)
            lines[(*here, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*here, index), lines, words, seen)


def _unaliased(lines: dict[Location, int], loc: Location) -> Location:
    """``loc`` with each part that goes through an alias replaced by where its node was
    first met (see ``Lines``)."""
    links = getattr(lines, "links", {})
    for _ in range(len(links)):
        for cut in range(len(loc), 0, -1):
            if loc[:cut] in links:
                loc = (*links[loc[:cut]], *loc[cut:])
                break
        else:
            break
    return loc


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(str(path), None, f"cannot read: {exc}")]) from exc


def _unreadable_value(path: Path, root: yaml.Node | None, error: ValueError) -> Problem:
    """The problem of a scalar written as a date or time that is none ("2026-13-08"),
    on its line when it can be found."""
    import yaml

    constructor = yaml.constructor.SafeConstructor()
    for node, _ in _nodes_once(root):
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":timestamp"):
            try:
                constructor.construct_yaml_timestamp(node)
            except ValueError as exc:
                line = node.start_mark.line + 1
                return Problem(str(path), line, f"{node.value!r} is not a date: {exc}")
    return Problem(str(path), None, f"a value YAML cannot read: {error}")


def _key_text(key_node: yaml.Node) -> str:
    """How a mapping key is named in a key path and a problem: a scalar's text, else the node."""
    import yaml

    return str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else str(key_node)


def _nodes_once(root: yaml.Node | None) -> Iterator[tuple[yaml.Node, Location]]:
    """Each node under ``root`` with its key path, in the order written, each once: an alias
    names a node met before (or one that holds it), walked where it was first met."""
    import yaml

    pending: list[tuple[yaml.Node, Location]] = [(root, ())] if root is not None else []
    seen: set[int] = set()
    while pending:
        node, here = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node, here
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                key = _key_text(key_node)
                pending.append((value_node, (*here, key)))
                pending.append((key_node, (*here, key)))
        elif isinstance(node, yaml.SequenceNode):
            items = list(enumerate(node.value))
            pending.extend((item, (*here, index)) for index, item in reversed(items))


def _duplicate_keys(path: Path, root: yaml.Node) -> list[Problem]:
    """A problem for each key written twice in one mapping (YAML would keep the last in
    silence). Merge keys (``<<``) are not counted: a mapping's own keys override them."""
    import yaml

    problems = []
    for node, here in _nodes_once(root):  # an alias's keys were checked where first met
        if isinstance(node, yaml.MappingNode):
            first: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                key = _key_text(key_node)
                line = key_node.start_mark.line + 1
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag != MERGE_TAG:
                    if (key_node.tag, key) in first:
                        field = ".".join(str(part) for part in (*here, key))
                        problems.append(
                            Problem(
                                str(path),
                                line,
                                f"{field}: duplicate key (also on line "
                                f"{first[(key_node.tag, key)]}); YAML would keep only the "
                                "last one: remove or rename one",
                            )
                        )
                    first.setdefault((key_node.tag, key), line)
    return sorted(problems, key=lambda problem: problem.line or 0)


def _parse(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    """Parse ``text`` (of ``path``) once: its data and the node tree the data was built from.
    A key written twice in one mapping is a problem, as a syntax error is."""
    import yaml  # here: a start that finds every file in its ParseCache does without it

    # libyaml's loader when PyYAML was built with it: the same nodes and marks, several
    # times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None and (duplicates := _duplicate_keys(path, node)):
            raise ConfigError(duplicates)
        return (loader.construct_document(node) if node is not None else None), node
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError([Problem(str(path), line, f"YAML syntax: {exc.problem}")]) from exc
    except ValueError as exc:  # a value YAML reads by its form, as a date, that is none
        raise ConfigError([_unreadable_value(path, node, exc)]) from exc
    except yaml.YAMLError as exc:
        raise ConfigError([Problem(str(path), None, f"YAML syntax: {exc}")]) from exc
    finally:
        loader.dispose()


def _positions(node: yaml.Node | None) -> tuple[Lines, dict[Location, str]]:
    lines = Lines()
    words: dict[Location, str] = {}
    if node is not None:
        _walk(node, (), lines, words, {})
    return lines, words


def load_yaml(path: Path) -> tuple[Any, dict[Location, int], dict[Location, str]]:
    """Parse ``path``; return the data, a map from key path to 1-based line, and the
    unquoted scalars as written."""
    data, node = _parse(path, _read(path))
    return (data, *_positions(node))


def line_of(lines: dict[Location, int], loc: Location) -> int | None:
    """The line of ``loc``, or of its nearest enclosing key when ``loc`` itself is absent.
    A part of ``loc`` the file does not have (the tag a union of types adds, such as a
    channel's type name) is passed over, so the key after it still finds its own line.
    Inside an alias, the line is that of the node it names."""
    if loc not in lines:
        loc = _unaliased(lines, loc)
    found: Location = ()
    for part in loc:
        if (*found, part) in lines:
            found = (*found, part)
    return lines.get(found)


def _not_a_string(value: object, written: str | None) -> str | None:
    """Why YAML made ``written`` something other than text, and the fix; None if not that."""
    if written is None or isinstance(value, str):
        return None
    if isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, int | float):
        kind = "number"
    else:
        return None
    return f'YAML read {written} as a {kind}; quote it: "{written}"'


def problems_from(
    exc: ValidationError,
    path: Path,
    lines: dict[Location, int],
    prefix: Location = (),
    words: dict[Location, str] | None = None,
) -> list[Problem]:
    """Translate a pydantic error into one ``Problem`` per failing field."""
    problems = []
    for error in exc.errors():
        loc: Location = (*prefix, *(part for part in error["loc"] if isinstance(part, str | int)))
        field = ".".join(str(part) for part in loc) or "(top level)"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key; check its spelling against the documented keys"
        elif error["type"] == "string_type":
            written = (words or {}).get(_unaliased(lines, loc))
            fix = _not_a_string(error.get("input"), written)
            message = f"{message}: {fix}" if fix else message
        problems.append(Problem(str(path), line_of(lines, loc), f"{field}: {message}"))
    return problems


def load_model(path: Path, model: type[ModelT], cache: ParseCache | None = None) -> ModelT:
    """Load ``path`` and validate it as ``model``; raise ``ConfigError`` naming each problem.

    With ``cache``, the data parsed from the same text before is taken from it and what is
    parsed now is recorded in it (``cache.save`` writes it)."""
    text = _read(path)
    cached = cache.get(path, text) if cache is not None else MISSING
    if cached is MISSING:
        data, node = _parse(path, text)
        if cache is not None:
            cache.put(path, text, data)
    else:
        data, node = cached, None
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        if data is None:  # "id: Field required" would not say why
            raise ConfigError(
                [Problem(str(path), None, "the file is empty (nothing but blanks or comments)")]
            ) from exc
        if cached is not MISSING:  # the data parsing makes, but without the lines
            node = _parse(path, text)[1]
        lines, words = _positions(node)
        raise ConfigError(problems_from(exc, path, lines, words=words)) from exc
