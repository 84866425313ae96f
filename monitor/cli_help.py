"""What each command's ``--help`` says beyond its options: what it does, the environment
variables it reads and its exit status. One entry per command, read by ``cli.build_parser``."""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

RULES_ENV = "NEWS_MONITOR_RULES_DIR  the rules folder (or --rules; README 'Where things are')"
SECRETS_ENV = (
    "each variable a channel names in channels.yaml (also NAME_FILE, .env,\n"
    "NEWS_MONITOR_SECRETS_DIR)"
)
DETECTION_ENV = (
    "NEWS_MONITOR_MIN_NOVELTY, NEWS_MONITOR_ALERT_THRESHOLD, NEWS_MONITOR_DETECTOR_MODEL,\n"
    "NEWS_MONITOR_DEVELOPMENT_WINDOW_HOURS, NEWS_MONITOR_DEVELOPMENT_BURST_HOURS,\n"
    "NEWS_MONITOR_DEVELOPMENT_FOLLOW_HOURS, NEWS_MONITOR_DEVELOPMENT_HISTORY_DAYS\n"
    "  detection settings"
)
CALIBRATION_ENV = (
    "NEWS_MONITOR_CALIBRATION_FILE  the threshold calibrate --apply chose, when there\n"
    "  (default STATE_DIR/calibration.json)"
)
JUDGE_ENV = (
    "NEWS_MONITOR_JUDGE_URL, NEWS_MONITOR_JUDGE_MODEL, NEWS_MONITOR_JUDGE_KEY and the other\n"
    "NEWS_MONITOR_JUDGE_* settings  the optional judge (README 'An optional judge')"
)
STATE_ENV = (
    "NEWS_MONITOR_STATE_DIR, NEWS_MONITOR_DATABASE, NEWS_MONITOR_DATABASE_URL  where the state\n"
    "database is (a SQLite file, or a PostgreSQL database shared by replicas)"
)
CONFIG_ERROR = (2, "a configuration problem (each printed as file:line: message) or bad usage")
EXIT_USAGE = CONFIG_ERROR[0]  # what the commands return for bad usage
NO_STATE_YET = "no state database yet (the daemon has not run)"
NO_STATE = (1, NO_STATE_YET)  # as status, outbox drop and state migrate


@dataclass(frozen=True)
class CommandHelp:
    """The summary (one line, in the command list) and the text of ``COMMAND --help``."""

    summary: str
    description: str
    env: tuple[str, ...]
    exits: tuple[tuple[int, str], ...]

    def epilog(self) -> str:
        env = "\n".join(f"  {line}" for text in self.env for line in text.splitlines())
        exits = "\n".join(f"  {code:<4}{meaning}" for code, meaning in self.exits)
        notes = "Settings are read from the environment and from .env in the current folder."
        return f"environment:\n{env}\n{notes}\n\nexit status:\n{exits}"


