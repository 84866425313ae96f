"""The fetcher against a real keep-alive server on 127.0.0.1: connections are reused; TLS
certificates are read only when a feed needs them, and still verified."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import gzip
import itertools
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from monitor.errors import ConfigError, FetchError
from monitor.sources.feeds import FeedConfig
from monitor.sources.fetch import Fetcher, FetchLimits, FetchResult, _Decoder
from tests.servers import gzip_bomb, rss, send, serving
from tests.tls import self_signed_certificate, server_context

BODY = rss([{"title": "Weather", "guid": "w1", "description": "Rain in town."}])
ETAG = '"v1"'


@contextmanager
def _running(server: ThreadingHTTPServer) -> Iterator[int]:
    """``server`` serving on a thread of its own; its port, until it is shut down."""
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def keep_alive_server(
    connections: list[tuple[str, int]], tls: ssl.SSLContext | None = None
) -> Iterator[int]:
    """An HTTP/1.1 server answering 304 to a matching ETag; records each request's peer.
    With ``tls``, it speaks HTTPS."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps connections open between requests

        def do_GET(self) -> None:
            connections.append(self.client_address)
            fresh = self.headers.get("If-None-Match") == ETAG
            self.send_response(304 if fresh else 200)
            self.send_header("ETag", ETAG)
            self.send_header("Content-Length", "0" if fresh else str(len(BODY)))
            self.end_headers()
            if not fresh:
                self.wfile.write(BODY)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    with _running(server) as port:
        yield port


def test_not_modified_responses_keep_their_connection() -> None:
    peers: list[tuple[str, int]] = []
    with keep_alive_server(peers) as port:
        feed = FeedConfig.model_validate({"name": "town", "url": f"http://127.0.0.1:{port}/f"})

        async def three_polls() -> list[FetchResult]:
            async with Fetcher() as fetcher:
                first = await fetcher.fetch(feed)
                return [
                    first,
                    await fetcher.fetch(feed, first.validators),
                    await fetcher.fetch(feed, first.validators),
                ]

        results = asyncio.run(three_polls())
    assert [r.status for r in results] == [200, 304, 304]
    assert results[0].body == BODY
    assert len(peers) == 3
    assert len(set(peers)) == 1, f"one connection for all three, not {len(set(peers))}"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


def contexts_with_certificates() -> set[int]:
    """The TLS contexts alive in this process that have read CA certificates."""
    return {
        id(o)
        for o in gc.get_objects()
        if isinstance(o, ssl.SSLContext) and o.cert_store_stats()["x509_ca"]
    }


@pytest.mark.parametrize(
    ("hosts", "kept"),
    [
        (8, [1] * 8),  # more hosts than the overall cap (2): each keeps its connection
        (10, [2] * 10),  # more than the 8 kept: the least recent hosts' are closed
    ],
)
def test_each_host_keeps_its_own_connections_within_a_bound(hosts: int, kept: list[int]) -> None:
    """Hosts polled in turn, twice: connections (distinct client ports) each server saw."""
    peers: list[list[tuple[str, int]]] = [[] for _ in range(hosts)]
    with contextlib.ExitStack() as stack:
        ports = [stack.enter_context(keep_alive_server(p)) for p in peers]
        feeds = [
            FeedConfig.model_validate({"name": f"f{n}", "url": f"http://127.0.0.1:{port}/f"})
            for n, port in enumerate(ports)
        ]

        async def two_rounds() -> None:
            async with Fetcher(FetchLimits(max_concurrent=2, max_per_host=1)) as fetcher:
                for _ in range(2):
                    for feed in feeds:
                        await fetcher.fetch(feed)

        asyncio.run(two_rounds())
    assert [len(set(p)) for p in peers] == kept
    assert [len(p) for p in peers] == [2] * hosts


