"""How new a sentence is, measured against the known claims.

A sentence's *similarity* is that of its nearest known claim (content-word overlap, see
similarity.py), discounted when one of the two is hypothetical and the other is not:
"MPs voted on the deployment" shares its words with the baseline's "MPs would vote before
any deployment" but does not say the same thing. ``novelty = 1 - similarity``.

The claim an ``Evidence`` shows is the one that explains the novelty: the nearest claim,
unless it shares no informative word with the sentence (its resemblance is then one of
letters, "back brit common" against "axis call coalition"). The caller may then name the
claim nearest in meaning instead; the evidence shows that claim with its own similarity,
and the novelty stays the one measured.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz

from monitor.detect.similarity import content_key, key_of, key_ratios
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
_KEPT_COMPARISONS = 100_000  # nearest claims kept per distinct sentence (a few MB)


def is_hypothetical(text: str) -> bool:
    """Whether ``text`` speaks of what would, could or is planned to happen."""
    return speaks_hypothetically(words(text))


def speaks_hypothetically(tokens: Iterable[str]) -> bool:
    """``is_hypothetical`` of text already read into its words."""
    return not _HYPOTHETICAL.isdisjoint(tokens)


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
        self._words = [frozenset(key.split()) for key in self._keys]
        self._hypothetical = [is_hypothetical(text) for text in self.texts]
        self._having: dict[str, list[int]] = {}  # word -> the claims whose keys hold it
        for position, claim_words in enumerate(self._words):
            self._index(position, claim_words)
        # (informative key, hypothetical) -> (index of the nearest claim, its similarity,
        # whether the two share an informative word)
        self._nearest: dict[tuple[str, bool], tuple[int, float, bool]] = {}
        self._items: dict[str, tuple[str, bool]] = {}  # sentence -> (informative key, hyp.)

    def extend(self, texts: Iterable[str]) -> None:
        """Add ``texts`` to the claims; the story's vocabulary stays the one measured on
        the claims first given."""
        for text in texts:
            key = self._informative(content_key(text))
            self.texts.append(text)
            self._keys.append(key)
            self._words.append(frozenset(key.split()))
            self._hypothetical.append(is_hypothetical(text))
            self._index(len(self._keys) - 1, self._words[-1])
        self._nearest.clear()

    def _index(self, position: int, claim_words: Iterable[str]) -> None:
        """Note the claim at ``position`` under each of its informative words."""
        for word in claim_words:
            self._having.setdefault(word, []).append(position)

    def informative_words(self, sentence: str) -> list[str]:
        """The words of ``sentence`` a comparison reads (not the story's own)."""
        return self._item(sentence)[0].split()

    def similarities(self, sentence: str, positions: Sequence[int]) -> np.ndarray:
        """The similarity of ``sentence`` to the claims at ``positions``, as ``assess``
        measures it (0.0 for a sentence with no informative word)."""
        key, hypothetical = self._item(sentence)
        if not key or not positions:
            return np.zeros(len(positions))
        scores = self._ratios([key], positions)[0] / 100.0
        differs = np.array([self._hypothetical[p] for p in positions]) != hypothetical
        discounted: np.ndarray = np.where(differs, scores * MODALITY_DISCOUNT, scores)
        return discounted

    def _ratios(self, keys: Sequence[str], positions: Sequence[int]) -> np.ndarray:
        """The token set ratio (0-100, as ``process.cdist`` gives it) of each informative
        key to each claim at ``positions``."""
        columns = {position: column for column, position in enumerate(positions)}
        sharing = [
            {columns[p] for word in key.split() for p in self._having.get(word, ()) if p in columns}
            for key in keys
        ]
        return key_ratios(keys, [self._keys[position] for position in positions], sharing)

    def _informative(self, key: str) -> str:
        return " ".join(word for word in key.split() if word not in self.story_words)

    def assess(self, sentence: str) -> Evidence:
        """Compare ``sentence`` with every claim; the nearest one explains its novelty."""
        return self.assess_all([sentence])[0]

    def assess_all(
        self, sentences: Sequence[str], in_meaning: Sequence[int] | None = None
    ) -> list[Evidence]:
        """``assess`` for many sentences, comparing them with the claims in one pass. The
        nearest claim of each comparison (informative key and modality) is kept, so a
        sentence that recurs (wire copies, a title repeated in the text, a feed's boilerplate)
        is compared only once; the result is the same as comparing it again.

        ``in_meaning[i]``, when given, is the index of the claim nearest in meaning to
        ``sentences[i]``: the evidence shows that claim when the nearest one by words shares
        no informative word with the sentence (see the module's docstring)."""
        if not self.texts:
            return [Evidence(sentence, 1.0, "", 0.0) for sentence in sentences]
        items = [self._item(sentence) for sentence in sentences]
        # this call's own comparisons: dropping the kept ones to make room loses none of them
        kept = {item: self._nearest.get(item) for item in items if item[0]}
        nearest = self._compare([item for item, comparison in kept.items() if comparison is None])
        nearest.update((item, comparison) for item, comparison in kept.items() if comparison)
        found = []
        for index, (sentence, item) in enumerate(zip(sentences, items, strict=True)):
            if not item[0]:  # no informative word: nothing to compare
                found.append(Evidence(sentence, 1.0, "", 0.0))
                continue
            position, best, shares_word = nearest[item]
            shown, similarity = position, best
            if in_meaning is not None and not shares_word:
                shown = in_meaning[index]
                similarity = best if shown == position else self._similarity(item, shown)
            text = self.texts[shown] if best > 0.0 else ""
            found.append(Evidence(sentence, round(1.0 - best, 3), text, round(similarity, 3)))
        return found

    def _similarity(self, item: tuple[str, bool], position: int) -> float:
        """The similarity of one (informative key, hypothetical) pair to one claim."""
        score = fuzz.token_set_ratio(item[0], self._keys[position], processor=None) / 100.0
        return score * MODALITY_DISCOUNT if item[1] != self._hypothetical[position] else score

    def _item(self, sentence: str) -> tuple[str, bool]:
        """The sentence's informative key and whether it is hypothetical, from one reading of
        its words; kept per sentence (a recurring sentence is read once)."""
        item = self._items.get(sentence)
        if item is None:
            if len(self._items) >= _KEPT_COMPARISONS:
                self._items.clear()
            tokens = words(sentence)
            key = self._informative(key_of(tokens))
            item = self._items[sentence] = (key, speaks_hypothetically(tokens))
        return item

    def _compare(
        self, items: Sequence[tuple[str, bool]]
    ) -> dict[tuple[str, bool], tuple[int, float, bool]]:
        """Find, keep and return the nearest claim of each (informative key, hypothetical)
        pair."""
        if not items:
            return {}
        if len(self._nearest) + len(items) > _KEPT_COMPARISONS:
            self._nearest.clear()
        compared = {}
        scores = self._ratios([key for key, _ in items], range(len(self._keys))) / 100.0
        hypothetical = np.array([hypothetical for _, hypothetical in items])
        differs = hypothetical[:, None] != np.array(self._hypothetical)[None, :]
        scores = np.where(differs, scores * MODALITY_DISCOUNT, scores)
        for row, item in enumerate(items):
            position = int(scores[row].argmax())
            shares_word = not self._words[position].isdisjoint(item[0].split())
            compared[item] = (position, float(scores[row, position]), shares_word)
        self._nearest.update(compared)
        return compared
