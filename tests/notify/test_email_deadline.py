"""The e-mail channel's deadline for one whole attempt, against a relay on 127.0.0.1 that
trickles an answer a byte at a time (never silent long enough for the per-answer timeout)
or answers every command slowly but in time; plain, implicit TLS and after STARTTLS.

Each relay would take the message in the end (within seconds): past the deadline the
attempt fails, to be retried, and the relay sees the connection cut before it has it."""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.errors import DeliveryError
from monitor.notify.email import EmailChannel, EmailConfig
from monitor.notify.outbox import Outbox
from monitor.store import open_store
from tests.notify.test_channels import make_alert
from tests.notify.test_outbox import Clock, drain, queue
from tests.tls import self_signed_certificate, server_context

TRICKLE_PAUSE = 0.05  # between two bytes of a trickled answer
TRICKLED = 60  # bytes of padding a trickled answer carries: 3 s of it


class HungUp(Exception):
    """The client closed the connection."""


class SlowRelay(threading.Thread):
    """One SMTP session on 127.0.0.1: every answer after ``delay``, the answer at
    ``trickle`` ("greeting", or "ehlo-after-tls" for the EHLO after STARTTLS) a byte at a
    time. Records the step at which the client hung up, and whether it got the message."""

    def __init__(
        self, security: str, trickle: str | None, delay: float, context: ssl.SSLContext | None
    ) -> None:
        super().__init__(daemon=True)
        self.security, self.trickle, self.delay, self.context = security, trickle, delay, context
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.step = "connect"
        self.hung_up_at: str | None = None
        self.delivered = False

    def run(self) -> None:
        self.listener.settimeout(10)
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        self.conn = conn
        try:
            self._session()
        except HungUp:
            self.hung_up_at = self.step
        except OSError:  # reset, or TLS torn down: hung up as well
            self.hung_up_at = self.step
        finally:
            self.conn.close()  # the TLS socket wrapping it, if any
            self.listener.close()

    def _wait(self, conn: socket.socket, seconds: float) -> None:
        """Sleep ``seconds``, unless the client hangs up meanwhile (``HungUp``)."""
        if select.select([conn], [], [], seconds)[0] and not conn.recv(1):
            raise HungUp

    def _answer(self, conn: socket.socket, step: str, text: bytes) -> None:
        self.step = step
        self._wait(conn, self.delay)
        if step != self.trickle:
            conn.sendall(text)
            return
        for byte in text[:4] + b"." * TRICKLED + text[4:]:
            conn.sendall(bytes([byte]))
            self._wait(conn, TRICKLE_PAUSE)

    def _line(self, conn: socket.socket) -> bytes:
        conn.settimeout(10)
        line = b""
        while not line.endswith(b"\n"):
            got = conn.recv(1)
            if not got:
                raise HungUp
            line += got
        return line

    def _wrap(self) -> socket.socket:
        assert self.context is not None
        self.conn = self.context.wrap_socket(self.conn, server_side=True)
        return self.conn

    def _session(self) -> None:
        conn, tls = self.conn, False
        if self.security == "tls":
            conn, tls = self._wrap(), True
        self._answer(conn, "greeting", b"220 slow.relay.invalid ESMTP\r\n")
        while True:
            command = self._line(conn).strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                offer = b"250-STARTTLS\r\n" if self.security == "starttls" and not tls else b""
                step = "ehlo-after-tls" if tls and self.security == "starttls" else "ehlo"
                self._answer(conn, step, b"250-slow.relay.invalid\r\n" + offer + b"250 OK\r\n")
            elif command == b"STARTTLS":
                self._answer(conn, "starttls", b"220 Go ahead\r\n")
                conn, tls = self._wrap(), True
            elif command == b"DATA":
                self._answer(conn, "data", b"354 End with .\r\n")
                while self._line(conn) != b".\r\n":
                    pass
                self._answer(conn, "message", b"250 Queued\r\n")
                self.delivered = True
            elif command == b"QUIT":
                self._answer(conn, "quit", b"221 Bye\r\n")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self._answer(conn, command[:4].decode().lower(), b"250 OK\r\n")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@contextlib.contextmanager
def relay(
    certificate: tuple[Path, Path], security: str, trickle: str | None, delay: float
) -> Iterator[SlowRelay]:
    context = server_context(certificate) if security != "none" else None
    server = SlowRelay(security, trickle, delay, context)
    server.start()
    try:
        yield server
    finally:
        server.listener.close()
        server.join(15)


def channel(port: int, security: str, ca_file: Path, deadline: float | None) -> EmailChannel:
    return EmailChannel(
        EmailConfig(
            name="mail",
            host="127.0.0.1",
            port=port,
            security=security,
            sender="monitor@example.invalid",
            recipients=["desk@example.invalid"],
            ca_file=ca_file,
            timeout_seconds=1,  # far longer than any pause of the relay
            deadline_seconds=deadline,
        )
    )


