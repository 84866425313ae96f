"""``feedback`` and ``calibrate``: the desk's judgments, and the threshold they call for.

``feedback ALERT_ID --right|--wrong`` and ``feedback --missed URL --rule ID`` record a
judgment in the state database; ``feedback export`` writes them as labelled JSONL;
``feedback list`` shows them. ``calibrate`` chooses the alert threshold on labelled items
and, with ``--apply``, writes it where a running daemon picks it up. Detection modules are
imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.cli_help import add_command, later
from monitor.cli_history import SettingsFor, existing_store, with_settings, write_output
from monitor.errors import ConfigError

if TYPE_CHECKING:
    from monitor.calibrate import Scored
    from monitor.detect.model import ModelFile
    from monitor.settings import Settings
    from monitor.store_feedback import Verdict


FEW_ITEMS = 50  # below this, calibrate warns that the values rest on few labels


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _broad_rules(settings: Settings) -> list[str]:
    from monitor.ruleset import load_ruleset

    return [r.id for r in load_ruleset(settings.rules_dir).rules if r.includes and r.enabled]


def _positive(text: str) -> float:
    """A number above 0 (argparse's type for ``--desk-weight``)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number above 0")
    return value


def _desk_items(settings: Settings) -> list[dict[str, Any]]:
    """The desk's judgments as labelled items, from the state in force (SQLite or
    PostgreSQL); none when there is no state yet."""
    if not settings.state_exists:
        return []
    from monitor.feedback import export_items

    with existing_store(settings) as store:
        return export_items(store, _broad_rules(settings))


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.feedback import record_missed, record_verdict
    from monitor.ruleset import load_ruleset
    from monitor.store_base import row_id

    if args.target == "export":
        lines = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in _desk_items(settings))
        write_output(lines, args.output)
        print(f"feedback: {lines.count(chr(10))} labelled items -> {args.output}", file=sys.stderr)
        return 0
    if args.target == "list":
        with existing_store(settings) as store:
            for f in store.feedback():
                about = f"alert {f.alert_id}" if f.alert_id is not None else f"{f.url} ({f.rule})"
                note = f": {f.note}" if f.note else ""
                who = f"by {f.author} via {f.via}"
                print(f"{f.id:>4} {f.created[:19]} {f.verdict:<6} {about} {who}{note}")
        return 0
    now = datetime.now(UTC)
    author = args.by or _user()
    if args.missed is not None:
        known = {r.id for r in load_ruleset(settings.rules_dir).rules}
        if args.rule not in known:
            print(
                f"feedback: --missed needs --rule, one of: {', '.join(sorted(known))}",
                file=sys.stderr,
            )
            return 2
        with existing_store(settings) as store:
            item = record_missed(
                store,
                args.missed,
                args.rule,
                author=author,
                now=now,
                title=args.title or "",
                text=args.text or "",
                note=args.note or "",
            )
        print(f"feedback: {item.id}: missed {args.rule} at {args.missed} noted")
        return 0
    verdict: Verdict | None = "right" if args.right else "wrong" if args.wrong else None
    alert_id = row_id(args.target)
    if alert_id is None or verdict is None:
        print(
            "feedback: give ALERT_ID with --right or --wrong, --missed URL --rule ID, "
            "'export' or 'list'",
            file=sys.stderr,
        )
        return 2
    with existing_store(settings) as store:
        recorded = record_verdict(
            store,
            alert_id,
            verdict,
            author=author,
            via="cli",
            now=now,
            note=args.note or "",
        )
    if recorded is None:
        print(
            f"feedback: no alert with id {alert_id} to judge (digests and silence summaries"
            " are not judged)",
            file=sys.stderr,
        )
        return 1
    print(f"feedback: alert {args.target} marked {verdict} by {author}")
    return 0


