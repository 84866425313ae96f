"""Which new entries of a feed are examined: the first-poll policy and the maximum age.

New entries that are not examined still count as seen (they are recorded with the poll),
so they never alert later either.

- ``max_age``: an entry published longer ago than this is not examined (a feed that
  re-publishes its archive, or a backlog). Entries without a date are examined.
- ``first_poll``: on a feed's first successful poll, ``examine`` looks at its entries (within
  ``max_age``); ``mark-seen`` records them all as seen and alerts only on what comes later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from monitor.models import Article


FirstPoll = Literal["examine", "mark-seen"]


@dataclass(frozen=True)
class Intake:
    """The policy; ``max_age`` None means no limit."""

    max_age: timedelta | None = None
    first_poll: FirstPoll = "examine"

    def select(
        self, articles: Sequence[Article], now: datetime, *, first_poll: bool
    ) -> list[Article]:
        """The entries of ``articles`` to examine."""
        if first_poll and self.first_poll == "mark-seen":
            return []
        if self.max_age is None:
            return list(articles)
        oldest = now - self.max_age
        return [a for a in articles if a.published is None or a.published >= oldest]
