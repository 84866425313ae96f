"""The daemon's database calls run on the store's own thread, never on the event loop's:
a PostgreSQL round trip (or a long SQLite write) must not hold health checks, fetches and
deliveries. Checked on both backends by recording which thread runs each statement during
a real cycle: a poll of a local feed that raises an alert, and its delivery to a local
webhook receiver."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from monitor.app import Service
from monitor.store_db import Cursor, Database
from tests.helpers import HOOK, VOTE_ITEM, make_rules, settings_for
from tests.servers import FeedServer, Receiver, rss, serving


def test_a_cycle_leaves_the_database_to_the_store_thread(
    state_location: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []

    with serving(FeedServer()) as feeds, serving(Receiver()) as receiver:
        feeds.feeds["/news.xml"] = rss([VOTE_ITEM])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, channels=HOOK)
        monkeypatch.setenv("TEST_HOOK_URL", receiver.url())
        url = state_location if isinstance(state_location, str) else None
        settings = settings_for(tmp_path, database_url=url)

        async def cycle() -> tuple[int, Any]:
            service = Service.build(settings)
            try:
                _ = service.detector  # built before the daemon serves, as `serve` does
                loop_thread = threading.current_thread().name
                backend = type(service.store.database)
                execute = backend.execute

                def recorded(db: Database, sql: str, params: Sequence[object] = ()) -> Cursor:
                    threads.append(threading.current_thread().name)
                    return execute(db, sql, params)

                monkeypatch.setattr(backend, "execute", recorded)
                summary = await service.daemon.run_once()
                return summary.delivered, loop_thread
            finally:
                monkeypatch.undo()
                await service.aclose()

        delivered, loop_thread = asyncio.run(cycle())
    assert delivered == 1 and len(receiver.accepted) == 1  # the cycle did its work
    assert len(threads) > 5
    on_loop = threads.count(loop_thread)
    assert on_loop == 0, f"{on_loop} of {len(threads)} statements ran on the event loop's thread"
