"""The strings a regex requires: where none of them occurs, the regex cannot match.

``required_strings(pattern)`` reads the regex with Python's own parser (``re._parser``) and
spells out the parts that stand for few exact strings; ``CompiledGroup`` runs a group's
regex only where a substring test finds one of them (far cheaper than a regex scan). None
when nothing is known: a pattern with ``(?i)``, or one that may match the empty string.
"""

from __future__ import annotations

import re
import re._constants as sre  # type: ignore[import-not-found]  # the regex parser: no stubs
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Iterable, Sequence
from typing import Any

_Parsed = Sequence[tuple[Any, Any]]  # a regex as ``re._parser`` reads it
_MAX_STRINGS = 64  # strings a part of a regex may stand for and still be spelled out
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def required_strings(pattern: str) -> frozenset[str] | None:
    """Strings one of which is in every text that the regex ``pattern`` matches: where
    none occurs the regex cannot match. None when no such strings are known."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    required = _required(list(parsed))
    return _fewest(required) if required is not None else None


def _fewest(strings: Iterable[str]) -> frozenset[str]:
    """``strings`` without those that contain another of them: a text holds one of the
    rest exactly when it holds one of ``strings`` ("soldier" for "soldier", "soldiers"),
    with fewer substring tests."""
    kept = frozenset(strings)
    return frozenset(s for s in kept if not any(other in s for other in kept if other != s))


def _required(items: _Parsed) -> frozenset[str] | None:
    """``required_strings`` of a parsed sequence: runs of parts that stand for few exact
    strings are spelled out ("pl" + "an|ans" -> plan, plans); any other part requires
    what its inside requires. The most selective of these (longest shortest string)."""
    candidates: list[frozenset[str]] = []
    run = frozenset([""])
    for op, av in items:
        exact = _exact([(op, av)])
        if exact is not None and len(run) * len(exact) <= _MAX_STRINGS:
            run = frozenset(a + b for a in run for b in exact)
            continue
        candidates.append(run)
        run = exact if exact is not None else frozenset([""])
        inside: frozenset[str] | None = None
        if op is sre.SUBPATTERN and not (av[1] or av[2]):  # no flags set inside
            inside = _required(av[3])
        elif op is sre.ATOMIC_GROUP:
            inside = _required(av)
        elif op is sre.BRANCH:
            branches = [_required(branch) for branch in av[1]]
            if all(branch is not None for branch in branches):
                inside = frozenset(s for branch in branches if branch for s in branch)
        elif op in _REPEATS and av[0] >= 1:
            inside = _required(av[2])
        if inside is not None:
            candidates.append(inside)
    candidates.append(run)
    useful = [found for found in candidates if found and "" not in found]
    return max(useful, key=lambda found: min(map(len, found)), default=None)


def _exact(items: _Parsed) -> frozenset[str] | None:
    """Every string the parsed sequence can match, when they are few; else None."""
    found = frozenset([""])
    for op, av in items:
        part: frozenset[str] | None = None
        if op is sre.LITERAL:
            part = frozenset([chr(av)])
        elif op in _ZERO_WIDTH:
            part = frozenset([""])  # restricts where the rest matches, adds no character
        elif op is sre.SUBPATTERN and not (av[1] or av[2]):
            part = _exact(av[3])
        elif op is sre.BRANCH:
            branches = [_exact(branch) for branch in av[1]]
            if all(branch is not None for branch in branches):
                part = frozenset(s for branch in branches if branch for s in branch)
        elif op is sre.IN and all(kind is sre.LITERAL for kind, _ in av):
            part = frozenset(chr(code) for _, code in av)
        elif op in _REPEATS and av[1] <= 2:
            body = _exact(av[2])
            if body is not None:
                part, times = frozenset(), frozenset([""])
                for count in range(av[1] + 1):
                    if count >= av[0]:
                        part |= times
                    times = frozenset(a + b for a in times for b in body)
        if part is None:
            return None
        found = frozenset(a + b for a in found for b in part)
        if len(found) > _MAX_STRINGS:
            return None
    return found
