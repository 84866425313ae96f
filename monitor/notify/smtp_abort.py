"""SMTP connections another thread can cut: how the e-mail channel keeps its deadline.

``smtplib``'s timeout bounds each socket operation, not an exchange: a relay that trickles
its answers a byte at a time holds a sending thread as long as it likes. A ``Tripwire``
keeps a duplicate of the connection's socket (``socket.dup``: the same connection, plain
or inside the TLS that ``SMTP_SSL`` or STARTTLS puts around it); ``trip`` shuts that
connection down from any thread, so the thread blocked in ``smtplib`` gets an ``OSError``
at once. A wire tripped before the connection exists cuts it as soon as it is made.
``WatchedSMTP`` and ``WatchedSMTP_SSL`` are ``smtplib``'s clients reporting their
connection to a wire.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import threading


class Tripwire:
    """Cuts the SMTP connection it watches, once tripped, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._twin: socket.socket | None = None
        self.tripped = False

    def watch(self, sock: socket.socket) -> None:
        """Watch ``sock`` (cut at once if the wire was tripped already)."""
        with self._lock:
            self._twin = sock.dup()
            if self.tripped:
                self._cut()

    def trip(self) -> None:
        """Shut the connection down (now, or as soon as there is one)."""
        with self._lock:
            self.tripped = True
            self._cut()

    def release(self) -> None:
        """Let go of the connection (the exchange is over)."""
        with self._lock:
            if self._twin is not None:
                self._twin.close()
                self._twin = None

    def _cut(self) -> None:
        if self._twin is not None:
            with contextlib.suppress(OSError):  # already closed by the relay: nothing to cut
                self._twin.shutdown(socket.SHUT_RDWR)


class WatchedSMTP(smtplib.SMTP):
    """``smtplib.SMTP`` (plain, or STARTTLS later) whose connection ``wire`` watches."""

    def __init__(self, host: str, port: int, *, timeout: float, wire: Tripwire) -> None:
        self.wire = wire
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock: socket.socket = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        self.wire.watch(sock)
        return sock


class WatchedSMTP_SSL(smtplib.SMTP_SSL, WatchedSMTP):
    """``smtplib.SMTP_SSL`` whose connection (below its TLS) ``wire`` watches."""

    def __init__(
        self, host: str, port: int, *, timeout: float, wire: Tripwire, context: ssl.SSLContext
    ) -> None:
        self.wire = wire  # SMTP_SSL connects in its __init__: WatchedSMTP's is skipped
        smtplib.SMTP_SSL.__init__(self, host, port, timeout=timeout, context=context)
