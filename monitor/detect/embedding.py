"""Sentence embeddings from the static word vectors that ship inside the ``wordllama`` wheel.

``bundled_embedder()`` reads the vectors (safetensors) and the tokenizer definition straight
from the installed package's files, once per process: it never asks a model hub for
anything, so detection works offline and leaks no traffic. A sentence's embedding is the
mean of its token vectors, scaled to unit length, so a dot product is a cosine similarity.
Raises ``ConfigError`` when the package or its files are missing.

The tokenizer has no pre-tokenizer: it marks each space and encodes the whole text, and no
token spans a word boundary, so a text's tokens are its space-separated words' tokens in
order. ``Embedder`` therefore encodes each distinct word once and keeps its token ids. A
word is encoded by the tokenizer's normalizer and model directly (what ``encode`` runs, without
its batching threads, which cost more than the work on a busy machine); a word that holds one of
the tokenizer's added tokens ("<s>"), which ``encode`` splits off first, goes through
``encode``. The vectors ship in half precision; each token's row is widened to single
precision the first time a text holds it and kept so (at most the whole table, 32 MB; a
corpus uses a few thousand of its 32,000 rows), not widened again for every text.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from monitor.errors import ConfigError, Problem

_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"
_CACHED_WORDS = 200_000  # token ids of this many distinct words are kept (a few tens of MB)


class Embedder:
    """Token vectors and their tokenizer; ``embed`` gives unit-length sentence vectors."""

    def __init__(self, vectors: np.ndarray, tokenizer: Tokenizer) -> None:
        self.vectors = vectors  # as shipped (half precision): rows widen when first used
        self.tokenizer = tokenizer
        self.dimensions = int(vectors.shape[1])
        self._word_ids: dict[str, tuple[int, ...]] = {}
        # the contents of the added tokens ("<unk>", "<s>"), which ``encode`` matches first
        self._added = tuple(t.content for t in tokenizer.get_added_tokens_decoder().values())
        self._model = tokenizer.model
        self._direct = tokenizer.pre_tokenizer is None  # else words go through ``encode``
        self._normalise = tokenizer.normalizer.normalize_str if tokenizer.normalizer else str
        self._slots = np.full(len(vectors), -1, dtype=np.intp)  # token id -> row of _wide
        self._wide = np.empty((0, self.dimensions), dtype=np.float32)
        self._widened = 0  # rows of ``_wide`` in use
        self._widening = threading.Lock()

    @classmethod
    def from_folder(cls, folder: Path) -> Embedder:
        """Load the model files below ``folder`` (the installed ``wordllama`` package)."""
        weights, tokenizer = folder / _WEIGHTS, folder / _TOKENIZER
        for path in (weights, tokenizer):
            if not path.is_file():
                raise ConfigError(
                    [Problem(str(path), None, "embedding model file missing; reinstall wordllama")]
                )
        tokens = Tokenizer.from_file(str(tokenizer))
        tokens.no_padding()
        tokens.no_truncation()
        return cls(load_file(str(weights))[_TENSOR], tokens)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (a row of zeros for a text without tokens)."""
        result = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        token_lists = self.token_ids(texts)
        filled = [row for row, ids in enumerate(token_lists) if ids]
        if not filled:
            return result
        ids = [i for row in filled for i in token_lists[row]]
        sizes = [len(token_lists[row]) for row in filled]
        starts = [0, *itertools.accumulate(sizes[:-1])]
        gathered = self._rows(ids)
        means = np.add.reduceat(gathered, starts, axis=0) / np.array(sizes)[:, None]
        # ``np.linalg.norm(means, axis=1, keepdims=True)``, without its checks
        norms = np.sqrt(np.add.reduce(means * means, axis=1, keepdims=True))
        if len(filled) == len(texts) and norms.all():  # the usual case: no row left at zero
            result[:] = means / norms
        else:
            result[filled] = np.divide(means, norms, out=np.zeros_like(means), where=norms > 0.0)
        return result

    def _rows(self, ids: list[int]) -> np.ndarray:
        """``vectors[ids].astype(np.float32)``: the same values, each token's row widened
        once (at its first use) and kept, since widening is most of the cost of a gather.
        Safe across threads (the daemon builds a detector on a reload while another
        detects): rows are widened under a lock, and a token's slot is set only once its
        row is written, in the array then kept, whose growth copies every row in use."""
        tokens = np.array(ids, dtype=np.intp)
        slots = self._slots.take(tokens)
        if slots.min() < 0:
            with self._widening:
                slots = self._slots.take(tokens)  # another thread may have widened some
                self._widen(np.unique(tokens[slots < 0]))
            slots = self._slots.take(tokens)
        return self._wide.take(slots, axis=0)

    def _widen(self, fresh: np.ndarray) -> None:
        """Widen and keep the rows of ``fresh`` (distinct tokens without a row yet)."""
        end = self._widened + len(fresh)
        if end > len(self._wide):
            rows = min(len(self.vectors), max(end, 2 * len(self._wide), 1024))
            grown = np.empty((rows, self.dimensions), np.float32)
            grown[: self._widened] = self._wide[: self._widened]
            self._wide = grown
        self._wide[self._widened : end] = self.vectors.take(fresh, axis=0)
        self._slots[fresh] = np.arange(self._widened, end)
        self._widened = end

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The token ids of each text, as the tokenizer would give them for the whole text."""
        split = [text.split(" ") for text in texts]
        # this call's own ids: dropping the kept ones to make room loses none of them
        ids = {w: self._word_ids.get(w) for words in split for w in words if w}
        missing = [word for word, found in ids.items() if found is None]
        if missing and len(self._word_ids) + len(missing) > _CACHED_WORDS:
            self._word_ids.clear()
        for word in missing:
            ids[word] = self._word_ids[word] = self._encode(word)
        return [[i for w in words if w for i in ids[w] or ()] for words in split]

    def _encode(self, word: str) -> tuple[int, ...]:
        """The token ids ``encode`` gives for ``word`` (one word: no spaces)."""
        if not self._direct or any(map(word.__contains__, self._added)):
            return tuple(self.tokenizer.encode(word, add_special_tokens=False).ids)
        return tuple(token.id for token in self._model.tokenize(self._normalise(word)))


@functools.cache
def bundled_embedder() -> Embedder:
    """The embedder built from the installed ``wordllama`` package's own files."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError([Problem("wordllama", None, "package not installed")])
    return Embedder.from_folder(Path(next(iter(spec.submodule_search_locations))))
