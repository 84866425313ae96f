"""Large feed bodies are parsed in a separate process; its failures name the feed."""

from __future__ import annotations

import asyncio
import os
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from monitor.errors import ParseError
from monitor.sources.parse import parse_feed
from monitor.sources.parsepool import ParsePool
from tests.servers import rss

BODY = rss([{"title": f"Report {n}", "guid": f"g{n}", "description": "Rain."} for n in range(40)])

SMALL = rss([{"title": "Report", "guid": "g", "description": "Rain."}])


def test_a_large_body_is_parsed_by_a_worker_process_that_can_die_and_be_replaced() -> None:
    async def scenario() -> None:
        with ThreadPoolExecutor(1) as thread:
            pool = ParsePool(thread, process_bytes=len(BODY))
            try:
                small = await pool.parse(SMALL, "small")  # under the limit: on the thread
                assert pool._process is None
                parsed = await pool.parse(BODY, "big")
                assert parsed == parse_feed(BODY, "big")
                assert pool._process is not None
                with pytest.raises(ParseError) as caught:  # raised there, named here
                    await pool.parse(b"\x00 not a feed " * len(BODY), "junk")
                assert caught.value.feed == "junk" and "not" in caught.value.reason
                (worker,) = pool._process._processes.values()  # type: ignore[union-attr]
                os.kill(worker.pid, signal.SIGKILL)
                worker.join(10)
                await asyncio.sleep(0.2)  # the pool notices its worker is gone
                with pytest.raises(ParseError, match="parsing process died"):
                    await pool.parse(BODY, "big")
                assert await pool.parse(BODY, "big") == parsed  # a new worker
                assert small.articles and small.articles[0].feed == "small"
            finally:
                pool.close()

    asyncio.run(scenario())
