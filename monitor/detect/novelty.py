"""How new a sentence is, measured against the known claims.

A sentence's *similarity* is that of its nearest known claim (content-word overlap, see
similarity.py), discounted when one of the two is hypothetical and the other is not:
"MPs voted on the deployment" shares its words with the baseline's "MPs would vote before
any deployment" but does not say the same thing. ``novelty = 1 - similarity``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from monitor.detect.similarity import content_key
from monitor.models import Evidence
from monitor.text import words

# Words that make a statement conditional, future or intended rather than a reported fact.
_HYPOTHETICAL = frozenset(
    """would could might may must should will shall if unless once pledge pledged pledges
    promise promised promises plan plans planned intend intends intended expect expects
    expected propose proposed proposes ready""".split()
)
MODALITY_DISCOUNT = 0.75
STORY_WORD_SHARE = 0.2


def is_hypothetical(text: str) -> bool:
    """Whether ``text`` speaks of what would, could or is planned to happen."""
    return any(w in _HYPOTHETICAL for w in words(text))


def story_words(keys: Iterable[str], share: float = STORY_WORD_SHARE) -> frozenset[str]:
    """Words found in at least ``share`` of the claims (and in at least three of them): the
    story's own vocabulary ("ukraine"), which says nothing about whether a sentence is new."""
    keys = list(keys)
    counts = Counter(word for key in keys for word in set(key.split()))
    floor = max(3, share * len(keys))
    return frozenset(word for word, count in counts.items() if count >= floor)


class KnownClaims:
    """The claims a sentence is compared with; ``assess`` returns its ``Evidence``.

    The story's own vocabulary (``story_words``) is left out of the comparison, so two
    sentences are not "the same" merely because both mention Ukraine and Russia.
    """

    def __init__(self, claims: Iterable[str]) -> None:
        self.texts = list(claims)
        keys = [content_key(text) for text in self.texts]
        self.story_words = story_words(keys)
        self._keys = [self._informative(key) for key in keys]
        self._hypothetical = [is_hypothetical(text) for text in self.texts]

    def _informative(self, key: str) -> str:
        return " ".join(word for word in key.split() if word not in self.story_words)

    def assess(self, sentence: str) -> Evidence:
        """Compare ``sentence`` with every claim; the nearest one explains its novelty."""
        return self.assess_all([sentence])[0]

    def assess_all(self, sentences: Sequence[str]) -> list[Evidence]:
        """``assess`` for many sentences, comparing them with the claims in one pass."""
        keys = [self._informative(content_key(sentence)) for sentence in sentences]
        compared = [i for i, key in enumerate(keys) if key]
        found = [Evidence(sentence, 1.0, "", 0.0) for sentence in sentences]
        if not compared or not self.texts:
            return found
        scores = (
            process.cdist(
                [keys[i] for i in compared], self._keys, scorer=fuzz.token_set_ratio, processor=None
            )
            / 100.0
        )
        hypothetical = np.array([is_hypothetical(sentences[i]) for i in compared])
        differs = hypothetical[:, None] != np.array(self._hypothetical)[None, :]
        scores = np.where(differs, scores * MODALITY_DISCOUNT, scores)
        for row, index in enumerate(compared):
            position = int(scores[row].argmax())
            best = float(scores[row, position])
            text = self.texts[position] if best > 0.0 else ""
            found[index] = Evidence(sentences[index], round(1.0 - best, 3), text, round(best, 3))
        return found
