"""Daily or weekly digests per channel: one message with every development of the period.

A channel asks for one with ``digest: daily at 08:00 Europe/London`` or
``digest: weekly on monday at 08:00 Europe/London`` (time zone optional, UTC by
default), in addition to its immediate alerts or, with ``digest_only: true``, instead of
them. The period of a digest runs from one scheduled time to the next (in local time, so
daylight saving does not shift it); ``queue_due_digests`` queues the digest of the period
that ended last, once (its idempotency key names channel and period), listing each
development reported in the period to that channel with its updates and the feeds that
reported it, and the reports dated earlier but committed after the channel's previous
digest (see ``queue_due_digests``). A period without developments sends nothing. The
clock is passed in.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from monitor.notify.render import DIGEST_RULE
from monitor.plural import counted

if TYPE_CHECKING:
    from monitor.models import Alert
    from monitor.store import Store
    from monitor.store_history_records import AlertRecord

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_LINES = 40  # a Slack message holds 50 blocks
_SCHEDULE = re.compile(
    r"(daily|weekly on (?P<day>[a-z]+)) at (?P<h>\d{1,2}):(?P<m>\d{2})(?: (?P<zone>\S+))?"
)


@dataclass(frozen=True)
class DigestSchedule:
    """When a channel's digest goes out: every day, or one ``weekday`` (0 = Monday)."""

    hour: int
    minute: int
    zone: str = "UTC"
    weekday: int | None = None

    @property
    def name(self) -> str:
        return "Daily" if self.weekday is None else "Weekly"

    def period(self, now: datetime) -> tuple[datetime, datetime]:
        """The last complete period before ``now``: (start, end), both in UTC. Boundaries
        fall on local dates; they are compared as instants (not as wall-clock times, which
        repeat and skip an hour when clocks change)."""
        zone = ZoneInfo(self.zone)
        step = timedelta(days=1 if self.weekday is None else 7)
        day = now.astimezone(zone).date()
        if self.weekday is not None:
            day -= timedelta(days=(day.weekday() - self.weekday) % 7)
        if self._at(day, zone) > now:
            day -= step
        return self._at(day - step, zone), self._at(day, zone)

    def _at(self, day: date, zone: ZoneInfo) -> datetime:
        """The scheduled time on ``day`` as an instant in UTC: when clocks go back, its first
        occurrence; in the hour clocks skip, the instant the time names in the offset before
        the change (08:30 in a gap from 08:00 to 09:00 becomes 09:30)."""
        local = datetime(day.year, day.month, day.day, self.hour, self.minute, tzinfo=zone)
        return local.astimezone(UTC)


def parse_schedule(text: str) -> DigestSchedule:
    """``daily at HH:MM [ZONE]`` or ``weekly on DAY at HH:MM [ZONE]``; ValueError otherwise."""
    found = _SCHEDULE.fullmatch(" ".join(text.lower().split()))
    if found is None:
        raise ValueError(
            f"{text!r} is not a digest schedule; use e.g. 'daily at 08:00 Europe/London' "
            "or 'weekly on monday at 08:00 UTC'"
        )
    hour, minute = int(found["h"]), int(found["m"])
    if hour > 23 or minute > 59:
        raise ValueError(f"{found['h']}:{found['m']} is not a time of day")
    day = found["day"]
    if day is not None and day not in DAYS:
        raise ValueError(f"{day!r} is not a day of the week ({', '.join(DAYS)})")
    zone = text.split()[-1] if found["zone"] else "UTC"  # as written: zone names have case
    try:
        ZoneInfo(zone)
    # not found (ZoneInfoNotFoundError, a KeyError), a malformed key or file (ValueError),
    # a folder of the zone database such as "Europe" or an unreadable file (OSError)
    except (KeyError, ValueError, OSError) as exc:
        raise ValueError(f"unknown time zone {zone!r} (use an IANA name)") from exc
    return DigestSchedule(hour, minute, zone, DAYS.index(day) if day else None)


def digest_id(channel: str, end: datetime) -> str:
    """The development id (and entry id) of ``channel``'s digest of the period ending ``end``."""
    return f"{DIGEST_RULE}-{channel}-{end.astimezone(UTC):%Y%m%dT%H%MZ}"


