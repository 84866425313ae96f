"""``news-monitor demo``: the real daemon on a scripted timeline, offline, in seconds.

Two example feeds are served on 127.0.0.1 and advance through the bundled timeline
(``demo_data/timeline.yaml``): rehashes, near-misses, a Commons vote, a shift in Moscow's
stance. The real service polls them (real HTTP, scheduler and state, in a temporary
folder) with the shipped baseline and watch rules, and delivers to the console and to a
local webhook sink that verifies every signature. A summary closes the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from importlib import resources
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape

import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from monitor.app import Service
from monitor.logs import configure_logging
from monitor.notify.webhook import signature
from monitor.settings import Settings
from monitor.web.serve import AsgiServer

SINK_URL_ENV = "NEWS_MONITOR_DEMO_SINK_URL"
SINK_SECRET_ENV = "NEWS_MONITOR_DEMO_SINK_SECRET"
FEEDS = ("demo-wire", "demo-desk")


@dataclass(frozen=True)
class TimelineItem:
    feed: str
    id: str
    published: datetime
    title: str
    summary: str


@dataclass(frozen=True)
class Step:
    label: str
    items: list[TimelineItem]


def load_timeline() -> list[Step]:
    """The bundled timeline."""
    text = resources.files("monitor").joinpath("demo_data/timeline.yaml").read_text("utf-8")
    return [
        Step(
            step["label"],
            [
                TimelineItem(i["feed"], i["id"], i["published"], i["title"], i["summary"])
                for i in step["items"]
            ],
        )
        for step in yaml.safe_load(text)["steps"]
    ]


def render_rss(title: str, items: list[TimelineItem]) -> bytes:
    """An RSS 2.0 document of ``items``."""
    rows = "".join(
        f'<item><title>{escape(i.title)}</title><guid isPermaLink="false">{escape(i.id)}</guid>'
        f"<link>https://example.invalid/{escape(i.feed)}/{escape(i.id)}</link>"
        f"<pubDate>{format_datetime(i.published)}</pubDate>"
        f"<description>{escape(i.summary)}</description></item>"
        for i in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.invalid/</link>"
        f"<description>news-monitor demo feed</description>{rows}</channel></rss>\n"
    ).encode()


@dataclass
class DemoFeeds:
    """The demo's feeds: everything published so far, served with ETags."""

    published: dict[str, list[TimelineItem]] = field(
        default_factory=lambda: {name: [] for name in FEEDS}
    )

    def publish(self, items: list[TimelineItem]) -> None:
        for item in items:
            self.published[item.feed].append(item)

    async def respond(self, request: Request) -> Response:
        name = request.url.path.strip("/").removesuffix(".xml")
        if name not in self.published:
            return PlainTextResponse("no such feed\n", 404)
        body = render_rss(name, self.published[name])
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(body, 200, {"ETag": etag}, media_type="application/rss+xml")


@dataclass
class WebhookSink:
    """Receives the webhook channel's deliveries and checks each signature."""

    secret: str
    payloads: list[dict[str, object]] = field(default_factory=list)
    bad_signatures: int = 0

    async def respond(self, request: Request) -> Response:
        stamp = request.headers.get("x-news-monitor-timestamp", "")
        body = await request.body()
        expected = signature(self.secret, stamp, body)
        if not hmac.compare_digest(expected, request.headers.get("x-news-monitor-signature", "")):
            self.bad_signatures += 1
            return PlainTextResponse("bad signature\n", 400)
        self.payloads.append(json.loads(body))
        return PlainTextResponse("ok\n")


def answering(respond: Callable[[Request], Awaitable[Response]], method: str) -> Starlette:
    """An app answering ``method`` requests to any path with ``respond``."""
    return Starlette(routes=[Route("/{path:path}", respond, methods=[method])])


