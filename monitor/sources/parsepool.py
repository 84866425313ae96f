"""Parse feed bodies off the event loop: large ones in a separate process, small ones on a thread.

Parsing a large feed (feedparser is pure Python) on a thread of the daemon's own process
holds the interpreter lock for seconds in total, and the event loop then waits for it
between every step of answering a health check. A body of ``process_bytes`` or more is
therefore parsed by one worker process (started on first need, with ``spawn``, so it
shares nothing with the daemon); smaller bodies, the common case, stay on the thread,
where they cost no start-up and no copying. The worker sends the articles back as plain
tuples in pickled slices, unpacked on the thread one slice at a time: unpickling 10,000
objects at once would hold the interpreter lock for tens of milliseconds. A worker process
that dies (killed, out of memory) fails that one feed's poll with a clear reason and is
replaced at the next need. Large bodies go to it one at a time, each with a deadline
(``deadline``, from its submission): a parse not done by then (a pathological feed) fails
its feed's poll, and its worker is killed and replaced. One at a time, a parse waiting
behind one whose worker died is not failed for it, and a worker is only ever replaced by
the parse that used it, so none is left running unowned.

The parser (``sources/parse.py``, feedparser and the HTML-to-text code) is imported on the
thread at the first body to parse: a ``run --once`` whose feeds all answer 304 parses
nothing and does not pay for importing it (issue 11).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from concurrent.futures import Executor
from typing import TYPE_CHECKING

from monitor.errors import ParseError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from monitor.sources.parse import ParsedFeed

# About 300 entries of news-length text: parsing this much takes tens of milliseconds.
PROCESS_BYTES = 256 * 1024
SLICE = 500  # articles per pickled slice
# Longest time one large body may take in the worker by default (the setting
# NEWS_MONITOR_PARSE_TIMEOUT_SECONDS): a 10 MB feed, the default body cap, parses in well
# under this.
PARSE_DEADLINE = 120.0
Packed = tuple[str, str | None, list[bytes]]


def _parse_packed(body: bytes, feed: str, charset: str | None) -> Packed:
    """In the worker process: parse, and pack the articles as slices of pickled tuples."""
    import pickle  # here and in _unpack: only large feeds go through the process

    parsed = _parse(body, feed, charset)
    rows = [(a.id, a.title, a.text, a.link, a.published) for a in parsed.articles]
    slices = [pickle.dumps(rows[i : i + SLICE]) for i in range(0, len(rows), SLICE)]
    return parsed.title, parsed.warning, slices


def _parse(body: bytes, feed: str, charset: str | None = None) -> ParsedFeed:
    """``parse_feed``, imported at its first use (on the parsing thread or process)."""
    from monitor.sources.parse import parse_feed

    return parse_feed(body, feed, charset)


def _unpack(packed: Packed, feed: str) -> ParsedFeed:
    import pickle

    from monitor.models import Article
    from monitor.sources.parse import ParsedFeed

    title, warning, slices = packed
    articles = [
        Article(entry, feed, heading, text, link, published)
        for data in slices
        for entry, heading, text, link, published in pickle.loads(data)
    ]
    return ParsedFeed(title, articles, warning)


def _orphan_watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)  # the daemon is gone (even by kill -9): so is its parser


def _start_worker(parent: int) -> None:
    """In the worker process: leave Ctrl-C to the daemon, and end when the daemon ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_orphan_watch, args=(parent,), daemon=True).start()


class ParsePool:
    """Parses feed bodies; ``thread`` runs the small ones (and the caller's other work)."""

    def __init__(
        self, thread: Executor, process_bytes: int = PROCESS_BYTES, deadline: float = PARSE_DEADLINE
    ) -> None:
        self.thread = thread
        self.process_bytes = process_bytes
        self.deadline = deadline
        self._process: ProcessPoolExecutor | None = None
        self._pid = 0  # the worker's process id, asked of it once started
        self._turn = asyncio.Lock()  # one large body in the worker at a time

    def _worker(self) -> ProcessPoolExecutor:
        if self._process is None:
            import multiprocessing  # only once a large feed comes: most runs never need it
            from concurrent.futures import ProcessPoolExecutor

            # published at once, so that ``close`` meanwhile shuts it down; its pid follows
            self._pid = 0
            self._process = process = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),  # inherits no lock, no socket
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
            self._pid = process.submit(os.getpid).result(timeout=self.deadline)
        return self._process

    @property
    def worker_pid(self) -> int | None:
        """The process id of the worker parsing large bodies; None until it has answered
        (never 0: given to os.kill, 0 signals this process's whole group)."""
        return self._pid if self._process is not None and self._pid else None

    def _replace(self, kill: bool = False) -> None:
        """Let the worker go (``kill``: end its process now); the next large body starts a
        new one. Called holding ``_turn``, so no other parse is using the worker."""
        if self._process is None:
            return
        process, self._process = self._process, None
        if kill and self._pid:  # a parse that never returns would keep it busy for good
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
        self._pid = 0
        process.shutdown(wait=False, cancel_futures=True)

    async def parse(self, body: bytes, feed: str, charset: str | None = None) -> ParsedFeed:
        """``parse_feed(body, feed, charset)`` away from the event loop's thread.

        Raises ``ParseError`` naming ``feed`` for a body that is not a feed, and for a large
        one whose worker died or that was not parsed within ``deadline`` seconds."""
        loop = asyncio.get_running_loop()
        if len(body) < self.process_bytes:
            return await loop.run_in_executor(self.thread, _parse, body, feed, charset)
        from concurrent.futures.process import BrokenProcessPool

        async with self._turn:
            # Submitted from the thread: the first submit spawns the worker process, which
            # would hold the event loop for a tenth of a second.
            submit = lambda: self._worker().submit(_parse_packed, body, feed, charset)  # noqa: E731
            try:
                future = await loop.run_in_executor(self.thread, submit)
                packed = await asyncio.wait_for(asyncio.wrap_future(future), self.deadline)
            except BrokenProcessPool as exc:
                self._replace()
                raise ParseError(feed, "the parsing process died (out of memory?)") from exc
            except TimeoutError as exc:
                self._replace(kill=True)
                raise ParseError(
                    feed,
                    f"not parsed within {self.deadline:g} s; the parsing process was replaced",
                ) from exc
        return await loop.run_in_executor(self.thread, _unpack, packed, feed)

    def close(self) -> None:
        """Stop the worker process, if one was started."""
        self._replace()
