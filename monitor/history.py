"""How recorded alerts read to an operator: ``alerts list`` lines, ``alerts show`` text, JSON.

Pure formatting of ``AlertRecord``s from the store; nothing here does I/O.
"""

from __future__ import annotations

from typing import Any

from monitor.notify.render import NOTICE_RULES
from monitor.plural import counted
from monitor.store_history_records import AlertRecord, Delivery


def delivery_summary(delivery: Delivery) -> str:
    """``ops failed (3 attempts)`` and the like."""
    text = f"{delivery.channel} {delivery.state}"
    if delivery.state in ("failed", "pending") and delivery.attempts:
        text += f" ({counted(delivery.attempts, 'attempt')})"
    return text


def list_line(record: AlertRecord) -> str:
    """One line per alert: id, time, type, rule, where it went, headline."""
    deliveries = ", ".join(delivery_summary(d) for d in record.deliveries) or "no channel"
    if record.silence is not None:
        deliveries = f"silenced by silence {record.silence}: {deliveries}"
    title = record.payload.get("entry", {}).get("title") or ""
    return (
        f"{record.id:>5} {record.created[:19]} {record.type:<6} {record.rule}"
        f" [{deliveries}] {title}"
    )


def record_json(record: AlertRecord) -> dict[str, Any]:
    """The alert's documented JSON object plus its id, time and deliveries."""
    return {
        **record.payload,
        "id": record.id,
        "created": record.created,
        "idempotency_key": record.key,
        "silence": record.silence,
        "deliveries": [
            {
                "id": d.id,
                "channel": d.channel,
                "state": d.state,
                "attempts": d.attempts,
                "last_error": d.last_error,
                "finished": d.finished,
                "history": [
                    {"attempt": a.number, "at": a.at, "outcome": a.outcome, "error": a.error}
                    for a in d.history
                ],
            }
            for d in record.deliveries
        ],
    }


def _extras(payload: dict[str, Any]) -> list[str]:
    """Lines for what the scoring adds: every rule, confidence, outlets (when recorded)."""
    lines = []
    if len(payload.get("rules") or []) > 1:
        lines.append(f"  rules: {', '.join(payload['rules'])}")
    if payload.get("confidence") is not None:
        lines.append(f"  confidence: {float(payload['confidence']):.2f}")
    if payload.get("outlets") is not None:
        lines.append(f"  independent outlets so far: {payload['outlets']}")
    return lines


def show_text(record: AlertRecord) -> str:
    """The full explanation of one alert and every delivery attempt per channel."""
    payload = record.payload
    entry = payload.get("entry", {})
    lines = [
        f"alert {record.id}: {record.type} of {record.rule} ({payload.get('severity')}),"
        f" recorded {record.created}",
        f"  development: {record.development}",
        f"  entry: {entry.get('title')}",
        f"    feed {entry.get('feed')}, published {entry.get('published') or 'undated'}",
        f"    {entry.get('link') or '(no link)'}",
        f"  score: {payload.get('score')}",
        *_extras(payload),
        "  evidence:",
    ]
    notice = record.rule in NOTICE_RULES
    for evidence in payload.get("evidence") or []:
        lines.append(f"    - {evidence['sentence']}")
        if notice:
            continue
        lines.append(f"      novelty {evidence['novelty']:.2f}")
        if evidence.get("nearest_claim"):
            lines.append(
                f"      nearest known claim ({evidence.get('similarity', 0.0):.2f}):"
                f" {evidence['nearest_claim']}"
            )
    lines.append(f"  idempotency key: {record.key}")
    if record.silence is not None:  # a channel may have had it before the silence began
        held = [d.channel for d in record.deliveries if d.state == "silenced"]
        where = f"not sent to {', '.join(held)}" if held else "not sent"
        lines.append(f"  silenced by silence {record.silence}: {where}")
    lines.append("deliveries:" if record.deliveries else "deliveries: none (no channel)")
    for delivery in record.deliveries:
        lines.append(f"  delivery {delivery.id} to {delivery_summary(delivery)}")
        for attempt in delivery.history:
            if attempt.outcome == "requeued":
                lines.append(f"    {attempt.at[:19]} requeued by an operator (outbox retry)")
                continue
            error = f": {attempt.error}" if attempt.error else ""
            lines.append(f"    {attempt.at[:19]} attempt {attempt.number} {attempt.outcome}{error}")
    return "\n".join(lines)
