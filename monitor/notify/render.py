"""Alert representations shared by replay output and the channels.

``alert_payload`` is the JSON contract of DESIGN.md (``replay --format jsonl`` and the
webhook body); ``alert_text`` is the readable plain-text form.
"""

from __future__ import annotations

from typing import Any

from monitor.models import Alert


def alert_payload(alert: Alert) -> dict[str, Any]:
    """The alert as the documented JSON object."""
    article = alert.article
    return {
        "type": alert.type,
        "rule": alert.rule,
        "development": alert.development,
        "severity": alert.severity,
        "entry": {
            "id": article.id,
            "link": article.link,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "feed": article.feed,
        },
        "score": alert.score,
        "evidence": [
            {
                "sentence": e.sentence,
                "novelty": e.novelty,
                "nearest_claim": e.nearest_claim,
                "similarity": e.similarity,
            }
            for e in alert.evidence
        ],
    }


def alert_text(alert: Alert) -> str:
    """A few readable lines: what fired, on which entry, and why."""
    article = alert.article
    when = article.published.strftime("%Y-%m-%d %H:%M") if article.published else "undated"
    head = "NEW" if alert.type == "alert" else "update"
    lines = [
        f"[{head}] {alert.rule} ({alert.severity}) {when} {article.feed}: {article.title}",
        f"  development: {alert.development}",
    ]
    for e in alert.evidence[:3]:
        lines.append(f"  evidence (novelty {e.novelty:.2f}): {e.sentence}")
        if e.nearest_claim:
            lines.append(f"    nearest known claim ({e.similarity:.2f}): {e.nearest_claim}")
    if article.link:
        lines.append(f"  {article.link}")
    return "\n".join(lines)
