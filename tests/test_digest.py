"""Digests per channel: schedules, periods, exactly the developments of a period, delivered."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from monitor.digest import build_digest, parse_schedule, queue_due_digests
from monitor.models import Alert
from monitor.notify.channels import ChannelsFile, digest_schedules, digest_wants, router
from monitor.notify.email import email_message
from monitor.notify.outbox import Outbox
from monitor.notify.render import alert_from_payload, alert_text, headline
from monitor.notify.slack import slack_message
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.ruleset import load_ruleset
from monitor.store import Store, open_store
from monitor.store_history_records import AlertRecord
from tests.conftest import RULES
from tests.helpers import record_alerts
from tests.notify.test_channels import check_block_kit, make_alert
from tests.servers import Received, Receiver, serving


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "now", "start", "end"),
    [
        ("daily at 08:00", "2027-03-03 09:00", "2027-03-02 08:00", "2027-03-03 08:00"),
        ("daily at 08:00", "2027-03-03 08:00", "2027-03-02 08:00", "2027-03-03 08:00"),
        ("daily at 08:00", "2027-03-03 07:59", "2027-03-01 08:00", "2027-03-02 08:00"),
        # London moves to summer time on 28 March 2027: 08:00 local is 07:00 UTC from then
        (
            "daily at 08:00 Europe/London",
            "2027-03-28 12:00",
            "2027-03-27 08:00",
            "2027-03-28 07:00",
        ),
        (
            "Weekly on Monday at 8:30 Europe/London",
            "2027-03-03 12:00",
            "2027-02-22 08:30",
            "2027-03-01 08:30",
        ),
        (
            "weekly on wednesday at 23:00",
            "2027-03-03 12:00",
            "2027-02-17 23:00",
            "2027-02-24 23:00",
        ),
    ],
)
def test_digest_period(schedule: str, now: str, start: str, end: str) -> None:
    assert parse_schedule(schedule).period(at(now)) == (at(start), at(end))


@pytest.mark.parametrize(
    ("digest", "message"),
    [
        ("hourly", "is not a digest schedule"),
        ("daily at 25:00", "is not a time of day"),
        ("weekly on funday at 08:00", "is not a day of the week"),
        ("daily at 08:00 Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        # a folder of the zone database, not a zone: ZoneInfo raised IsADirectoryError,
        # a traceback from rules check, status and a reload
        ("daily at 08:00 Europe", "unknown time zone 'Europe'"),
    ],
)
def test_bad_digest_schedules_are_rejected_at_load(digest: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ChannelsFile.model_validate(
            {"channels": [{"name": "c", "type": "console", "digest": digest}]}
        )
    with pytest.raises(ValidationError, match="digest_only needs a digest schedule"):
        ChannelsFile.model_validate(
            {"channels": [{"name": "c", "type": "console", "digest_only": True}]}
        )


def report(rule: str, development: str, entry: str, kind: str = "alert") -> Alert:
    base = make_alert(title=f"Report {entry}", kind=kind)
    return replace(
        base, rule=rule, development=development, article=replace(base.article, id=entry)
    )


def record(store: Store, when: str, *alerts: Alert) -> None:
    record_alerts(store, list(alerts), at(when))  # queued for no channel: digests only


CONFIG = ChannelsFile.model_validate(
    {
        "default": ["desk", "console"],
        "channels": [
            {
                "name": "desk",
                "type": "webhook",
                "url_env": "TEST_HOOK_URL",
                "digest": "daily at 08:00 Europe/London",
                "digest_only": True,
            },
            {"name": "console", "type": "console"},
        ],
    }
)


def test_daily_digest_holds_exactly_the_developments_of_its_period(
    tmp_path: Path, state_location: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert router(CONFIG)(make_alert()) == ["console"]  # digest only: nothing immediate
    store = open_store(state_location)
    store.add_silence("match", "Report s1", at("2027-03-01 00:00"), at("2027-03-09 00:00"), "", "")
    vote, shift = "uk-parliament-vote", "russia-position-change"
    record(store, "2027-03-02 07:59", report(vote, "dev-old", "o1"), report(vote, "dev-b", "b1"))
    record(store, "2027-03-02 08:00", report(vote, "dev-a", "a1"))
    record(store, "2027-03-02 12:00", report(vote, "dev-a", "a2", "update"))
    record(store, "2027-03-02 13:00", report(shift, "dev-b", "b2", "update"))
    record(store, "2027-03-02 14:00", report(vote, "dev-s", "s1"))  # silenced
    record(store, "2027-03-02 15:00", report("not-a-rule", "dev-x", "x1"))  # no rule of ours
    both = replace(report("not-a-rule", "dev-c", "c1"), rules=("not-a-rule", shift), outlets=3)
    record(store, "2027-03-02 16:00", both)  # stands for one of our rules too
    record(store, "2027-03-03 08:00", report(vote, "dev-late", "l1"))  # the next period

    schedules = digest_schedules(CONFIG)
    wants = digest_wants(CONFIG, load_ruleset(RULES).rules)
    assert queue_due_digests(store, schedules, wants, at("2027-03-03 08:00")) == 1
    assert queue_due_digests(store, schedules, wants, at("2027-03-04 07:59")) == 0  # once
    with serving(Receiver()) as receiver:
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        channel = WebhookChannel(WebhookConfig(name="desk", url_env="TEST_HOOK_URL"))
        box = Outbox(store, {"desk": channel}, clock=lambda: at("2027-03-03 08:01"))
        assert asyncio.run(box.deliver_due()) == 1
        asyncio.run(box.aclose())
    store.close()
    (sent,) = [json.loads(r.body) for r in receiver.accepted]
    assert sent["entry"]["title"] == (
        "Daily digest: 3 developments, 2027-03-02 08:00 to 2027-03-03 08:00"
    )
    digest = alert_from_payload(sent, sent["description"])
    assert headline(digest) == (
        "news-monitor: daily digest for desk, 2027-03-02 08:00 to 2027-03-03 08:00 Europe/London"
    )
    assert alert_text(digest).startswith("[notice] digest (info)")
    lines = [e["sentence"] for e in sent["evidence"]]
    assert lines == [
        "uk-parliament-vote (new): Report a1; 1 update, latest: Report a2 [reported by wire]",
        "russia-position-change (continued): Report b2 [reported by wire]",
        "not-a-rule, russia-position-change (new): Report c1"
        " [reported by wire; confirmed by 3 independent outlets]",
    ]


def test_every_development_of_a_long_digest_reaches_slack_and_email() -> None:
    schedule = parse_schedule("weekly on monday at 08:00")
    start, end = schedule.period(at("2027-03-03 12:00"))
    reports = [
        AlertRecord(
            i, f"k{i}", "alert", "uk-parliament-vote", f"dev-{i}", "", "",
            {"entry": {"title": f"Report number {i}", "feed": "wire"}},
        )
        for i in range(45)
    ]  # fmt: skip
    digest = build_digest("desk", schedule, start, end, reports)
    assert digest is not None and len(digest.evidence) == 40
    assert digest.description.endswith("(5 more not listed)")
    assert digest.article.title.startswith("Weekly digest: 45 developments, 2027-02-22 08:00")
    message = slack_message(digest)
    assert check_block_kit(Received("/", {}, json.dumps(message).encode())) is None
    shown = json.dumps(message)
    email = email_message(digest, "a@example.invalid", ["b@example.invalid"])
    parts = [part.get_content() for part in email.iter_parts()]
    for i in range(40):
        line = f"uk-parliament-vote (new): Report number {i} [reported by wire]"
        assert line in shown and all(line in part for part in parts)
    assert "Report number 40" not in shown


@pytest.mark.parametrize("start", ["2027-03-27T12:00:00+00:00", "2027-10-30T12:00:00+00:00"])
def test_digest_periods_follow_each_other_across_a_clock_change(start: str) -> None:
    schedule = parse_schedule("daily at 01:30 Europe/London")
    now = datetime.fromisoformat(start)
    periods = set()
    for _ in range(3 * 96):  # three days, every quarter of an hour
        begins, ends = schedule.period(now)
        assert begins < ends <= now, (now, begins, ends)
        periods.add((begins, ends))
        now += timedelta(minutes=15)
    ordered = sorted(periods)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ordered)), ordered


def test_a_report_committed_after_its_periods_digest_is_in_the_next_one(
    state_location: Path | str,
) -> None:
    """A poll reads its clock before a period ends and commits after the period's digest
    was queued: its report, dated in that period, was in no digest ever. Digests go by
    the order reports were committed in: it is in the channel's next digest, and in no
    other; a report dated before the channel's first digest period is in none."""
    store = open_store(state_location)
    schedules = {"desk": parse_schedule("daily at 08:00")}

    def wants(channel: str, report: AlertRecord) -> bool:
        return True

    vote = "uk-parliament-vote"
    record(store, "2027-03-02 07:00", report(vote, "dev-before", "b1"))  # before the first
    record(store, "2027-03-03 06:00", report(vote, "dev-early", "e1"))
    assert queue_due_digests(store, schedules, wants, at("2027-03-03 08:00:01")) == 1
    record(store, "2027-03-03 07:59:58", report(vote, "dev-late", "l1"))  # committed now
    record(store, "2027-03-03 09:00", report(vote, "dev-next", "n1"))
    assert queue_due_digests(store, schedules, wants, at("2027-03-03 08:00:05")) == 0
    assert queue_due_digests(store, schedules, wants, at("2027-03-04 08:00:01")) == 1
    assert queue_due_digests(store, schedules, wants, at("2027-03-05 08:00:01")) == 0
    digests = [
        [e["sentence"].split(": ")[1].split(" [")[0] for e in r.payload["evidence"]]
        for r in store.recorded_alerts()
        if r.rule == "digest"
    ]
    store.close()
    assert digests == [["Report e1"], ["Report l1", "Report n1"]]


