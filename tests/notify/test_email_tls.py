"""Email over STARTTLS and implicit TLS against aiosmtpd with a certificate made here."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from monitor.errors import DeliveryError
from monitor.notify.email import EmailChannel, EmailConfig
from tests.notify.conftest import Mailbox, free_port
from tests.notify.test_channels import make_alert, send


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "news-monitor test relay")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


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
