"""Loading watch rules: every problem reported with file and line, nothing ignored."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.detect.rules import load_rules, rule_json_schema
from monitor.errors import ConfigError
from tests.conftest import RULES

GOOD = """\
id: good
description: fires on votes
patterns:
  - name: held
    all:
      - any: [voted]
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(folder: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_rules(folder)
    return [str(p) for p in caught.value.problems]


def test_shipped_rules_load() -> None:
    ids = {rule.id for rule in load_rules(RULES / "watch")}
    assert ids == {
        "uk-parliament-vote",
        "russia-position-change",
        "ceasefire",
        "foreign-troops-deployed",
        "guarantees-ratified",
        "new-development",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("description", "descripton"),
            ["bad.yaml:1: description: Field required", "bad.yaml:2: descripton: unknown key"],
        ),
        (GOOD + "severity: urgent\n", ["bad.yaml:7: severity: Input should be"]),
        (
            GOOD.replace("[voted]", "['(unclosed']").replace("any:", "regex:"),
            ["bad.yaml:6: patterns.0.all.0.regex: Value error, regex '(unclosed' does not compile"],
        ),
        (
            GOOD.replace("      - any: [voted]", "      - label: empty"),
            ["bad.yaml:6: patterns.0.all.0: Value error, a term group needs"],
        ),
        (GOOD.replace("[voted]", "[no]"), ["bad.yaml:6: patterns.0.all.0.any.0: Input should be"]),
        ("id: x\n  description: [unclosed\n", ["bad.yaml:2: YAML syntax"]),
        (GOOD.replace("id: good", "id: Not An Id"), ["bad.yaml:1: id: String should match"]),
        (
            "id: good\ndescription: broad\nincludes: [other]\npatterns:\n  - name: held\n"
            "    continues: [tabled]\n    all:\n      - any: [voted]\n  - name: tabled\n"
            "    all:\n      - any: [tabled]\n",
            ["bad.yaml:1: (top level): Value error, a rule with 'includes' names kinds"],
        ),
        (
            "id: good\ndescription: broad\nincludes: [other]\npatterns:\n  - name: held\n"
            "    preceded_by: [tabled]\n    all:\n      - any: [voted]\n  - name: tabled\n"
            "    all:\n      - any: [tabled]\n",
            ["bad.yaml:1: (top level): Value error, a rule with 'includes' names kinds"],
        ),
        (
            GOOD.replace("held\n", "held\n    continues: [tabled]\n"),
            ["bad.yaml:3: patterns: Value error, pattern 'held': continues 'tabled' is not"],
        ),
        (
            GOOD.replace("held\n", "held\n    preceded_by: [held]\n"),
            ["bad.yaml:3: patterns: Value error, pattern 'held': preceded_by 'held' is not"],
        ),
    ],
)
def test_problems_name_file_line_and_field(tmp_path: Path, text: str, expected: list[str]) -> None:
    write(tmp_path, "good.yaml", GOOD.replace("id: good", "id: other"))
    write(tmp_path, "bad.yaml", text)
    found = problems(tmp_path)
    assert len(found) == len(expected), found
    for line, start in zip(found, expected, strict=True):
        assert line.startswith(str(tmp_path / start.split(":")[0])), line
        assert start.split(":", 1)[1] in line, line


