"""The judge's outcome counts in words (for ``replay``), without importing the judge."""

from __future__ import annotations

from collections.abc import Mapping


def judge_summary(counts: Mapping[str, int]) -> str:
    """``3 answered, 2 kept the local decision (timeout 1, error 1)``."""
    kept = {k: n for k, n in counts.items() if k != "answered" and n}
    detail = f" ({', '.join(f'{k} {n}' for k, n in kept.items())})" if kept else ""
    return (
        f"{counts.get('answered', 0)} answered, {sum(kept.values())} kept the local decision"
        f"{detail}"
    )
