"""Email over SMTP (STARTTLS, implicit TLS, or plain for local relays): text + HTML.

Headers are built from one-line, truncated text (no CR/LF can reach them); the HTML part
escapes everything taken from feeds and links only http(s) URLs. ``smtplib`` runs in a
worker thread; its errors become ``DeliveryError`` (4xx and network trouble retryable,
5xx not).

One attempt has a deadline for the whole exchange (``deadline_seconds``, by default three
times ``timeout_seconds``, which bounds each answer only): a relay that trickles its
answers, a byte every few seconds, cannot hold a delivery longer. Past it the connection
is cut (``smtp_abort.Tripwire``) and the attempt fails, to be retried; so does an attempt
the daemon stops.

Recipients: if the relay refuses one for now (4xx, such as greylisting), the message is
sent to nobody yet (the transaction stops before DATA) and retried for all, so nobody
gets it twice; one refused for good (5xx) is left out with a warning naming it, and the
others get the message. Once the relay has taken the message (DATA answered 250), it is
delivered, never sent again: QUIT is said without waiting for its answer, and a deadline
that passes after that point fails nothing. An alert sent again all the same (its answer
lost, or a crash before the delivery was recorded) has the same ``Message-ID``. A relay
refusing the login (``535``) refuses the channel, not the alert (``ChannelRefused``).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import hashlib
import html
import io
import logging
import ssl
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import formatdate, getaddresses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field

from monitor.errors import ConfigError, DeliveryError, Problem
from monitor.models import Alert
from monitor.notify.base import ChannelRefused, ChannelSettings, channel_secrets
from monitor.notify.render import (
    NOTICE_RULES,
    alert_text,
    corroboration,
    headline,
    judge_line,
    one_line,
    shown_evidence,
    truncate,
)
from monitor.notify.slack import safe_link
from monitor.notify.webhook import ENV_NAME
from monitor.secrets import Secrets

if TYPE_CHECKING:
    import smtplib

    from monitor.feedback_links import FeedbackLinks
    from monitor.notify.smtp_abort import Tripwire

log = logging.getLogger("monitor.deliver")
Refused = dict[str, tuple[int, bytes]]  # recipients refused for good: address -> (code, text)
SUBJECT_LIMIT = 180
DEADLINE_FACTOR = 3  # the default deadline, in timeouts (one answer each)


def _addresses(recipient: str) -> str:
    """A recipient as written, if it holds addresses (``desk@example.org``, ``Desk
    <desk@example.org>``, a local relay's ``root``, or several separated by commas): words
    that are none would be refused or dropped at every alert, a line break would end the
    ``To`` header."""
    found = getaddresses([recipient])
    if "\r" in recipient or "\n" in recipient or not found or not all(a for _, a in found):
        raise ValueError(
            f"{recipient!r} is not an address (desk@example.org or 'Desk <desk@example.org>'; "
            "give each recipient as an item of its own)"
        )
    return recipient


class EmailConfig(ChannelSettings):
    type: Literal["email"] = "email"
    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username_env: str | None = Field(None, pattern=ENV_NAME)
    password_env: str | None = Field(None, pattern=ENV_NAME)
    sender: str = Field(pattern=r"^[^\s@<>]+@[^\s@<>]+$")
    recipients: list[Annotated[str, AfterValidator(_addresses)]] = Field(min_length=1)
    timeout_seconds: float = Field(20.0, gt=0, description="longest wait for one answer")
    deadline_seconds: float | None = Field(
        None, gt=0, description="longest one attempt may take in all (3 x timeout_seconds)"
    )
    ca_file: Path | None = Field(None, description="CA bundle to verify a private relay with")

    @property
    def deadline(self) -> float:
        """Seconds one delivery attempt may take, connection to goodbye."""
        if self.deadline_seconds is not None:
            return self.deadline_seconds
        return DEADLINE_FACTOR * self.timeout_seconds

    def tls_context(self) -> ssl.SSLContext:
        """The TLS context (with ``ca_file`` if given); ``ConfigError`` if it cannot load."""
        try:
            return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
        except (OSError, ssl.SSLError) as exc:
            reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or exc
            raise ConfigError(
                [Problem("", None, f"ca_file {self.ca_file}: cannot be used ({reason})")]
            ) from exc

    def local_problems(self) -> list[str]:
        try:
            self.tls_context()
        except ConfigError as exc:
            return [p.message for p in exc.problems]
        return []


def message_id(alert: Alert, subject: str) -> str:
    """The same ``Message-ID`` whenever the same alert is sent again (a retry after an answer
    was lost, or after a crash before the delivery was recorded): many mail systems
    drop a message whose ID they have; a digest that grew in between gets another."""
    seen = "\n".join((alert.idempotency_key, subject, alert_text(alert)))
    return f"<{hashlib.sha256(seen.encode()).hexdigest()[:40]}@news-monitor.invalid>"


def email_message(
    alert: Alert, sender: str, recipients: list[str], links: FeedbackLinks | None = None
) -> EmailMessage:
    """A multipart/alternative message (plain text and HTML) for ``alert``; with ``links``,
    signed links to mark it right or wrong (not for news-monitor's own notices)."""
    article = alert.article
    message = EmailMessage()
    message["Subject"] = truncate(
        one_line(f"[news-monitor] {headline(alert)}: {article.title}"), SUBJECT_LIMIT
    )
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id(alert, str(message["Subject"]))
    message["X-News-Monitor-Idempotency-Key"] = one_line(alert.idempotency_key)[:200]
    marks = (
        {v: links.link(alert.idempotency_key, v) for v in ("right", "wrong")}
        if links is not None and alert.rule not in NOTICE_RULES
        else {}
    )
    footer = "".join(f"Mark it {verdict}: {url}\n" for verdict, url in marks.items())
    message.set_content(alert_text(alert) + "\n" + (f"\n{footer}" if footer else ""))
    e = html.escape
    feedback = " &middot; ".join(
        f'<a href="{e(url)}">Mark it {verdict}</a>' for verdict, url in marks.items()
    )
    rows = "".join(
        f"<p><b>Evidence</b> (novelty {ev.novelty:.2f}): {e(ev.sentence)}</p>"
        + (
            f"<p><i>Nearest known claim</i> ({ev.similarity:.2f}): {e(ev.nearest_claim)}</p>"
            if ev.nearest_claim
            else ""
        )
        for ev in shown_evidence(alert, 3)
    )
    link = safe_link(article.link)
    read = f'<p><a href="{e(link)}">Read the article</a></p>' if link else ""
    message.add_alternative(
        "<!doctype html><html><body>"
        f"<h2>{e(headline(alert))}</h2>"
        f"<p><b>{e(alert.severity)}</b> &middot; {e(', '.join(alert.all_rules))} &middot; "
        f"{e(article.feed)} &middot; confidence {alert.confidence:.2f} &middot; "
        f"{e(corroboration(alert))}</p>"
        f"<p>{e(article.title)}</p>"
        + (f"<p><i>{e(judge_line(alert.judge))}</i></p>" if alert.judge else "")
        + f"{rows}{read}"
        f"<p><small>development {e(alert.development)}</small></p>"
        + (f"<p>{feedback}</p>" if feedback else "")
        + "</body></html>",
        subtype="html",
    )
    return message


class EmailChannel:
    def __init__(self, config: EmailConfig, secrets: Secrets | None = None) -> None:
        self.name = config.name
        self.config = config
        self.links: FeedbackLinks | None = None  # set by notify.build when configured
        self._context = config.tls_context()
        found = channel_secrets(config, secrets)
        self._username = found.require(config.username_env) if config.username_env else None
        self._password = found.require(config.password_env) if config.password_env else None

    def _send_blocking(
        self, message: EmailMessage, wire: Tripwire, taken: list[Refused]
    ) -> Refused:
        """Send ``message`` over a connection ``wire`` can cut; return the recipients
        refused for good (left out), also put in ``taken`` as soon as the relay has it."""
        try:
            return self._exchange(message, wire, taken)
        finally:
            wire.release()

    def _exchange(self, message: EmailMessage, wire: Tripwire, taken: list[Refused]) -> Refused:
        import smtplib

        from monitor.notify.smtp_abort import WatchedSMTP, WatchedSMTP_SSL

        c = self.config
        context = self._context
        smtp: smtplib.SMTP
        if c.security == "tls":
            smtp = WatchedSMTP_SSL(
                c.host, c.port, timeout=c.timeout_seconds, wire=wire, context=context
            )
        else:
            smtp = WatchedSMTP(c.host, c.port, timeout=c.timeout_seconds, wire=wire)
        try:
            if c.security == "starttls":
                smtp.ehlo_or_helo_if_needed()
                if not smtp.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError(
                        "SMTP relay does not offer STARTTLS (check host and port; "
                        "security: tls for implicit TLS, none for a trusted local relay)"
                    )
                smtp.starttls(context=context)
            if self._username is not None and self._password is not None:
                smtp.login(self._username.get_secret_value(), self._password.get_secret_value())
            refused = _transfer(smtp, message, c.sender, c.recipients)
            taken.append(refused)
            return refused
        finally:
            _hang_up(smtp)

    async def send(self, alert: Alert, thread: str | None = None) -> str | None:
        import smtplib  # only where an e-mail channel sends

        message = email_message(alert, self.config.sender, self.config.recipients, self.links)
        try:
            refused = await self._within_deadline(message)
        except smtplib.SMTPResponseException as exc:
            code = exc.smtp_code
            if isinstance(exc, smtplib.SMTPAuthenticationError) and code >= 500:
                raise ChannelRefused(self.name, f"SMTP {code} (login refused)") from exc
            raise DeliveryError(self.name, f"SMTP {code}", retryable=400 <= code < 500) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            now = any(code < 500 for code, _ in exc.recipients.values())
            raise DeliveryError(
                self.name,
                f"recipients refused{' for now' if now else ''}: {_refusals(exc.recipients)}",
                retryable=now,
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:  # smtplib's own words: no secret in them
            raise DeliveryError(self.name, str(exc), retryable=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(
                self.name, f"SMTP connection failed ({type(exc).__name__})", retryable=True
            ) from exc
        if refused:
            log.warning(
                "deliver: email sent, but the relay refused some recipients for good",
                extra={"channel": self.name, "refused": _refusals(refused)},
            )
        return None

    async def _within_deadline(self, message: EmailMessage) -> Refused:
        """``_send_blocking`` in a worker thread, its connection cut at the deadline (or
        when the daemon stops the attempt): a ``DeliveryError`` to retry says so, unless
        the relay had taken the message by then (it is delivered)."""
        from monitor.notify.smtp_abort import Tripwire

        wire = Tripwire()
        taken: list[Refused] = []
        deadline = self.config.deadline
        try:
            async with asyncio.timeout(deadline) as scope:
                return await asyncio.to_thread(self._send_blocking, message, wire, taken)
        except TimeoutError as exc:
            if not scope.expired():
                raise  # the socket's own timeout, inside smtplib: an OSError like others
            if taken:
                return taken[0]
            raise DeliveryError(
                self.name,
                f"SMTP exchange not finished within its deadline of {deadline:g} s "
                "(deadline_seconds; the relay answers too slowly)",
                retryable=True,
            ) from exc
        finally:
            wire.trip()  # a thread still talking to the relay stops at once

    async def aclose(self) -> None:
        return None


def _hang_up(smtp: smtplib.SMTP) -> None:
    """Say QUIT without waiting for the answer, and close the connection: once the relay
    has the message, a slow or failed goodbye must not make it a failure to send again."""
    import smtplib

    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.send("QUIT\r\n")
    smtp.close()


def _refusals(refused: Refused) -> str:
    """``address code`` for each refused recipient (the relay's text is left out)."""
    return ", ".join(f"{address} {code}" for address, (code, _) in refused.items())


def _transfer(
    smtp: smtplib.SMTP, message: EmailMessage, sender: str, recipients: list[str]
) -> Refused:
    """MAIL, RCPT for each recipient, then DATA; return the recipients refused for good.

    ``smtplib``'s ``send_message`` goes on to DATA when some recipients are refused, so a
    recipient greylisted (4xx) would never get the message, and a retry would send it
    again to the others. Here the transaction stops before DATA (``SMTPRecipientsRefused``)
    when any recipient is refused for now, or all are refused.
    """
    import smtplib

    addresses = [address for _, address in getaddresses(recipients)]  # as the To header has
    options = [] if (sender + "".join(addresses)).isascii() else ["SMTPUTF8", "BODY=8BITMIME"]
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused: Refused = {}
    for address in addresses:
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, reply)
    if len(refused) == len(addresses) or any(code < 500 for code, _ in refused.values()):
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    flat = io.BytesIO()
    BytesGenerator(flat, policy=email.policy.SMTPUTF8 if options else email.policy.SMTP).flatten(
        message
    )
    code, reply = smtp.data(flat.getvalue())
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return refused
