"""``GET /api/...``: the data of each page as JSON (the same view functions build both)."""

from __future__ import annotations

import dataclasses
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from monitor.web import views
from monitor.web.views import WebSources


def _json(data: Any) -> Response:
    if isinstance(data, list):
        return JSONResponse([dataclasses.asdict(item) for item in data])
    return JSONResponse(dataclasses.asdict(data))


def api_routes(sources: WebSources) -> list[BaseRoute]:
    """``/api/story`` (``?rule=&period=``), ``/api/feeds``, ``/api/deliveries``, ``/api/rules``."""

    def story(request: Request) -> Response:
        return _json(views.story_for(sources, request.query_params))

    def feeds(request: Request) -> Response:
        return _json(views.feeds(sources))

    def deliveries(request: Request) -> Response:
        return _json(views.deliveries(sources))

    def rules(request: Request) -> Response:
        return _json(views.rules(sources))

    return [
        Route("/api/story", story, methods=["GET"]),
        Route("/api/feeds", feeds, methods=["GET"]),
        Route("/api/deliveries", deliveries, methods=["GET"]),
        Route("/api/rules", rules, methods=["GET"]),
    ]
