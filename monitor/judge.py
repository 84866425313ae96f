"""An optional judge: a language model behind an OpenAI-compatible chat-completions API.

Only when ``NEWS_MONITOR_JUDGE_URL`` is set. The detector asks ``Judge.consult`` about every
article; only *candidates* (development probability within ``judge_min_score`` ..
``judge_max_score``) are sent, with the watch rules (id, description, a few examples), the
known claims nearest to the article's novel sentences and at most ``judge_max_chars`` of its
text. The judge must answer in a strict JSON schema (``JudgeAnswer``: is it a new
development, which rule, which sentence, why), validated with pydantic; its answer decides
the candidate (the fast path of rule patterns included) and goes into the alert.

Every failure leaves the local decision in force and is counted through ``record`` (the
daemon's ``news_monitor_judge_calls``): ``timeout`` (no full answer within
``judge_timeout_seconds``, however the server stalls), ``error`` (connection refused, an
HTTP error status, a key no header can carry, anything unforeseen), ``invalid`` (not JSON,
not the schema, an unknown rule, too large) and ``budget`` (``judge_calls_per_hour`` used
up). This module is the boundary where httpx
errors of the judge are translated; the key (``NEWS_MONITOR_JUDGE_KEY``) is sent as a
bearer token and never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from monitor.detect.features import ArticleSignals
from monitor.detect.model import Score
from monitor.detect.rules import Rule
from monitor.judge_budget import CallBudget
from monitor.models import Article, JudgeNote
from monitor.redact import redact_url

log = logging.getLogger("monitor.judge")

UNREACHABLE = 1.01
MAX_ANSWER_BYTES = 64 * 1024
MAX_CLAIMS = 5
MAX_EXAMPLES = 3
OUTCOMES = ("answered", "timeout", "error", "invalid", "budget")
INSTRUCTIONS = (
    "You check alerts of a news monitor that follows one developing story. Decide whether "
    "the article reports a NEW development of the story: a finite event that has happened "
    "(a vote held, troops sent, a stance changed, an agreement signed), not in the known "
    "claims. Pledges, plans, opinions, other countries' or other conflicts' news and "
    "restatements of known claims are not new developments; hedged reports of real events "
    "are. Name the most specific rule that fits (or null), quote the sentence that says "
    "it, and give a one-sentence reason. Answer with JSON only, in the given schema."
)


class JudgeAnswer(BaseModel):
    """The answer the judge must give (``extra`` fields refused)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    development: bool
    rule: str | None
    sentence: str = Field(max_length=2000)
    reason: str = Field(max_length=2000)


def answer_schema(rule_ids: Sequence[str]) -> dict[str, Any]:
    """The JSON schema sent as ``response_format`` (strict: every field required)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["development", "rule", "sentence", "reason"],
        "properties": {
            "development": {"type": "boolean"},
            "rule": {"anyOf": [{"type": "string", "enum": list(rule_ids)}, {"type": "null"}]},
            "sentence": {"type": "string"},
            "reason": {"type": "string"},
        },
    }


@dataclass(frozen=True)
class JudgeSettings:
    """Where the judge is and how far it may be used."""

    url: str  # the API base, e.g. http://127.0.0.1:8000/v1
    model: str
    key: SecretStr | None = None
    timeout: float = 10.0
    calls_per_hour: int = 60
    max_chars: int = 4000
    min_score: float = 0.3
    max_score: float = 1.0


@dataclass(frozen=True)
class Judged:
    """The development score as the judge's answer leaves it, and the answer."""

    development: Score
    pattern_floor: float
    note: JudgeNote


class _Failed(Exception):
    def __init__(self, outcome: str, reason: str) -> None:
        super().__init__(reason)
        self.outcome = outcome


