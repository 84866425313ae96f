"""Real HTTP servers on 127.0.0.1 for tests: a scriptable feed server and a webhook receiver.

Both run ``ThreadingHTTPServer`` in a background thread, count their requests, and stop
when the ``with`` block ends. Responses are bounded in size and time.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[[BaseHTTPRequestHandler], None]


def rss(items: list[dict[str, str]], title: str = "Test feed") -> bytes:
    """A small RSS 2.0 document; items take title, guid, description and pubDate."""
    from xml.sax.saxutils import escape

    rows = "".join(
        "<item>"
        f"<title>{escape(i['title'])}</title><guid>{escape(i['guid'])}</guid>"
        f"<link>https://example.invalid/{escape(i['guid'])}</link>"
        f"<description>{escape(i.get('description', ''))}</description>"
        + (f"<pubDate>{i['pubDate']}</pubDate>" if "pubDate" in i else "")
        + "</item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.invalid/</link>"
        f"<description>test</description>{rows}</channel></rss>"
    ).encode()


@dataclass
class FeedServer:
    """Serves ``feeds[path]`` with ETags (304 on a match) plus misbehaving endpoints."""

    feeds: dict[str, bytes] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    arrivals: list[tuple[float, str]] = field(default_factory=list)  # (monotonic time, path)
    user_agents: set[str] = field(default_factory=set)
    slow_seconds: float = 3.0
    entered_slow: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    latency: tuple[float, float] = (0.0, 0.0)
    etags: bool = True  # False: every GET gets the whole feed (no conditional GET)
    content_types: dict[str, str] = field(default_factory=dict)  # by path; else RSS's
    active: int = 0
    max_active: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            self._respond(request)
        finally:
            with self._lock:
                self.active -= 1

    def _respond(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path
        self.requests.append(path)
        self.arrivals.append((time.monotonic(), path))
        self.user_agents.add(request.headers.get("User-Agent", ""))
        if self.latency[1]:
            time.sleep(
                self.latency[0] + (hash(path) % 1000) / 1000 * (self.latency[1] - self.latency[0])
            )
        if path == "/500":
            send(request, 500, b"boom")
        elif path == "/500-retry-after":
            send(request, 500, b"busy", {"Retry-After": "90"})
        elif path == "/429":
            send(request, 429, b"slow down", {"Retry-After": "120"})
        elif path == "/slow":
            self.entered_slow.set()
            time.sleep(self.slow_seconds)
            send(request, 200, self.feeds.get("/slow", rss([])))
        elif path == "/huge":  # 20 MB, no Content-Length: the cap must hold while streaming
            request.send_response(200)
            request.send_header("Content-Type", "application/rss+xml")
            request.end_headers()
            chunk = b"<!-- " + b"x" * 65_000 + b" -->"
            try:
                for _ in range(20 * 1024 * 1024 // len(chunk)):
                    request.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/loop":
            send(request, 302, b"", {"Location": "/loop"})
        elif path == "/bomb":  # about 100 kB on the wire, 100 MB decoded, streamed
            request.send_response(200)
            request.send_header("Content-Encoding", "gzip")
            request.send_header("Content-Type", "application/rss+xml")
            request.end_headers()
            try:
                for part in gzip_bomb():
                    request.wfile.write(part)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/invalid":
            send(request, 200, b"<html><body>This is not a feed at all")
        elif path in self.feeds:
            body = self.feeds[path]
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.etags and request.headers.get("If-None-Match") == etag:
                send(request, 304, b"", {"ETag": etag})
            else:
                headers = {"Content-Type": self.content_types.get(path, "application/rss+xml")}
                send(request, 200, body, {"ETag": etag, **headers} if self.etags else headers)
        else:
            send(request, 404, b"not found")


def gzip_bomb() -> Iterator[bytes]:
    """About 100 kB of gzip that decompress to 100 MB, made as it is sent (a megabyte at a
    time), so the first bytes leave at once however slow the machine is."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    megabyte = b"\0" * (1024 * 1024)
    for _ in range(100):
        yield compressor.compress(megabyte) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield compressor.flush()


def send(
    request: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None
) -> None:
    request.send_response(status)
    for key, value in (headers or {}).items():
        request.send_header(key, value)
    if status != 304:
        request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if body and status != 304:
        try:
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.time)  # wall clock: rate limits count its minutes


@dataclass
class Receiver:
    """Accepts POSTs; answers from ``script`` (a list of statuses, then 200) and records them."""

    script: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    accepted: list[Received] = field(default_factory=list)
    check: Callable[[Received], str | None] | None = None
    reply: Callable[[Received], bytes] | None = None
    port: int = 0
    retry_after: str = "1"
    retry_after_on: tuple[int, ...] = (429, 503)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length)
        if len(body) < length:  # the sender went away mid-request (killed): nothing came
            return
        item = Received(request.path, dict(request.headers.items()), body)
        self.received.append(item)
        status = self.script.pop(0) if self.script else 200
        if status == 200 and self.check is not None:
            problem = self.check(item)
            if problem:
                send(request, 400, problem.encode())
                return
        if status == 200:
            self.accepted.append(item)
        headers = {"Retry-After": self.retry_after} if status in self.retry_after_on else {}
        body = b"ok" if status == 200 else b"no"
        if status == 200 and self.reply is not None:
            body = self.reply(item)
        send(request, status, body, headers)


@contextmanager
def serving(app: Any) -> Iterator[Any]:
    """Run ``app.handle`` behind a ThreadingHTTPServer on 127.0.0.1 for the ``with`` block."""

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            app.handle(self)

        def do_POST(self) -> None:
            app.handle(self)

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    app.port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield app
    finally:
        server.shutdown()
        server.server_close()
