"""The daemon's web server: health endpoints, pages, API and static files on one address.

``WebServer`` serves them with uvicorn in the daemon's event loop (``serve.AsgiServer``).
Every response carries the Content-Security-Policy; bound to anything but loopback, all
but ``/healthz``, ``/readyz`` and ``/metrics`` need the token (``guard.TokenGate``); on
loopback, a request for them must name this machine or an allowed host (``guard.HostGate``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from monitor.clockstep import ClockStep
from monitor.errors import ConfigError, Problem, StateError
from monitor.feedback_links import FeedbackSigner
from monitor.health import health_routes
from monitor.metrics import Metrics
from monitor.web.api import api_routes
from monitor.web.feedback import feedback_routes
from monitor.web.guard import HostGate, SecurityHeaders, TokenGate, is_loopback
from monitor.web.pages import page_routes, state_unavailable, template_environment
from monitor.web.serve import AsgiServer
from monitor.web.views import WebSources

log = logging.getLogger("monitor.health")


def build_site(
    problems: Callable[[], list[str]],
    metrics: Metrics,
    sources: WebSources,
    *,
    refresh_seconds: int = 10,
    token: SecretStr | None = None,
    guarded: bool = False,
    allowed_hosts: frozenset[str] = frozenset(),
    signer: Callable[[], FeedbackSigner | None] = lambda: None,
    clock_step: Callable[[], ClockStep | None] = lambda: None,
) -> Starlette:
    """The Starlette app; ``guarded``: every path but the open ones needs ``token``; else
    they need a loopback ``Host``, one of ``allowed_hosts``, or ``token``; ``signer`` gives
    the signer in force, which checks signed feedback (links, receivers); ``clock_step``
    the last backward step of the wall clock (told by ``/healthz``)."""
    middleware = [Middleware(SecurityHeaders)]
    if guarded:
        middleware.append(Middleware(TokenGate, token=token))
    else:
        middleware.append(Middleware(HostGate, allowed=allowed_hosts, token=token))
    return Starlette(
        routes=[
            *health_routes(problems, metrics, clock_step),
            *page_routes(sources, refresh_seconds),
            *api_routes(sources),
            *feedback_routes(sources, metrics, template_environment(), signer, token),
            Mount("/static", StaticFiles(packages=[("monitor.web", "static")]), name="static"),
        ],
        middleware=middleware,
        exception_handlers={StateError: state_unavailable(refresh_seconds)},
    )


class WebServer(AsgiServer):
    """The site on ``host:port`` (port 0 picks a free one); a token is needed off loopback,
    and on loopback a ``Host`` naming it or one of ``allowed_hosts``."""

    def __init__(
        self,
        host: str,
        port: int,
        problems: Callable[[], list[str]],
        metrics: Metrics,
        sources: WebSources,
        *,
        refresh_seconds: int = 10,
        token: SecretStr | None = None,
        allowed_hosts: frozenset[str] = frozenset(),
        signer: Callable[[], FeedbackSigner | None] = lambda: None,
        clock_step: Callable[[], ClockStep | None] = lambda: None,
    ) -> None:
        self.guarded = not is_loopback(host)
        site = build_site(
            problems,
            metrics,
            sources,
            refresh_seconds=refresh_seconds,
            token=token,
            guarded=self.guarded,
            allowed_hosts=allowed_hosts,
            signer=signer,
            clock_step=clock_step,
        )
        super().__init__(host, port, site)
        if self.guarded and not (token and token.get_secret_value()):
            log.warning(
                "health: pages and API refused: bound beyond loopback without "
                "NEWS_MONITOR_WEB_TOKEN",
                extra={"address": f"{host}:{port}"},
            )

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