@pytest.mark.parametrize("bundle", ["certifi", "SSL_CERT_FILE"])
def test_plain_http_feeds_read_no_ca_certificates(
    bundle: str, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a CA bundle costs tens of milliseconds at every start (issue 11)."""
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    if bundle == "certifi":
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    else:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    before = contexts_with_certificates()
    with keep_alive_server([]) as port:
        feed = FeedConfig.model_validate({"name": "town", "url": f"http://127.0.0.1:{port}/f"})

        async def poll() -> set[int]:
            async with Fetcher() as fetcher:
                await fetcher.fetch(feed)
                return contexts_with_certificates() - before

        assert asyncio.run(poll()) == set()


@pytest.mark.parametrize("trusted", [True, False])
def test_https_feeds_are_verified_against_the_configured_bundle(
    certificate: tuple[Path, Path], trusted: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The certificates read at the first TLS connection are httpx's: ``SSL_CERT_FILE``
    when set, else certifi's bundle (which does not know the test's certificate)."""
    if trusted:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    else:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with keep_alive_server([], tls=server_context(certificate)) as port:
        feed = FeedConfig.model_validate({"name": "town", "url": f"https://127.0.0.1:{port}/f"})

        async def poll() -> FetchResult:
            async with Fetcher() as fetcher:
                return await fetcher.fetch(feed)

        if trusted:
            assert asyncio.run(poll()).body == BODY
        else:
            with pytest.raises(FetchError, match="ConnectError"):
                asyncio.run(poll())


def test_a_bundle_the_operator_names_must_be_there_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigError) as caught:
        Fetcher()
    (problem,) = caught.value.problems
    assert problem.file == "SSL_CERT_FILE"
    assert problem.message == f"{tmp_path / 'missing.pem'} is not a readable file"


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _deflate(data: bytes, wbits: int) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return compressor.compress(data) + compressor.flush()


@dataclass
class CodedBodies:
    """Serves ``bodies[path]`` = (Content-Encoding, bytes on the wire), with their length."""

    bodies: dict[str, tuple[str, bytes]]
    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        encoding, body = self.bodies[request.path]
        send(request, 200, body, {"Content-Encoding": encoding, "Content-Type": "text/xml"})


CODED = {  # path: (Content-Encoding, body on the wire, what the fetch gives)
    "/gzip": ("gzip", _gzip(BODY), BODY),
    # RFC 1952 allows several members one after the other: all were cut to the first
    "/gzip-members": ("gzip", _gzip(BODY[:100]) + _gzip(BODY[100:]), BODY),
    "/gzip-padded": ("gzip", _gzip(BODY) + b"\0" * 8, BODY),  # padding after it: ignored
    "/deflate": ("deflate", _deflate(BODY, zlib.MAX_WBITS), BODY),
    # 'deflate' without its zlib wrapper, as some servers send it: was refused
    "/deflate-raw": ("deflate", _deflate(BODY, -zlib.MAX_WBITS), BODY),
    # a body that stops before its compressed stream ends: was taken as the whole feed
    "/gzip-cut": ("gzip", _gzip(BODY)[:-30], "compressed body ends before its end"),
    "/deflate-cut": ("deflate", _deflate(BODY, zlib.MAX_WBITS)[:-12], "ends before its end"),
    "/not-gzip": ("gzip", BODY, "cannot decode response"),
}


@pytest.mark.parametrize("path", list(CODED))
def test_compressed_bodies_are_decoded_whole_or_refused(path: str) -> None:
    with serving(CodedBodies({p: (e, b) for p, (e, b, _) in CODED.items()})) as server:
        feed = FeedConfig.model_validate(
            {"name": "town", "url": f"http://127.0.0.1:{server.port}{path}"}
        )

        async def fetch() -> bytes | str:
            async with Fetcher() as fetcher:
                try:
                    return (await fetcher.fetch(feed)).body or b""
                except FetchError as exc:
                    return exc.reason

        got = asyncio.run(fetch())
    expected = CODED[path][2]
    if isinstance(expected, bytes):
        assert got == expected
    else:
        assert isinstance(got, str) and expected in got, got


