"""Where the desk's judgments come in over HTTP.

- ``POST /story/feedback`` (form: ``alert``, ``verdict``, ``note``, ``back``): the Right/Wrong
  buttons of the Story page, which answer with a redirect to ``back`` (the page's filter
  and the development judged; only ever a place on the Story page). Behind the token like
  every page; refused unless the browser says the form came from this site
  (``Sec-Fetch-Site``/``Origin``), so another site cannot make a reader's browser judge
  alerts.
- ``GET /feedback/{right|wrong}?alert=KEY&sig=...``: a signed e-mail link; shows a page
  asking to confirm (following the link records nothing); ``POST`` to the same address
  records. Open without the token: the signature is the credential. A link is good for
  ``feedback_links.LINK_DAYS`` days (an expired one gets a page saying so, 410), and its
  verdict is recorded once: posted again, it is answered as before but adds nothing, so a
  later judgment on the page stands.
- ``POST /api/feedback`` (JSON ``{"alert": ID or "key": KEY, "verdict": ..., "note": ...,
  "by": ...}``): a webhook receiver's judgment, signed like webhook deliveries
  (``feedback_links.FeedbackSigner.post_ok``) or carrying the web token as a bearer token
  (not as a Basic login, which a browser would send with another site's form).
  A signed post is taken once: the same signature again within its freshness window is
  refused with 409 (a captured post replayed cannot undo a later judgment). The posts
  taken are remembered in the state (``Store.first_post``), so this holds after a restart
  and across replicas sharing the state.

Judgments are recorded through ``feedback.record_verdict`` and counted in
``news_monitor_feedback``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from jinja2 import Environment
from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from monitor.feedback import record_verdict
from monitor.feedback_links import (
    LINK_DAYS,
    MAX_AHEAD,
    MAX_SKEW,
    UNTIMED,
    FeedbackSigner,
    link_expired,
)
from monitor.metrics import Metrics
from monitor.store_base import row_id
from monitor.store_feedback import Verdict
from monitor.web.guard import basic_credentials, carries_token, token_bytes
from monitor.web.views import WebSources

MAX_BODY = 16 * 1024
NOTE_LIMIT = 1000  # characters kept of a note (the forms' maxlength)
JUDGMENTS: tuple[Verdict, ...] = ("right", "wrong")
# How long a signed post is remembered after it was taken: it was dated at most
# ``MAX_AHEAD`` seconds ahead then, so after this it is stale (refused without a look).
SEEN_KEPT = timedelta(seconds=MAX_SKEW + MAX_AHEAD)


async def _body(request: Request) -> bytes | None:
    """The request body, or None when larger than ``MAX_BODY``."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


