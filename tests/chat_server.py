"""A stand-in for an OpenAI-compatible chat-completions server, for the judge's tests.

Run with ``tests.servers.serving``. ``mode`` says how it misbehaves: ``answer`` (the
answer ``decide`` gives for the request's article), ``hang`` (no response until
``release`` is set), ``trickle`` (headers, then a byte now and then until ``release``),
``slow-headers`` (a header's value a byte now and then until ``release``), ``500``, ``broken``
(content that is not JSON), ``offschema`` (JSON with a field too many), ``nested`` (an answer
nested deeper than Python reads).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.servers import send

Decide = Callable[[dict[str, Any]], dict[str, Any]]
OUTLAST_SECONDS = 10.0  # how long a trickling answer goes on before the server stops it


def say_yes(content: dict[str, Any]) -> dict[str, Any]:
    return {"development": True, "rule": None, "sentence": "", "reason": "it happened"}


def say_no(content: dict[str, Any]) -> dict[str, Any]:
    return {"development": False, "rule": None, "sentence": "", "reason": "nothing new"}


@dataclass
class ChatServer:
    mode: str = "answer"
    decide: Decide = say_yes
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    outlasted: int = 0  # trickling answers the client still read after OUTLAST_SECONDS
    port: int = 0

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def articles(self) -> list[dict[str, Any]]:
        """The ``article`` part of each request's user message."""
        return [json.loads(r["messages"][-1]["content"])["article"] for r in self.requests]

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length))
        self.paths.append(request.path)
        self.headers.append(dict(request.headers.items()))
        self.requests.append(body)
        if self.mode == "hang":
            self.release.wait(30)
            return
        if self.mode in ("trickle", "slow-headers"):
            request.send_response(200)
            request.send_header("Content-Type", "application/json")
            if self.mode == "trickle":
                request.end_headers()
            else:
                request.flush_headers()
                request.wfile.write(b"X-Slow: ")
            until = time.monotonic() + OUTLAST_SECONDS
            try:
                while not self.release.wait(0.05):
                    if time.monotonic() > until:  # the client never gave up
                        self.outlasted += 1
                        return
                    request.wfile.write(b"a")
                    request.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if self.mode == "nested":
            send(request, 200, b"[" * 50_000, {"Content-Type": "application/json"})
            return
        if self.mode == "500":
            send(request, 500, b'{"error": "overloaded"}')
            return
        content = json.loads(body["messages"][-1]["content"])
        answer = self.decide(content)
        text = json.dumps(answer)
        if self.mode == "broken":
            text = text[: len(text) // 2]
        elif self.mode == "offschema":
            text = json.dumps({**answer, "confidence": 0.9})
        reply = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
        }
        send(request, 200, json.dumps(reply).encode(), {"Content-Type": "application/json"})
