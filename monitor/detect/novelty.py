"""How new a sentence is, measured against the known claims.

A sentence's *similarity* is that of its nearest known claim (content-word overlap, see
similarity.py), discounted when one of the two is hypothetical and the other is not:
"MPs voted on the deployment" shares its words with the baseline's "MPs would vote before
any deployment" but does not say the same thing. ``novelty = 1 - similarity``.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from monitor.detect.similarity import SentenceIndex, content_key
from monitor.models import Evidence
from monitor.text import words

# Words that make a statement conditional, future or intended rather than a reported fact.
_HYPOTHETICAL = frozenset(
    """would could might may must should will shall if unless once pledge pledged pledges
    promise promised promises plan plans planned intend intends intended expect expects
    expected propose proposed proposes ready""".split()
)
MODALITY_DISCOUNT = 0.75
_CANDIDATES = 5


def is_hypothetical(text: str) -> bool:
    """Whether ``text`` speaks of what would, could or is planned to happen."""
    return any(w in _HYPOTHETICAL for w in words(text))


class KnownClaims:
    """The claims a sentence is compared with; ``assess`` returns its ``Evidence``."""

    def __init__(self, claims: Iterable[str]) -> None:
        self._index = SentenceIndex.of(claims)
        self._hypothetical = [is_hypothetical(text) for text in self._index.texts]

    def __len__(self) -> int:
        return len(self._index)

    def assess(self, sentence: str) -> Evidence:
        """Compare ``sentence`` with every claim; the nearest one explains its novelty."""
        key = content_key(sentence)
        if not key or not len(self._index):
            return Evidence(sentence, 1.0, "", 0.0)
        hypothetical = is_hypothetical(sentence)
        best_text, best = "", 0.0
        for _, score, position in process.extract(
            key, self._index.keys, scorer=fuzz.token_set_ratio, processor=None, limit=_CANDIDATES
        ):
            value = float(score) / 100.0
            if self._hypothetical[position] != hypothetical:
                value *= MODALITY_DISCOUNT
            if value > best:
                best_text, best = self._index.texts[position], value
        return Evidence(sentence, round(1.0 - best, 3), best_text, round(best, 3))