def _form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def same_site(request: Request) -> bool:
    """Whether the browser says the request comes from a page of this site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def feedback_routes(
    sources: WebSources,
    metrics: Metrics,
    env: Environment,
    signer: Callable[[], FeedbackSigner | None] = lambda: None,
    token: SecretStr | None = None,
) -> list[BaseRoute]:
    """The three ways in (see the module docstring); ``signer`` gives the signer in force
    (the feedback key may change while the daemon runs)."""
    store = sources.store

    async def record(
        alert_id: int, verdict: Verdict, author: str, via: str, note: str, once: bool = False
    ) -> bool:
        now = datetime.now(UTC)
        done = await store.run(
            record_verdict,
            store,
            alert_id,
            verdict,
            author=author,
            via=via,
            now=now,
            note=note,
            once=once,
        )
        if done is not None:
            metrics.feedback.labels(verdict).inc()
        return done is not None

    async def from_page(request: Request) -> Response:
        if not same_site(request):
            return Response("feedback: only from this site's pages\n", 403)
        body = await _body(request)
        if body is None:
            message = f"feedback: the form is too large (a note keeps {NOTE_LIMIT:,} characters)"
            return Response(f"{message}\n", 413)
        form = _form(body)
        verdict = form.get("verdict", "")
        alert_id = row_id(form.get("alert", ""))
        if verdict not in JUDGMENTS or alert_id is None:
            return Response("feedback: needs alert and verdict (right or wrong)\n", 400)
        author = _basic_user(request) or "web"
        note = form.get("note", "")[:NOTE_LIMIT]
        if not await record(alert_id, verdict, author, "web", note):
            return Response("feedback: no such alert\n", 404)
        return RedirectResponse(story_place(form.get("back", "")), 303)

    def page(status: int | None = None, **data: Any) -> Response:
        status = status or (400 if data.get("problem") else 200)
        defaults = {"problem": "", "recorded": False, "title": "", "alert_key": "", "sig": ""}
        return HTMLResponse(
            env.get_template("feedback.html").render(**{**defaults, **data}), status
        )

    async def from_link(request: Request) -> Response:
        verdict = request.path_params["verdict"]
        if request.method == "POST":
            body = await _body(request)
            values = _form(body or b"")
        else:
            values = dict(request.query_params)
        key, sig = values.get("alert", ""), values.get("sig", "")
        checker = signer()
        if checker is None:
            return page(verdict=verdict, problem="This news-monitor takes no signed feedback.")
        issued = checker.link_issued(key, verdict, sig) if verdict in JUDGMENTS else None
        if issued is None:
            problem = "This link is not valid (altered, or signed with another key)."
            return page(verdict=verdict, problem=problem)
        alert_id = await store.run(store.alert_id_for_key, key)
        found = await store.run(store.alert_record, alert_id) if alert_id is not None else None
        if alert_id is None or found is None:
            return page(verdict=verdict, problem="This alert is no longer recorded.")
        if _link_expired(issued, found.created):
            problem = (
                f"This link has expired: the links in an e-mail alert are good for {LINK_DAYS}"
                " days. Judge the alert on the Story page instead."
            )
            return page(410, verdict=verdict, problem=problem)
        title = str(found.payload["entry"].get("title") or "")
        if request.method != "POST":
            return page(verdict=verdict, title=title, alert_key=key, sig=sig)
        note = values.get("note", "")[:NOTE_LIMIT]
        await record(alert_id, verdict, "e-mail link", "link", note, once=True)
        return page(verdict=verdict, title=title, recorded=True)

    async def from_receiver(request: Request) -> Response:
        body = await _body(request)
        if body is None:
            return JSONResponse({"error": f"body larger than {MAX_BODY} bytes"}, 413)
        signed = _signature(request, body, signer())
        bearer = carries_token(request.headers, token_bytes(token), basic=False)
        if signed is None and not bearer:
            return JSONResponse(
                {
                    "error": "sign the body (X-News-Monitor-Signature) or send the web token"
                    " as Authorization: Bearer"
                },
                401,
            )
        if signed is not None:
            digest = hashlib.sha256(signed.encode()).hexdigest()
            now = datetime.now(UTC)
            if not await store.run(store.first_post, digest, now, SEEN_KEPT):
                return JSONResponse({"error": "this signed post was taken already"}, 409)
        needs = JSONResponse({"error": "needs verdict and alert (id) or key"}, 400)
        try:
            data = json.loads(body)
        except ValueError:
            return needs
        if not isinstance(data, dict) or not isinstance(data.get("verdict"), str):
            return needs
        verdict = data["verdict"]
        if "alert" in data:
            alert_id = row_id(data["alert"])
            if alert_id is None:
                return needs
        elif isinstance(data.get("key"), str):
            alert_id = await store.run(store.alert_id_for_key, data["key"])
        else:
            return needs
        if verdict not in JUDGMENTS:
            return JSONResponse({"error": "verdict is right or wrong"}, 400)
        note, author = str(data.get("note") or "")[:NOTE_LIMIT], str(data.get("by") or "webhook")
        if alert_id is None or not await record(alert_id, verdict, author[:100], "webhook", note):
            return JSONResponse({"error": "no such alert"}, 404)
        return JSONResponse({"alert": alert_id, "verdict": verdict})

    return [
        Route("/story/feedback", from_page, methods=["POST"]),
        Route("/feedback/{verdict}", from_link, methods=["GET", "POST"]),
        Route("/api/feedback", from_receiver, methods=["POST"]),
    ]


def story_place(back: str) -> str:
    """``back`` when it is a place on the Story page (``/``, a query, a fragment), else
    ``/``: another site or page is never where a button leads."""
    parts = urlsplit(back)
    if parts.scheme or parts.netloc or parts.path != "/":
        return "/"
    return urlunsplit(("", "", "/", parts.query, parts.fragment))


def _link_expired(issued: int, alert_created: str) -> bool:
    """Whether an e-mail link is past its days; a link made before links carried their
    time counts from when its alert was recorded (about when the e-mail was sent)."""
    if issued == UNTIMED:
        return link_expired(datetime.fromisoformat(alert_created).timestamp())
    return link_expired(issued)


def _basic_user(request: Request) -> str | None:
    """The user name of HTTP Basic credentials, if the browser sent some."""
    credentials = basic_credentials(request.headers)
    return credentials[0][:100] or None if credentials is not None else None


def _signature(request: Request, body: bytes, signer: FeedbackSigner | None) -> str | None:
    """The post's signature when the body is signed with the feedback key and fresh."""
    stamp = request.headers.get("x-news-monitor-timestamp", "")
    given = request.headers.get("x-news-monitor-signature", "")
    if signer is not None and stamp and given and signer.post_ok(stamp, body, given):
        return given
    return None
