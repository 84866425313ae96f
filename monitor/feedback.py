"""The desk's judgments on alerts, and the labelled items they become.

``record_verdict`` marks a recorded alert right or wrong (from the command line, the web
page, a signed e-mail link or a webhook receiver); ``record_missed`` notes a development
news-monitor did not alert on. ``export_items`` turns the judgments that count (the latest
per alert) into lines in the labelled corpora's format (``id, published, outlet, title,
summary, kind, labels, event, why``, see ``../shared/eval/README.md``), so they can be scored
with the kit and calibrated on like any corpus. An alert's ``summary`` is the article text
kept when it was recorded (its evidence sentences for alerts recorded before news-monitor
kept texts), and ``feedback.confidence`` the development probability the detector gave it
live. A missed development's ``outlet`` and ``published`` are those news-monitor recorded of
the article (``Store.seen_articles``: an alert's entry, or only the feed of a seen entry);
unknown, they are "" and the time it was noted. An alert marked wrong becomes a
``near-miss``, one marked right or missed a ``development`` of the rules it stands for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from monitor.notify.render import NOTICE_RULES
from monitor.store import Store
from monitor.store_feedback import Feedback, Verdict


def record_verdict(
    store: Store,
    alert_id: int,
    verdict: Verdict,
    *,
    author: str,
    via: str,
    now: datetime,
    note: str = "",
    once: bool = False,
) -> Feedback | None:
    """Record ``verdict`` (right or wrong) on the alert; None when there is no such alert
    to judge (digests and silence summaries are notices, not developments), or, ``once``,
    when this verdict came in by ``via`` before (a signed link is taken once)."""
    if verdict == "missed":
        raise ValueError("a missed development is recorded with record_missed")
    record = store.alert_record(alert_id)
    if record is None or record.rule in NOTICE_RULES:
        return None
    add = store.add_feedback_once if once else store.add_feedback
    return add(verdict, alert_id=alert_id, author=author, via=via, now=now, note=note.strip())


def record_missed(
    store: Store,
    url: str,
    rule: str,
    *,
    author: str,
    now: datetime,
    title: str = "",
    text: str = "",
    note: str = "",
) -> Feedback:
    """Record a development of ``rule`` that news-monitor missed (the article at ``url``)."""
    return store.add_feedback(
        "missed",
        rule=rule,
        url=url,
        title=title.strip(),
        text=text.strip(),
        note=note.strip(),
        author=author,
        via="cli",
        now=now,
    )


def _about(item: Feedback) -> dict[str, Any]:
    return {
        "id": item.id,
        "verdict": item.verdict,
        "author": item.author,
        "via": item.via,
        "at": item.created,
        **({"alert": item.alert_id} if item.alert_id is not None else {}),
    }


def export_items(store: Store, broad_rules: Sequence[str] = ()) -> list[dict[str, Any]]:
    """One labelled item per judged alert (its latest judgment) and per missed development,
    in the order they were judged. ``broad_rules`` (rules that include others, such as
    ``new-development``) are added to the labels of every development."""
    items: list[dict[str, Any]] = []
    latest = store.latest_feedback()
    for judged in sorted(latest.values(), key=lambda f: f.id):
        assert judged.alert_id is not None
        record = store.alert_record(judged.alert_id)
        if record is None or record.rule in NOTICE_RULES:
            continue
        payload, entry = record.payload, record.payload["entry"]
        right = judged.verdict == "right"
        labels = list(dict.fromkeys([*payload.get("rules", [payload["rule"]]), *broad_rules]))
        items.append(
            {
                "id": entry["id"],
                "published": entry.get("published") or record.created,
                "outlet": entry.get("feed") or "",
                "url": entry.get("link") or "",
                "title": entry.get("title") or "",
                "summary": store.alert_text(judged.alert_id)
                or " ".join(e["sentence"] for e in payload.get("evidence", [])),
                "kind": "development" if right else "near-miss",
                "labels": labels if right else [],
                "event": payload["development"] if right else None,
                "why": judged.note or f"marked {judged.verdict} by {judged.author}",
                "feedback": {**_about(judged), "confidence": payload.get("confidence")},
            }
        )
    by_article: dict[str, dict[str, Any]] = {}
    all_missed = [f for f in store.feedback() if f.verdict == "missed"]
    seen = store.seen_articles({f.url for f in all_missed if f.url})
    for missed in all_missed:
        key = missed.url or f"missed-{missed.id}"
        noted = by_article.get(key)
        if noted is not None:  # the same article noted for another rule: one item
            noted["labels"] = list(dict.fromkeys([missed.rule or "", *noted["labels"]]))
            noted["title"] = noted["title"] or missed.title
            noted["summary"] = noted["summary"] or missed.text
            continue
        outlet, published = seen.get(key, ("", None))
        by_article[key] = {
            "id": key,
            "published": published or missed.created,
            "outlet": outlet,
            "url": missed.url or "",
            "title": missed.title,
            "summary": missed.text,
            "kind": "development",
            "labels": list(dict.fromkeys([missed.rule or "", *broad_rules])),
            "event": f"missed-{missed.id}",
            "why": missed.note or f"missed, noted by {missed.author}",
            "feedback": _about(missed),
        }
    items.extend(by_article.values())
    return _distinct_ids(items)


def _distinct_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items whose ids collide (one entry id in two feeds) get their outlet (or the alert
    they judge) added to the id, so that no item replaces another when calibrating."""
    counts = Counter(item["id"] for item in items)
    for item in items:
        if counts[item["id"]] > 1:
            judged = item["feedback"].get("alert", item["feedback"]["id"])
            item["id"] = f"{item['id']}@{item['outlet'] or 'desk'}#{judged}"
    return items