@pytest.mark.parametrize("path", list(CODED))
def test_compressed_bodies_decode_the_same_a_byte_at_a_time(path: str) -> None:
    """However the body is split on its way (here: one byte per read)."""
    encoding, body, expected = CODED[path]
    decoder = _Decoder(encoding, len(BODY))
    try:
        got: bytes | str = b"".join(decoder.feed(body[i : i + 1]) for i in range(len(body)))
        decoder.finish()
    except zlib.error as exc:
        got = f"cannot decode response: {exc}"
    if isinstance(expected, bytes):
        assert got == expected
    else:
        assert isinstance(got, str) and expected in got, got


@dataclass
class Answers:
    """Answers ``answers[path]`` = (status, headers), with a small feed as the body."""

    answers: dict[str, tuple[int, dict[str, str]]]
    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        status, headers = self.answers[request.path]
        send(request, status, BODY, headers)


ANSWERS = {  # path: (status, headers, the fetch's status or its error)
    "/ok": (200, {}, 200),
    "/moved": (301, {"Location": "/ok"}, 200),
    # a redirect httpx does not follow was read as the feed (parsed, or 'invalid feed')
    "/moved-nowhere": (302, {}, "HTTP 302 (http://"),
    "/choices": (300, {"Location": "/ok"}, "HTTP 300 (http://"),
    "/gone": (410, {}, "HTTP 410 (http://"),
}


@pytest.mark.parametrize("path", list(ANSWERS))
def test_only_a_success_is_taken_as_the_feed(path: str) -> None:
    answers = {p: (status, headers) for p, (status, headers, _) in ANSWERS.items()}
    with serving(Answers(answers)) as server:
        feed = FeedConfig.model_validate(
            {"name": "town", "url": f"http://127.0.0.1:{server.port}{path}"}
        )

        async def fetch() -> int | str:
            async with Fetcher() as fetcher:
                try:
                    return (await fetcher.fetch(feed)).status
                except FetchError as exc:
                    return exc.reason

        got = asyncio.run(fetch())
    expected = ANSWERS[path][2]
    assert got == expected if isinstance(expected, int) else str(got).startswith(expected)


@dataclass
class Trickle:
    """Sends a feed's headers, then one byte of its body every 0.2 s (never a pause long
    enough for a read timeout)."""

    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Length", str(len(BODY)))
        request.end_headers()
        try:
            for byte in BODY:
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass


def test_a_trickling_server_meets_the_limit_on_the_whole_fetch() -> None:
    with serving(Trickle()) as server:
        feed = FeedConfig.model_validate(
            {"name": "drip", "url": f"http://127.0.0.1:{server.port}/"}
        )
        limits = FetchLimits(read_timeout=5.0, total_timeout=1.0)

        async def fetch() -> None:
            async with Fetcher(limits) as fetcher:
                await fetcher.fetch(feed)

        with pytest.raises(FetchError, match=r"^feed drip: gave up after 1 s \(http://127"):
            asyncio.run(fetch())


@dataclass
class _Hop:
    """Redirects a GET of /feed.xml to ``to`` (when set), answers others with a small feed;
    notes the headers."""

    to: str = ""
    port: int = 0
    seen: list[dict[str, str]] | None = None

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        (self.seen if self.seen is not None else []).append(dict(request.headers))
        if self.to and request.path == "/feed.xml":
            send(request, 302, b"", {"Location": self.to})
        else:
            send(request, 200, rss([{"title": "t", "guid": "g", "description": "d"}]))


OWN = {"X-Api-Key": "feed-key-123", "Cookie": "session=abc"}


