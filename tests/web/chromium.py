"""Headless Chromium (Debian's package) driven over the DevTools protocol, for tests.

``Chromium`` starts the browser with a fresh profile, attaches to its first page over a
websocket and records what a test must notice: JavaScript dialogs (a script ran), thrown
exceptions, console and log errors (Content-Security-Policy violations among them).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
from pathlib import Path
from typing import Any

import httpx
import websockets

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,1400",
)


class Chromium:
    """One headless browser and its first page; use as ``async with Chromium(tmp) as b``."""

    def __init__(self, folder: Path) -> None:
        self.profile = folder / "chromium-profile"
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self._process: asyncio.subprocess.Process | None = None
        self._socket: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}

    async def __aenter__(self) -> Chromium:
        self.profile.mkdir(parents=True)
        self._process = await asyncio.create_subprocess_exec(
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={self.profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        async with asyncio.timeout(30):
            while not port_file.exists() or not port_file.read_text().strip():  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        async with httpx.AsyncClient() as client:
            targets = (await client.get(f"http://127.0.0.1:{port}/json/list")).json()
        page = next(t for t in targets if t["type"] == "page")
        self._socket = await websockets.connect(page["webSocketDebuggerUrl"], max_size=None)
        self._reader = asyncio.create_task(self._read())
        for domain in ("Page", "Runtime", "Log"):
            await self.send(f"{domain}.enable")
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._socket is not None:
            await self._socket.close()
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(10):
                    await self._process.wait()
            if self._process.returncode is None:
                self._process.kill()
                await self._process.wait()

    async def _read(self) -> None:
        async for raw in self._socket:
            message = json.loads(raw)
            if "id" in message:
                future = self._waiting.pop(message["id"], None)
                if future is not None and not future.done():
                    future.set_result(message)
            else:
                await self._event(message["method"], message.get("params", {}))

    async def _event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Page.javascriptDialogOpening":
            self.dialogs.append(str(params.get("message")))
            # Dismissed without waiting for the reply: this runs inside the reading task.
            request = {"id": next(self._ids), "method": "Page.handleJavaScriptDialog"}
            await self._socket.send(json.dumps({**request, "params": {"accept": True}}))
        elif method == "Runtime.exceptionThrown":
            self.errors.append(json.dumps(params["exceptionDetails"])[:500])
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(json.dumps(params.get("args"))[:500])
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.errors.append(str(params["entry"].get("text"))[:500])

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method; its result (raises on a protocol error)."""
        number = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[number] = future
        await self._socket.send(json.dumps({"id": number, "method": method, "params": params}))
        async with asyncio.timeout(30):
            reply = await future
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return dict(reply.get("result", {}))

    async def open(self, url: str) -> None:
        """Navigate to ``url`` and wait (at most a minute) until it has loaded; the page's own
        refreshes follow by themselves."""
        await self.send("Page.navigate", url=url)
        check = f"location.href === {json.dumps(url)} && document.readyState === 'complete'"
        async with asyncio.timeout(60):
            while True:
                with contextlib.suppress(RuntimeError):  # no context while navigating
                    if await self.evaluate(check):
                        return
                await asyncio.sleep(0.1)

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (DevTools' own evaluation)."""
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def text(self) -> str:
        """What the page shows, as text ("" while it loads or reloads)."""
        try:
            value = await self.evaluate("document.body ? document.body.innerText : ''")
        except RuntimeError:  # no execution context during a navigation
            return ""
        return str(value or "")

    async def wait_for_text(self, *parts: str, seconds: float = 30) -> str:
        """The page's text once it shows every one of ``parts``."""
        async with asyncio.timeout(seconds):
            while True:
                text = await self.text()
                if all(part in text for part in parts):
                    return text
                await asyncio.sleep(0.2)

    async def screenshot(self, path: Path, *, whole_page: bool = True) -> Path:
        """A PNG of the whole page (or of the window only), written to ``path``."""
        shot = await self.send(
            "Page.captureScreenshot", format="png", captureBeyondViewport=whole_page
        )
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))
        return path