def cmd_calibrate(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.calibrate import (  # detection is heavy: loaded for this command only
        MIN_NEGATIVES,
        STREAM,
        Cut,
        calibrate,
        merge_items,
        read_labelled,
        report_text,
        score_items,
    )
    from monitor.calibration_file import (
        Calibration,
        apply_calibration,
        load_calibration,
        roll_back,
    )
    from monitor.detect.engine import Detector
    from monitor.detect.model import DEVELOPMENT
    from monitor.ruleset import detector_options, load_ruleset

    path = settings.calibration_path
    if args.rollback:
        restored = roll_back(path)
        if restored is None:
            print(f"calibrate: {path} set aside; the model's own threshold is in force")
        else:
            print(f"calibrate: rolled back to threshold {restored.threshold:.2f} ({path})")
        return 0
    corpora = [{**item, STREAM: name} for name in args.corpus for item in read_labelled(Path(name))]
    desk = read_labelled(Path(args.feedback)) if args.feedback else _desk_items(settings)
    desk = [{**item, STREAM: "desk"} for item in desk]
    items = merge_items(corpora, desk)
    if not items:
        print(
            "calibrate: no labelled items: give --corpus FILE, or mark alerts with "
            "`news-monitor feedback`",
            file=sys.stderr,
        )
        return 1
    ruleset = load_ruleset(settings.rules_dir)
    options = {k: v for k, v in detector_options(settings).items() if k != "judge"}
    detector = Detector.of(ruleset, **options)
    head = detector.model.heads[DEVELOPMENT]
    threshold = detector.threshold if detector.threshold is not None else head.threshold
    current = Cut(threshold, detector.model.spec.pattern_floor)
    scored = score_items(detector, items, args.desk_weight, args.rescore)
    refitted = _refit(args.weights, detector, items, scored)
    model = refitted[0] if refitted is not None else None
    report = calibrate(refitted[1], current, scored) if refitted else calibrate(scored, current)
    counts = {"items": len(items), "corpus_items": len(corpora), "desk_items": len(desk)}
    if args.json:
        print(json.dumps({**report.as_json(), **counts}, indent=1))
    else:
        print(
            f"calibrate: {len(items)} labelled items ({len(corpora)} from corpora, "
            f"{len(desk)} from the desk), {report.before.events} development events"
        )
        print(report_text(report), end="")
        if refitted is None and corpora:
            print(
                "calibrate: 'before' on corpus items the model was trained on are "
                "training-set figures; --weights refit measures it by leave-one-event-out"
            )
        print(
            f"calibrate: in force threshold {current.threshold:.2f}, pattern floor "
            f"{current.floor:.2f}; chosen {report.chosen.threshold:.2f}, "
            f"{report.chosen.floor:.2f}"
        )
    if len(items) < FEW_ITEMS:
        print(
            f"calibrate: warning: only {len(items)} labelled items; values chosen on so few "
            "follow them closely (add --corpus files, or wait for more judgments)",
            file=sys.stderr,
        )
    if report.negatives < MIN_NEGATIVES:
        print(
            f"calibrate: warning: only {report.negatives} negative labels (alerts marked "
            f"wrong, quiet items); precision cannot be measured on fewer than {MIN_NEGATIVES},"
            " so the threshold and pattern floor are not lowered below those in force",
            file=sys.stderr,
        )
    if settings.alert_threshold is not None:
        print(
            "calibrate: warning: NEWS_MONITOR_ALERT_THRESHOLD is set and overrides any "
            "calibration; unset it for the calibrated threshold to apply",
            file=sys.stderr,
        )
    if not args.apply:
        print(f"calibrate: nothing written; --apply writes it to {path}", file=sys.stderr)
        return 0
    in_force = load_calibration(path)
    result = Calibration(
        created=datetime.now(UTC),
        threshold=report.chosen.threshold,
        pattern_floor=report.chosen.floor,
        model=model or (in_force.model if in_force is not None else None),
        figures=report.as_json(),
        labels=counts,
    )
    kept = apply_calibration(path, result)
    where = f"; previous kept as {kept} (calibrate --rollback)" if kept else ""
    print(
        f"calibrate: threshold {report.chosen.threshold:.2f}, pattern floor "
        f"{report.chosen.floor:.2f} written to {path}{where}",
        file=sys.stderr,
    )
    return 0


def _refit(
    weights: str, detector: Any, items: Any, scored: Any
) -> tuple[ModelFile, list[Scored]] | None:
    """The refitted model and out-of-fold scores, when ``--weights`` asks (or, for ``auto``,
    when there are enough desk labels and the trainer can load); else None."""
    from monitor.refit import MIN_DESK_LABELS, enough_desk_labels, load_trainer, refit

    if weights == "keep" or (weights == "auto" and not enough_desk_labels(scored)):
        if weights == "auto":
            print(
                f"calibrate: weights kept (refitted from {MIN_DESK_LABELS} desk labels of "
                "both kinds, or with --weights refit)",
                file=sys.stderr,
            )
        return None
    if weights == "auto":
        try:
            load_trainer()
        except ConfigError as exc:
            print(f"calibrate: weights kept: {exc.problems[0]}", file=sys.stderr)
            return None

    def progress(line: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{line}", end="", file=sys.stderr)

    found = refit(detector, items, scored, progress)
    print(f"\rcalibrate: weights refitted on {len(items)} items", file=sys.stderr)
    return found


def add_feedback_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], settings: SettingsFor
) -> None:
    """Register ``feedback`` and ``calibrate`` (their options are added when parsing reaches
    them)."""
    add_command(sub, "feedback", "feedback")
    later(sub, "feedback", lambda p: _feedback_options(p, settings))
    add_command(sub, "calibrate", "calibrate")
    later(sub, "calibrate", lambda p: _calibrate_options(p, settings))


