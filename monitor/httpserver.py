"""A minimal asyncio HTTP/1.1 server for small local endpoints (health, demo feeds, sinks).

One request per connection, a size and time limit on reading, and a single handler
``(Request) -> Response``. Not a general web server: it exists so that the health
endpoint and the demo need no web framework.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

MAX_HEAD = 16 * 1024
MAX_BODY = 1024 * 1024
READ_TIMEOUT = 5.0
_REASONS = {
    200: "OK",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Awaitable[Response]]


class HttpServer:
    """Serves ``handler`` on ``host:port``; port 0 picks a free port (see ``port``)."""

    def __init__(self, host: str, port: int, handler: Handler) -> None:
        self.host, self.port = host, port
        self.handler = handler
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[object]] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Listen; ``OSError`` (address in use, no permission) is left to the caller."""
        self._server = await asyncio.start_server(
            self._handle, self.host, self.port, limit=MAX_HEAD
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop accepting; let requests in progress finish (a few seconds at most)."""
        if self._server is not None:
            self._server.close()
            if self._connections:
                await asyncio.wait(set(self._connections), timeout=READ_TIMEOUT)
            await self._server.wait_closed()

    async def _read(self, reader: asyncio.StreamReader) -> Request | Response:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            return Response(400, b"bad request\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split()
        if len(parts) < 2:
            return Response(400, b"bad request\n")
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_BODY:
            return Response(413, b"too large\n")
        try:
            body = await asyncio.wait_for(reader.readexactly(int(length)), READ_TIMEOUT)
        except (asyncio.IncompleteReadError, TimeoutError):
            return Response(400, b"bad request\n")
        return Request(parts[0], parts[1].split("?", 1)[0], headers, body)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)
        request = await self._read(reader)
        response = request if isinstance(request, Response) else await self.handler(request)
        head = [
            f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Unknown')}",
            f"Content-Type: {response.content_type}",
            "Connection: close",
            *(f"{k}: {v}" for k, v in response.headers.items()),
        ]
        if response.status != 304:
            head.append(f"Content-Length: {len(response.body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if response.status != 304 and not (
            isinstance(request, Request) and request.method == "HEAD"
        ):
            writer.write(response.body)
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()
