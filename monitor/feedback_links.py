"""Signed feedback: links in e-mail, and posts from a webhook receiver.

Both are signed with ``NEWS_MONITOR_FEEDBACK_KEY`` the way webhook deliveries are
(``notify.webhook.signature``: HMAC-SHA256). A link names the alert by its idempotency key
and carries the signature of ``key + verdict``, so it can be neither altered nor made for
another alert without the key; it opens a page that asks to confirm (a mail scanner that
follows links records nothing). A receiver posts JSON with ``X-News-Monitor-Timestamp``
and ``X-News-Monitor-Signature`` over ``"<timestamp>.<body>"``, at most ``MAX_SKEW``
seconds old.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from pydantic import SecretStr

from monitor.notify.webhook import signature
from monitor.settings import FEEDBACK_KEY_ENV, Settings

MAX_SKEW = 300.0
_LINK = "feedback-link"


@dataclass(frozen=True)
class FeedbackSigner:
    """Signs and checks feedback with the key."""

    key: SecretStr

    def __repr__(self) -> str:
        return "FeedbackSigner(key=***)"

    def link_token(self, alert_key: str, verdict: str) -> str:
        body = f"{alert_key}\n{verdict}".encode()
        return signature(self.key.get_secret_value(), _LINK, body).removeprefix("sha256=")

    def link_ok(self, alert_key: str, verdict: str, token: str) -> bool:
        return hmac.compare_digest(self.link_token(alert_key, verdict).encode(), token.encode())

    def post_ok(self, timestamp: str, body: bytes, given: str, now: float | None = None) -> bool:
        """Whether a receiver's post is signed with the key and fresh."""
        try:
            age = abs((now if now is not None else time.time()) - float(timestamp))
        except ValueError:
            return False
        expected = signature(self.key.get_secret_value(), timestamp, body)
        return age <= MAX_SKEW and hmac.compare_digest(expected.encode(), given.encode())


@dataclass(frozen=True)
class FeedbackLinks:
    """The right/wrong links for an alert, on the pages' public address."""

    base_url: str
    signer: FeedbackSigner

    def link(self, alert_key: str, verdict: str) -> str:
        query = urlencode({"alert": alert_key, "sig": self.signer.link_token(alert_key, verdict)})
        return f"{self.base_url.rstrip('/')}/feedback/{verdict}?{query}"


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
