"""Watch rules: the YAML schema, and loading a folder of rule files.

One file in ``rules/watch/`` holds one rule. A rule *names* a development: detection scores
every article (see engine.py) and a rule holds on an article its trained head recognises,
or whose text says the same as one of its ``examples`` (compared by meaning, not words), or
where one of its ``patterns`` holds on a novel sentence (every term group of the pattern
matches, optionally within N words, and no ``unless`` group vetoes it; ``topic`` groups
must appear somewhere in the article): patterns are the high-precision fast path.
``fragments`` name parts of regexes written once and used as ``{{name}}`` (fragments.py).
``includes`` lets a broad rule hold wherever narrower rules hold; ``yields_to`` lets a rule
step aside where a more fitting one names the development, unless a pattern that says
``yields: false`` holds in the lead. ``confirm: N`` waits for
N independent outlets before alerting. Loading validates everything and raises
``ConfigError`` listing every problem with file and line.
"""

from __future__ import annotations

import re
import re._constants as sre  # type: ignore[import-not-found]  # the regex parser: no stubs
import re._parser as sre_parse  # type: ignore[import-not-found]
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from monitor.detect.fragments import (
    FRAGMENT_NAME,
    USE,
    check_compiles,
    check_fragment,
    write_out,
)
from monitor.errors import ConfigError, Problem
from monitor.yamlfile import line_of, load_model, load_yaml

Severity = Literal["info", "low", "medium", "high", "critical"]
_RULE_ID = r"^[a-z0-9][a-z0-9-]{0,62}$"