HELP: dict[str, CommandHelp] = {
    "replay": CommandHelp(
        "run feed files through detection and print alerts",
        "Read RSS/Atom files (or folders of them), examine every entry oldest first with a\n"
        "fresh in-memory state and the configured rules, and print each alert or update.\n"
        "Nothing is fetched and nothing is written to the state folder.",
        (RULES_ENV, DETECTION_ENV, CALIBRATION_ENV, JUDGE_ENV),
        ((0, "done (files that could not be read are reported on stderr)"), CONFIG_ERROR),
    ),
    "baseline build": CommandHelp(
        "propose candidate claims from documents",
        "Propose baseline claims from text or HTML documents, near-duplicates merged, the\n"
        "most corroborated first, as YAML to review before it goes into baseline.yaml.",
        ("(none)",),
        ((0, "written"), (2, "a document cannot be read")),
    ),
    "rules check": CommandHelp(
        "validate baseline, watch rules, feeds and channels",
        "Validate every file of the rules folder together and print each problem as\n"
        "file:line: field: message. Channels that cannot get their secrets, unreadable\n"
        "ca_file files and NEWS_MONITOR_* variables nothing reads are warnings.",
        (RULES_ENV, SECRETS_ENV),
        ((0, "valid (warnings may be printed on stderr)"), CONFIG_ERROR),
    ),
    "rules explain": CommandHelp(
        "show the score breakdown: per sentence and article, which rules hold and why",
        "For --text or every entry of --feed: the development score against the alert\n"
        "threshold and the features that moved it, each sentence's novelty, nearest known\n"
        "claim and the patterns that held, and for each rule whether it holds and why.\n"
        "--json prints one JSON object per article.",
        (RULES_ENV, DETECTION_ENV, CALIBRATION_ENV, JUDGE_ENV),
        ((0, "explained"), CONFIG_ERROR),
    ),
    "rules schema": CommandHelp(
        "print the JSON Schema of rule files",
        "Print the JSON Schema of a watch-rule file, for editors that validate YAML.",
        ("(none)",),
        ((0, "written"),),
    ),
    "run": CommandHelp(
        "poll the configured feeds and deliver alerts",
        "The daemon: poll every feed of feeds.yaml on its schedule, detect new developments,\n"
        "deliver through the channels, serve /healthz, /readyz and /metrics, reload edited\n"
        "rules. SIGTERM/SIGINT stop it after the work in flight; SIGHUP reloads the rules.\n"
        "With --once: poll every feed once, deliver what is due, and exit.",
        (
            RULES_ENV,
            STATE_ENV,
            "NEWS_MONITOR_HEALTH_BIND      address of the health endpoint ('' turns it off)",
            "NEWS_MONITOR_LOG_LEVEL, NEWS_MONITOR_LOG_FORMAT",
            "NEWS_MONITOR_MAX_ENTRY_AGE_HOURS, NEWS_MONITOR_FIRST_POLL  which entries count",
            "every other NEWS_MONITOR_* setting (README 'Configuration')",
            SECRETS_ENV,
        ),
        (
            (0, "stopped cleanly (--once: at least one feed was polled)"),
            (1, "--once: every feed failed"),
            CONFIG_ERROR,
            (130, "interrupted"),
        ),
    ),
    "status": CommandHelp(
        "feed health and delivery state from the database",
        "Show the rules folder and database in use, the database's integrity and the free\n"
        "disk room beside it, each feed's health (last poll, failures and their reason), the\n"
        "outbox (pending, delivered, failed, held deliveries) and the channels that cannot\n"
        "deliver. --json prints the same as one JSON object.",
        (
            RULES_ENV,
            STATE_ENV,
            SECRETS_ENV,
        ),
        (
            (0, "shown"),
            (1, "no state database yet (the daemon has not run), or it cannot be read"),
            CONFIG_ERROR,
        ),
    ),
    "outbox drop": CommandHelp(
        "drop the held deliveries to a channel that is no longer configured",
        "Deliveries queued for a channel that channels.yaml no longer defines are held,\n"
        "never dropped on their own. This marks those of CHANNEL as failed and says how many.",
        (
            RULES_ENV,
            STATE_ENV,
        ),
        (
            (0, "dropped (the count is printed)"),
            NO_STATE,
            (2, "the channel is still configured, or a configuration problem"),
        ),
    ),
    "state migrate": CommandHelp(
        "copy the state database into another one (SQLite to PostgreSQL)",
        "Copy every feed, seen entry, development, alert, delivery and silence of the state\n"
        "in use into the empty database at URL (its schema is made first), e.g. to move from\n"
        "SQLite to a PostgreSQL shared by replicas. Stop the daemon first: the SQLite state\n"
        "is locked as a daemon locks it. The old state is left as it was.",
        (RULES_ENV, STATE_ENV),
        (
            (0, "copied (rows per table are printed)"),
            (1, f"{NO_STATE_YET}, the daemon is running, the target holds state or is unusable"),
            (2, "URL is not postgresql://… or sqlite:///…, or a configuration problem"),
        ),
    ),
    "demo": CommandHelp(
        "run the daemon on a bundled scripted timeline, offline",
        "Serve two example feeds on 127.0.0.1 through a scripted timeline, run the real\n"
        "daemon on them in a temporary folder, print its alerts and a summary.",
        (RULES_ENV,),
        (
            (0, "every development alerted and every webhook signature verified"),
            (1, "the demo did not behave as expected"),
            CONFIG_ERROR,
        ),
    ),
    "test-alert": CommandHelp(
        "send a sample alert through one channel",
        "Send a clearly labelled sample alert through one channel of channels.yaml (only\n"
        "that channel's secrets are needed) and report success or the exact failure. Each\n"
        "run has its own idempotency key.",
        (RULES_ENV, "the variables the channel names (also NAME_FILE, .env, SECRETS_DIR)"),
        (
            (0, "delivered"),
            (1, "the channel refused or could not be reached (the reason is printed)"),
            (2, "unknown channel, a missing secret, or a configuration problem"),
        ),
    ),
    "alerts list": CommandHelp(
        "recorded alerts and updates, oldest first",
        "List the alerts and updates recorded in the state database, with their rules, whether\n"
        "a silence held them and their delivery state; --since and --rule narrow the list,\n"
        "--json prints a JSON array.",
        (RULES_ENV, STATE_ENV),
        ((0, "listed"), NO_STATE, CONFIG_ERROR),
    ),
    "alerts show": CommandHelp(
        "one alert: evidence, scores, every delivery attempt",
        "Show one recorded alert in full: its evidence and nearest known claims, scores,\n"
        "confidence, outlets, and every delivery attempt per channel with its outcome.",
        (RULES_ENV, STATE_ENV),
        ((0, "shown"), (1, f"no such alert, or {NO_STATE_YET}"), CONFIG_ERROR),
    ),
    "outbox retry": CommandHelp(
        "send deliveries that failed for good again (same idempotency key)",
        "Queue again the deliveries that failed for good (by id, or --failed [--channel\n"
        "NAME]), keeping their idempotency keys; without a running daemon they go out now.",
        (RULES_ENV, STATE_ENV, SECRETS_ENV),
        (
            (0, "queued or sent (each sent delivery's outcome is printed, failed ones too)"),
            (1, f"a delivery named is not failed, not found or not to --channel; {NO_STATE_YET}"),
            CONFIG_ERROR,
        ),
    ),
    "silence add": CommandHelp(
        "hold back matching alerts for a while",
        "Silence the alerts of a rule, of a development or with a text for a while (--for).\n"
        "A running daemon reads silences at every poll; held alerts are recorded, not sent.",
        (RULES_ENV, STATE_ENV),
        ((0, "added"), CONFIG_ERROR),
    ),
    "silence list": CommandHelp(
        "silences in force (or --all)",
        "List the silences in force (with --all, the expired ones too).",
        (RULES_ENV, STATE_ENV),
        ((0, "listed"), NO_STATE, CONFIG_ERROR),
    ),
    "silence expire": CommandHelp(
        "end a silence now",
        "End a silence now (one summary is sent if it was added with --notify-on-expiry).",
        (RULES_ENV, STATE_ENV),
        ((0, "expired"), (1, f"no such silence, or {NO_STATE_YET}"), CONFIG_ERROR),
    ),
    "feeds import": CommandHelp(
        "add the feeds of an OPML file to feeds.yaml",
        "Read an OPML feed list, validate each feed and add the new ones to feeds.yaml (its\n"
        "comments kept), reporting what was added, skipped or invalid.",
        (RULES_ENV,),
        ((0, "imported (or, with --dry-run, reported)"), CONFIG_ERROR),
    ),
    "feedback": CommandHelp(
        "mark an alert right or wrong, note a missed development, export the labels",
        "feedback ALERT_ID --right|--wrong [--note WHY]: the desk's judgment on a recorded\n"
        "alert (the latest one counts). feedback --missed URL --rule ID [--title --text]: a\n"
        "development that did not alert. feedback export [-o FILE]: every judgment as JSONL\n"
        "in the labelled corpora's format. feedback list: every judgment, with who and when.",
        (RULES_ENV, STATE_ENV),
        (
            (0, "recorded, exported or listed"),
            (1, f"no such alert, or {NO_STATE_YET}"),
            CONFIG_ERROR,
        ),
    ),
    "calibrate": CommandHelp(
        "choose the alert threshold on labelled items and the desk's feedback",
        "Assess every labelled item (--corpus files, and the desk's judgments from the state\n"
        "database or --feedback FILE) and choose the alert threshold for the best worse-of\n"
        "precision and event recall. Shows the figures at the threshold in force and, by\n"
        "leave-one-event-out, at the chosen one. --apply writes it to the calibration file\n"
        "(a running daemon reloads it); --rollback puts the previous one back.",
        (
            RULES_ENV,
            STATE_ENV,
            DETECTION_ENV,
            "NEWS_MONITOR_CALIBRATION_FILE  where --apply writes\n"
            "  (default STATE_DIR/calibration.json)",
        ),
        ((0, "shown (and with --apply, written)"), (1, "no labelled items"), CONFIG_ERROR),
    ),
    "feeds export": CommandHelp(
        "write the feeds of feeds.yaml as OPML 2.0",
        "Write the feeds of feeds.yaml as an OPML 2.0 document (to stdout or -o FILE).",
        (RULES_ENV,),
        ((0, "written"), CONFIG_ERROR),
    ),
}


