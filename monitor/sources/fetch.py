"""Fetch feeds over HTTP politely: the only place (with the channels) that touches httpx.

One ``httpx.AsyncClient`` per host, each with its own connection pool: httpcore checks
every pooled connection at every request, so one pool for all hosts cost each request a
scan of all their connections (issue 11). The clients of the hosts polled least recently,
with no fetch under way, are closed beyond a few dozen: at most 128 idle connections in all.
Conditional GET with the ETag / Last-Modified of the last poll (a 304 costs no parsing);
gzip/deflate decoded here with a cap on the *decoded* size, so neither a huge body nor a
compression bomb can exhaust memory; bounded redirects, a feed's own ``headers`` sent to
its own origin only (httpx drops only Authorization when a redirect leaves it);
connect/read timeouts and a limit on the whole fetch (``total_timeout``); ``Retry-After``
(with any error status) reported to the caller; a cap on concurrent fetches overall and per
host. A fetch takes its host's turn first and only then a slot of the overall cap, so a feed
waiting for a busy host never holds a slot that feeds of other hosts could use; feeds that
failed or were slow last time take their host's slow lane (``hostgate``), so they never
hold a healthy feed's turn. Every failure is a ``FetchError`` naming the feed, with the URL
redacted. ``stop_starting`` makes fetches still waiting for their turn end as cancelled.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import ssl
import time
import zlib
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpx

from monitor import __version__
from monitor.errors import ConfigError, FetchError, Problem
from monitor.redact import redact_url
from monitor.sources.feeds import FeedConfig
from monitor.sources.hostgate import HostGate

USER_AGENT = f"news-monitor/{__version__} (news feed monitor; polite polling with conditional GET)"
# request extension: the feed's host and its own headers (feeds.yaml); httpx carries
# extensions over to the requests of the redirects it follows
_OWN_HEADERS = "news_monitor.own_headers"


class NotBegun(asyncio.CancelledError):
    """A fetch that got its turn after ``Fetcher.stop_starting``: cancelled unbegun."""


@dataclass(frozen=True)
class FetchLimits:
    """How much a fetch may cost."""

    max_bytes: int = 10 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    max_concurrent: int = 8
    max_per_host: int = 2
    slow_after: float = 2.0


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators from the last successful fetch."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """A completed fetch: the body (None on 304), the validators to store and the charset
    the Content-Type named (if any)."""

    status: int
    body: bytes | None
    validators: Validators
    url: str
    seconds: float
    charset: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


RETRY_AFTER_MOST = 365 * 86400.0  # a longer wait asked for is this one (it fits a timedelta)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), at most
    ``RETRY_AFTER_MOST``."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float
        return min(float(value), RETRY_AFTER_MOST)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    wait = when.timestamp() - (now if now is not None else time.time())
    return min(max(0.0, wait), RETRY_AFTER_MOST)


# deflate: bytes kept, until its first output, to read it again without its zlib wrapper
_HEAD_MOST = 1024
# compressed bytes handed to zlib at a time: a gzip member's end copies at most this much
# (what follows it, ``unused_data``), so a body of many tiny members costs no quadratic time
_STEP = 16384


class _Decoder:
    """Decodes gzip/deflate incrementally, never producing more than ``limit`` bytes in all.

    gzip may come as several members one after the other (RFC 1952): each is decoded;
    bytes after the last that do not start another (padding) are ignored. ``deflate`` is
    taken with its zlib wrapper or without (as some servers send it). ``feed`` raises
    ``OverflowError`` once the bytes decoded, over all chunks and members, exceed
    ``limit``, and once the bytes received do (as a Content-Length over it is refused):
    deflate adds only a few bytes to what it holds, so a larger body is one of empty
    blocks or padding. ``finish`` raises ``zlib.error`` when the body stopped before its
    compressed stream ended."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        self.limit = limit
        self.size = 0  # bytes decoded
        self.received = 0  # bytes on the wire
        self._gzip = encoding in ("gzip", "x-gzip")
        self._started = False  # compressed bytes came
        self._head: bytes | None = None if self._gzip else b""  # see _HEAD_MOST
        self._after = b""  # gzip: bytes after a complete member, until two say what follows
        self._padding = False  # what followed the end of the stream is not another member
        if self._gzip:
            self._zlib: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif encoding in ("", "identity"):
            self._zlib = None
        else:
            raise ValueError(f"unsupported Content-Encoding {encoding!r}")

    def feed(self, chunk: bytes) -> bytes:
        self.received += len(chunk)
        if self.received > self.limit:
            raise OverflowError
        if self._zlib is None:
            self._count(chunk)
            return chunk
        return self._inflate(self._zlib, chunk)

    def _count(self, out: bytes) -> None:
        self.size += len(out)
        if self.size > self.limit:
            raise OverflowError("after decoding")

    def _inflate(self, stream: zlib._Decompress, data: bytes) -> bytes:
        out: list[bytes] = []
        self._started = self._started or bool(data)
        if self._after:
            data, self._after = self._after + data, b""
        view, at = memoryview(data), 0
        while at < len(view) and not self._padding:
            if stream.eof:  # the stream (a gzip member) ended: another member, or padding
                if len(view) - at < 2:
                    self._after = bytes(view[at:])
                    break
                if not (self._gzip and view[at : at + 2].tobytes() == b"\x1f\x8b"):
                    self._padding = True
                    break
                stream = self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
            step = view[at : at + _STEP]
            try:  # never more than one byte past the limit (max_length 0 would be none)
                piece = stream.decompress(step, self.limit - self.size + 1)
            except zlib.error:
                if self._head is None or self.size:
                    raise
                # deflate without its zlib wrapper: again, raw, from its first byte
                view, at, self._head = memoryview(self._head + view[at:]), 0, None
                stream = self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._count(piece)
            out.append(piece)
            if stream.unconsumed_tail:  # output stopped at the limit
                raise OverflowError("after decoding")
            if self._head is not None:  # kept a little while nothing came out, no longer
                fits = not piece and len(self._head) + len(step) <= _HEAD_MOST
                self._head = self._head + step if fits else None
            at += len(step) - len(stream.unused_data)
        return b"".join(out)

    def finish(self) -> None:
        """Raise ``zlib.error`` if the compressed stream did not end."""
        if self._zlib is not None and self._started and not self._zlib.eof:
            raise zlib.error("compressed body ends before its end (cut short)")