async def attempt(target: EmailChannel) -> DeliveryError | None:
    try:
        await target.send(make_alert())
    except DeliveryError as exc:
        return exc
    finally:
        await target.aclose()
    return None


@pytest.mark.parametrize(
    ("security", "trickle", "delay", "cut_at"),
    [
        ("none", "greeting", 0.0, {"greeting"}),
        ("tls", "greeting", 0.0, {"greeting"}),
        ("starttls", "ehlo-after-tls", 0.0, {"ehlo-after-tls"}),
        # each answer in time, seven of them far past the deadline in all
        ("none", None, 0.25, {"greeting", "ehlo", "mail", "rcpt"}),
    ],
)
def test_a_slow_relay_cannot_hold_an_attempt_past_its_deadline(
    certificate: tuple[Path, Path],
    security: str,
    trickle: str | None,
    delay: float,
    cut_at: set[str],
) -> None:
    with relay(certificate, security, trickle, delay) as server:
        error = asyncio.run(attempt(channel(server.port, security, certificate[0], 0.6)))
        server.join(15)
        assert not server.is_alive()
        assert isinstance(error, DeliveryError)
        assert error.retryable
        assert str(error) == (
            "channel mail: SMTP exchange not finished within its deadline of 0.6 s "
            "(deadline_seconds; the relay answers too slowly)"
        )
        assert server.hung_up_at in cut_at  # the connection was cut, not left to finish
        assert not server.delivered


@pytest.mark.parametrize("security", ["none", "starttls"])
def test_a_slow_relay_within_the_deadline_gets_the_message(
    certificate: tuple[Path, Path], security: str
) -> None:
    with relay(certificate, security, None, 0.05) as server:
        assert asyncio.run(attempt(channel(server.port, security, certificate[0], 30))) is None
        server.join(15)
        assert server.delivered
        assert server.step == "quit"  # said goodbye, without waiting for the answer
        assert server.hung_up_at in (None, "quit")


class SlowGoodbye(SlowRelay):
    """Takes the message at once, then answers QUIT after ``QUIT_PAUSE`` seconds."""

    def __init__(self) -> None:
        super().__init__("none", None, 0.0, None)
        self.quit_seen = threading.Event()

    def _answer(self, conn: socket.socket, step: str, text: bytes) -> None:
        self.step = step
        if step == "quit":
            self.quit_seen.set()
            self._wait(conn, QUIT_PAUSE)
        conn.sendall(text)


QUIT_PAUSE = 5.0


def test_a_message_the_relay_took_is_delivered_whatever_quit_does(
    tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    """Past the deadline while the relay is slow to say goodbye, the message it took is
    delivered (not retried, which would send it again at every retry)."""
    server = SlowGoodbye()
    server.start()
    store = open_store(tmp_path / "state.db")
    clock = Clock()
    queue(store, [make_alert()], clock(), channel="mail")
    box = Outbox(store, {"mail": channel(server.port, "none", certificate[0], 0.6)}, clock=clock)
    try:
        drain(box, clock, 3, timedelta(minutes=5))
    finally:
        asyncio.run(box.aclose())
        server.listener.close()
        server.join(15)
    assert server.delivered and server.quit_seen.is_set()
    # the client hung up during the relay's pause before answering QUIT: not awaited
    assert server.hung_up_at == "quit"
    assert [row[2:5] for row in store.outbox_rows()] == [("delivered", 1, None)]


def test_an_attempt_the_daemon_stops_is_cut(certificate: tuple[Path, Path]) -> None:
    """Cancelled (the daemon stopping after its grace), the attempt cuts the connection
    instead of leaving a thread to finish it unrecorded."""

    async def stopped() -> None:
        target = channel(server.port, "none", certificate[0], 30)
        task = asyncio.create_task(target.send(make_alert()))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    with relay(certificate, "none", "greeting", 0.0) as server:
        asyncio.run(stopped())
        server.join(15)
        assert server.hung_up_at == "greeting"
        assert not server.delivered


@pytest.mark.parametrize(
    ("timeout", "deadline", "expected"), [(20, None, 60), (2, None, 6), (20, 45, 45)]
)
def test_the_deadline_defaults_to_three_timeouts(
    timeout: float, deadline: float | None, expected: float
) -> None:
    config = EmailConfig(
        name="mail",
        host="relay.invalid",
        sender="monitor@example.invalid",
        recipients=["desk@example.invalid"],
        timeout_seconds=timeout,
        deadline_seconds=deadline,
    )
    assert config.deadline == expected
