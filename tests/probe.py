"""Ask a daemon running in a subprocess how it is: /readyz and /metrics, found from its log."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.helpers import health_address
from tests.test_service import samples


class Probe:
    """/readyz and /metrics of the daemon that logs to ``log``."""

    def __init__(self, log: Path) -> None:
        self.log = log

    @property
    def listening(self) -> bool:
        return bool(health_address(self.log))

    @property
    def base(self) -> str:
        return f"http://{health_address(self.log)}"

    def ready(self) -> tuple[int, str]:
        """The status code and body of /readyz."""
        response = httpx.get(f"{self.base}/readyz", timeout=5)
        return response.status_code, response.text

    def metric(self, name: str, labels: tuple[tuple[str, str], ...] = ()) -> float:
        """One sample of /metrics (-1 when it is absent)."""
        text = httpx.get(f"{self.base}/metrics", timeout=5).text
        return samples(text).get((name, labels), -1.0)
