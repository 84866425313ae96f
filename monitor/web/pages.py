"""The read-only HTML pages: Story (``/``), Feeds, Deliveries, Rules and baseline.

Rendered by Jinja2 with autoescaping on for every template, so text from feeds is always
text; no page carries script, and each refreshes itself with a ``<meta http-equiv=refresh>``
(``refresh_seconds``), so the pages work without JavaScript; the page where a judgment's
note is written (``GET /story/feedback``) does not, so a note being typed is never lost.
Their handlers (and the API's) are plain functions, which Starlette runs on worker
threads: a page waiting for the store's lock (a call in flight on the store's thread) never
holds the event loop.

While the state database cannot be read, ``state_unavailable`` answers 503 in place of a
page (one that refreshes itself), of the API's JSON and of the feedback form's answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from monitor.store_base import row_id
from monitor.web import views
from monitor.web.feedback import story_place
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


def _renderer(env: Environment, refresh_seconds: int) -> Callable[..., Response]:
    """``render(request, template, status=200, refresh=True, **data)``: a page in the
    site's frame (reloading itself unless ``refresh`` is false)."""

    def render(
        request: Request, name: str, status: int = 200, refresh: bool = True, **data: Any
    ) -> Response:
        html = env.get_template(name).render(
            navigation=NAVIGATION,
            here=request.url.path,
            refresh_seconds=refresh_seconds if refresh else 0,
            refresh_url=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **data,
        )
        return HTMLResponse(html, status)

    return render


def state_unavailable(refresh_seconds: int) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The handler of ``StateError``: 503 saying why (the store has logged the failure
    already), as a page that refreshes itself for a page, as JSON under ``/api/``."""
    render = _renderer(template_environment(), refresh_seconds)

    async def unavailable(request: Request, exc: Exception) -> Response:
        problem = str(exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": problem}, 503)
        if request.method in ("GET", "HEAD") and request.url.path in dict(NAVIGATION):
            return render(request, "unavailable.html", 503, problem=problem)
        return PlainTextResponse(f"{problem}\n", 503)

    return unavailable


def page_routes(sources: WebSources, refresh_seconds: int) -> list[BaseRoute]:
    """The four pages, and the page for a judgment with a note (GET and HEAD)."""
    render = _renderer(template_environment(), refresh_seconds)

    def story(request: Request) -> Response:
        story = views.story_for(sources, request.query_params)
        return render(request, "story.html", story=story, story_reports=views.STORY_REPORTS)

    def feeds(request: Request) -> Response:
        return render(request, "feeds.html", feeds=views.feeds(sources))

    def deliveries(request: Request) -> Response:
        return render(request, "deliveries.html", outbox=views.deliveries(sources))

    def rules(request: Request) -> Response:
        return render(request, "rules.html", rules=views.rules(sources))

    def note(request: Request) -> Response:
        alert_id = row_id(request.query_params.get("alert", ""))
        found = views.judged(sources, alert_id) if alert_id is not None else None
        if found is None:
            return PlainTextResponse("feedback: no such alert to judge\n", 404)
        back = story_place(request.query_params.get("back", ""))
        return render(request, "note.html", refresh=False, judged=found, back=back)

    return [
        Route("/", story, methods=["GET"]),
        Route("/feeds", feeds, methods=["GET"]),
        Route("/deliveries", deliveries, methods=["GET"]),
        Route("/rules", rules, methods=["GET"]),
        Route("/story/feedback", note, methods=["GET"]),  # POST: web/feedback.py
    ]