def test_a_digest_queued_while_a_poll_commits_waits_for_its_reports(
    state_location: Path | str,
) -> None:
    """The digest of a period is queued while a poll dated in it is recording its reports
    (one recorded, the next being routed): on PostgreSQL the digest read the reports
    committed so far and took a larger id than the one recorded, which was then in no
    digest. It waits for the poll, and every report is in exactly one digest."""
    poll, deliver = open_store(state_location), open_store(state_location)
    schedules = {"desk": parse_schedule("daily at 08:00")}

    def wants(channel: str, report: AlertRecord) -> bool:
        return True

    vote = "uk-parliament-vote"
    record(poll, "2027-03-03 06:00", report(vote, "dev-early", "e1"))
    routing, release = threading.Event(), threading.Event()
    routed: list[Alert] = []

    def route(alert: Alert) -> list[str]:
        routed.append(alert)
        if len(routed) == 2:  # the first report is recorded, the transaction still open
            routing.set()
            release.wait(10)
        return []

    late = [report(vote, "dev-late", "l1"), report(vote, "dev-later", "l2")]

    def commit() -> None:
        poll.commit_poll(
            feed="wire", url="http://127.0.0.1/x", etag=None, last_modified=None,
            articles=[a.article for a in late], alerts=late, developments=[],
            route=route, now=at("2027-03-03 07:59:58"),
        )  # fmt: skip

    committing = threading.Thread(target=commit)
    committing.start()
    assert routing.wait(10)
    queued: list[int] = []
    digesting = threading.Thread(
        target=lambda: queued.append(
            queue_due_digests(deliver, schedules, wants, at("2027-03-03 08:00:01"))
        )
    )
    digesting.start()
    digesting.join(0.5)
    release.set()
    committing.join(10)
    digesting.join(40)
    assert queued == [1]
    assert queue_due_digests(deliver, schedules, wants, at("2027-03-04 08:00:01")) == 0
    listed = [
        e["sentence"].split(": ")[1].split(" [")[0]
        for r in deliver.recorded_alerts()
        if r.rule == "digest"
        for e in r.payload["evidence"]
    ]
    poll.close()
    deliver.close()
    assert sorted(listed) == ["Report e1", "Report l1", "Report l2"]