RULES_HELP = (
    "rules folder (default: $NEWS_MONITOR_RULES_DIR, else ./rules, else the rules/ of the "
    "checkout news-monitor was installed from)"
)


@functools.cache
def _rules_option() -> argparse.ArgumentParser:
    """``--rules`` accepted after a command as before it (SUPPRESS keeps a value given
    before the command when none comes after); one parent for every command, made once
    (each parser made costs a start, see ``Subcommands``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--rules", default=argparse.SUPPRESS, help=RULES_HELP)
    return common


def add_command(group: Any, name: str, path: str) -> argparse.ArgumentParser:
    """Add the subcommand ``name`` to ``group`` with the help text of ``HELP[path]``, and
    ``--rules`` among its options."""
    text = HELP[path]
    parser: argparse.ArgumentParser = group.add_parser(
        name,
        parents=[_rules_option()],
        help=text.summary,
        description=text.description,
        epilog=text.epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


Build = Callable[[argparse.ArgumentParser], None]


if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:  # generic only to type checkers
    _SubParsers = argparse._SubParsersAction


class Unmade(argparse.ArgumentParser):
    """A subcommand's parser not made yet: what ``add_parser`` gave for it, kept until
    parsing reaches it (``Subcommands``)."""

    def __init__(self, **options: Any) -> None:  # nothing of a parser is made: see the class
        self.options = options


class Subcommands(_SubParsers):
    """Subcommands whose parsers are made, and their options (or own subcommands) added,
    when parsing reaches them; the others stay ``Unmade`` (``parser_class=Unmade``).

    A start makes the parsers of its own command, not the thirty of every command: argparse
    asks gettext three times for each parser it makes, which cost a ``run --once`` about
    40 M instructions (issue 11). Each subcommand is there by name and help from the start,
    so the command list, the top-level help and every error are those of the whole parser.
    ``later`` keeps what adds a subcommand's options, or runs it now when the subcommand's
    parser is made already (built with the default ``parser_class``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._later: dict[str, Build] = {}

    def later(self, name: str, build: Build) -> None:
        """Run ``build`` on the parser of the subcommand ``name`` once it is made."""
        if isinstance(self._name_parser_map[name], Unmade):
            self._later[name] = build
        else:
            build(self._name_parser_map[name])

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        name = values[0] if isinstance(values, list) and values else None
        unmade = self._name_parser_map.get(name) if isinstance(name, str) else None
        if isinstance(name, str) and isinstance(unmade, Unmade):  # the chosen subcommand
            made = argparse.ArgumentParser(**unmade.options)
            self._name_parser_map[name] = made
            build = self._later.pop(name, None)
            if build is not None:
                build(made)
        super().__call__(parser, namespace, values, option_string)


def later(
    group: argparse._SubParsersAction[argparse.ArgumentParser], name: str, build: Build
) -> None:
    """Run ``build`` on the parser of ``group``'s subcommand ``name`` once it is made (see
    ``Subcommands``); at once for an ordinary ``group``."""
    if isinstance(group, Subcommands):
        group.later(name, build)
    else:
        build(group.choices[name])