def _own_headers_in(seen: dict[str, str]) -> set[str]:
    """Which of the feed's own headers a request (its headers ``seen``) carried."""
    names = {name.lower(): value for name, value in seen.items()}
    assert "news-monitor" in names["user-agent"]
    return set(names) & {name.lower() for name in OWN}


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("http://localhost:{target}/feed.xml", False),  # another host: they stay behind
        ("http://127.0.0.1:{target}/feed.xml", False),  # the same host, another port: too
        ("http://127.0.0.1:{origin}/moved.xml", True),  # the same origin: they go along
    ],
)
def test_a_feeds_own_headers_go_to_its_own_origin_only(target: str, kept: bool) -> None:
    with serving(_Hop(seen=[])) as other, serving(_Hop(seen=[])) as origin:
        origin.to = target.format(target=other.port, origin=origin.port)
        feed = FeedConfig(name="f", url=f"http://127.0.0.1:{origin.port}/feed.xml", headers=OWN)

        async def fetch() -> FetchResult:
            async with Fetcher(FetchLimits()) as fetcher:
                return await fetcher.fetch(feed)

        result = asyncio.run(fetch())
    assert result.status == 200
    assert other.seen is not None and origin.seen is not None
    first, *more = origin.seen
    (redirected,) = more or other.seen
    assert _own_headers_in(first) == {"x-api-key", "cookie"}
    assert _own_headers_in(redirected) == ({"x-api-key", "cookie"} if kept else set())


