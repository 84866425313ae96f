"""The endpoint for orchestrators and Prometheus: /healthz, /readyz, /metrics.

``/healthz`` answers 200 while the event loop runs. ``/readyz`` answers 200 when the rules
are valid, the state database answers and the scheduler runs, else 503 with the reasons
(as JSON). ``/metrics`` is the Prometheus text format.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from monitor.errors import ConfigError, Problem
from monitor.httpserver import HttpServer, Request, Response
from monitor.metrics import Metrics

log = logging.getLogger("monitor.health")


class HealthServer(HttpServer):
    """Serves the three endpoints on ``host:port`` (port 0 picks a free one)."""

    def __init__(
        self, host: str, port: int, problems: Callable[[], list[str]], metrics: Metrics
    ) -> None:
        super().__init__(host, port, self._respond)
        self.problems = problems
        self.metrics = metrics

    async def start(self) -> None:
        try:
            await super().start()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise ConfigError(
                [
                    Problem(
                        "NEWS_MONITOR_HEALTH_BIND",
                        None,
                        f"cannot listen on {self.host}:{self.port} ({reason}); "
                        "choose another address, or set it empty to turn the "
                        "endpoint off",
                    )
                ]
            ) from exc
        log.info("health: listening", extra={"address": f"{self.host}:{self.port}"})

    async def _respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response(405, b"method not allowed\n")
        if request.path == "/healthz":
            return Response(200, b"ok\n")
        if request.path == "/readyz":
            problems = self.problems()
            body = json.dumps({"ready": not problems, "problems": problems}).encode() + b"\n"
            return Response(503 if problems else 200, body, "application/json")
        if request.path == "/metrics":
            return Response(200, self.metrics.render(), "text/plain; version=0.0.4; charset=utf-8")
        return Response(404, b"not found\n")
