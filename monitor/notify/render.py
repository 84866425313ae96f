"""Alert representations shared by replay output and the channels.

``alert_payload`` is the JSON contract of DESIGN.md (``replay --format jsonl``, the webhook
body and what the outbox stores); ``alert_text`` is the readable plain-text form;
``one_line``/``truncate``/``headline`` are the building blocks channels escape further,
``inert_mentions`` keeps text from pinging a chat's members.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.models import Alert, Evidence, JudgeNote


# Rules of the messages news-monitor writes itself (not developments of the story).
SILENCE_SUMMARY_RULE = "silence-summary"
DIGEST_RULE = "digest"
NOTICE_RULES = frozenset({SILENCE_SUMMARY_RULE, DIGEST_RULE})


def alert_payload(alert: Alert) -> dict[str, Any]:
    """The alert as the documented JSON object (with ``judge`` only when a judge answered)."""
    article = alert.article
    judge = {"judge": dataclasses.asdict(alert.judge)} if alert.judge is not None else {}
    return {
        "type": alert.type,
        "rule": alert.rule,
        "rules": list(alert.all_rules),
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
        "confidence": alert.confidence,
        "outlets": alert.outlets,
        "evidence": [
            {
                "sentence": e.sentence,
                "novelty": e.novelty,
                "nearest_claim": e.nearest_claim,
                "similarity": e.similarity,
            }
            for e in alert.evidence
        ],
        **judge,
    }


def shown_evidence(alert: Alert, limit: int) -> tuple[Evidence, ...]:
    """The evidence a channel shows: the first ``limit`` sentences, but every line of
    news-monitor's own notices (a digest lists each development on a line of its own)."""
    return alert.evidence if alert.rule in NOTICE_RULES else alert.evidence[:limit]


def described_payload(alert: Alert) -> dict[str, Any]:
    """``alert_payload`` plus the rule's ``description``: the webhook body and console JSON."""
    return {**alert_payload(alert), "description": alert.description}


def alert_text(alert: Alert) -> str:
    """A few readable lines: what fired, on which entry, and why."""
    article = alert.article
    when = article.published.strftime("%Y-%m-%d %H:%M") if article.published else "undated"
    notice = alert.rule in NOTICE_RULES
    head = "notice" if notice else "NEW" if alert.type == "alert" else "update"
    detail = "" if notice else f"; confidence {alert.confidence:.2f}; {corroboration(alert)}"
    lines = [
        f"[{head}] {', '.join(alert.all_rules)} ({alert.severity}) {when} {article.feed}: "
        f"{article.title}",
        f"  development: {alert.development}{detail}",
    ]
    if alert.judge is not None:
        lines.append(f"  {judge_line(alert.judge)}")
    for e in shown_evidence(alert, 3):
        if notice:
            lines.append(f"  - {e.sentence}")
            continue
        lines.append(f"  evidence (novelty {e.novelty:.2f}): {e.sentence}")
        if e.nearest_claim:
            lines.append(f"    nearest known claim ({e.similarity:.2f}): {e.nearest_claim}")
    if article.link:
        lines.append(f"  {article.link}")
    return "\n".join(lines)


# Mentions a chat service may turn into a ping: Discord's and Slack's ``<@U123>``, ``<@&123>``
# and ``<!channel>`` (broken after the ``<``); a whole room's ``@everyone``, ``@here``,
# ``@channel``, ``@all`` or ``@room`` wherever it stands; ``@name`` (or Zulip's ``@**all**``)
# beginning a word, not in an e-mail address or a URL (``https://m.example/@name``).
_MENTION = re.compile(
    r"<(?=[@!])"
    r"|@(?=(?:everyone|here|channel|all|room)\b)"
    r"|(?<![\w/.:%+=~<-])@(?=[\w*])",
    re.IGNORECASE,
)
ZERO_WIDTH_SPACE = "\u200b"


def inert_mentions(text: str) -> str:
    """``text`` with a zero-width space after the ``<`` or ``@`` of every mention: it reads
    the same, but pings nobody."""
    return _MENTION.sub(lambda m: m[0] + ZERO_WIDTH_SPACE, text)


