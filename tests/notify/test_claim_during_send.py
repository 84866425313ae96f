"""With replicas, a send lasting longer than the channel's claim (an e-mail relay answering
slowly, well within the channel's deadline) keeps the claim until it ends: no other
replica can take the channel meanwhile."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from monitor.notify.email import EmailChannel, EmailConfig
from monitor.notify.outbox import Outbox
from monitor.poller import utc_now
from monitor.store import Store, open_store
from tests.notify.test_email_deadline import SlowRelay
from tests.notify.test_outbox import alerts, queue

CLAIM = timedelta(seconds=1)
ANSWER_DELAY = 0.5  # the relay has the message after six answers: 3 s, thrice the claim


async def drain_while_another_tries(box: Outbox, store: Store) -> list[bool]:
    """Drain ``box`` (replica a) while replica b tries to claim the channel, past the
    first claim's end; what b's tries got."""
    taken: list[bool] = []

    async def other_replica() -> None:
        await asyncio.sleep(1.5 * CLAIM.total_seconds())
        for _ in range(3):
            now = utc_now()
            taken.append(await store.run(store.claim_channel, "mail", "b", now, now + CLAIM))
            await asyncio.sleep(0.3)

    trying = asyncio.create_task(other_replica())
    assert await box.deliver_due() == 1
    await trying
    return taken


def test_a_long_send_keeps_its_channels_claim(tmp_path: Path) -> None:
    server = SlowRelay("none", None, ANSWER_DELAY, None)
    server.start()
    store = open_store(tmp_path / "state.db")
    queue(store, alerts(1), utc_now(), "mail")
    mail = EmailChannel(
        EmailConfig(
            name="mail",
            host="127.0.0.1",
            port=server.port,
            security="none",
            sender="monitor@example.invalid",
            recipients=["desk@example.invalid"],
            deadline_seconds=30,  # far longer than the claim
        )
    )
    box = Outbox(store, {"mail": mail}, holder="a", claim_for=CLAIM)
    try:
        taken = asyncio.run(drain_while_another_tries(box, store))
    finally:
        asyncio.run(box.aclose())
        server.listener.close()
        server.join(15)
    assert server.delivered
    assert taken == [False, False, False], "replica b took the channel during a's send"
    assert [row[2:4] for row in store.outbox_rows()] == [("delivered", 1)]
