"""The feedback part of the store (with ``store.py``, the only modules that know SQL).

``Store`` inherits ``FeedbackStore``. Every judgment is kept (who, when, how it came in);
the latest one on an alert is the one that counts, so a desk may change its mind. The text
of each alerted article is kept too (at most ``store_base.KEPT_TEXT`` characters), recorded with
the alert itself (``Store.commit_poll``), so a judged alert becomes a labelled item with the
words the detector read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import astuple, dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, cast

from monitor.store_base import StorePart, stamp
from monitor.store_db import Database

Verdict = Literal["right", "wrong", "missed"]
VERDICTS: tuple[Verdict, ...] = ("right", "wrong", "missed")

_BATCH = 500  # urls per query (SQLite takes at most 32766 parameters)
_COLUMNS = "id, alert_id, verdict, rule, url, title, text, note, author, via, created"


@dataclass(frozen=True)
class Feedback:
    """One judgment: on a recorded alert (``alert_id``), or a development it missed
    (``verdict`` missed, with ``url``, ``rule`` and what the article said)."""

    id: int
    alert_id: int | None
    verdict: Verdict
    rule: str | None
    url: str | None
    title: str
    text: str
    note: str
    author: str
    via: str  # cli | web | link | webhook
    created: str


def _feedback(row: Sequence[object]) -> Feedback:
    return Feedback(
        int(str(row[0])),
        None if row[1] is None else int(str(row[1])),
        cast(Verdict, row[2]),
        None if row[3] is None else str(row[3]),
        None if row[4] is None else str(row[4]),
        str(row[5]),
        str(row[6]),
        str(row[7]),
        str(row[8]),
        str(row[9]),
        str(row[10]),
    )


def _insert(db: Database, item: Feedback) -> int:
    """Insert ``item`` (all but its id) as a row; the row's id."""
    cursor = db.execute(
        f"INSERT INTO feedback ({_COLUMNS.removeprefix('id, ')})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        astuple(item)[1:],
    )
    return int(cursor.fetchall()[0][0])  # fetched whole: the commit needs that


class FeedbackStore(StorePart):
    """The desk's judgments; mixed into ``Store``."""

    def add_feedback(
        self,
        verdict: Verdict,
        *,
        author: str,
        via: str,
        now: datetime,
        alert_id: int | None = None,
        rule: str | None = None,
        url: str | None = None,
        title: str = "",
        text: str = "",
        note: str = "",
    ) -> Feedback:
        """Record one judgment and return it (the caller checked that the alert exists)."""
        made = Feedback(0, alert_id, verdict, rule, url, title, text, note, author, via, stamp(now))
        with self._transaction() as db:
            new_id = _insert(db, made)
        return replace(made, id=new_id)

    def add_feedback_once(
        self,
        verdict: Verdict,
        *,
        alert_id: int,
        author: str,
        via: str,
        now: datetime,
        note: str = "",
    ) -> Feedback | None:
        """As ``add_feedback``, but None and nothing recorded when the alert already has
        this verdict by ``via`` (a signed link posted again: a later judgment stands)."""
        made = Feedback(0, alert_id, verdict, None, None, "", "", note, author, via, stamp(now))
        with self._transaction() as db:
            known = db.execute(
                "SELECT id FROM feedback WHERE alert_id = ? AND verdict = ? AND via = ?",
                (alert_id, verdict, via),
            ).fetchall()
            if known:
                return None
            new_id = _insert(db, made)
        return replace(made, id=new_id)

    def first_post(self, digest: str, now: datetime, keep: timedelta) -> bool:
        """Record a signed post (``digest`` of its signature) as taken at ``now``; False
        when it was taken already (a replay, by this process or any other on the state).
        Posts taken more than ``keep`` ago are forgotten (by then they are stale anyway)."""
        with self._transaction() as db:
            db.execute("DELETE FROM seen_posts WHERE seen < ?", (stamp(now - keep),))
            taken = db.execute(
                "INSERT INTO seen_posts (digest, seen) VALUES (?, ?)"
                " ON CONFLICT (digest) DO NOTHING RETURNING digest",
                (digest, stamp(now)),
            ).fetchall()  # fetched whole: the commit needs that
        return bool(taken)

    def feedback(self) -> list[Feedback]:
        """Every judgment, oldest first."""
        return [_feedback(r) for r in self._rows(f"SELECT {_COLUMNS} FROM feedback ORDER BY id")]

    def latest_feedback(self) -> dict[int, Feedback]:
        """The judgment that counts for each alert judged: the latest."""
        latest: dict[int, Feedback] = {}
        for item in self.feedback():
            if item.alert_id is not None:
                latest[item.alert_id] = item
        return latest

    def alert_text(self, alert_id: int) -> str | None:
        """The article text kept for the alert, or None."""
        rows = self._rows("SELECT text FROM alert_texts WHERE alert_id = ?", (alert_id,))
        return str(rows[0][0]) if rows else None

    def seen_articles(self, urls: Collection[str]) -> dict[str, tuple[str, str | None]]:
        """The outlet (feed) and published time news-monitor recorded of each of ``urls``
        it saw: from an alert whose entry has that link or id, else only the feed of a seen
        entry with that id (its published time is not kept). Urls never seen are absent."""
        wanted = sorted(set(urls))
        found: dict[str, tuple[str, str | None]] = {}
        link, ident, feed, published = (
            self._db.json_text("payload", "entry", key)
            for key in ("link", "id", "feed", "published")
        )
        for start in range(0, len(wanted), _BATCH):  # only the alerts of these articles
            batch = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(batch))
            rows = self._rows(
                f"SELECT {link}, {ident}, {feed}, {published} FROM alerts"
                f" WHERE {feed} <> '' AND ({link} IN ({marks}) OR {ident} IN ({marks}))"
                " ORDER BY id",
                (*batch, *batch),
            )
            for *names, outlet, when in rows:
                for url in set(names).intersection(batch):
                    found.setdefault(url, (str(outlet), when))
        rest = [url for url in wanted if url not in found]
        for start in range(0, len(rest), _BATCH):
            batch = rest[start : start + _BATCH]
            marks = ", ".join("?" * len(batch))
            rows = self._rows(
                f"SELECT entry_id, feed FROM entries WHERE entry_id IN ({marks})"
                " ORDER BY first_seen",
                tuple(batch),
            )
            for entry_id, feed in rows:
                found.setdefault(str(entry_id), (str(feed), None))
        return found

    def alert_id_for_key(self, key: str) -> int | None:
        """The id of the alert recorded with this idempotency key, or None."""
        rows = self._rows("SELECT id FROM alerts WHERE key = ?", (key,))
        return int(rows[0][0]) if rows else None
