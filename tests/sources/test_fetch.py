"""The fetcher against a real keep-alive server on 127.0.0.1: connections are reused."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher, FetchResult
from tests.servers import rss

BODY = rss([{"title": "Weather", "guid": "w1", "description": "Rain in town."}])
ETAG = '"v1"'


@contextmanager
def keep_alive_server(connections: list[tuple[str, int]]) -> Iterator[int]:
    """An HTTP/1.1 server answering 304 to a matching ETag; records each request's peer."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps connections open between requests

        def do_GET(self) -> None:
            connections.append(self.client_address)
            fresh = self.headers.get("If-None-Match") == ETAG
            self.send_response(304 if fresh else 200)
            self.send_header("ETag", ETAG)
            self.send_header("Content-Length", "0" if fresh else str(len(BODY)))
            self.end_headers()
            if not fresh:
                self.wfile.write(BODY)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_not_modified_responses_keep_their_connection() -> None:
    peers: list[tuple[str, int]] = []
    with keep_alive_server(peers) as port:
        feed = FeedConfig.model_validate({"name": "town", "url": f"http://127.0.0.1:{port}/f"})

        async def three_polls() -> list[FetchResult]:
            async with Fetcher() as fetcher:
                first = await fetcher.fetch(feed)
                return [
                    first,
                    await fetcher.fetch(feed, first.validators),
                    await fetcher.fetch(feed, first.validators),
                ]

        results = asyncio.run(three_polls())
    assert [r.status for r in results] == [200, 304, 304]
    assert results[0].body == BODY
    assert len(peers) == 3
    assert len(set(peers)) == 1, f"one connection for all three, not {len(set(peers))}"
