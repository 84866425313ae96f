"""An HTTP channel against receivers that answer with an endless body or trickle it: the
channel reads a bounded part of the answer within a bounded time, then gives up."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pydantic import ValidationError

from monitor.errors import DeliveryError
from monitor.notify.base import Channel
from monitor.notify.slack import SlackChannel, SlackConfig
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from tests.notify.conftest import free_port
from tests.notify.test_channels import make_alert, send
from tests.servers import serving
from tests.tls import self_signed_certificate, server_context


@dataclass
class Streaming:
    """Answers ``status`` with ``chunks`` times ``chunk`` as the body, ``pause`` s apart."""

    status: int
    chunk: bytes
    chunks: int
    pause: float = 0.0
    sent: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        request.rfile.read(int(request.headers.get("Content-Length") or 0))
        try:
            request.send_response(self.status)
            request.send_header("Content-Length", str(len(self.chunk) * self.chunks))
            request.end_headers()
            for _ in range(self.chunks):
                request.wfile.write(self.chunk)
                request.wfile.flush()
                self.sent += len(self.chunk)
                time.sleep(self.pause)
        except OSError:
            pass  # the channel hung up
        finally:
            self.done.set()


DEADLINE = 1.0  # the channel's deadline_seconds: a trickled answer takes 6 s


def channel(kind: str, port: int, monkeypatch: pytest.MonkeyPatch) -> Channel:
    monkeypatch.setenv("TEST_HOOK_URL", f"http://127.0.0.1:{port}/hook")
    monkeypatch.setenv("TEST_SLACK_TOKEN", "xoxb-test-token")
    if kind == "webhook":
        hook = WebhookConfig(name="hook", url_env="TEST_HOOK_URL", deadline_seconds=DEADLINE)
        return WebhookChannel(hook)
    config = SlackConfig(
        name="slack",
        token_env="TEST_SLACK_TOKEN",
        channel="C0123",
        api_url=f"http://127.0.0.1:{port}/api",
        deadline_seconds=DEADLINE,
    )
    return SlackChannel(config)


@pytest.mark.parametrize(
    ("receiver", "kind", "retryable", "reason"),
    [
        # 400 MB of error page: the channel stops reading long before the end (and passes
        # on none of it: a run of 2,000 characters without a space may be a secret)
        (Streaming(400, b"x" * 65536, 6400), "webhook", False, "HTTP 400"),
        (Streaming(503, b"x" * 65536, 6400), "webhook", True, "HTTP 503"),
        (Streaming(200, b"x" * 65536, 6400), "slack", True, "Slack API answered"),
        # a body trickled a byte at a time: each read is quick, the whole is not; a
        # webhook has its answer in the status (but for an error's text), the Slack API's
        # is in the body
        (Streaming(200, b"x", 60, pause=0.1), "webhook", None, ""),
        (Streaming(400, b"x", 60, pause=0.1), "webhook", True, "timed out (no whole answer"),
        (Streaming(200, b" ", 60, pause=0.1), "slack", True, "timed out (no whole answer"),
    ],
)
def test_a_receiver_cannot_hold_a_channel_with_its_answer(
    monkeypatch: pytest.MonkeyPatch,
    receiver: Streaming,
    kind: str,
    retryable: bool | None,
    reason: str,
) -> None:
    with serving(receiver) as server:
        failure: DeliveryError | None = None
        try:
            send(channel(kind, server.port, monkeypatch), make_alert())
        except DeliveryError as exc:
            failure = exc
        assert receiver.done.wait(60)
    if retryable is None:
        assert failure is None
    else:
        assert failure is not None and failure.retryable is retryable
        assert failure.reason.startswith(reason)
        if reason.startswith("timed out"):  # at the channel's deadline_seconds
            assert failure.reason == (
                "timed out (no whole answer within 1 s, the channel's deadline_seconds)"
            )
    assert receiver.sent < len(receiver.chunk) * receiver.chunks, "the channel hung up early"


@pytest.mark.parametrize("kind", ["webhook", "slack"])
def test_the_deadline_has_a_default_and_is_checked(kind: str) -> None:
    def config(**deadline: float) -> WebhookConfig | SlackConfig:
        if kind == "webhook":
            return WebhookConfig(name="hook", url_env="X", **deadline)
        return SlackConfig(name="slack", url_env="X", **deadline)

    assert config().deadline_seconds == 30
    assert config(deadline_seconds=600).deadline_seconds == 600
    for seconds in (0, -1, 601):
        with pytest.raises(ValidationError, match="deadline_seconds"):
            config(deadline_seconds=seconds)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@contextmanager
def untrusted_https(certificate: tuple[Path, Path]) -> Iterator[str]:
    """A receiver that speaks TLS with a certificate no one trusts; its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.socket = server_context(certificate).wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    ("tls", "reason"),
    [
        (False, "request failed (ConnectError: Connection refused)"),
        (True, "request failed (ConnectError: TLS certificate not accepted: self"),
    ],
)
def test_why_a_receiver_was_not_reached_is_said(
    monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path], tls: bool, reason: str
) -> None:
    """Connection refused and an untrusted certificate are told apart (both retried)."""
    with contextlib.ExitStack() as stack:
        if tls:
            url = stack.enter_context(untrusted_https(certificate))
        else:
            url = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens
        monkeypatch.setenv("TEST_HOOK_URL", url)
        with pytest.raises(DeliveryError) as caught:
            send(WebhookChannel(WebhookConfig(name="hook", url_env="TEST_HOOK_URL")), make_alert())
    assert caught.value.retryable
    assert caught.value.reason.startswith(reason), caught.value.reason
    assert "127.0.0.1" not in caught.value.reason