def _line(reports: list[AlertRecord]) -> str:
    """``rules (new|continued): first title; N updates, latest: title [reported by feeds;
    confirmed by N independent outlets]``."""
    first, further = reports[0], reports[1:]
    feeds = sorted({(r.payload.get("entry") or {}).get("feed") or "?" for r in reports})
    kind = "new" if first.type == "alert" else "continued"
    rules = ", ".join(first.payload.get("rules") or [first.rule])
    text = f"{rules} ({kind}): {_title(first)}"
    if further:
        text += f"; {counted(len(further), 'update')}, latest: {_title(further[-1])}"
    outlets = max(int(r.payload.get("outlets") or 1) for r in reports)
    confirmed = f"; confirmed by {outlets} independent outlets" if outlets > 1 else ""
    return text + f" [reported by {', '.join(feeds)}{confirmed}]"


def _title(report: AlertRecord) -> str:
    return str((report.payload.get("entry") or {}).get("title") or "")


def build_digest(
    channel: str,
    schedule: DigestSchedule,
    start: datetime,
    end: datetime,
    reports: Sequence[AlertRecord],
) -> Alert | None:
    """The digest of ``reports`` (oldest first) for ``channel``: a line per development."""
    from monitor.models import Alert, Article, Evidence

    developments: dict[str, list[AlertRecord]] = {}
    for report in reports:
        developments.setdefault(report.development, []).append(report)
    if not developments:
        return None
    lines = tuple(Evidence(_line(r), 0.0, "", 0.0) for r in developments.values())
    key = digest_id(channel, end)
    count = len(developments)
    zone = ZoneInfo(schedule.zone)
    span = f"{start.astimezone(zone):%Y-%m-%d %H:%M} to {end.astimezone(zone):%Y-%m-%d %H:%M}"
    article = Article(
        id=key,
        feed="news-monitor",
        title=f"{schedule.name} digest: {counted(count, 'development')}, {span}",
        text="",
        published=end,
    )
    more = f" ({count - MAX_LINES} more not listed)" if count > MAX_LINES else ""
    return Alert(
        "alert",
        DIGEST_RULE,
        key,
        "info",
        article,
        0.0,
        lines[:MAX_LINES],
        description=f"{schedule.name.lower()} digest for {channel}, {span} {schedule.zone}{more}",
    )


def queue_due_digests(
    store: Store,
    schedules: dict[str, DigestSchedule],
    wants: Callable[[str, AlertRecord], bool],
    now: datetime,
) -> int:
    """Queue each channel's digest of its last complete period, once; return how many.

    ``wants(channel, report)`` says whether a recorded report belongs to the channel.

    A report is dated by its poll's clock, read before detection: a poll that read it
    just before a period ended may commit after that period's digest was queued. Such a
    report is listed by the channel's next digest: a digest lists the reports dated in
    its period and those dated earlier but committed after the channel's previous digest
    (``Store.queue_digest``, which sees the reports in the order they were committed). So
    every report committed is in one digest of each channel that wants it, whatever a
    poll takes; a channel's first digest lists only its period's.
    """
    queued = 0
    for channel, schedule in schedules.items():
        start, end = schedule.period(now)
        key = digest_id(channel, end)
        if store.has_alert(f"{DIGEST_RULE}:{key}:{key}"):
            continue  # (spares the transaction; one queued meanwhile is not queued again)
        make = functools.partial(_digest, channel, schedule, start, end, wants)
        queued += store.queue_digest(channel, start, end, make, now)
    return queued


def _digest(
    channel: str,
    schedule: DigestSchedule,
    start: datetime,
    end: datetime,
    wants: Callable[[str, AlertRecord], bool],
    reports: Sequence[AlertRecord],
) -> Alert | None:
    """The digest of ``reports`` that ``channel`` wants (none a silence held, no digest)."""
    chosen = [
        r for r in reports if r.silence is None and r.rule != DIGEST_RULE and wants(channel, r)
    ]
    return build_digest(channel, schedule, start, end, chosen)
