"""``run --once --dry-run``: one real poll of every feed on a copy of the state.

The feeds are fetched and detection runs as in a real cycle (with the stored validators,
seen entries and developments), but on an in-memory copy of the state database and with no
channels: what would be sent is printed, and nothing is recorded or delivered, so a later
real run sees the same entries as new.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from monitor.app import Service
from monitor.notify.render import alert_from_payload, alert_text, printable
from monitor.settings import Settings


async def dry_run(settings: Settings) -> int:
    """Poll, detect and print; exit status as ``run --once`` (1 if every feed failed)."""
    service = Service.build(settings, dry_run=True)
    try:
        started = datetime.now(UTC)
        outcomes = await service.daemon.poll_all()
        records = service.store.recorded_alerts(since=started)
    finally:
        await service.aclose()
    for record in records:
        print(printable(alert_text(alert_from_payload(record.payload, record.description))))
        targets = ", ".join(d.channel for d in record.deliveries) or "no channel"
        if record.silence is not None:
            print(f"  held by silence {record.silence}; would not go to: {targets}\n")
        else:
            print(f"  would go to: {targets}\n")
    held = sum(record.silence is not None for record in records)
    failed = [o for o in outcomes if o.status == "error"]
    print(
        f"run: dry run: {len(outcomes)} feeds polled, {len(failed)} failed, "
        f"{sum(o.new_entries for o in outcomes)} new entries, {len(records) - held} alerts and "
        "updates would be sent"
        + (f", {held} held by a silence" if held else "")
        + "; nothing recorded or delivered",
        file=sys.stderr,
    )
    for outcome in failed:
        print(f"run: feed {outcome.feed}: {outcome.error}", file=sys.stderr)
    return 1 if outcomes and len(failed) == len(outcomes) else 0