def judge_line(note: JudgeNote) -> str:
    """What the judge said, in one line."""
    said = "a new development" if note.development else "not a new development"
    named = f" ({note.rule})" if note.rule else ""
    quoted = f' "{one_line(note.sentence)}"' if note.sentence else ""
    return one_line(f"judge {note.model}: {said}{named}: {note.reason}{quoted}")


def alert_from_payload(payload: dict[str, Any], description: str = "") -> Alert:
    """Rebuild the ``Alert`` that ``alert_payload`` wrote (as the outbox stores it)."""
    from monitor.models import Alert, Article, Evidence, JudgeNote

    entry = payload["entry"]
    published = entry.get("published")
    article = Article(
        id=entry["id"],
        feed=entry.get("feed") or "",
        title=entry.get("title") or "",
        text="",
        link=entry.get("link") or "",
        published=datetime.fromisoformat(published) if published else None,
    )
    evidence = tuple(
        Evidence(
            e["sentence"],
            float(e["novelty"]),
            e.get("nearest_claim") or "",
            float(e.get("similarity") or 0.0),
        )
        for e in payload.get("evidence") or []
    )
    return Alert(
        type=payload["type"],
        rule=payload["rule"],
        development=payload["development"],
        severity=payload["severity"],
        article=article,
        score=float(payload["score"]),
        evidence=evidence,
        description=description,
        rules=tuple(payload.get("rules") or (payload["rule"],)),
        confidence=float(payload.get("confidence") or 0.0),
        outlets=int(payload.get("outlets") or 1),
        judge=JudgeNote(**payload["judge"]) if payload.get("judge") else None,
    )


def corroboration(alert: Alert) -> str:
    """How many independent outlets reported the development, in words."""
    if alert.outlets >= 2:
        return f"confirmed by {alert.outlets} independent outlets"
    return "reported by one outlet so far"


def update_digest(alerts: list[Alert]) -> Alert:
    """One alert standing for several updates of a development: the latest one, with the
    first evidence sentence of each (at most five) and a title that says how many."""
    latest = alerts[-1]
    title = f"{len(alerts)} further reports; latest: {latest.article.title}"
    evidence = tuple(a.evidence[0] for a in alerts[-5:] if a.evidence)
    return replace(latest, article=replace(latest.article, title=title), evidence=evidence)


# C0 controls, DEL and C1 controls: feeds carry them (feedparser keeps &#27; and the like)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """Collapse every run of whitespace (including CR/LF) and control characters into one
    space: fit for a header or a title."""
    return " ".join(_CONTROL.sub(" ", text).split())


def printable(text: str) -> str:
    """``text`` with every control character but newline and tab shown as ``\\xNN``, so
    text from a feed cannot move a terminal's cursor, clear it or set its title."""
    return _CONTROL.sub(lambda m: m[0] if m[0] in "\n\t" else f"\\x{ord(m[0]):02x}", text)


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis when shortened."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "\u2026"


def headline(alert: Alert) -> str:
    """``New development: <rule description>``, ``Update: ...`` or, for news-monitor's own
    messages (digests, silence summaries), ``news-monitor: ...``; one line."""
    kind = "New development" if alert.type == "alert" else "Update"
    if alert.rule in NOTICE_RULES:
        kind = "news-monitor"
    return one_line(f"{kind}: {alert.description or alert.rule}")


def sample_alert(test_id: str) -> Alert:
    """A harmless, clearly labelled alert for ``news-monitor test-alert``; ``test_id``
    makes its idempotency key unique, so receivers that drop repeated keys take each test."""
    from monitor.models import Alert, Article, Evidence

    article = Article(
        id=f"news-monitor-test-{test_id}",
        feed="news-monitor",
        title="Test alert from news-monitor",
        text="",
        link="https://example.invalid/news-monitor/test",
        published=datetime.now().astimezone(),
    )
    evidence = Evidence(
        "This is a test: if you can read it, the channel works.",
        1.0,
        "(no claim: this is a test)",
        0.0,
    )
    return Alert(
        "alert", "test-alert", "test", "info", article, 1.0, (evidence,), description="channel test"
    )
