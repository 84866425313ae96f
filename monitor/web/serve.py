"""Serve an ASGI app with uvicorn inside the running event loop.

``AsgiServer`` binds its socket itself (so an address in use is an ``OSError`` at
``start``, and port 0 is resolved at once), runs uvicorn's startup and tick loop as a task of
the caller's loop, and never installs signal handlers: stopping is the daemon's business.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

import uvicorn
from starlette.types import ASGIApp

SHUTDOWN_GRACE = 5


class AsgiServer:
    """``app`` on ``host:port``; port 0 picks a free port (see ``port`` after ``start``)."""

    def __init__(self, host: str, port: int, app: ASGIApp) -> None:
        self.host, self.port = host, port
        self._config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            server_header=False,
            timeout_graceful_shutdown=SHUTDOWN_GRACE,
        )
        self._server = uvicorn.Server(self._config)
        self._socket: socket.socket | None = None
        self._ticks: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        return sock

    async def start(self) -> None:
        """Listen; ``OSError`` (address in use, no permission) is left to the caller."""
        self._socket = self._bind()
        self.port = self._socket.getsockname()[1]
        self._config.load()
        self._server.lifespan = self._config.lifespan_class(self._config)
        await self._server.startup(sockets=[self._socket])
        self._ticks = asyncio.create_task(self._server.main_loop())

    async def close(self) -> None:
        """Stop accepting; let requests in progress finish (a few seconds at most)."""
        if self._ticks is None:
            if self._socket is not None:
                self._socket.close()
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._ticks
        await self._server.shutdown(sockets=[self._socket] if self._socket else None)
        self._ticks = None