class _CertificatesOnFirstUse(ssl.SSLContext):
    """httpx's default TLS context (``SSL_CERT_FILE``, else ``SSL_CERT_DIR``, else certifi's
    bundle), except that the certificates are read at its first TLS connection.

    Reading a bundle takes tens of milliseconds; a cron-driven ``run --once`` over
    plain-http feeds never needs one (issue 11). A bundle the operator names that is not
    there stops the start (``_tls_context``); one that cannot be read at the first TLS
    connection fails that connection (an ``ssl.SSLError``: the feed's ``FetchError``).
    """

    _certificates_read = False

    def read_certificates(self) -> None:
        if self._certificates_read:
            return
        cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
        if not cafile and not capath:
            import certifi

            cafile = certifi.where()
        try:
            self.load_verify_locations(cafile=cafile or None, capath=None if cafile else capath)
        except OSError as exc:  # ssl.SSLError is one too
            where = cafile or capath
            raise ssl.SSLError(f"cannot read CA certificates from {where}: {exc}") from exc
        self._certificates_read = True

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self.read_certificates()
        return super().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self.read_certificates()
        return super().wrap_socket(*args, **kwargs)


def _tls_context() -> ssl.SSLContext:
    """A verifying client context (hostname checked, certificate required)."""
    context = _CertificatesOnFirstUse(ssl.PROTOCOL_TLS_CLIENT)
    keylog = os.environ.get("SSLKEYLOGFILE")  # as ssl.create_default_context honours it
    if keylog:
        context.keylog_filename = keylog
    named = "SSL_CERT_FILE" if os.environ.get("SSL_CERT_FILE") else "SSL_CERT_DIR"
    where = Path(os.environ.get(named, ""))
    if where != Path():  # the operator's own bundle: one that is not there stops the start
        there = where.is_file() if named == "SSL_CERT_FILE" else where.is_dir()
        if not there or not os.access(where, os.R_OK):
            kind = "file" if named == "SSL_CERT_FILE" else "folder"
            raise ConfigError([Problem(named, None, f"{where} is not a readable {kind}")])
    return context


