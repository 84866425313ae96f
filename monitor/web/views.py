"""The data behind each page and its ``/api`` twin, built from the store and the rules.

Every function returns plain dataclasses: the pages render them with Jinja2, the API
serialises them as JSON, so both always show the same thing. Links are kept only when they
are plain http(s) URLs; everything else taken from feeds is left as text for the template
to escape.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from monitor.notify.render import NOTICE_RULES, alert_from_payload, judge_line
from monitor.notify.slack import safe_link
from monitor.redact import redact_url
from monitor.ruleset import RuleSet
from monitor.sources.feeds import DEFAULT_INTERVAL, FeedConfig
from monitor.store import Store
from monitor.store_view_records import AlertRecord, DeliveryRecord

STORY_REPORTS = 1000  # the Story shows at most the latest this many reports
PERIODS: dict[str, timedelta | None] = {
    "": None,
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}


@dataclass(frozen=True)
class WebSources:
    """Where the pages read from; callables, because a reload replaces rules and feeds."""

    store: Store
    ruleset: Callable[[], RuleSet]
    feeds: Callable[[], Sequence[FeedConfig]]
    channels: Callable[[], Collection[str]]
    next_poll: Callable[[str], datetime | None]


@dataclass(frozen=True)
class EvidenceView:
    sentence: str
    novelty: float
    nearest_claim: str
    similarity: float


@dataclass(frozen=True)
class ReportView:
    """One alert or update of a development, as recorded."""

    kind: str  # first alert | update | confirmation
    recorded: str
    title: str
    link: str  # "" unless a plain http(s) URL
    feed: str
    published: str | None
    rules: list[str]
    confidence: float
    outlets: int
    evidence: list[EvidenceView]
    alert_id: int = 0
    feedback: str = ""  # the desk's latest judgment: right | wrong | "" (none yet)
    judge: str = ""  # what the judge said, when one was asked
    silenced_by: int | None = None  # the silence that held back its waiting deliveries


@dataclass(frozen=True)
class DevelopmentView:
    """A development with its reports, newest first."""

    id: str
    rules: list[str]
    severity: str
    description: str
    confidence: float
    outlets: int
    first_reported: str
    last_reported: str
    reports: list[ReportView]
    earlier_reports_hidden: bool = False  # its first alert is older than the page shows


@dataclass(frozen=True)
class StoryView:
    developments: list[DevelopmentView]
    rule: str
    period: str
    rules: list[str]
    periods: list[str] = field(default_factory=lambda: list(PERIODS))
    older_reports_hidden: bool = False  # more than STORY_REPORTS reports: the oldest left out


def _report(record: AlertRecord, outlets_before: int, feedback: str = "") -> ReportView:
    alert = alert_from_payload(record.payload, record.description)
    kind = "first alert" if alert.type == "alert" else "update"
    if alert.type == "update" and alert.outlets >= 2 > outlets_before:
        kind = "confirmation"
    published = alert.article.published
    return ReportView(
        kind=kind,
        recorded=record.created,
        title=alert.article.title,
        link=safe_link(alert.article.link) or "",
        feed=alert.article.feed,
        published=published.isoformat() if published else None,
        rules=list(alert.all_rules),
        confidence=alert.confidence,
        outlets=alert.outlets,
        evidence=[
            EvidenceView(e.sentence, e.novelty, e.nearest_claim, e.similarity)
            for e in alert.evidence
        ],
        alert_id=record.id,
        feedback=feedback,
        judge=judge_line(alert.judge) if alert.judge is not None else "",
        silenced_by=record.silence,
    )


def story(sources: WebSources, now: datetime, rule: str = "", period: str = "") -> StoryView:
    """Developments newest first (by their latest report), filtered by rule and period: a
    period keeps the developments reported within it, each with all its reports (so its
    first report and its confirmation stay what they were).

    Digests and silence summaries are news-monitor's own notices, not developments (they
    cannot be judged right or wrong): they are not shown."""
    span = PERIODS.get(period)
    records = sources.store.alert_records(
        since=now - span if span else None, limit=STORY_REPORTS + 1
    )
    older_hidden = len(records) > STORY_REPORTS
    records = records[-STORY_REPORTS:]
    judged = {i: f.verdict for i, f in sources.store.latest_feedback().items()}
    grouped: dict[str, list[AlertRecord]] = {}
    for record in records:
        if record.payload["rule"] in NOTICE_RULES:
            continue
        grouped.setdefault(record.payload["development"], []).append(record)
    developments = []
    for dev_id, group in grouped.items():
        reports, outlets = [], 0
        for record in group:
            reports.append(_report(record, outlets, judged.get(record.id, "")))
            outlets = max(outlets, reports[-1].outlets)
        rules = list(dict.fromkeys(r for report in reports for r in report.rules))
        if rule and rule not in rules:
            continue
        first, last = reports[0], reports[-1]
        developments.append(
            DevelopmentView(
                id=dev_id,
                rules=rules,
                severity=str(group[0].payload.get("severity", "")),
                description=group[0].description,
                confidence=max(r.confidence for r in reports),
                outlets=max(r.outlets for r in reports),
                first_reported=first.recorded,
                last_reported=last.recorded,
                reports=reports[::-1],
                earlier_reports_hidden=older_hidden and group[0].payload["type"] != "alert",
            )
        )
    developments.sort(key=lambda d: d.last_reported, reverse=True)
    known = sorted(r.id for r in sources.ruleset().rules)
    return StoryView(
        developments, rule, period if span else "", known, older_reports_hidden=older_hidden
    )


def story_for(sources: WebSources, query: Mapping[str, str]) -> StoryView:
    """``story`` now, filtered by a request's ``rule`` and ``period`` parameters."""
    return story(sources, datetime.now(UTC), query.get("rule", ""), query.get("period", ""))


