"""Conditional GET through the real service, from a local server on 127.0.0.1 that honours
If-Modified-Since: the validators of a feed's last poll are sent only to the address they
came from."""

from __future__ import annotations

import asyncio
import email.utils
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from monitor.app import Service
from monitor.store import Store
from tests.helpers import SHIFT_ITEM, VOTE_ITEM, make_rules, settings_for
from tests.servers import rss, send, serving

OLD = datetime(2026, 12, 1, tzinfo=UTC)
OLDER = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass
class ModifiedSince:
    """Serves ``feeds[path]`` = (Last-Modified, body); 304 when not modified since."""

    feeds: dict[str, tuple[datetime, bytes]]
    asked: list[tuple[str, str | None]] = field(default_factory=list)
    fail_once: set[str] = field(default_factory=set)  # paths that answer 500 the first time
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        modified, body = self.feeds[request.path]
        since = request.headers.get("If-Modified-Since")
        self.asked.append((request.path, since))
        if request.path in self.fail_once:
            self.fail_once.discard(request.path)
            send(request, 500, b"down")
            return
        if since and email.utils.parsedate_to_datetime(since) >= modified:
            send(request, 304, b"")
            return
        stamp = email.utils.format_datetime(modified, usegmt=True)
        send(request, 200, body, {"Last-Modified": stamp, "Content-Type": "text/xml"})


@pytest.mark.parametrize(
    ("polls", "expected"),
    [
        # the same address: its validators, a 304
        (["/wire.xml", "/wire.xml"], [("ok", 1), ("not-modified", 0)]),
        # the feed moved (feeds.yaml edited): the old Last-Modified made the new address
        # answer 304, and its entries were not read until it changed
        (["/wire.xml", "/moved.xml"], [("ok", 1), ("ok", 1)]),
        # ... also when the first poll of the new address failed
        (["/wire.xml", "/down.xml", "/down.xml"], [("ok", 1), ("error", 0), ("ok", 1)]),
    ],
)
def test_validators_go_only_to_their_address(
    tmp_path: Path, polls: list[str], expected: list[tuple[str, int]]
) -> None:
    server = ModifiedSince(
        {
            "/wire.xml": (OLD, rss([VOTE_ITEM])),
            "/moved.xml": (OLDER, rss([SHIFT_ITEM])),
            "/down.xml": (OLDER, rss([SHIFT_ITEM])),
        },
        fail_once={"/down.xml"},
    )
    with serving(server):

        async def poll(path: str) -> tuple[str, int]:
            make_rules(tmp_path, {"wire": server.url(path)})
            service = Service.build(settings_for(tmp_path))
            try:
                (outcome,) = (await service.daemon.run_once()).outcomes
                return outcome.status, outcome.new_entries
            finally:
                await service.aclose()

        assert [asyncio.run(poll(path)) for path in polls] == expected
    old = email.utils.format_datetime(OLD, usegmt=True)
    assert server.asked[-1] == (polls[-1], old if polls[-1] == "/wire.xml" else None)


def test_a_failure_at_another_address_drops_the_validators(any_store: Store) -> None:
    now = datetime(2027, 3, 3, tzinfo=UTC)
    any_store.record_not_modified("wire", "http://a.invalid/f", '"v1"', "Mon", now)
    any_store.record_failure("wire", "http://a.invalid/f", "HTTP 500", now)
    kept = any_store.feed_state("wire")
    any_store.record_failure("wire", "http://b.invalid/f", "HTTP 500", now)
    moved = any_store.feed_state("wire")
    assert (kept.url, kept.etag, kept.last_modified) == ("http://a.invalid/f", '"v1"', "Mon")
    assert (moved.url, moved.etag, moved.last_modified) == ("http://b.invalid/f", None, None)


@dataclass
class RenewedETag:
    """Answers the feed with ETag "v1", then 304 with a new ETag "v2" to every conditional
    GET (as a server whose validators changed while the content did not may)."""

    asked: list[str | None] = field(default_factory=list)
    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        sent = request.headers.get("If-None-Match")
        self.asked.append(sent)
        if sent:
            send(request, 304, b"", {"ETag": '"v2"'})
        else:
            send(request, 200, rss([VOTE_ITEM]), {"ETag": '"v1"', "Content-Type": "text/xml"})


def test_a_304_with_new_validators_replaces_the_old(tmp_path: Path) -> None:
    server = RenewedETag()
    with serving(server):
        make_rules(tmp_path, {"wire": f"http://127.0.0.1:{server.port}/wire.xml"})

        async def poll() -> str:
            service = Service.build(settings_for(tmp_path))
            try:
                (outcome,) = (await service.daemon.run_once()).outcomes
                return outcome.status
            finally:
                await service.aclose()

        assert [asyncio.run(poll()) for _ in range(3)] == ["ok", "not-modified", "not-modified"]
    assert server.asked == [None, '"v1"', '"v2"']
