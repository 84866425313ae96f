"""How an SMTP relay's refusals become ``DeliveryError``: a temporary refusal (4xx, such
as greylisting of a recipient) is retried, a permanent one (5xx) is not; a message the
relay took is never sent again (nor to a recipient that has it); against aiosmtpd."""

from __future__ import annotations

import email
import email.policy
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from monitor.errors import DeliveryError
from monitor.notify.email import EmailChannel, EmailConfig
from tests.notify.conftest import Mailbox, free_port
from tests.notify.test_channels import make_alert, send


class Refusing(Mailbox):
    """A relay that answers RCPT TO (per address) and DATA with the replies it is given."""

    def __init__(
        self, rcpt: dict[str, str], data: str | None = None, quit: str | None = None
    ) -> None:
        super().__init__()
        self.rcpt, self.data, self.quit = rcpt, data, quit

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        reply = self.rcpt.get(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data is not None:
            return self.data
        return await super().handle_DATA(server, session, envelope)

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        return self.quit or "221 Bye"


def relay(handler: Mailbox) -> Iterator[int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


DESK = "desk@example.invalid"
ELSEWHERE = "editor@elsewhere.invalid"


def channel(port: int, recipients: list[str], security: str = "none") -> EmailChannel:
    return EmailChannel(
        EmailConfig(
            name="mail",
            host="127.0.0.1",
            port=port,
            security=security,
            sender="monitor@example.invalid",
            recipients=recipients,
        )
    )


@pytest.mark.parametrize(
    ("rcpt", "data", "retryable", "reason"),
    [
        ({DESK: "450 4.2.0 Greylisted, try again later"}, None, True, "recipients refused"),
        ({DESK: "452 4.2.2 Mailbox full"}, None, True, "recipients refused"),
        ({DESK: "550 5.1.1 No such user"}, None, False, "recipients refused"),
        # one greylisted of two: nobody gets it now, both on the retry (no duplicate)
        ({ELSEWHERE: "451 4.7.1 Greylisted"}, None, True, "recipients refused"),
        ({DESK: "550 5.1.1 No such user", ELSEWHERE: "450 4.2.0 Busy"}, None, True, "refused"),
        ({}, "451 4.3.0 Try again later", True, "SMTP 451"),
        ({}, "554 5.7.1 Rejected", False, "SMTP 554"),
    ],
)
def test_refusals_are_retried_only_when_temporary(
    rcpt: dict[str, str], data: str | None, retryable: bool, reason: str
) -> None:
    handler = Refusing(rcpt, data)
    for port in relay(handler):
        with pytest.raises(DeliveryError) as caught:
            send(channel(port, [DESK, ELSEWHERE] if ELSEWHERE in rcpt else [DESK]), make_alert())
    assert caught.value.retryable is retryable
    assert reason in caught.value.reason
    assert handler.messages == []
    for address, reply in rcpt.items():
        assert f"{address} {reply.split()[0]}" in caught.value.reason


def test_a_recipient_refused_for_good_is_named_and_the_others_get_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handler = Refusing({ELSEWHERE: "550 5.1.1 No such user"})
    for port in relay(handler):
        with caplog.at_level(logging.WARNING, logger="monitor.deliver"):
            send(channel(port, [DESK, ELSEWHERE]), make_alert())
    assert handler.envelopes == [("monitor@example.invalid", [DESK])]
    (record,) = caplog.records
    assert record.getMessage().startswith("deliver: ")
    assert record.channel == "mail"  # type: ignore[attr-defined]
    assert f"{ELSEWHERE} 550" in record.refused  # type: ignore[attr-defined]


@pytest.mark.parametrize("goodbye", ["421 4.3.2 Shutting down", "500 5.5.1 What?"])
def test_a_message_the_relay_took_is_delivered_whatever_it_says_to_quit(goodbye: str) -> None:
    handler = Refusing({}, quit=goodbye)
    for port in relay(handler):
        send(channel(port, [DESK]), make_alert())
    assert len(handler.messages) == 1


@pytest.mark.parametrize(
    "recipients",
    [[DESK, ELSEWHERE], [f"{DESK}, {ELSEWHERE}"], [f"Desk <{DESK}>", f'"Ed, Itor" <{ELSEWHERE}>']],
)
def test_every_address_of_the_recipients_gets_the_message(recipients: list[str]) -> None:
    handler = Refusing({})
    for port in relay(handler):
        send(channel(port, recipients), make_alert())
    assert handler.envelopes == [("monitor@example.invalid", [DESK, ELSEWHERE])]


def test_an_email_sent_again_has_the_same_message_id() -> None:
    """A retry after a lost answer (or a crash before the delivery was recorded) repeats
    the Message-ID, by which mail systems and clients drop the duplicate."""
    handler = Refusing({})
    first, other = make_alert(), make_alert(title="Another development")
    for port in relay(handler):
        for alert in (first, first, other):
            send(channel(port, [DESK]), alert)
    parsed = [
        email.message_from_bytes(raw, policy=email.policy.default) for raw in handler.messages
    ]
    ids = [message["Message-ID"] for message in parsed]
    assert ids[0] == ids[1] != ids[2]
    assert all(i.startswith("<") and i.endswith("@news-monitor.invalid>") for i in ids)


def test_a_relay_without_starttls_is_named_as_such() -> None:
    handler = Refusing({})
    for port in relay(handler):  # plain SMTP, no STARTTLS offered
        with pytest.raises(DeliveryError) as caught:
            send(channel(port, [DESK], security="starttls"), make_alert())
    assert caught.value.reason.startswith("SMTP relay does not offer STARTTLS")
    assert "security: tls" in caught.value.reason
    assert handler.messages == []