class Judge:
    """Asks the judge about candidates; thread-safe (the budget is shared)."""

    def __init__(
        self,
        settings: JudgeSettings,
        record: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        budget: CallBudget | None = None,
    ) -> None:
        self.settings = settings
        self.record = record
        self.clock = clock
        self.counts = dict.fromkeys(OUTCOMES, 0)
        self.budget = budget if budget is not None else CallBudget()
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None  # made at the first call, then shared

    def __repr__(self) -> str:
        return f"Judge(url={redact_url(self.settings.url)!r}, model={self.settings.model!r})"

    def is_candidate(self, development: Score) -> bool:
        return self.settings.min_score <= development.probability <= self.settings.max_score

    def consult(
        self,
        article: Article,
        signals: ArticleSignals,
        development: Score,
        pattern_floor: float,
        rules: Sequence[Rule],
    ) -> Judged | None:
        """The judge's decision on a candidate; None for other articles and on any failure
        (the local decision stands)."""
        if not self.is_candidate(development):
            return None
        try:
            self._take_budget()
            answer = self._ask(self._request(article, signals, development, rules), rules)
        except _Failed as failure:
            self._count(failure.outcome)
            log.warning(
                "judge: local decision kept",
                extra={"entry": article.id, "outcome": failure.outcome, "reason": str(failure)},
            )
            return None
        except Exception as exc:  # whatever else goes wrong, the local decision stands
            self._count("error")
            log.warning(
                "judge: local decision kept",
                extra={"entry": article.id, "outcome": "error", "reason": type(exc).__name__},
            )
            return None
        self._count("answered")
        note = JudgeNote(
            answer.development, answer.rule, answer.sentence, answer.reason, self.settings.model
        )
        if answer.development:
            moved = replace(
                development, threshold=min(development.threshold, development.probability)
            )
            return Judged(moved, pattern_floor, note)
        refused = replace(development, threshold=UNREACHABLE)
        return Judged(refused, UNREACHABLE, note)

    def _count(self, outcome: str) -> None:
        with self._lock:
            self.counts[outcome] += 1
        if self.record is not None:
            self.record(outcome)

    def _take_budget(self) -> None:
        if not self.budget.take(self.clock(), self.settings.calls_per_hour):
            raise _Failed("budget", f"{self.settings.calls_per_hour} calls in the last hour")

    def _request(
        self, article: Article, signals: ArticleSignals, development: Score, rules: Sequence[Rule]
    ) -> dict[str, Any]:
        novel = signals.novel_sentences()
        claims = [signals.evidence[i].nearest_claim for i in novel]
        text = article.text[: self.settings.max_chars]
        content = {
            "rules": [
                {"id": r.id, "description": r.description, "examples": r.examples[:MAX_EXAMPLES]}
                for r in rules
            ],
            "known_claims": [c for c in dict.fromkeys(claims) if c][:MAX_CLAIMS],
            "article": {
                "title": article.title[:500],
                "text": text,
                "outlet": article.feed,
                "published": article.published.isoformat() if article.published else None,
            },
            "local_score": round(development.probability, 3),
        }
        return {
            "model": self.settings.model,
            "temperature": 0,
            "max_tokens": 400,
            "messages": [
                {"role": "system", "content": INSTRUCTIONS},
                {"role": "user", "content": json.dumps(content, ensure_ascii=False)},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": "judgement",
                    "strict": True,
                    "schema": answer_schema([r.id for r in rules]),
                },
            },
        }

    def _ask(self, body: dict[str, Any], rules: Sequence[Rule]) -> JudgeAnswer:
        """Post ``body``; the whole call (name lookup, connection, headers, answer) ends
        within the timeout, however slowly the server sends any part of it."""
        s = self.settings
        headers = {"Content-Type": "application/json"}
        if s.key is not None:
            key = s.key.get_secret_value()
            if not (key.isascii() and key.isprintable()):
                raise _Failed("error", "the key holds characters an HTTP header cannot carry")
            headers["Authorization"] = f"Bearer {key}"
        url = s.url.rstrip("/") + "/chat/completions"
        self._tls_context()  # before the clock starts
        try:
            received = _run_within(s.timeout, self._post(url, body, headers))
        except TimeoutError as exc:  # asyncio's deadline, or httpx's on one read or connect
            raise _Failed("timeout", f"no full answer within {s.timeout:g}s") from exc
        except httpx.TimeoutException as exc:
            raise _Failed("timeout", f"no answer within {s.timeout:g}s") from exc
        except httpx.HTTPError as exc:
            raise _Failed("error", f"{type(exc).__name__} from {redact_url(url)}") from exc
        return parse_answer(received, {r.id for r in rules})

    def _tls_context(self) -> ssl.SSLContext:
        """One verifying TLS context for every call (reading the CA bundle takes tens of
        milliseconds, which would come out of each call's timeout)."""
        with self._lock:
            if self._tls is None:
                self._tls = httpx.create_ssl_context(trust_env=False)
            return self._tls

    async def _post(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> bytes:
        timeout = httpx.Timeout(self.settings.timeout)
        received = bytearray()
        async with (
            httpx.AsyncClient(
                timeout=timeout, trust_env=False, verify=self._tls_context()
            ) as client,
            client.stream("POST", url, json=body, headers=headers) as response,
        ):
            if response.status_code >= 400:
                raise _Failed("error", f"HTTP {response.status_code}")
            async for chunk in response.aiter_bytes():
                received += chunk
                if len(received) > MAX_ANSWER_BYTES:
                    raise _Failed("invalid", f"answer larger than {MAX_ANSWER_BYTES} bytes")
        return bytes(received)


def _run_within(seconds: float, call: Coroutine[Any, Any, bytes]) -> bytes:
    """Run ``call`` to its end or cancel it after ``seconds`` (``TimeoutError``), on an event
    loop of its own (detection runs on the poller's worker thread or in a command, never on
    a thread that runs a loop)."""

    async def bounded() -> bytes:
        return await asyncio.wait_for(call, seconds)

    return asyncio.run(bounded())


def parse_answer(body: bytes, rule_ids: set[str]) -> JudgeAnswer:
    """The ``JudgeAnswer`` in a chat-completions response; ``_Failed("invalid")`` otherwise."""
    try:
        content = json.loads(body)["choices"][0]["message"]["content"]
        answer = JudgeAnswer.model_validate(json.loads(content))
    # ValidationError included; RecursionError: JSON nested deeper than Python will read
    except (ValueError, KeyError, IndexError, TypeError, RecursionError) as exc:
        kind = "not the schema" if isinstance(exc, ValidationError) else "not a JSON answer"
        raise _Failed("invalid", kind) from exc
    if answer.rule is not None and answer.rule not in rule_ids:
        raise _Failed("invalid", f"unknown rule {answer.rule!r}")
    return answer
