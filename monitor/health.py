"""A small HTTP endpoint for orchestrators and Prometheus: /healthz, /readyz, /metrics.

``/healthz`` answers 200 while the event loop runs. ``/readyz`` answers 200 when the rules
are valid, the state database answers and the scheduler runs, else 503 with the reasons
(as JSON). ``/metrics`` is the Prometheus text format. Requests are read with a size and
time limit; anything else gets 404 or 405.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable

from monitor.metrics import Metrics

log = logging.getLogger("monitor.health")
MAX_REQUEST = 8192
READ_TIMEOUT = 5.0


class HealthServer:
    """Serves the three endpoints on ``host:port`` (port 0 picks a free one)."""

    def __init__(
        self, host: str, port: int, problems: Callable[[], list[str]], metrics: Metrics
    ) -> None:
        self.host, self.port = host, port
        self.problems = problems
        self.metrics = metrics
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("health: listening", extra={"address": f"{self.host}:{self.port}"})

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def _respond(self, path: str) -> tuple[int, str, bytes]:
        if path == "/healthz":
            return 200, "text/plain; charset=utf-8", b"ok\n"
        if path == "/readyz":
            problems = self.problems()
            body = json.dumps({"ready": not problems, "problems": problems}).encode() + b"\n"
            return (503 if problems else 200), "application/json", body
        if path == "/metrics":
            return 200, "text/plain; version=0.0.4; charset=utf-8", self.metrics.render()
        return 404, "text/plain; charset=utf-8", b"not found\n"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
        except (
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            TimeoutError,
            ConnectionError,
        ):
            writer.close()
            return
        parts = head[:MAX_REQUEST].split(b"\r\n", 1)[0].decode("latin-1").split()
        if len(parts) < 2:
            status, kind, body = 400, "text/plain", b"bad request\n"
        elif parts[0] not in ("GET", "HEAD"):
            status, kind, body = 405, "text/plain", b"method not allowed\n"
        else:
            status, kind, body = self._respond(parts[1].split("?", 1)[0])
        reason = {
            200: "OK",
            400: "Bad Request",
            404: "Not Found",
            405: "Method Not Allowed",
            503: "Service Unavailable",
        }[status]
        writer.write(
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        )
        if parts and parts[0] != "HEAD":
            writer.write(body)
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()