@dataclass(frozen=True)
class JudgedView:
    """An alert as the page for a judgment with a note shows it."""

    alert_id: int
    title: str
    feed: str
    rules: list[str]
    feedback: str  # the latest judgment: right | wrong | "" (none yet)


def judged(sources: WebSources, alert_id: int) -> JudgedView | None:
    """Alert ``alert_id`` to be judged; None when there is no such alert, or it is a notice
    (a digest or a silence summary is not judged)."""
    record = sources.store.alert_record(alert_id)
    if record is None or record.rule in NOTICE_RULES:
        return None
    entry = record.payload["entry"]
    latest = sources.store.latest_feedback().get(alert_id)
    return JudgedView(
        alert_id,
        str(entry.get("title") or ""),
        str(entry.get("feed") or ""),
        list(record.payload.get("rules") or [record.rule]),
        latest.verdict if latest is not None else "",
    )


@dataclass(frozen=True)
class FeedView:
    name: str
    url: str  # credentials, query values and token-like segments replaced by ***
    interval_seconds: float
    healthy: bool
    last_poll: str | None
    last_success: str | None
    next_poll: str | None
    entries_seen: int
    failures: int
    reason: str | None
    backing_off: bool


def feeds(sources: WebSources) -> list[FeedView]:
    """Each configured feed with what the store knows of it."""
    seen = sources.store.entries_by_feed()
    found = []
    for feed in sources.feeds():
        state = sources.store.feed_state(feed.name)
        upcoming = sources.next_poll(feed.name)
        found.append(
            FeedView(
                name=feed.name,
                url=redact_url(str(feed.url)),
                interval_seconds=(feed.interval or DEFAULT_INTERVAL).total_seconds(),
                healthy=state.healthy,
                last_poll=state.last_poll,
                last_success=state.last_success,
                next_poll=upcoming.isoformat() if upcoming else None,
                entries_seen=seen.get(feed.name, 0),
                failures=state.failures,
                reason=state.reason,
                backing_off=state.failures > 0,
            )
        )
    return found


@dataclass(frozen=True)
class ChannelView:
    name: str
    configured: bool
    pending: int
    held: int
    silenced: int  # held back by a silence (not sent)
    delivered: int
    failed: int


@dataclass(frozen=True)
class DeliveriesView:
    channels: list[ChannelView]
    troubles: list[DeliveryRecord]


def deliveries(sources: WebSources) -> DeliveriesView:
    """The outbox per channel (deliveries to a channel no longer configured are held; those
    a silence holds back are silenced), and the latest failures and retries with their
    (already redacted) errors."""
    configured = set(sources.channels())
    counts = sources.store.outbox_by_channel()
    channels = []
    for name in sorted(configured | counts.keys()):
        states = counts.get(name, {})
        pending = states.get("pending", 0)
        channels.append(
            ChannelView(
                name=name,
                configured=name in configured,
                pending=pending if name in configured else 0,
                held=0 if name in configured else pending,
                silenced=states.get("silenced", 0),
                delivered=states.get("delivered", 0),
                failed=states.get("failed", 0),
            )
        )
    return DeliveriesView(channels, sources.store.troubled_deliveries())


@dataclass(frozen=True)
class RuleView:
    id: str
    description: str
    severity: str
    enabled: bool
    last_fired: str | None


@dataclass(frozen=True)
class ClaimView:
    text: str
    sources: list[str]


@dataclass(frozen=True)
class RulesView:
    rules: list[RuleView]
    claims: list[ClaimView]


def rules(sources: WebSources) -> RulesView:
    """Each watch rule with when it last fired; the baseline's claims with their sources."""
    ruleset = sources.ruleset()
    fired = sources.store.rules_last_fired()
    return RulesView(
        [
            RuleView(r.id, r.description, r.severity, r.enabled, fired.get(r.id))
            for r in ruleset.rules
        ],
        [ClaimView(c.text, list(c.sources)) for c in ruleset.claims],
    )