def _repeats_a_repeat(items: list[tuple[Any, Any]], inside: bool) -> bool:
    """Whether a parsed regex has a part repeated without end (``+``, ``*``, ``{2,}``) that
    holds another such repeat (``(\\w+\\s?)+``): the classic shape of a regex whose
    backtracking grows exponentially with the text (``inside``: already within one).
    A possessive repeat or an atomic group is never backtracked into from outside; only
    its own inside is looked at."""
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            endless = av[1] == sre.MAXREPEAT
            if endless and inside:
                return True
            if _repeats_a_repeat(list(av[2]), inside or endless):
                return True
        elif op is sre.SUBPATTERN and _repeats_a_repeat(list(av[3]), inside):
            return True
        elif op is sre.BRANCH and any(_repeats_a_repeat(list(b), inside) for b in av[1]):
            return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT) and _repeats_a_repeat(list(av[1]), inside):
            return True
        elif op is sre.POSSESSIVE_REPEAT and _repeats_a_repeat(list(av[2]), inside=False):
            return True
        elif op is sre.ATOMIC_GROUP and _repeats_a_repeat(list(av), inside=False):
            return True
    return False


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TermGroup(_Strict):
    """Alternatives of which at least one must appear.

    ``any`` holds words or phrases, matched case-insensitively on whole words; a trailing
    ``*`` matches any ending ("deploy*"). ``regex`` holds Python regular expressions matched
    on the lower-cased sentence. In ``unless``, ``within`` limits a veto to terms at most N
    words away from the pattern's own matches.
    """

    any: list[str] = Field(default_factory=list)
    regex: list[str] = Field(default_factory=list)
    label: str | None = None
    within: int | None = Field(default=None, ge=0)

    @field_validator("any")
    @classmethod
    def _terms_have_words(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if not re.search(r"[A-Za-z0-9]", term):
                raise ValueError(f"term {term!r} has no letters or digits")
            if "*" in term.rstrip("*") or term.endswith("**"):
                raise ValueError(f"term {term!r}: '*' is allowed once, at the end only")
            if USE.search(term):
                raise ValueError(f"term {term!r}: fragments are used in 'regex' only")
        return terms

    @field_validator("regex")
    @classmethod
    def _regexes_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            if use := USE.search(pattern):
                raise ValueError(
                    f"regex {pattern!r} uses {use.group(0)}, which names no fragment of the rule "
                    "(a literal brace is written '\\{')"
                )
            check_compiles(pattern, f"regex {pattern!r}")
            if _repeats_a_repeat(list(sre_parse.parse(pattern)), inside=False):
                raise ValueError(
                    f"regex {pattern!r} repeats a part that can itself repeat without end: on "
                    "a sentence it does not match it can run for minutes; bound one of the "
                    "two ({0,5}) or make it possessive (++, *+)"
                )
        return patterns

    @model_validator(mode="after")
    def _not_empty(self) -> TermGroup:
        if not self.any and not self.regex:
            raise ValueError("a term group needs at least one entry in 'any' or 'regex'")
        return self

    def describe(self) -> str:
        """A short human name for the group, used in explanations."""
        if self.label:
            return self.label
        shown = [*self.any[:3], *(f"/{r}/" for r in self.regex[: max(0, 3 - len(self.any))])]
        more = len(self.any) + len(self.regex) - len(shown)
        return " | ".join(shown) + (f" (+{more})" if more > 0 else "")


def _without_within(groups: list[TermGroup], key: str, hint: str = "") -> list[TermGroup]:
    """``groups`` of ``key``, where a group's ``within`` would be ignored: refused there."""
    if any(group.within is not None for group in groups):
        raise ValueError(
            f"'within' on a group of {key!r} has no effect: it limits 'unless' groups only{hint}"
        )
    return groups


class Pattern(_Strict):
    """One way a rule can be satisfied in a sentence.

    ``stage`` (default: ``name``) is the stage of a development it reports: reports at the
    same stage can be one development; a later stage (a vote *held* after it was
    *scheduled*) is a development of its own, unless ``continues`` names the stage it
    follows as announced (a truce *in force* the night after it was *agreed*): reported
    within ``NEWS_MONITOR_DEVELOPMENT_FOLLOW_HOURS`` (48) of the development's first
    report, in either order, the two are one development. ``preceded_by`` names stages that
    come before this one: a report of one of them within that time *after* this stage was
    reported tells its past (the motion tabled, in a report of the vote held), the same
    development; in the usual order it is still news of its own. ``yields: false`` keeps
    the rule named where this pattern holds in the article's lead and the rule would
    otherwise yield (``Rule.yields_to``): Moscow accepting foreign troops, in a report of the
    truce signed, is a change of its position besides the truce. ``own_kind: true``, in a
    rule with ``includes``, marks a pattern naming a kind of development of its own (a
    referendum, a first round of talks in a new format): a sentence it holds on retells only
    a development long reported as that kind, not any it resembles (the referendum's result
    names the agreement it approves); holding on the headline (the first sentence), it keeps a
    specific rule with no pattern of its own in the lead from being named by its head or its
    examples (a referendum called on the peace deal is not the deal). ``apart_from`` names
    other rules whose developments a report at this stage never updates: the deployment
    ordered hours after the Commons vote is news of its own, however alike the two reports.
    """

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    stage: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    continues: list[str] = Field(default_factory=list)
    preceded_by: list[str] = Field(default_factory=list)
    apart_from: list[str] = Field(default_factory=list)
    all: list[TermGroup] = Field(min_length=1)
    within: int | None = Field(default=None, ge=1)
    unless: list[TermGroup] = Field(default_factory=list)
    yields: bool = True
    own_kind: bool = False

    @field_validator("all")
    @classmethod
    def _groups_without_within(cls, groups: list[TermGroup]) -> list[TermGroup]:
        return _without_within(
            groups, "all", "; to keep the groups of a pattern close, give the pattern 'within'"
        )

    @property
    def stage_name(self) -> str:
        """The stage it reports: ``stage``, else its ``name``."""
        return self.stage or self.name

    def earlier_stages(self) -> list[tuple[str, str]]:
        """The stages it names as coming before its own, each with the key naming it."""
        return [("continues", s) for s in self.continues] + [
            ("preceded_by", s) for s in self.preceded_by
        ]


class Rule(_Strict):
    """A watch rule, as written in ``rules/watch/*.yaml``."""

    id: str = Field(pattern=_RULE_ID)
    description: str = Field(min_length=1)
    severity: Severity = "medium"
    enabled: bool = True
    channels: list[str] | None = None
    novel: bool = True
    min_novelty: float | None = Field(default=None, ge=0.0, le=1.0)
    topic: list[TermGroup] = Field(default_factory=list)
    patterns: list[Pattern] = Field(default_factory=list)
    unless: list[TermGroup] = Field(default_factory=list)
    includes: list[str] = Field(default_factory=list)
    yields_to: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    counter_examples: list[str] = Field(default_factory=list)
    confirm: int = Field(default=1, ge=1, le=10)
    # who acts, one group per party named by its label (a country, by its names and
    # words): a report of the rule at a stage a pattern named and a development at such a
    # stage, whose pattern sentences both name parties and none in common, are two
    # developments (French troops arriving a week after British ones)
    parties: list[TermGroup] = Field(default_factory=list)
    # named parts of regexes, used in any regex of the rule as {{name}} (fragments.py)
    fragments: dict[
        Annotated[str, StringConstraints(pattern=FRAGMENT_NAME)],
        Annotated[str, Field(min_length=1)],
    ] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _fragments_written_out(cls, data: Any) -> Any:
        return write_out(data) if isinstance(data, dict) else data

    @field_validator("fragments")
    @classmethod
    def _fragments_can_be_written_out(cls, fragments: dict[str, str]) -> dict[str, str]:
        return {name: check_fragment(name, text) for name, text in fragments.items()}

    @field_validator("topic")
    @classmethod
    def _topic_without_within(cls, groups: list[TermGroup]) -> list[TermGroup]:
        return _without_within(groups, "topic")

    @field_validator("parties")
    @classmethod
    def _parties_are_named(cls, groups: list[TermGroup]) -> list[TermGroup]:
        _without_within(groups, "parties")
        labels = [group.label for group in groups]
        if None in labels:
            raise ValueError("each group of 'parties' needs a 'label': the party it names")
        if len(labels) != len(set(labels)):
            raise ValueError("the labels of 'parties' must be unique: one group per party")
        return groups

    @field_validator("examples", "counter_examples")
    @classmethod
    def _examples_are_sentences(cls, examples: list[str]) -> list[str]:
        for example in examples:
            if len(example.split()) < 3:
                raise ValueError(f"example {example!r} is too short: write a whole sentence")
        return examples

    @field_validator("patterns")
    @classmethod
    def _earlier_stages_are_other_stages(cls, patterns: list[Pattern]) -> list[Pattern]:
        stages = {p.stage_name for p in patterns}
        for pattern in patterns:
            for key, earlier in pattern.earlier_stages():
                if earlier == pattern.stage_name or earlier not in stages:
                    raise ValueError(
                        f"pattern {pattern.name!r}: {key} {earlier!r} is not another "
                        f"stage of this rule (its stages: {', '.join(sorted(stages))})"
                    )
        return patterns

    @model_validator(mode="after")
    def _has_a_way_to_fire(self) -> Rule:
        if not self.patterns and not self.includes and not self.examples:
            raise ValueError("a rule needs 'patterns', 'examples', 'includes' or a mix")
        if self.includes and any(p.earlier_stages() for p in self.patterns):
            raise ValueError(
                "a rule with 'includes' names kinds of development, not stages: 'continues' "
                "and 'preceded_by' have no effect on it"
            )
        names = [p.name for p in self.patterns]
        if len(names) != len(set(names)):
            raise ValueError("pattern names must be unique within a rule")
        if not self.yields_to and any(not p.yields for p in self.patterns):
            raise ValueError("'yields: false' has no effect on a rule without 'yields_to'")
        if not self.includes and any(p.own_kind for p in self.patterns):
            raise ValueError("'own_kind: true' has no effect on a rule without 'includes'")
        return self


def rule_json_schema() -> dict[str, object]:
    """The JSON Schema of a rule file, for editors."""
    schema = Rule.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "news-monitor watch rule"
    return schema


def load_rules(folder: Path) -> list[Rule]:
    """Load and cross-check every ``*.yaml``/``*.yml`` file in ``folder`` (but hidden ones,
    whose names start with a dot: editors' locks and copies' metadata, never rules).

    Raises ``ConfigError`` with every problem found (not just the first): schema errors,
    duplicate ids, unknown or circular ``includes``, unknown or circular ``yields_to``,
    unknown rules a pattern keeps ``apart_from``.
    """
    files = sorted(
        path
        for path in [*folder.glob("*.yaml"), *folder.glob("*.yml")]
        if not path.name.startswith(".")  # an editor's lock (.#x.yaml), macOS's ._x.yaml
    )
    if not folder.is_dir():
        raise ConfigError([Problem(str(folder), None, "rules folder not found")])
    problems: list[Problem] = []
    rules: list[Rule] = []
    where: dict[str, Path] = {}
    for path in files:
        try:
            rule = load_model(path, Rule)
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        if rule.id in where:
            problems.append(
                Problem(
                    str(path),
                    _line(path, ("id",)),
                    f"rule id {rule.id!r} is also used in {where[rule.id]}",
                )
            )
            continue
        where[rule.id] = path
        rules.append(rule)
    if not files:
        problems.append(Problem(str(folder), None, "no rule files (*.yaml) found"))
    problems.extend(_include_problems(rules, where))
    problems.extend(_apart_problems(rules, where))
    if problems:
        raise ConfigError(problems)
    return rules


def _line(path: Path, loc: tuple[str | int, ...]) -> int | None:
    """The line of ``loc`` in the rule file ``path`` (read again: only a problem needs it)."""
    try:
        return line_of(load_yaml(path)[1], loc)
    except ConfigError:
        return None


def _reference_problem(rule: Rule, path: Path, loc: tuple[str | int, ...], message: str) -> Problem:
    """A problem with the entry of the rule's file at ``loc`` (a list's item), at its line."""
    return Problem(str(path), _line(path, loc), f"rule {rule.id}: {message}")


def _include_problems(rules: list[Rule], where: dict[str, Path]) -> list[Problem]:
    by_id = {rule.id: rule for rule in rules}
    problems = []
    for rule in rules:
        path = where[rule.id]
        for index, other in enumerate(rule.includes):
            if other not in by_id:
                message = f"includes unknown rule {other!r}"
            elif other == rule.id:
                message = "includes itself; include only rules with patterns"
            elif by_id[other].includes:
                message = (
                    f"included rule {other!r} has includes of its own; "
                    "include only rules with patterns"
                )
            else:
                continue
            problems.append(_reference_problem(rule, path, ("includes", index), message))
        for index, other in enumerate(rule.yields_to):
            if other not in by_id:
                message = f"yields_to unknown rule {other!r}"
            elif other == rule.id or rule.id in by_id[other].yields_to:
                message = (
                    f"yields_to {other!r}, which yields to it; one of the two must take precedence"
                )
            elif circle := _yields_back(other, rule.id, by_id):
                message = (
                    f"yields_to {other!r}, which yields back to it ({' -> '.join(circle)}); "
                    "one of them must take precedence"
                )
            else:
                continue
            problems.append(_reference_problem(rule, path, ("yields_to", index), message))
    return problems


def _apart_problems(rules: list[Rule], where: dict[str, Path]) -> list[Problem]:
    """Rules a pattern keeps ``apart_from`` that are unknown, or its own."""
    known = {rule.id for rule in rules}
    problems = []
    for rule in rules:
        for p_index, pattern in enumerate(rule.patterns):
            for index, other in enumerate(pattern.apart_from):
                if other == rule.id:
                    what = "its own rule (its stages are kept apart already)"
                elif other not in known:
                    what = f"unknown rule {other!r}"
                else:
                    continue
                loc = ("patterns", p_index, "apart_from", index)
                message = f"pattern {pattern.name!r}: apart_from {what}"
                problems.append(_reference_problem(rule, where[rule.id], loc, message))
    return problems


def _yields_back(start: str, target: str, by_id: dict[str, Rule]) -> list[str]:
    """The shortest chain of ``yields_to`` from ``start`` to ``target`` (both named), or
    an empty list when there is none: where every rule of a circle holds, each steps aside
    for the next and none names the development."""
    came_from: dict[str, str] = {start: start}
    pending = [start]
    while pending:
        current = pending.pop(0)
        for other in by_id[current].yields_to:
            if other in came_from or other not in by_id:
                continue
            came_from[other] = current
            if other == target:
                chain = [other]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return chain[::-1]
            pending.append(other)
    return []


def disabled_references(rules: list[Rule]) -> list[str]:
    """Warnings for enabled rules that include or yield to a disabled one: allowed (a rule
    may be switched off for a while), but the reference then does nothing."""
    disabled = {rule.id for rule in rules if not rule.enabled}
    return [
        f"rule {rule.id} {verb} {other}, which is disabled: the reference does nothing"
        for rule in rules
        if rule.enabled
        for verb, others in (("includes", rule.includes), ("yields to", rule.yields_to))
        for other in others
        if other in disabled
    ]
