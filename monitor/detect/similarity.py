"""Lexical similarity of sentences: the only place rapidfuzz is used.

Sentences are reduced to a *content key*: the sorted set of lightly stemmed content words,
so "MPs voted on troops" and "troops: MPs vote" share most of their key. ``best_match``
scores two sets of keys in [0, 1]; ``SentenceIndex`` finds the nearest of many known
sentences.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from monitor.text import words

_STOPWORDS = frozenset(
    """a an the of to in on at for by with from and or but as is are was were be been being
    has have had that this these those it its their his her he she they we you i so than then
    there which who whom what when where while said says say also such into about up out
    very just other some do does did our your them him us one two""".split()
)
_SUFFIXES = ("ing", "ed", "es", "s")


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_key(text: str) -> str:
    """The sorted, de-duplicated, lightly stemmed content words of ``text``."""
    return key_of(words(text))


def key_of(tokens: Iterable[str]) -> str:
    """``content_key`` of text whose ``words`` are ``tokens``."""
    return " ".join(sorted({_stem(w) for w in tokens if w not in _STOPWORDS}))


def key_ratios(
    keys: Sequence[str], others: Sequence[str], sharing: Sequence[Iterable[int]]
) -> np.ndarray:
    """``process.cdist(keys, others, scorer=fuzz.token_set_ratio, processor=None)`` of
    content keys (sorted distinct words, one space apart; ``keys`` not empty), where
    ``sharing[i]`` holds the columns of the ``others`` that share a word with ``keys[i]``.
    Keys that share no word are each the other's difference, so their token set ratio
    is the normalised Indel distance of the keys themselves, as ``token_set_ratio`` works
    it out: measured for all pairs at once, far cheaper than ``token_set_ratio`` itself,
    which is asked only of the pairs that share a word."""
    distances = process.cdist(keys, others, scorer=Indel.distance, processor=None)
    lengths = np.array([len(key) for key in keys])[:, None] + [len(other) for other in others]
    ratios: np.ndarray = (100 - 100 * distances / lengths).astype(np.float32)
    for row, columns in enumerate(sharing):
        for column in columns:
            ratios[row, column] = fuzz.token_set_ratio(keys[row], others[column], processor=None)
    return ratios


@dataclass
class SentenceIndex:
    """Known sentences, searchable for the one nearest to a query."""

    texts: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, texts: Iterable[str]) -> SentenceIndex:
        index = cls()
        index.extend(texts)
        return index

    def extend(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.texts.append(text)
            self.keys.append(content_key(text))

    def nearest(self, text: str) -> tuple[str, float]:
        """The known sentence most similar to ``text`` and its similarity ("", 0.0 if empty)."""
        key = content_key(text)
        if not self.keys or not key:
            return "", 0.0
        found = process.extractOne(key, self.keys, scorer=fuzz.token_set_ratio, processor=None)
        if found is None:
            return "", 0.0
        _, score, position = found
        return self.texts[position], float(score) / 100.0


def best_match(keys_a: Sequence[str], keys_b: Sequence[str]) -> float:
    """The highest similarity between any key of ``keys_a`` and any key of ``keys_b``."""
    best = 0.0
    for key in keys_a:
        found = process.extractOne(key, keys_b, scorer=fuzz.token_set_ratio, processor=None)
        if found is not None:
            best = max(best, float(found[1]) / 100.0)
    return best


def copy_similarity(text: str, others: Sequence[str]) -> float:
    """How nearly ``text`` repeats one of ``others`` word for word, in [0, 1] (edit distance
    on the normalised text, so a paraphrase that shares the words scores low)."""
    normal = " ".join(words(text))
    best = 0.0
    for other in others:
        best = max(best, fuzz.ratio(normal, " ".join(words(other))) / 100.0)
    return best
