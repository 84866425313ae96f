"""The endpoints for orchestrators and Prometheus: /healthz, /readyz, /metrics.

``/healthz`` answers 200 while the event loop runs, with JSON: ``status`` "ok" and
``clock_step``, the last backward step of the wall clock seen (``step_s``, and ``at``, ISO
8601 in UTC, read after the step) or null; a step never changes the status code.
``/readyz`` answers 200 when the rules are valid, the state database answers and the
scheduler runs, else 503 with the reasons (as JSON; a plain function, run on a worker
thread, because asking the database may wait for the store's lock). ``/metrics`` is
prometheus_client's exposition of the service's registry.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from monitor.clockstep import ClockStep
from monitor.metrics import Metrics


def health_routes(
    problems: Callable[[], list[str]],
    metrics: Metrics,
    clock_step: Callable[[], ClockStep | None] = lambda: None,
) -> list[BaseRoute]:
    """The three routes (GET and HEAD only), reading ``problems``, ``metrics`` and
    ``clock_step`` per request."""

    async def healthz(request: Request) -> Response:
        step = clock_step()
        return JSONResponse({"status": "ok", "clock_step": step.as_json() if step else None})

    def readyz(request: Request) -> Response:
        found = problems()
        return JSONResponse({"ready": not found, "problems": found}, 503 if found else 200)

    async def metrics_page(request: Request) -> Response:
        body, content_type = metrics.exposition(request.headers.get("accept"))
        return Response(body, headers={"Content-Type": content_type})

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]
