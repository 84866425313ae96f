"""Email over STARTTLS and implicit TLS against aiosmtpd with a certificate made here."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from monitor.errors import DeliveryError
from monitor.notify.email import EmailChannel, EmailConfig
from tests.notify.conftest import Mailbox, free_port
from tests.notify.test_channels import make_alert, send
from tests.tls import self_signed_certificate, server_context


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


def relay(certificate: tuple[Path, Path], implicit: bool) -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), free_port()
    context = server_context(certificate)
    options = (
        {"ssl_context": context} if implicit else {"tls_context": context, "require_starttls": True}
    )
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_email_over_tls(certificate: tuple[Path, Path], security: str) -> None:
    for mailbox, port in relay(certificate, implicit=security == "tls"):
        config = EmailConfig(
            name="mail",
            host="127.0.0.1",
            port=port,
            security=security,
            ca_file=certificate[0],
            sender="monitor@example.invalid",
            recipients=["desk@example.invalid"],
        )
        send(EmailChannel(config), make_alert())
        (raw,) = mailbox.messages
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["To"] == "desk@example.invalid"


def test_untrusted_certificate_is_refused(certificate: tuple[Path, Path]) -> None:
    for mailbox, port in relay(certificate, implicit=False):
        config = EmailConfig(
            name="mail",
            host="127.0.0.1",
            port=port,
            security="starttls",
            sender="monitor@example.invalid",
            recipients=["d@example.invalid"],
        )
        with pytest.raises(DeliveryError) as caught:
            send(EmailChannel(config), make_alert())
        assert "SSLCertVerificationError" in caught.value.reason
        assert mailbox.messages == []
