"""Silences, after Alertmanager's: a matcher and a time window in which matching alerts
are recorded but not sent.

A silence matches an alert by rule id (any of the rules it names), by development id, or
by text (case-insensitive, in the entry's title, the first ``KEPT_TEXT`` characters of its
text, and the evidence: what the store keeps of an alert, so that a silence decides the
same for an alert being raised and for one waiting in the outbox). It is
*pending* before ``starts``, *active* until ``ends`` and *expired* after; ``expire``
moves ``ends`` to now. An alert raised while a matching silence is active is stored with
that silence and its deliveries are marked ``silenced`` (nothing is sent after the fact);
so is an alert still waiting in the outbox when the silence is added (``hold_waiting``),
and a failed delivery ``outbox retry`` requeues of an alert a silence holds or matches
(``Store.requeue_failed``).
A silence made with ``notify_on_expiry`` sends one summary of what it held once it has
ended (``expiry_summary``). Everything here is pure; the store keeps silences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from monitor.notify.render import SILENCE_SUMMARY_RULE
from monitor.plural import counted
from monitor.store_base import KEPT_TEXT

if TYPE_CHECKING:
    from monitor.models import Alert
    from monitor.store import Store

MatcherKind = Literal["rule", "development", "match"]
MAX_SUMMARY_LINES = 20


@dataclass(frozen=True)
class Silence:
    """One silence as stored."""

    id: int
    kind: MatcherKind
    value: str
    starts: datetime
    ends: datetime
    comment: str
    author: str
    notify_on_expiry: bool = False

    def state(self, now: datetime) -> str:
        """``pending``, ``active`` or ``expired`` at ``now``."""
        if now < self.starts:
            return "pending"
        return "active" if now < self.ends else "expired"

    @property
    def matcher(self) -> str:
        return f"{self.kind}={self.value}"

    def matches(self, alert: Alert) -> bool:
        """Whether this silence's matcher holds for ``alert`` (whatever the time)."""
        if self.kind == "rule":
            return self.value in alert.all_rules
        if self.kind == "development":
            return alert.development == self.value
        needle = self.value.casefold()
        texts = [
            alert.article.title,
            alert.article.text[:KEPT_TEXT],
            *(e.sentence for e in alert.evidence),
        ]
        return any(needle in text.casefold() for text in texts)


def silence_for(alert: Alert, silences: Iterable[Silence], now: datetime) -> Silence | None:
    """The first silence active at ``now`` that matches ``alert``, or None."""
    for silence in silences:
        if silence.state(now) == "active" and silence.matches(alert):
            return silence
    return None


def expiry_summaries(
    silence: Silence, held: Sequence[tuple[Alert, Sequence[str]]]
) -> list[tuple[Alert, list[str]]]:
    """The summaries of what ``silence`` held (each alert with the channels it was held
    from), each with its channels: one for every set of channels held the same alerts, so
    that no channel is told of an alert it had before the silence began."""
    by_channel: dict[str, list[int]] = {}
    for index, (_, channels) in enumerate(held):
        for channel in channels:
            by_channel.setdefault(channel, []).append(index)
    groups: dict[tuple[int, ...], list[str]] = {}
    for channel, indices in by_channel.items():
        groups.setdefault(tuple(indices), []).append(channel)
    return [
        (expiry_summary(silence, [held[i][0] for i in indices], part), channels)
        for part, (indices, channels) in enumerate(groups.items(), start=1)
    ]


def expiry_summary(silence: Silence, held: Sequence[Alert], part: int = 1) -> Alert:
    """One alert listing what ``silence`` held: a line per alert (the first twenty). A
    silence whose channels were held different alerts has a summary for each (``part``)."""
    from monitor.models import Alert, Article, Evidence

    lines = tuple(
        Evidence(
            f"{a.type} {a.rule}: {a.article.title}",
            a.evidence[0].novelty if a.evidence else 0.0,
            "",
            0.0,
        )
        for a in held[:MAX_SUMMARY_LINES]
    )
    more = len(held) - len(lines)
    title = (
        f"Silence {silence.id} ({silence.matcher}) has ended; it held "
        f"{counted(len(held), 'alert')}" + (f" ({more} more not listed)" if more else "")
    )
    article = Article(
        id=f"silence-{silence.id}" if part == 1 else f"silence-{silence.id}-{part}",
        feed="news-monitor",
        title=title,
        text="",
        published=silence.ends,
    )
    return Alert(
        type="alert",
        rule=SILENCE_SUMMARY_RULE,
        development=f"silence-{silence.id}",
        severity="info",
        article=article,
        score=0.0,
        evidence=lines,
        description=f"silence {silence.id} by {silence.author}: {silence.comment}",
    )


def hold_waiting(store: Store, silence: Silence, now: datetime) -> int:
    """Silence alerts already waiting in the outbox that ``silence`` matches (as
    Alertmanager silences at notification time), in one transaction; return how many it
    now holds: those it stopped a pending delivery of (``Store.hold_matching``)."""
    if silence.state(now) != "active":
        return 0
    return store.hold_matching(silence)


def queue_expiry_summaries(store: Store, now: datetime) -> list[int]:
    """Queue the summary of every silence that ended by ``now`` and asked for one, to the
    channels its alerts were meant for; return the ids of the silences whose summary was
    queued (one that held nothing sends none). Each is queued once."""
    queued = []
    for silence in store.summaries_due(now):
        summaries = expiry_summaries(silence, store.held_alerts(silence.id))
        store.queue_summary(silence.id, summaries, now)
        if summaries:
            queued.append(silence.id)
    return queued
