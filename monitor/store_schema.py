"""The state database's schema, one migration per version (read by store.py only).

``MIGRATIONS[n]`` upgrades a database at version ``n`` to ``n + 1``. Append new steps;
never edit a released one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE feeds (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        healthy INTEGER NOT NULL DEFAULT 1,
        reason TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_poll TEXT,
        last_success TEXT
    );
    CREATE TABLE entries (
        feed TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (feed, entry_id)
    );
    CREATE INDEX entries_last_seen ON entries (last_seen);
    CREATE TABLE developments (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        stage TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        evidence TEXT NOT NULL,
        entries TEXT NOT NULL
    );
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        rule TEXT NOT NULL,
        development TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts (id),
        channel TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT NOT NULL,
        last_error TEXT,
        created TEXT NOT NULL,
        finished TEXT,
        UNIQUE (alert_id, channel)
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt);
    """,
    # 2: where a channel can reply in threads, the thread of each development's first alert
    """
    CREATE TABLE threads (
        development TEXT NOT NULL,
        channel TEXT NOT NULL,
        ref TEXT NOT NULL,
        PRIMARY KEY (development, channel)
    );
    """,
    # 3: every delivery attempt of every outbox row, for the alert history
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL REFERENCES outbox (id),
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        outcome TEXT NOT NULL,
        error TEXT
    );
    CREATE INDEX attempts_outbox ON attempts (outbox_id);
    CREATE INDEX alerts_created ON alerts (created);
    """,
    # 4: silences (Alertmanager-style), and the silence that held each alert back
    """
    CREATE TABLE silences (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        starts TEXT NOT NULL,
        ends TEXT NOT NULL,
        comment TEXT NOT NULL,
        author TEXT NOT NULL,
        notify_on_expiry INTEGER NOT NULL DEFAULT 0,
        summarised TEXT
    );
    CREATE INDEX silences_ends ON silences (ends);
    ALTER TABLE alerts ADD COLUMN silence_id INTEGER REFERENCES silences (id);
    """,
    # 5: the desk's feedback on alerts (right or wrong) and on developments it missed
    """
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER REFERENCES alerts (id),
        verdict TEXT NOT NULL,
        rule TEXT,
        url TEXT,
        title TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL,
        via TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE INDEX feedback_alert ON feedback (alert_id);
    CREATE TABLE alert_texts (
        alert_id INTEGER PRIMARY KEY REFERENCES alerts (id),
        text TEXT NOT NULL
    );
    """,
    # 6: replicas sharing one database: feed leases, channel claims, the sends the rate limit
    # counts (so it holds across runs and replicas), and a counter of development decisions
    """
    CREATE TABLE feed_leases (
        feed TEXT PRIMARY KEY,
        next_due TEXT NOT NULL,
        holder TEXT,
        claimed TEXT,
        lease_until TEXT,
        done INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX feed_leases_due ON feed_leases (next_due);
    CREATE TABLE channel_claims (
        channel TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        until TEXT NOT NULL
    );
    CREATE TABLE sends (
        channel TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX sends_channel_at ON sends (channel, at);
    CREATE TABLE decisions (
        name TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
    );
    INSERT INTO decisions (name, seq) VALUES ('developments', 0);
    """,
    # 7: every rule a development was reported under, the outlets that reported it and
    # whether it was alerted, so a restart (each cron run) groups later reports, counts
    # outlets and waits for a rule's ``confirm`` as the running daemon did
    """
    ALTER TABLE developments ADD COLUMN rules TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE developments ADD COLUMN outlets TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE developments ADD COLUMN alerted INTEGER NOT NULL DEFAULT 1;
    """,
    # 8: the backward clock steps whose delivery times were brought back, so replicas on
    # one host (one clock, one step seen by each) bring them back once
    """
    CREATE TABLE clock_steps (
        id INTEGER PRIMARY KEY,
        step REAL NOT NULL,
        seen TEXT NOT NULL
    );
    """,
    # 9: each development's latest reports as the story book compares later ones with them,
    # and whether a later report told its stage, so a restart (or another replica) groups
    # later reports as the book that recorded them did
    """
    ALTER TABLE developments ADD COLUMN reports TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE developments ADD COLUMN adopted INTEGER NOT NULL DEFAULT 0;
    """,
    # 10: the reports detection compares for corroboration (``RecentReports``), of the last
    # days, so replicas and a restarted daemon know what another poll observed
    """
    CREATE TABLE recent_reports (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        outlet TEXT NOT NULL,
        observer TEXT NOT NULL,
        vector TEXT NOT NULL
    );
    CREATE INDEX recent_reports_at ON recent_reports (at);
    """,
    # 11: the entries a feed still lists are seen again at each of its polls (a 304: those
    # seen at its last success, see ``store.stale_before``); until a feed's next full
    # response, every entry it had counts as listed then, so none is pruned while it lists it
    """
    UPDATE entries SET last_seen = (SELECT last_success FROM feeds WHERE name = entries.feed)
    WHERE last_seen < (SELECT last_success FROM feeds WHERE name = entries.feed);
    """,
    # 12: the signed receiver posts taken (a digest of each signature) within their
    # freshness window, so a replayed post is refused after a restart and by every replica
    """
    CREATE TABLE seen_posts (
        digest TEXT PRIMARY KEY,
        seen TEXT NOT NULL
    );
    CREATE INDEX seen_posts_seen ON seen_posts (seen);
    """,
)
