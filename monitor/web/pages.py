"""The read-only HTML pages: Story (``/``), Feeds, Deliveries, Rules and baseline.

Rendered by Jinja2 with autoescaping on for every template, so text from feeds is always
text; no page carries script, and each refreshes itself with a ``<meta http-equiv=refresh>``
(``refresh_seconds``), so the pages work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from monitor.web import views
from monitor.web.views import WebSources

NAVIGATION = (
    ("/", "Story"),
    ("/feeds", "Feeds"),
    ("/deliveries", "Deliveries"),
    ("/rules", "Rules and baseline"),
)


def template_environment() -> Environment:
    """Templates shipped in ``monitor/web/templates``, every one autoescaped."""
    return Environment(
        loader=PackageLoader("monitor.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
    )


def page_routes(sources: WebSources, refresh_seconds: int) -> list[BaseRoute]:
    """The four pages (GET and HEAD)."""
    env = template_environment()

    def render(request: Request, name: str, **data: Any) -> Response:
        html = env.get_template(name).render(
            navigation=NAVIGATION,
            here=request.url.path,
            refresh_seconds=refresh_seconds,
            refresh_url=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **data,
        )
        return HTMLResponse(html)

    async def story(request: Request) -> Response:
        return render(request, "story.html", story=views.story_for(sources, request.query_params))

    async def feeds(request: Request) -> Response:
        return render(request, "feeds.html", feeds=views.feeds(sources))

    async def deliveries(request: Request) -> Response:
        return render(request, "deliveries.html", outbox=views.deliveries(sources))

    async def rules(request: Request) -> Response:
        return render(request, "rules.html", rules=views.rules(sources))

    return [
        Route("/", story, methods=["GET"]),
        Route("/feeds", feeds, methods=["GET"]),
        Route("/deliveries", deliveries, methods=["GET"]),
        Route("/rules", rules, methods=["GET"]),
    ]