def _write_rules(source: Path, target: Path, feeds_url: str) -> None:
    target.mkdir(parents=True)
    shutil.copy(source / "baseline.yaml", target / "baseline.yaml")
    shutil.copytree(source / "watch", target / "watch")
    (target / "feeds.yaml").write_text(
        yaml.safe_dump(
            {
                "defaults": {"interval": "1s"},
                "feeds": [{"name": name, "url": f"{feeds_url}/{name}.xml"} for name in FEEDS],
            }
        ),
        encoding="utf-8",
    )
    (target / "channels.yaml").write_text(
        yaml.safe_dump(
            {
                "default": ["console", "sink"],
                "channels": [
                    {"name": "console", "type": "console", "format": "text"},
                    {
                        "name": "sink",
                        "type": "webhook",
                        "url_env": SINK_URL_ENV,
                        "secret_env": SINK_SECRET_ENV,
                    },
                ],
            }
        ),
        encoding="utf-8",
    )


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


async def run_demo(rules_dir: Path, out: TextIO, step_seconds: float = 2.5) -> int:
    """Play the timeline through the real service; print alerts and a summary."""
    configure_logging("WARNING", "text")
    timeline = load_timeline()
    feeds, sink = DemoFeeds(), WebhookSink(secrets.token_hex(16))
    feed_server = AsgiServer("127.0.0.1", 0, answering(feeds.respond, "GET"))
    sink_server = AsgiServer("127.0.0.1", 0, answering(sink.respond, "POST"))
    await feed_server.start()
    await sink_server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="news-monitor-demo-") as tmp:
            _write_rules(rules_dir, Path(tmp) / "rules", feed_server.url)
            values: dict[str, Any] = {
                "rules_dir": Path(tmp) / "rules",
                "state_dir": Path(tmp) / "state",
                "health_bind": "",
                "delivery_interval_seconds": 0.3,
                "reload_check_seconds": 3600,
                "log_level": "WARNING",
                # The timeline is history: examine it whatever its age, from the first poll.
                "max_entry_age_hours": 0,
                "first_poll": "examine",
            }
            settings = Settings(**values)
            env = {SINK_URL_ENV: f"{sink_server.url}/hook", SINK_SECRET_ENV: sink.secret}
            with _environment(env):
                service = Service.build(settings)
                return await _play(service, timeline, feeds, sink, out, step_seconds)
    finally:
        await feed_server.close()
        await sink_server.close()


async def _play(
    service: Service,
    timeline: list[Step],
    feeds: DemoFeeds,
    sink: WebhookSink,
    out: TextIO,
    step_seconds: float,
) -> int:
    out.write(
        f"news-monitor demo: {len(timeline)} steps, feeds on 127.0.0.1, "
        f"alerts to the console and a local webhook sink\n\n"
    )
    task = asyncio.create_task(service.serve())
    try:
        for number, step in enumerate(timeline, 1):
            out.write(
                f"=== step {number}/{len(timeline)}: {step.label} "
                f"({len(step.items)} new items published)\n\n"
            )
            out.flush()
            feeds.publish(step.items)
            await asyncio.sleep(step_seconds)
        total = sum(len(step.items) for step in timeline)

        def settled() -> bool:  # every item read, every alert delivered
            return (
                service.store.entry_count() >= total
                and not service.store.outbox_counts()["pending"]
            )

        async with asyncio.timeout(20):
            while not settled():  # noqa: ASYNC110 - the state is polled, no event to wait on
                await asyncio.sleep(0.2)
    finally:
        service.daemon.stop()
        await task
    entries = service.store.entry_count()
    developments = service.book.developments
    updates = sum(len(d.entries) - 1 for d in developments)
    quiet = entries - len({entry for d in developments for entry in d.entries})
    await service.aclose()
    rules = sorted({d.rule for d in developments})
    by_rule = ", ".join(f"{rule} x{sum(d.rule == rule for d in developments)}" for rule in rules)
    out.write(
        f"=== summary: {entries} entries read; {len(developments)} developments alerted "
        f"({by_rule}); {updates} further reports grouped as updates; {quiet} entries "
        f"stayed quiet; the webhook sink received {len(sink.payloads)} signed deliveries "
        f"({sink.bad_signatures} bad signatures)\n"
    )
    return 0 if developments and not sink.bad_signatures else 1
