from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.cli import build_parser, main
from monitor.cli_rules import Progress
from monitor.durations import parse_duration
from tests.conftest import RULES


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_on_a_terminal() -> None:
    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = Progress(3, "replay", stream)
        for done in (1, 2, 3):
            progress(done)
    assert terminal.getvalue().endswith("3/3\n")
    assert "[" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_explain_text(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "--rules",
            str(RULES),
            "rules",
            "explain",
            "--rule",
            "uk-parliament-vote",
            "--text",
            "MPs voted to approve sending troops to Ukraine.",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "article: ALERTS; development score" in out
    assert "uk-parliament-vote: HOLDS: pattern held holds" in out
    assert "patterns holding: uk-parliament-vote/held" in out
    assert "nearest claim" in out


@pytest.mark.parametrize(
    ("text", "alerts"),
    [
        ("MPs voted to approve sending troops to Ukraine.", True),
        (
            "Starmer repeated that MPs would get a vote before any troops are sent to Ukraine.",
            False,
        ),
    ],
)
def test_explain_json_agrees_with_replay(
    capsys: pytest.CaptureFixture[str], text: str, alerts: bool
) -> None:
    assert main(["--rules", str(RULES), "rules", "explain", "--json", "--text", text]) == 0
    (payload,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert payload["alerts"] is alerts
    development = payload["development"]
    assert (development["probability"] >= development["threshold"]) or not alerts
    assert any(r["holds"] for r in payload["rules"]) is alerts
    assert payload["sentences"][0]["nearest_claim"]


def test_explain_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules", str(RULES), "rules", "explain", "--rule", "nope", "--text", "x"]) == 2
    assert "unknown rule nope" in capsys.readouterr().err


def test_missing_rules_folder_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules", "/nonexistent", "rules", "check"]) == 2
    err = capsys.readouterr().err
    assert "/nonexistent/baseline.yaml: cannot read" in err
    assert "/nonexistent/watch: rules folder not found" in err


def test_readme_documents_every_setting() -> None:
    from monitor.settings import Settings
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    missing = [
        name for name in Settings.model_fields if f"`NEWS_MONITOR_{name.upper()}`" not in readme
    ]
    assert missing == []


def test_rules_check_warns_about_missing_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers import make_rules

    make_rules(
        tmp_path, {}, channels=[{"name": "hook", "type": "webhook", "url_env": "TEST_UNSET_URL"}]
    )
    monkeypatch.delenv("TEST_UNSET_URL", raising=False)
    assert main(["--rules", str(tmp_path / "rules"), "rules", "check"]) == 0
    printed = capsys.readouterr()
    assert "warning: channel hook: TEST_UNSET_URL is not set" in printed.err
    assert "baseline claims (the story up to 2026-01-08), 6 rules" in printed.out


def test_rules_check_warns_of_references_to_a_disabled_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Switching a rule off is allowed; the rules that include it or yield to it are named."""
    from tests.helpers import make_rules

    rules = make_rules(tmp_path, {})
    ceasefire = rules / "watch" / "ceasefire.yaml"
    ceasefire.write_text(ceasefire.read_text(encoding="utf-8") + "enabled: false\n")
    assert main(["--rules", str(rules), "rules", "check"]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if "disabled" in line]
    assert warned == [
        "rules: warning: rule new-development includes ceasefire, which is disabled:"
        " the reference does nothing",
        "rules: warning: rule russia-position-change yields to ceasefire, which is disabled:"
        " the reference does nothing",
    ]


def test_default_rules_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor.settings import default_rules_dir
    from tests.conftest import RULES

    monkeypatch.chdir(tmp_path)
    assert default_rules_dir() == RULES  # no ./rules here: the checkout's
    (tmp_path / "rules").mkdir()
    assert default_rules_dir() == Path("rules")


def test_bad_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWS_MONITOR_MIN_NOVELTY", "lots")
    assert main(["--rules", str(RULES), "rules", "check"]) == 2
    assert "error: NEWS_MONITOR_MIN_NOVELTY: Input should be a valid number" in (
        capsys.readouterr().err
    )


def test_health_port_in_use_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    from tests.helpers import make_rules

    make_rules(tmp_path, {})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv("NEWS_MONITOR_HEALTH_BIND", f"127.0.0.1:{port}")
        monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
        assert main(["--rules", str(tmp_path / "rules"), "run"]) == 2
    err = capsys.readouterr().err
    assert f"error: NEWS_MONITOR_HEALTH_BIND: cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err


def test_explain_a_feed_file(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import ROOT

    feed = ROOT / "examples" / "feeds" / "example-desk.xml"
    assert (
        main(
            [
                "--rules",
                str(RULES),
                "rules",
                "explain",
                "--rule",
                "russia-position-change",
                "--feed",
                str(feed),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "== Kremlin says neutral peacekeepers could be discussed" in out
    assert "russia-position-change: HOLDS: pattern softens (stage stance) holds" in out


def test_explain_reads_a_feed_entry_as_of_its_publication(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An entry whose evidence tells only of months before its publication date is the
    story's history: explain says so, as replay would send nothing."""
    title = "In October, the Commons backed the deployment"
    text = "On 20 October, MPs voted 350 to 120 to send British troops to Ukraine."
    feed = tmp_path / "review.xml"
    feed.write_text(
        "<rss version='2.0'><channel><title>Review</title><item><guid>r1</guid>"
        f"<title>{title}</title><description>{text}</description>"
        "<pubDate>Mon, 01 Mar 2027 12:00:00 GMT</pubDate></item></channel></rss>",
        encoding="utf-8",
    )
    argv = ["--rules", str(RULES), "rules", "explain", "--rule", "uk-parliament-vote"]
    assert main([*argv, "--feed", str(feed)]) == 0
    out = capsys.readouterr().out
    assert "article: quiet" in out
    assert "in the stream: no message: tells only of times 14 days or more before it" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--rules", "{rules}", "rules", "check"],
        ["rules", "check", "--rules", "{rules}"],
        ["--rules", "/nonexistent", "rules", "check", "--rules", "{rules}"],  # the later wins
    ],
)
def test_rules_option_before_or_after_the_subcommand(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.format(rules=RULES) for a in argv]) == 0
    assert f"channels in {RULES}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["alerts", "list"],
        ["alerts", "show", "1"],
        ["silence", "list"],
        ["feedback", "list"],
        ["calibrate", "--corpus", "c.jsonl"],
        ["feeds", "export"],
        ["outbox", "retry", "--failed"],
        ["state", "migrate", "--to", "postgresql://db/x"],
    ],
)
def test_every_command_takes_the_rules_option_after_it(argv: list[str]) -> None:
    parsed = build_parser().parse_args([*argv, "--rules", "elsewhere"])
    assert parsed.rules == "elsewhere"