def test_duplicate_ids_and_unknown_includes(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    write(tmp_path, "c.yaml", "id: broad\ndescription: d\nincludes: [good, missing]\n")
    found = problems(tmp_path)
    assert any("rule id 'good' is also used in" in p for p in found)
    assert any("includes unknown rule 'missing'" in p for p in found)


def test_a_rule_that_includes_itself_is_told_so(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "c.yaml", "id: broad\ndescription: d\nincludes: [good, broad]\n")
    assert [p.split(": ", 1)[1] for p in problems(tmp_path)] == [
        "rule broad: includes itself; include only rules with patterns"
    ]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    assert problems(tmp_path) == [f"{tmp_path}: no rule files (*.yaml) found"]


def test_rules_check_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules", str(RULES), "rules", "check"]) == 0
    assert "6 rules" in capsys.readouterr().out
    write(tmp_path / "watch", "bad.yaml", GOOD + "colour: red\n")
    (tmp_path / "baseline.yaml").write_text("claims: []\n", encoding="utf-8")
    assert main(["--rules", str(tmp_path), "rules", "check"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'watch' / 'bad.yaml'}:7: colour: unknown key" in err
    assert f"{tmp_path / 'baseline.yaml'}:1: claims:" in err


def test_published_schema_matches_the_model() -> None:
    published = json.loads((RULES.parent / "monitor" / "schema" / "rule.schema.json").read_text())
    assert published == rule_json_schema()


def test_readme_rule_example_is_valid() -> None:
    import re

    import yaml

    from monitor.detect.rules import Rule

    readme = (RULES.parent / "README.md").read_text()
    section = readme.split("## Watch rules", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    assert example is not None
    rule = Rule.model_validate(yaml.safe_load(example.group(1)))
    assert [p.stage or p.name for p in rule.patterns] == ["held", "tabled"]


def test_yields_to_must_name_a_rule_that_does_not_yield_back(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD + "yields_to: [other]\n")
    write(tmp_path, "b.yaml", GOOD.replace("id: good", "id: other") + "yields_to: [good]\n")
    write(tmp_path, "c.yaml", GOOD.replace("id: good", "id: third") + "yields_to: [missing]\n")
    found = problems(tmp_path)
    assert any("rule good: yields_to 'other', which yields to it" in p for p in found)
    assert any("rule third: yields_to unknown rule 'missing'" in p for p in found)


def test_yields_to_must_not_go_round_in_a_longer_circle(tmp_path: Path) -> None:
    # Where all three hold, each steps aside for the next and none names the development.
    for rule, winner in [("good", "other"), ("other", "third"), ("third", "good")]:
        text = GOOD.replace("id: good", f"id: {rule}") + f"yields_to: [{winner}]\n"
        write(tmp_path, f"{rule}.yaml", text)
    write(tmp_path, "fourth.yaml", GOOD.replace("id: good", "id: fourth") + "yields_to: [good]\n")
    found = problems(tmp_path)
    assert found == [
        f"{tmp_path / 'good.yaml'}:7: rule good: yields_to 'other', which yields back to it "
        "(other -> third -> good); one of them must take precedence",
        f"{tmp_path / 'other.yaml'}:7: rule other: yields_to 'third', which yields back to it "
        "(third -> good -> other); one of them must take precedence",
        f"{tmp_path / 'third.yaml'}:7: rule third: yields_to 'good', which yields back to it "
        "(good -> other -> third); one of them must take precedence",
    ]


def test_problems_between_rules_name_the_line(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD + "yields_to: [other]\n")
    write(tmp_path, "b.yaml", "# the same id\n" + GOOD + "yields_to: [good]\n")
    write(tmp_path, "c.yaml", "id: broad\ndescription: d\nincludes:\n  - good\n  - missing\n")
    write(
        tmp_path,
        "d.yaml",
        GOOD.replace("id: good", "id: other") + "yields_to:\n  - gone\n  - good\n",
    )
    assert problems(tmp_path) == [
        f"{tmp_path / 'b.yaml'}:2: rule id 'good' is also used in {tmp_path / 'a.yaml'}",
        f"{tmp_path / 'a.yaml'}:7: rule good: yields_to 'other', which yields to it; "
        "one of the two must take precedence",
        f"{tmp_path / 'c.yaml'}:5: rule broad: includes unknown rule 'missing'",
        f"{tmp_path / 'd.yaml'}:8: rule other: yields_to unknown rule 'gone'",
        f"{tmp_path / 'd.yaml'}:9: rule other: yields_to 'good', which yields to it; "
        "one of the two must take precedence",
    ]


APART_FROM = "held\n    apart_from:\n      - other\n      - gone\n      - good\n"


def test_apart_from_names_other_known_rules_at_their_line(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD.replace("id: good", "id: other"))
    write(
        tmp_path,
        "b.yaml",
        GOOD.replace("held\n", APART_FROM, 1),
    )
    assert problems(tmp_path) == [
        f"{tmp_path / 'b.yaml'}:7: rule good: pattern 'held': apart_from unknown rule 'gone'",
        f"{tmp_path / 'b.yaml'}:8: rule good: pattern 'held': apart_from its own rule "
        "(its stages are kept apart already)",
    ]


@pytest.mark.parametrize(
    ("regex", "refused"),
    [
        # a repeated part that itself repeats: on a sentence it does not match, the number
        # of ways to try grows exponentially with its length (rules explain ran for minutes)
        (r"^(\w+\s?)+ agreed$", True),
        (r"(a+)+b", True),
        (r"(?:x|(\d*))*y", True),
        (r"(a+)+?b", True),
        (r"(?>(a+)+c)", True),
        (r"(x(a+)+)++", True),
        # bounded, possessive or atomic: as quick as the text is long
        (r"\b(after|since)\s+(the|a)?\s*([\w-]+\s+){0,2}(ceasefire|truce)", False),
        (r"(a+)++b", False),
        (r"(?>a+)+b", False),
        (r"\b(\d+|one|two)[- ](day|hour)\b", False),
        (r"(ab)+c", False),
    ],
)
def test_a_regex_that_can_take_forever_is_refused(
    tmp_path: Path, regex: str, refused: bool
) -> None:
    text = GOOD.replace("- any: [voted]", f"- regex: ['{regex}']")
    write(tmp_path, "bad.yaml", text)
    if not refused:
        assert [rule.id for rule in load_rules(tmp_path)] == ["good"]
        return
    assert problems(tmp_path) == [
        f"{tmp_path / 'bad.yaml'}:6: patterns.0.all.0.regex: Value error, regex {regex!r} "
        "repeats a part that can itself repeat without end: on a sentence it does not "
        "match it can run for minutes; bound one of the two ({0,5}) or make it possessive "
        "(++, *+)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ``within`` on a group a pattern needs, or on a topic group, was ignored in silence
        (
            GOOD.replace("      - any: [voted]", "      - any: [voted]\n        within: 3"),
            "bad.yaml:5: patterns.0.all: Value error, 'within' on a group of 'all' has no "
            "effect: it limits 'unless' groups only; to keep the groups of a pattern close, "
            "give the pattern 'within'",
        ),
        (
            GOOD + "topic:\n  - any: [Ukraine]\n    within: 3\n",
            "bad.yaml:7: topic: Value error, 'within' on a group of 'topic' has no effect: "
            "it limits 'unless' groups only",
        ),
    ],
)
def test_within_where_it_has_no_effect_is_refused(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, "bad.yaml", text)
    assert problems(tmp_path) == [f"{tmp_path / expected}"]


@pytest.mark.parametrize(
    ("parties", "expected"),
    [
        (
            "  - any: [France, French]\n",
            "Value error, each group of 'parties' needs a 'label': the party it names",
        ),
        (
            "  - label: France\n    any: [France]\n  - label: France\n    any: [French]\n",
            "Value error, the labels of 'parties' must be unique: one group per party",
        ),
        (
            "  - label: France\n    any: [France]\n    within: 3\n",
            "Value error, 'within' on a group of 'parties' has no effect: it limits 'unless' "
            "groups only",
        ),
    ],
)
def test_parties_are_labelled_groups(tmp_path: Path, parties: str, expected: str) -> None:
    write(tmp_path, "bad.yaml", GOOD + "parties:\n" + parties)
    assert problems(tmp_path) == [f"{tmp_path / 'bad.yaml'}:7: parties: {expected}"]


def test_a_rule_names_its_parties(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", GOOD + "parties:\n  - label: France\n    any: [France, French]\n")
    (rule,) = load_rules(tmp_path)
    parties = [(group.label, group.any) for group in rule.parties]
    assert parties == [("France", ["France", "French"])]


def test_hidden_files_of_editors_and_copies_are_not_rules(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", GOOD)
    # emacs's lock while good.yaml is being edited: a link to nowhere
    (tmp_path / ".#good.yaml").symlink_to("editor@host.1234:1700000000")
    # macOS's metadata beside a copied file: not text
    (tmp_path / "._good.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X\xff\xfe")
    assert [rule.id for rule in load_rules(tmp_path)] == ["good"]


FRAGMENTED = """\
id: good
description: fires on votes
fragments:
  votes: 'voted|votes'
patterns:
  - name: held
    all:
      - regex: ['\\bmps {{votes}}\\b']
    unless:
      - regex: ['\\bnot {{ votes }}']
"""


def test_a_fragment_is_written_out_wherever_a_regex_uses_it(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", FRAGMENTED)
    (rule,) = load_rules(tmp_path)
    (pattern,) = rule.patterns
    assert pattern.all[0].regex == [r"\bmps (?:voted|votes)\b"]
    assert pattern.unless[0].regex == [r"\bnot (?:voted|votes)"]
    assert rule.fragments == {"votes": "voted|votes"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a use names the regex's line; a fragment's own problem names the fragments' line
        (
            "{{ votes }}",
            "{{vote}}",
            [
                r"bad.yaml:10: patterns.0.unless.0.regex: Value error, regex '\\bnot {{vote}}' "
                "uses {{vote}}, which names no fragment of the rule"
            ],
        ),
        (
            "'voted|votes'",
            "'(voted'",
            ["bad.yaml:3: fragments: Value error, fragment 'votes' does not compile"],
        ),
        (
            "'voted|votes'",
            "'{{votes}}'",
            ["bad.yaml:3: fragments: Value error, fragment 'votes' uses another fragment"],
        ),
        (
            "'voted|votes'",
            "'(a)\\1'",
            ["bad.yaml:3: fragments: Value error, fragment 'votes' holds a numbered backreference"],
        ),
        ("votes", "Votes", ["bad.yaml:4: fragments.Votes.[key]: String should match"]),
        (
            "      - regex: ['\\bmps {{votes}}\\b']",
            "      - any: ['{{votes}}']",
            ["bad.yaml:8: patterns.0.all.0.any: Value error, term '{{votes}}': fragments are"],
        ),
        # with every other problem of the file
        (
            "description: fires on votes\n",
            "description: fires on votes\nseverity: huge\n",
            ["bad.yaml:3: severity: Input should be"],
        ),
    ],
)
def test_fragments_that_cannot_be_written_out_are_refused(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    write(tmp_path, "bad.yaml", FRAGMENTED.replace(old, new))
    found = problems(tmp_path)
    assert len(found) == len(expected), found
    for line, start in zip(found, expected, strict=True):
        assert line.startswith(str(tmp_path / start.split(":")[0])), line
        assert start.split(":", 1)[1] in line, line


def test_a_shipped_rule_written_with_fragments_matches_as_written_out() -> None:
    """foreign-troops-deployed names its parties with fragments: each regex of its parties
    reads a country's troops or its sending them, as the written-out regex does."""
    (rule,) = [r for r in load_rules(RULES / "watch") if r.id == "foreign-troops-deployed"]
    assert rule.fragments
    (uk,) = [group for group in rule.parties if group.label == "UK"]
    texts = ["british special forces crossed", "london sends engineers", "britain said"]
    read = [any(re.search(r, text) for r in uk.regex) for text in texts]
    assert read == [True, True, False]


def test_a_pattern_that_never_yields_needs_a_rule_that_yields(tmp_path: Path) -> None:
    write(
        tmp_path, "a.yaml", GOOD.replace("  - name: held\n", "  - name: held\n    yields: false\n")
    )
    (found,) = problems(tmp_path)
    assert "'yields: false' has no effect on a rule without 'yields_to'" in found


def test_a_pattern_of_its_own_kind_needs_a_broad_rule(tmp_path: Path) -> None:
    write(
        tmp_path, "a.yaml", GOOD.replace("  - name: held\n", "  - name: held\n    own_kind: true\n")
    )
    (found,) = problems(tmp_path)
    assert "'own_kind: true' has no effect on a rule without 'includes'" in found
