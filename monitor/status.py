"""``news-monitor status``: what the state database and the channels say, as text or JSON.

``collect_status`` reads the database (never writes it): its integrity and the free disk
room beside it, feed health, the outbox and the deliveries held for channels that
``channels.yaml`` no longer defines; and it checks which channels can get their secrets.
A feed's last address is redacted as in the logs (``redact.redact_url``).
It raises ``StateError`` when the database cannot be read. ``status_text`` renders the
report for people, ``status_json`` for scripts (``status --json``: the same fields).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from monitor.errors import ConfigError
from monitor.notify.build import availability
from monitor.notify.channels import load_channels
from monitor.redact import redact_url
from monitor.settings import Settings
from monitor.statehealth import read_only
from monitor.store import FeedState, open_store

LOW_DISK = 1024 * 1024  # less free room than this next to the state is shown as full


@dataclass(frozen=True)
class FailedDelivery:
    alert: int
    channel: str
    attempts: int
    error: str | None


@dataclass
class StatusReport:
    """Everything ``status`` shows; ``state_found`` is False before the first run."""

    rules: str
    state: str
    state_found: bool = False
    damage: list[str] = field(default_factory=list)
    free_bytes: int | None = 0  # None: a PostgreSQL server's disk, not measured here
    read_only: bool = False
    feeds: list[FeedState] = field(default_factory=list)
    outbox: dict[str, int] = field(default_factory=dict)
    alerts: int = 0
    failed_deliveries: list[FailedDelivery] = field(default_factory=list)
    held: dict[str, int] = field(default_factory=dict)
    channels_defined: int = 0
    channels_unavailable: dict[str, str] = field(default_factory=dict)
    channels_off: dict[str, str] = field(default_factory=dict)
    channels_problem: str | None = None

    @property
    def unhealthy(self) -> list[FeedState]:
        return [f for f in self.feeds if not f.healthy]


def collect_status(settings: Settings) -> StatusReport:
    """Read the report; the database is opened only if it exists."""
    state = settings.state_name if settings.shared_state else str(settings.database_path.resolve())
    report = StatusReport(str(settings.rules_dir.resolve()), state)
    pending: dict[str, int] = {}
    if settings.state_exists:
        store = open_store(settings.state_location)
        try:
            report.state_found = True
            report.damage = store.damage()
            if settings.shared_state:
                report.free_bytes = None
            else:
                report.free_bytes = shutil.disk_usage(settings.database_path.parent).free
                report.read_only = read_only(settings.database_path.parent)
            report.feeds = [  # its last address, as in the logs: no key in its query
                replace(feed, url=redact_url(feed.url)) if feed.url else feed
                for feed in store.feed_states()
            ]
            pending = store.pending_by_channel()
            report.outbox = store.outbox_counts()
            report.alerts = store.alert_count()
            report.failed_deliveries = [
                FailedDelivery(alert, channel, attempts, error)
                for alert, channel, state, attempts, error in store.outbox_rows()
                if state == "failed"
            ]
        finally:
            store.close()
    try:
        channels = load_channels(settings.rules_dir / "channels.yaml")
        found = availability(channels, settings)
    except ConfigError as exc:
        report.channels_problem = str(exc.problems[0])
    else:
        report.channels_defined = len(channels.channels)
        report.channels_unavailable, report.channels_off = found.unavailable, found.off
        # Held: waiting for a channel channels.yaml no longer defines (unknown if unreadable).
        known = channels.by_name()
        report.held = {n: count for n, count in sorted(pending.items()) if n not in known}
    return report


def status_json(report: StatusReport) -> str:
    """The report as one JSON object."""
    data: dict[str, Any] = asdict(report)
    data["unhealthy"] = len(report.unhealthy)
    return json.dumps(data, indent=2, ensure_ascii=False)


def status_text(report: StatusReport) -> str:
    """The report for people, one fact per line."""
    lines = [f"rules: {report.rules}", f"database: {report.state}"]
    if report.state_found:
        free = report.free_bytes
        if free is None:
            room = "PostgreSQL (its server watches its disk)"
        elif free >= LOW_DISK:
            room = f"{free / 1e6:.1f} MB free"
        else:
            room = f"DISK FULL ({free} bytes free)"
        health = "DAMAGED: " + "; ".join(report.damage) if report.damage else "ok"
        if report.read_only:
            health = f"READ-ONLY file system (nothing can be recorded); {health}"
        lines.append(f"state: {health}; {room}")
        lines.append(f"feeds: {len(report.feeds)} polled, {len(report.unhealthy)} unhealthy")
        for feed in report.feeds:
            mark = "ok  " if feed.healthy else "FAIL"
            detail = f" ({feed.failures} failures: {feed.reason})" if not feed.healthy else ""
            lines.append(f"  {mark} {feed.name}: last poll {feed.last_poll or '-'}{detail}")
        counts = report.outbox
        lines.append(
            f"outbox: {counts['pending']} pending, {counts['delivered']} delivered, "
            f"{counts['failed']} failed; {report.alerts} alerts and updates recorded"
        )
        lines += [
            f"  failed: alert {d.alert} to {d.channel} after {d.attempts} attempts: {d.error}"
            for d in report.failed_deliveries
        ]
        lines += [
            f"  held: {count} to {channel}, which channels.yaml no longer defines; they "
            f"resume when it returns, or drop them: news-monitor outbox drop {channel}"
            for channel, count in report.held.items()
        ]
    if report.channels_problem:
        lines.append(f"channels: cannot tell ({report.channels_problem})")
    else:
        lines.append(
            f"channels: {report.channels_defined} defined, "
            f"{len(report.channels_unavailable)} unavailable, {len(report.channels_off)} off"
        )
        lines += [f"  unavailable: {r}" for r in report.channels_unavailable.values()]
        lines += [f"  off (optional): {r}" for r in report.channels_off.values()]
    return "\n".join(lines)
