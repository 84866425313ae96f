"""The Apprise channel's deadline for one send, against a service on 127.0.0.1 that
answers a byte at a time (never silent long enough for Apprise's read timeout): the
send fails at its deadline, to be retried, while the outbox's drain and the other
channels go on; the channel starts no other send until the abandoned one has ended."""

from __future__ import annotations

import asyncio
import random
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pydantic import ValidationError

from monitor.errors import DeliveryError
from monitor.notify.apprise import AppriseBusy, AppriseChannel, AppriseConfig
from monitor.notify.base import Channel
from monitor.notify.outbox import Outbox
from monitor.notify.webhook import WebhookChannel, WebhookConfig
from monitor.store import open_store
from tests.helpers import record_alerts
from tests.notify.test_channels import make_alert
from tests.notify.test_outbox import Clock, alerts
from tests.servers import Receiver, serving

PAUSE = 0.2  # between two bytes of the slow answer
LONGEST = 10.0  # the slow answer ends by then, released or not
DEADLINE = 1.0


class SlowService(threading.Thread):
    """HTTP on 127.0.0.1: the first request's answer is trickled (a padding header, a byte
    every ``PAUSE`` s) until ``release`` is set or ``LONGEST`` s pass, then finished at
    once; later requests are answered at once. Counts the requests."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests = 0
        self.release = threading.Event()
        self.answered = threading.Event()  # the first answer is finished
        self.stop = threading.Event()

    def run(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            with conn:
                self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        head, body = request.split(b"\r\n\r\n", 1)
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        while length and len(body) < int(length.group(1)):  # read whole: no reset at close
            body += conn.recv(4096)
        self.requests += 1
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Pad: ")
        ends = time.monotonic() + LONGEST
        while self.requests == 1 and not self.release.wait(PAUSE) and time.monotonic() < ends:
            conn.sendall(b".")
        conn.sendall(b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        self.answered.set()


@contextmanager
def slow_service() -> Iterator[SlowService]:
    service = SlowService()
    service.start()
    try:
        yield service
    finally:
        service.release.set()
        service.stop.set()
        service.join(LONGEST + 5)
        service.listener.close()


def apprise(name: str, url: str, monkeypatch: pytest.MonkeyPatch) -> AppriseChannel:
    variable = f"TEST_{name.upper().replace('-', '_')}_URL"
    monkeypatch.setenv(variable, url)
    return AppriseChannel(AppriseConfig(name=name, url_env=variable, deadline_seconds=DEADLINE))


def test_a_slow_service_holds_neither_the_drain_nor_other_channels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with slow_service() as slow, serving(Receiver()) as quick:
        monkeypatch.setenv("TEST_HOOK_URL", quick.url())
        channels: dict[str, Channel] = {
            "slow": apprise("slow", f"json://127.0.0.1:{slow.port}/x", monkeypatch),
            "chat": apprise("chat", f"json://127.0.0.1:{quick.port}/chat", monkeypatch),
            "hook": WebhookChannel(WebhookConfig(name="hook", url_env="TEST_HOOK_URL")),
        }
        clock = Clock()
        store = open_store(tmp_path / "state.db")
        record_alerts(store, alerts(2), clock(), list(channels))
        box = Outbox(store, channels, clock=clock, rng=random.Random(1))
        delivered = asyncio.run(box.deliver_due())
        waited = slow.answered.is_set()  # its answer trickles until released (or LONGEST)
        asyncio.run(box.aclose())
        rows = {(row[0], row[1]): row[2:] for row in store.outbox_rows()}
    assert not waited, "the drain waited for the slow service's answer"
    assert delivered == 4
    for name in ("chat", "hook"):
        assert rows[(1, name)] == rows[(2, name)] == ("delivered", 1, None)
    assert rows[(1, "slow")] == (
        "pending",
        1,
        "Apprise send not finished within its deadline of 1 s (deadline_seconds; "
        "the service answers too slowly)",
    )
    assert rows[(2, "slow")] == ("pending", 0, None), "held back behind the first, in order"
    assert [r.path for r in quick.accepted].count("/chat") == 2


def test_no_second_send_of_a_channel_while_its_abandoned_one_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def attempt(channel: AppriseChannel) -> DeliveryError | None:
        try:
            await channel.send(make_alert())
        except DeliveryError as exc:
            return exc
        return None

    with slow_service() as slow:
        url = f"json://127.0.0.1:{slow.port}/x"
        first = asyncio.run(attempt(apprise("slow-b", url, monkeypatch)))
        assert isinstance(first, DeliveryError) and not isinstance(first, AppriseBusy)
        assert first.retryable and first.channel == "slow-b"
        assert str(first).startswith("channel slow-b: Apprise send not finished within")
        reloaded = apprise("slow-b", url, monkeypatch)  # the same channel, built anew
        busy = asyncio.run(attempt(reloaded))
        assert isinstance(busy, AppriseBusy) and busy.retryable and busy.channel == "slow-b"
        assert slow.requests == 1, "no second send while the first still runs"
        slow.release.set()
        assert slow.answered.wait(5)
        outcome: DeliveryError | None = busy
        for _ in range(50):  # the abandoned send ends as soon as the answer is in
            outcome = asyncio.run(attempt(reloaded))
            if not isinstance(outcome, AppriseBusy):
                break
            time.sleep(0.1)
        assert outcome is None
        assert slow.requests == 2


@pytest.mark.parametrize("seconds", [0, -1, 601])
def test_the_deadline_is_checked(seconds: float) -> None:
    with pytest.raises(ValidationError, match="deadline_seconds"):
        AppriseConfig(name="chat", url_env="X", deadline_seconds=seconds)


def test_the_deadline_has_a_default() -> None:
    assert AppriseConfig(name="chat", url_env="X").deadline_seconds == 30