@contextmanager
def plain_and_tls_on_one_port(
    tls: ssl.SSLContext, seen: list[tuple[str, dict[str, str]]]
) -> Iterator[int]:
    """A server speaking HTTPS or plain HTTP on one port (whichever the client speaks):
    over HTTPS it redirects /feed.xml to the same address over plain HTTP; notes the
    scheme and headers of every request."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            secure = isinstance(self.connection, ssl.SSLSocket)
            seen.append(("https" if secure else "http", dict(self.headers)))
            if secure:
                port = self.server.server_address[1]
                send(self, 302, b"", {"Location": f"http://127.0.0.1:{port}/feed.xml"})
            else:
                send(self, 200, BODY)

        def log_message(self, format: str, *args: object) -> None:
            return None

    class Either(ThreadingHTTPServer):
        def get_request(self) -> tuple[socket.socket, Any]:
            connection, peer = super().get_request()
            if connection.recv(1, socket.MSG_PEEK) == b"\x16":  # a TLS handshake begins
                connection = tls.wrap_socket(connection, server_side=True)
            return connection, peer

    with _running(Either(("127.0.0.1", 0), Handler)) as port:
        yield port


def test_a_feeds_own_headers_never_go_over_plain_http_from_https(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same host and port, but http: the host alone was compared, and the key and
    cookie went over the network in clear."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    seen: list[tuple[str, dict[str, str]]] = []
    with plain_and_tls_on_one_port(server_context(certificate), seen) as port:
        feed = FeedConfig(name="f", url=f"https://127.0.0.1:{port}/feed.xml", headers=OWN)

        async def fetch() -> FetchResult:
            async with Fetcher() as fetcher:
                return await fetcher.fetch(feed)

        assert asyncio.run(fetch()).body == BODY
    assert [scheme for scheme, _ in seen] == ["https", "http"]
    assert _own_headers_in(seen[0][1]) == {"x-api-key", "cookie"}
    assert _own_headers_in(seen[1][1]) == set()


def test_a_feeds_own_headers_go_to_its_own_idn_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host in Unicode (stored in punycode) was compared in Unicode with the punycode
    form, so the feed's headers were never sent. The request goes through a local proxy
    (the name resolves nowhere)."""
    with serving(_Hop(seen=[])) as proxy:
        for name in ("http_proxy", "HTTP_PROXY"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        for name in ("no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
            monkeypatch.delenv(name, raising=False)
        feed = FeedConfig(name="f", url="http://bücher.example/feed.xml", headers=OWN)

        async def fetch() -> FetchResult:
            async with Fetcher() as fetcher:
                return await fetcher.fetch(feed)

        result = asyncio.run(fetch())
    assert result.url == "http://xn--bcher-kva.example/feed.xml"
    assert proxy.seen is not None and len(proxy.seen) == 1
    assert _own_headers_in(proxy.seen[0]) == {"x-api-key", "cookie"}


@dataclass
class Streamed:
    """Sends ``parts`` (made as they are sent) as one body with ``encoding``, no length."""

    encoding: str
    parts: Callable[[], Iterator[bytes]]
    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Encoding", self.encoding)
        request.end_headers()
        try:
            for part in self.parts():
                request.wfile.write(part)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _exactly_over_then_a_bomb(limit: int) -> Iterator[bytes]:
    """A gzip member decoding to one byte past ``limit`` and, in the same write, the start
    of another, a bomb (64 MB in all)."""
    bomb = itertools.islice(gzip_bomb(), 64)
    yield _gzip(b"a" * (limit + 1)) + b"".join(itertools.islice(bomb, 8))
    yield from bomb


def _empty_deflate_blocks() -> Iterator[bytes]:
    """A zlib stream of empty stored blocks that never ends (nor decodes to anything)."""
    yield b"\x78\x9c"
    blocks = b"\x00\x00\x00\xff\xff" * 13_000
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        yield blocks


@pytest.mark.parametrize(
    ("encoding", "parts"),
    [
        # one member decoded to limit + 1: the next was decoded without any limit (62.7 MB
        # from 61 kB under a 1 MiB cap)
        ("gzip", functools.partial(_exactly_over_then_a_bomb, 64 * 1024)),
        # no output ever: its bytes were kept (and copied at every chunk) until the fetch
        # gave up
        ("deflate", _empty_deflate_blocks),
    ],
)
def test_the_cap_holds_over_all_members_and_chunks(
    encoding: str, parts: Callable[[], Iterator[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = 64 * 1024
    decoded: list[int] = []
    feed_chunk = _Decoder.feed

    def noting(decoder: _Decoder, chunk: bytes) -> bytes:
        try:
            return feed_chunk(decoder, chunk)
        finally:
            decoded.append(decoder.size)

    monkeypatch.setattr(_Decoder, "feed", noting)
    with serving(Streamed(encoding, parts)) as server:
        feed = FeedConfig(name="bomb", url=f"http://127.0.0.1:{server.port}/")

        async def fetch() -> None:
            async with Fetcher(FetchLimits(max_bytes=limit, total_timeout=20)) as fetcher:
                await fetcher.fetch(feed)

        # stopped by the cap, not by the fetch's 20 s (which says "gave up after 20 s")
        with pytest.raises(FetchError, match=rf"^feed bomb: response exceeds the {limit}-byte"):
            asyncio.run(fetch())
    assert max(decoded) <= limit + 1


REDIRECTS = {  # path: Location
    "/mailto": "mailto:feeds@example.com",
    "/javascript": "javascript:alert(1)",
}


@pytest.mark.parametrize("path", list(REDIRECTS))
def test_a_redirect_to_an_address_that_cannot_be_fetched_fails_the_feed(path: str) -> None:
    """httpx raises InvalidURL (not an httpx.HTTPError) for it: it escaped as an unexpected
    error, the feed never marked unhealthy and never backed off."""
    answers = {p: (302, {"Location": to}) for p, to in REDIRECTS.items()}
    with serving(Answers(answers)) as server:
        feed = FeedConfig(name="moved", url=f"http://127.0.0.1:{server.port}{path}")

        async def fetch() -> None:
            async with Fetcher() as fetcher:
                await fetcher.fetch(feed)

        with pytest.raises(FetchError) as caught:
            asyncio.run(fetch())
    assert str(caught.value).startswith("feed moved: redirected to an address that cannot be")
    assert f"(http://127.0.0.1:{server.port}{path})" in caught.value.reason
    assert not caught.value.retryable
