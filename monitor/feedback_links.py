"""Signed feedback: links in e-mail, and posts from a webhook receiver.

Both are signed with ``NEWS_MONITOR_FEEDBACK_KEY`` the way webhook deliveries are
(``notify.webhook.signature``: HMAC-SHA256). A link names the alert by its idempotency key
and carries ``sig=<issued>.<signature>``, the signature of ``key + verdict + issued`` (the
Unix time the link was made), so it can be neither altered, nor made for another alert,
nor made to last longer without the key; it is good for ``LINK_DAYS`` days and opens a page
that asks to confirm (a mail scanner that follows links records nothing). Links made
before they carried their time (``sig=<signature>`` of ``key + verdict``) are good for
``LINK_DAYS`` days after their alert was recorded. A receiver posts JSON with
``X-News-Monitor-Timestamp`` and ``X-News-Monitor-Signature`` over
``"<timestamp>.<body>"``, at most ``MAX_SKEW`` seconds old and at most ``MAX_AHEAD``
seconds ahead (the sender's clock may run a little fast; a later post is refused).
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from pydantic import SecretStr

from monitor.notify.webhook import signature
from monitor.settings import FEEDBACK_KEY_ENV, Settings

MAX_SKEW = 300.0  # how old a receiver's post may be
MAX_AHEAD = 30.0  # how far ahead of this clock a receiver's post may be dated
LINK_DAYS = 30  # how long an e-mail's feedback links are good for
LINK_SECONDS = LINK_DAYS * 86400.0
_LINK = "feedback-link"  # links without their time (made before links carried it)
_TIMED_LINK = "feedback-link-2"
UNTIMED = 0  # ``link_issued`` of a link made before links carried their time


@dataclass(frozen=True)
class FeedbackSigner:
    """Signs and checks feedback with the key."""

    key: SecretStr

    def __repr__(self) -> str:
        return "FeedbackSigner(key=***)"

    def link_token(self, alert_key: str, verdict: str, issued: int | None = None) -> str:
        """``<issued>.<signature>``; without ``issued``, the untimed token of older links."""
        if issued is None:
            body = f"{alert_key}\n{verdict}".encode()
            return signature(self.key.get_secret_value(), _LINK, body).removeprefix("sha256=")
        body = f"{alert_key}\n{verdict}\n{issued}".encode()
        made = signature(self.key.get_secret_value(), _TIMED_LINK, body)
        return f"{issued}.{made.removeprefix('sha256=')}"

    def link_issued(self, alert_key: str, verdict: str, token: str) -> int | None:
        """When the link was made (Unix time; ``UNTIMED`` for an older link without its
        time), or None when ``token`` is not this key's for this alert and verdict."""
        stamp, dot, _ = token.partition(".")
        timed = bool(dot) and stamp.isascii() and stamp.isdigit() and len(stamp) <= 12
        issued = int(stamp) if timed else None
        if dot and not issued:
            return None
        expected = self.link_token(alert_key, verdict, issued)
        if not hmac.compare_digest(expected.encode(), token.encode()):
            return None
        return issued or UNTIMED

    def post_ok(self, timestamp: str, body: bytes, given: str, now: float | None = None) -> bool:
        """Whether a receiver's post is signed with the key and fresh: dated at most
        ``MAX_SKEW`` seconds ago and at most ``MAX_AHEAD`` seconds ahead."""
        try:
            age = (now if now is not None else time.time()) - float(timestamp)
        except ValueError:
            return False
        expected = signature(self.key.get_secret_value(), timestamp, body)
        fresh = -MAX_AHEAD <= age <= MAX_SKEW  # False for nan
        return fresh and hmac.compare_digest(expected.encode(), given.encode())


@dataclass(frozen=True)
class FeedbackLinks:
    """The right/wrong links for an alert, on the pages' public address."""

    base_url: str
    signer: FeedbackSigner

    def link(self, alert_key: str, verdict: str, now: float | None = None) -> str:
        """The link, good for ``LINK_DAYS`` days from ``now``."""
        issued = int(now if now is not None else time.time())
        token = self.signer.link_token(alert_key, verdict, issued)
        query = urlencode({"alert": alert_key, "sig": token})
        return f"{self.base_url.rstrip('/')}/feedback/{verdict}?{query}"


def link_expired(issued: float, now: float | None = None) -> bool:
    """Whether a link made at ``issued`` (Unix time) is past its ``LINK_DAYS`` days."""
    return (now if now is not None else time.time()) - issued > LINK_SECONDS


def feedback_signer(settings: Settings) -> FeedbackSigner | None:
    """The signer when ``NEWS_MONITOR_FEEDBACK_KEY`` is set, else None."""
    key = settings.secret(FEEDBACK_KEY_ENV)
    return FeedbackSigner(key) if key is not None else None


def feedback_links(settings: Settings) -> FeedbackLinks | None:
    """Links for e-mail when both the key and ``NEWS_MONITOR_PUBLIC_URL`` are set."""
    signer = feedback_signer(settings)
    if signer is None or not settings.public_url:
        return None
    return FeedbackLinks(settings.public_url, signer)