def _feedback_options(p: argparse.ArgumentParser, settings: SettingsFor) -> None:
    p.add_argument("target", nargs="?", help="ALERT_ID (from alerts list), 'export' or 'list'")
    verdict = p.add_mutually_exclusive_group()
    verdict.add_argument("--right", action="store_true", help="the alert was right")
    verdict.add_argument("--wrong", action="store_true", help="the alert was wrong")
    verdict.add_argument("--missed", metavar="URL", help="a development news-monitor missed")
    p.add_argument("--rule", help="with --missed: the rule that should have alerted")
    p.add_argument("--title", help="with --missed: the article's headline")
    p.add_argument("--text", help="with --missed: what the article says (for calibration)")
    p.add_argument("--note", help="why (kept with the judgment, exported as 'why')")
    p.add_argument("--by", help="who judges (default: the user name)")
    p.add_argument("-o", "--output", default="-", help="export: output file (default stdout)")
    p.set_defaults(func=with_settings(cmd_feedback, settings))


def _calibrate_options(p: argparse.ArgumentParser, settings: SettingsFor) -> None:
    p.add_argument(
        "--corpus", action="append", default=[], help="a labelled JSONL corpus (repeatable)"
    )
    p.add_argument(
        "--feedback", help="the desk's labels from this file (default: the state database)"
    )
    p.add_argument(
        "--desk-weight",
        type=_positive,
        default=1.0,
        help="how many corpus items a desk label counts as",
    )
    p.add_argument(
        "--weights",
        choices=["auto", "keep", "refit"],
        default="auto",
        help="refit the model's weights too (auto: when the desk has given enough labels)",
    )
    p.add_argument(
        "--rescore",
        action="store_true",
        help="assess judged alerts again rather than use the probability they had live "
        "(after a model change)",
    )
    p.add_argument("--apply", action="store_true", help="write the chosen threshold")
    p.add_argument("--rollback", action="store_true", help="put the previous calibration back")
    p.add_argument("--json", action="store_true", help="the figures as one JSON object")
    p.set_defaults(func=with_settings(cmd_calibrate, settings))