def test_unknown_channel_of_a_rule_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import make_rules

    rules = make_rules(tmp_path, {})
    rule = rules / "watch" / "uk-parliament-vote.yaml"
    text = rule.read_text()
    rule.write_text(text.replace("\npatterns:", "\nchannels:\n  - console\n  - slak\npatterns:", 1))
    line = text.split("\npatterns:")[0].count("\n") + 4
    assert main(["rules", "check", "--rules", str(rules)]) == 2
    assert capsys.readouterr().err == (
        f"error: {rule}:{line}: channels: unknown channel 'slak' (channels.yaml defines: console)\n"
    )


def test_state_follows_the_rules_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import make_rules

    monkeypatch.delenv("NEWS_MONITOR_STATE_DIR", raising=False)
    monkeypatch.delenv("NEWS_MONITOR_RULES_DIR", raising=False)
    monkeypatch.setenv("NEWS_MONITOR_HEALTH_BIND", "")
    project = tmp_path / "project"
    make_rules(project, {})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(project)  # ./rules here: the state goes to ./state
    assert main(["run", "--once"]) == 0
    monkeypatch.chdir(elsewhere)  # the same rules from another folder: the same state
    capsys.readouterr()
    assert main(["--rules", str(project / "rules"), "status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"rules: {project}/rules\ndatabase: {project}/state/news-monitor.db\n")
    monkeypatch.setenv("NEWS_MONITOR_RULES_DIR", str(project / "rules"))
    assert main(["status"]) == 0
    assert (project / "state" / "news-monitor.db").exists()
    assert not (elsewhere / "state").exists()


def _leaf_commands() -> list[str]:
    import argparse

    from monitor.cli import build_parser

    def walk(parser: argparse.ArgumentParser, path: list[str]) -> list[str]:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            return [" ".join(path)]
        return [
            leaf for name, child in subs[0].choices.items() for leaf in walk(child, [*path, name])
        ]

    return walk(build_parser(every_command=True), [])


@pytest.mark.parametrize("command", _leaf_commands())
def test_every_command_help_says_what_it_reads_and_its_exit_status(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from monitor.cli_help import HELP

    with pytest.raises(SystemExit) as done:
        main([*command.split(), "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert HELP[command].description.splitlines()[0] in out
    environment = out.split("environment:\n", 1)[1].split("exit status:\n", 1)
    assert environment[0].strip() and "\n  0   " in "\n" + environment[1]


def _parsed(
    argv: list[str], every_command: bool, capsys: pytest.CaptureFixture[str]
) -> tuple[object, str, str]:
    """What parsing ``argv`` gives (options, or the exit code) and prints."""
    from monitor.cli import build_parser

    try:
        args = vars(build_parser(every_command=every_command).parse_args(argv))
        found: object = {k: getattr(v, "__name__", v) for k, v in args.items()}
    except SystemExit as done:
        found = done.code
    out, err = capsys.readouterr()
    return found, out, err


COMMAND_LINES = [
    [],
    ["-h"],
    ["--version"],
    ["nope"],
    ["--rules"],
    ["--rules", "r", "run", "--once", "--dry-run"],
    ["run", "--rules", "r", "--once"],
    ["run", "--bogus"],
    ["run", "--once", "extra"],
    ["rules"],
    ["rules", "nope"],
    ["rules", "explain", "--text", "a", "--feed", "b"],
    ["alerts", "show", "x"],
    ["outbox", "retry", "--failed", "1", "2"],
    ["outbox", "drop"],
    ["silence", "add", "--rule", "r", "--comment", "c", "--for", "2h"],
    ["feedback", "7", "--right", "--wrong"],
    ["calibrate", "--weights", "sometimes"],
    ["state", "migrate"],
    ["feeds", "import", "x.opml", "--dry-run"],
    ["demo", "--step-seconds", "0"],
]


@pytest.mark.parametrize(
    "argv",
    COMMAND_LINES
    + [[*c.split(), "--help"] for c in _leaf_commands()]
    + [[group, "--help"] for group in sorted({c.split()[0] for c in _leaf_commands()})],
)
def test_commands_parse_and_explain_themselves_as_when_every_parser_is_built(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A command's options are added only when the command line names it: the options
    found, the help and every error are the same as with every command built first."""
    assert _parsed(argv, False, capsys) == _parsed(argv, True, capsys)


def test_parsing_makes_the_chosen_command_only() -> None:
    import argparse

    from monitor.cli import build_parser
    from monitor.cli_help import Unmade

    parser = build_parser()
    parser.parse_args(["rules", "check"])
    (top,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    made = {name for name, child in top.choices.items() if not isinstance(child, Unmade)}
    assert made == {"rules"}


def test_status_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from tests.helpers import make_rules

    monkeypatch.delenv("NEWS_MONITOR_STATE_DIR", raising=False)
    monkeypatch.setenv("NEWS_MONITOR_HEALTH_BIND", "")
    rules = make_rules(tmp_path, {"gone": "http://127.0.0.1:9/feed.xml"})
    assert main(["--rules", str(rules), "run", "--once"]) == 1
    capsys.readouterr()
    assert main(["--rules", str(rules), "status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["state"] == f"{tmp_path}/state/news-monitor.db"
    assert report["unhealthy"] == 1
    assert report["feeds"][0]["name"] == "gone" and not report["feeds"][0]["healthy"]
    assert report["outbox"] == {"pending": 0, "delivered": 0, "failed": 0}
    assert report["channels_unavailable"] == {} and report["channels_defined"] == 1


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_status_shows_feed_addresses_without_their_secrets(
    cli_state: Path, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    """``status --json`` printed each feed's last address whole, an API key in its query
    too; it is redacted as in the logs, in either output."""
    from datetime import UTC, datetime

    from monitor.store import open_store

    url = "https://feeds.example.com/rss?api_key=SUPERSECRET123&x=1"
    store = open_store(cli_state / "news-monitor.db")
    store.record_failure("wire", url, "HTTP 500", datetime.now(UTC))
    store.close()
    assert main(["--rules", str(RULES), "status", *(["--json"] if as_json else [])]) == 0
    out = capsys.readouterr().out
    assert "SUPERSECRET123" not in out
    if as_json:
        (feed,) = json.loads(out)["feeds"]
        assert feed["url"] == "https://feeds.example.com/rss?api_key=***&x=***"


@pytest.mark.parametrize(
    "argv",
    [
        ["silence", "expire", "99999999999999999999"],
        ["alerts", "show", "0"],
        ["outbox", "retry", "\u00b2"],
        ["silence", "add", "--rule", "ceasefire", "--for", "0.0000001s"],
    ],
)
def test_ids_and_durations_out_of_range_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--rules", str(RULES), *argv])
    assert refused.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_durations_in_milliseconds() -> None:
    assert parse_duration("10ms") == timedelta(milliseconds=10)
    assert parse_duration("1h30m") == timedelta(minutes=90)


@pytest.mark.parametrize("command", ["replay", "rules explain"])
def test_help_names_every_setting_detection_reads(command: str) -> None:
    """replay and rules explain build their detector as the daemon does (``cli_rules._detector``):
    the story windows, a calibration file and the judge change what they print."""
    from monitor.cli_help import HELP

    epilog = HELP[command].epilog()
    read = (
        "MIN_NOVELTY",
        "ALERT_THRESHOLD",
        "DETECTOR_MODEL",
        "DEVELOPMENT_WINDOW_HOURS",
        "DEVELOPMENT_BURST_HOURS",
        "DEVELOPMENT_FOLLOW_HOURS",
        "DEVELOPMENT_HISTORY_DAYS",
        "CALIBRATION_FILE",
        "JUDGE_URL",
    )
    assert [name for name in read if f"NEWS_MONITOR_{name}" not in epilog] == []


@pytest.mark.parametrize(
    ("help_of", "argv"),
    [
        ("alerts list", ["alerts", "list"]),
        ("alerts show", ["alerts", "show", "1"]),
        ("outbox retry", ["outbox", "retry", "--failed"]),
        ("silence list", ["silence", "list"]),
        ("silence expire", ["silence", "expire", "1"]),
        ("feedback", ["feedback", "list"]),
        ("feedback", ["feedback", "1", "--right"]),
        ("status", ["status"]),
        ("outbox drop", ["outbox", "drop", "gone"]),
        ("state migrate", ["state", "migrate", "--to", "sqlite:///{tmp}/copy.db"]),
    ],
)
def test_exit_status_without_a_state_is_the_one_help_gives(
    help_of: str,
    argv: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every command that needs the state exits 1 without one, as its --help says (status,
    outbox drop and state migrate did; the others exited 2, a configuration problem's)."""
    from monitor.cli_help import HELP

    monkeypatch.setenv("NEWS_MONITOR_STATE_DIR", str(tmp_path / "state"))
    (said,) = [code for code, meaning in HELP[help_of].exits if "no state database" in meaning]
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    assert (main(["--rules", str(RULES), *argv]), said) == (1, 1)
    assert "no state" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        # a traceback (exit 1) before
        (["rules", "schema", "-o", "{tmp}/no/such/folder/rule.json"], "cannot write"),
        (["rules", "schema", "-o", "{tmp}"], "cannot write"),
        # said so, but exited 0 as if explained
        (["rules", "explain", "--feed", "{tmp}/missing.xml"], "cannot read"),
    ],
)
def test_rules_commands_that_cannot_do_their_work_say_so_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    assert main(["--rules", str(RULES), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


VOTE_TITLE = "Commons backs sending troops to Ukraine"
REPORT = "MPs voted 401 to 60 to approve the deployment of British troops to Ukraine."
DEBATE = (
    "The House of Commons backed the government motion on sending UK forces to Ukraine late"
    " on Wednesday, with a large majority."
)


def test_explain_reads_a_feeds_entries_as_a_stream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Entries are explained oldest first, each after those before it, as replay reads them:
    the first report of the vote alerts, another report of it is its update, and a later
    entry repeating the first word for word is quiet (the story has told it), whatever
    that entry alone would say."""
    items = [
        ("r3", VOTE_TITLE, REPORT, "Thu, 04 Mar 2027 01:00:00 GMT"),
        (
            "r2",
            "Parliament approves Ukraine deployment after long debate",
            DEBATE,
            "Wed, 03 Mar 2027 23:00:00 GMT",
        ),
        ("r1", VOTE_TITLE, REPORT, "Wed, 03 Mar 2027 21:00:00 GMT"),
    ]
    feed = tmp_path / "desk.xml"
    feed.write_text(
        "<rss version='2.0'><channel><title>Desk</title>"
        + "".join(
            f"<item><guid>{guid}</guid><title>{title}</title><description>{text}"
            f"</description><pubDate>{date}</pubDate></item>"
            for guid, title, text, date in items
        )
        + "</channel></rss>",
        encoding="utf-8",
    )
    argv = ["--rules", str(RULES), "rules", "explain", "--json", "--rule", "uk-parliament-vote"]
    assert main([*argv, "--feed", str(feed)]) == 0
    first, update, again = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["stream"].startswith("alert: new development uk-parliament-vote-")
    development = first["stream"].split()[-1]
    assert update["stream"].startswith(f"update: same development as {development}: ")
    assert first["rules"][0]["holds"] and update["rules"][0]["holds"]
    assert "stream" not in again
    assert not again["alerts"] and not again["rules"][0]["holds"]
    assert main([*argv, "--text", f"{VOTE_TITLE}. {REPORT}"]) == 0
    assert json.loads(capsys.readouterr().out)["rules"][0]["holds"]  # alone, it would alert


def test_explain_of_a_feed_agrees_with_replay(capsys: pytest.CaptureFixture[str]) -> None:
    """For every entry of a feed, explain says it alerts (or updates) exactly where replay
    sends an alert (or an update) for it."""
    from tests.conftest import ROOT

    feed = ROOT / "examples" / "feeds" / "example-desk.xml"
    assert main(["--rules", str(RULES), "replay", str(feed), "--format", "jsonl"]) == 0
    sent = {}
    for line in capsys.readouterr().out.splitlines():
        alert = json.loads(line)
        sent[alert["entry"]["title"]] = alert["type"]
    assert main(["--rules", str(RULES), "rules", "explain", "--json", "--feed", str(feed)]) == 0
    explained = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    told = {e["title"]: e.get("stream", "").split(":")[0] for e in explained}
    assert {title: kind for title, kind in told.items() if kind in ("alert", "update")} == sent
    assert sent and len(explained) > len(sent)