_Origin = tuple[str, str, int | None]


def _origin(url: httpx.URL) -> _Origin:
    """Scheme, host (in ASCII: an IDN host in punycode, lower case) and port (None: the
    scheme's own) of ``url``."""
    return url.scheme, url.raw_host.decode("ascii").lower(), url.port


async def _keep_own_headers_home(request: httpx.Request) -> None:
    """A feed's own headers go with every request to the feed's origin (scheme, host and
    port), a redirect's too (httpx drops a Cookie header at each redirect), and with none
    to another: a key or cookie meant for the feed's site is not handed to whatever site,
    port or plain-http address it redirects to."""
    own = request.extensions.get(_OWN_HEADERS)
    if own is None:
        return
    home, headers = own
    if _origin(request.url) == home:
        request.headers.update(headers)
    else:
        for name in headers:
            request.headers.pop(name, None)


class Fetcher:
    """Fetches feeds, one client (connection pool) per host; use as an async context manager."""

    def __init__(
        self,
        limits: FetchLimits = FetchLimits(),
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.limits = limits
        self._tls = _tls_context()
        # A given transport (tests: httpx.MockTransport) serves every host through one client.
        self._shared = self._new_client(transport) if transport is not None else None
        self._clients: OrderedDict[str, httpx.AsyncClient] = OrderedDict()  # by host, LRU
        self._busy: Counter[str] = Counter()  # fetches under way, by host
        # Each client keeps up to max_per_host idle connections: at most 128 in all (4 per
        # overall slot with fewer slots), so polling many sites never runs out of files.
        self._most_clients = max(4, min(4 * limits.max_concurrent, 128) // limits.max_per_host)
        self._overall = asyncio.Semaphore(limits.max_concurrent)
        self._hosts: dict[str, HostGate] = {}
        self._slow: set[str] = set()  # feeds whose last fetch failed or was slow
        self._stopping = False  # see stop_starting

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def _new_client(self, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
        limits = self.limits
        return httpx.AsyncClient(
            timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(
                max_connections=limits.max_concurrent,
                max_keepalive_connections=limits.max_per_host,
            ),
            transport=transport,
            verify=self._tls,
            event_hooks={"request": [_keep_own_headers_home]},
        )

    async def _client_for(self, host: str) -> httpx.AsyncClient:
        """The client of ``host`` (counted busy until ``_done``); clients of hosts polled
        least recently with no fetch under way are closed beyond ``_most_clients``."""
        self._busy[host] += 1
        if self._shared is not None:
            return self._shared
        client = self._clients.get(host)
        if client is None:
            client = self._clients[host] = self._new_client()
        self._clients.move_to_end(host)
        if len(self._clients) > self._most_clients:  # rarely: more hosts than pools kept
            await self._retire_idle_clients()
        return client

    async def _retire_idle_clients(self) -> None:
        """Close the clients of the hosts polled least recently, with no fetch under way,
        down to ``_most_clients``."""
        retired = []
        for other in list(self._clients):
            if len(self._clients) <= self._most_clients:
                break
            if not self._busy[other]:
                retired.append(self._clients.pop(other))
                del self._busy[other]
        for old in retired:
            await old.aclose()

    def _done(self, host: str) -> None:
        self._busy[host] -= 1

    async def aclose(self) -> None:
        clients = [*self._clients.values(), *([self._shared] if self._shared else [])]
        self._clients.clear()
        for client in clients:
            await client.aclose()

    def stop_starting(self) -> None:
        """Begin no more requests (the daemon is stopping): a fetch that gets its turn from
        now on is cancelled instead (``NotBegun``, an ``asyncio.CancelledError``); those
        under way go on."""
        self._stopping = True

    def _host_gate(self, host: str) -> HostGate:
        if host not in self._hosts:
            self._hosts[host] = HostGate(self.limits.max_per_host)
        return self._hosts[host]

    async def fetch(self, feed: FeedConfig, validators: Validators = Validators()) -> FetchResult:
        """GET the feed, conditionally; raise ``FetchError`` on any failure."""
        url = str(feed.url)
        headers = dict(feed.headers)
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        slow_after = self.limits.slow_after
        host = urlsplit(url).netloc.lower()
        gate = self._host_gate(host).turn(feed.name in self._slow, slow_after)
        try:
            async with gate, self._overall:  # the host's turn first, then an overall slot
                if self._stopping:
                    raise NotBegun(f"{feed.name}: not begun, the daemon stops")
                started = time.monotonic()
                try:
                    client = await self._client_for(host)
                    async with asyncio.timeout(self.limits.total_timeout):
                        result = await self._get(client, feed, url, headers, validators, started)
                except TimeoutError as exc:
                    raise FetchError(
                        feed.name,
                        f"gave up after {self.limits.total_timeout:.0f} s ({redact_url(url)})",
                    ) from exc
                except httpx.TooManyRedirects as exc:
                    raise FetchError(
                        feed.name,
                        f"more than {self.limits.max_redirects} redirects ({redact_url(url)})",
                        retryable=False,
                    ) from exc
                except httpx.TimeoutException as exc:
                    raise FetchError(
                        feed.name, f"timed out: {type(exc).__name__} ({redact_url(url)})"
                    ) from exc
                except httpx.HTTPError as exc:
                    raise FetchError(
                        feed.name, f"{type(exc).__name__} ({redact_url(url)})"
                    ) from exc
                except httpx.InvalidURL as exc:  # a redirect to mailto:, javascript:, ...
                    raise FetchError(
                        feed.name,
                        f"redirected to an address that cannot be fetched: {exc} "
                        f"({redact_url(url)})",
                        retryable=False,
                    ) from exc
                finally:
                    self._done(host)
        except FetchError:
            self._slow.add(feed.name)
            raise
        if result.seconds > slow_after:
            self._slow.add(feed.name)
        else:
            self._slow.discard(feed.name)
        return result

    async def _get(
        self,
        client: httpx.AsyncClient,
        feed: FeedConfig,
        url: str,
        headers: dict[str, str],
        validators: Validators,
        started: float,
    ) -> FetchResult:
        own = (_origin(httpx.URL(url)), dict(feed.headers))
        extensions = {_OWN_HEADERS: own}
        async with client.stream("GET", url, headers=headers, extensions=extensions) as response:
            where = redact_url(str(response.url))
            status = response.status_code
            if status == 304:
                # Read the (empty) body to its end: a response closed unread closes its
                # connection, and every 304 then paid for a new one.
                await response.aread()
                # a 304 may carry the validators anew (RFC 9110 15.4.5): they replace ours
                renewed = Validators(
                    response.headers.get("ETag") or validators.etag,
                    response.headers.get("Last-Modified") or validators.last_modified,
                )
                return FetchResult(
                    304, None, renewed, str(response.url), time.monotonic() - started
                )
            if not 200 <= status < 300:  # also a redirect not followed (no Location)
                raise FetchError(
                    feed.name,
                    f"HTTP {status} ({where})",
                    retryable=status >= 500 or status in (408, 429),
                    retry_after=retry_after_seconds(response.headers.get("Retry-After")),
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise FetchError(
                    feed.name,
                    f"response of {int(declared)} bytes exceeds the "
                    f"{self.limits.max_bytes}-byte limit ({where})",
                    retryable=False,
                )
            try:
                decoder = _Decoder(
                    response.headers.get("Content-Encoding", ""), self.limits.max_bytes
                )
                body = bytearray()
                async for chunk in response.aiter_raw():
                    body += decoder.feed(chunk)
                decoder.finish()
            except OverflowError as exc:
                how = f" {exc}" if str(exc) else ""  # after decoding, or as sent
                raise FetchError(
                    feed.name,
                    f"response exceeds the {self.limits.max_bytes}-byte limit{how} ({where})",
                    retryable=False,
                ) from exc
            except (ValueError, zlib.error) as exc:
                raise FetchError(
                    feed.name, f"cannot decode response: {exc} ({where})", retryable=False
                ) from exc
            new = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
            return FetchResult(
                status,
                bytes(body),
                new,
                str(response.url),
                time.monotonic() - started,
                response.charset_encoding,
            )
