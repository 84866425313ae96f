"""Large feed bodies are parsed in a separate process; its failures name the feed."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from monitor.errors import ParseError
from monitor.sources.parse import parse_feed
from monitor.sources.parsepool import ParsePool
from tests.servers import rss

BODY = rss([{"title": f"Report {n}", "guid": f"g{n}", "description": "Rain."} for n in range(40)])

SMALL = rss([{"title": "Report", "guid": "g", "description": "Rain."}])


def ended(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie not yet reaped has)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(") ")[2][:1]
    except (FileNotFoundError, ProcessLookupError):  # gone, or going while read
        return True
    return state in ("Z", "X")


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
                worker = pool.worker_pid
                assert worker is not None and worker != os.getpid()
                os.kill(worker, signal.SIGKILL)
                async with asyncio.timeout(10):
                    while not ended(worker):  # noqa: ASYNC110
                        await asyncio.sleep(0.05)
                await asyncio.sleep(0.2)  # the pool notices its worker is gone
                with pytest.raises(ParseError, match="parsing process died"):
                    await pool.parse(BODY, "big")
                assert await pool.parse(BODY, "big") == parsed  # a new worker
                assert small.articles and small.articles[0].feed == "small"
            finally:
                pool.close()

    asyncio.run(scenario())


HUGE = rss(
    [{"title": f"Item {n}", "guid": f"h{n}", "description": "Rain." * 20} for n in range(8000)]
)


def test_a_parse_past_its_deadline_fails_its_feed_and_its_worker_is_replaced() -> None:
    """A body the worker has not parsed by the deadline (a pathological feed would hold it
    for good) fails with its feed named; the worker is killed, and a new one parses next."""

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as thread:
            pool = ParsePool(thread, process_bytes=len(BODY))
            try:
                parsed = await pool.parse(BODY, "big")
                assert pool._process is not None
                worker = pool.worker_pid
                assert worker is not None
                pool.deadline = 0.001
                with pytest.raises(ParseError) as caught:
                    await pool.parse(HUGE, "slow")
                assert caught.value.feed == "slow"
                assert "not parsed within 0.001 s; the parsing process was replaced" in str(
                    caught.value
                )
                async with asyncio.timeout(10):  # killed (the pool's own thread may reap it)
                    while not ended(worker):  # noqa: ASYNC110
                        await asyncio.sleep(0.05)
                pool.deadline = 60.0
                assert await pool.parse(BODY, "big") == parsed
                assert pool.worker_pid not in (None, worker)
            finally:
                pool.close()

    asyncio.run(scenario())


def test_a_parse_waiting_behind_one_whose_worker_died_is_not_failed_for_it() -> None:
    """Large bodies go to the worker one at a time: when it dies under one, the next is
    parsed by a new worker (both failed, and the second's reset of the pool could drop a
    third's new worker, left running unowned); closed, the pool leaves no process."""

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as thread:
            pool = ParsePool(thread, process_bytes=len(BODY))
            try:
                first = asyncio.create_task(pool.parse(HUGE, "huge"))
                second = asyncio.create_task(pool.parse(BODY, "big"))
                async with asyncio.timeout(20):
                    while pool.worker_pid is None:  # noqa: ASYNC110
                        await asyncio.sleep(0.005)
                worker = pool.worker_pid
                assert worker, "a pid of 0 would signal the tests' own process group"
                # Stopped, the worker cannot finish the first parse, however fast the machine.
                os.kill(worker, signal.SIGSTOP)
                try:
                    async with asyncio.timeout(10):  # the second waits for its turn
                        while not pool._turn._waiters:  # noqa: ASYNC110
                            await asyncio.sleep(0.01)
                    assert not first.done() and not second.done()
                finally:
                    os.kill(worker, signal.SIGKILL)
                with pytest.raises(ParseError, match="parsing process died"):
                    await first
                assert (await second) == parse_feed(BODY, "big")
            finally:
                pool.close()
            async with asyncio.timeout(10):  # none left once they have ended
                while multiprocessing.active_children():  # noqa: ASYNC110
                    await asyncio.sleep(0.05)

    asyncio.run(scenario())
