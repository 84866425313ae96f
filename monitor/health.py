"""The endpoints for orchestrators and Prometheus: /healthz, /readyz, /metrics.

``/healthz`` answers 200 while the event loop runs. ``/readyz`` answers 200 when the rules
are valid, the state database answers and the scheduler runs, else 503 with the reasons
(as JSON; a plain function, run on a worker thread, because asking the database may wait
for the store's lock). ``/metrics`` is prometheus_client's exposition of the service's registry.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from monitor.metrics import Metrics


def health_routes(problems: Callable[[], list[str]], metrics: Metrics) -> list[BaseRoute]:
    """The three routes (GET and HEAD only), reading ``problems`` and ``metrics`` per request."""

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok\n")

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
