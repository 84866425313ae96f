"""Sentence embeddings from the static word vectors that ship inside the ``wordllama`` wheel.

``bundled_embedder()`` reads the vectors (safetensors) and the tokenizer definition straight
from the installed package's files, once per process: it never asks a model hub for
anything, so detection works offline and leaks no traffic. A sentence's embedding is the
mean of its token vectors, scaled to unit length, so a dot product is a cosine similarity.
Raises ``ConfigError`` when the package or its files are missing.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from monitor.errors import ConfigError, Problem

_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_TENSOR = "embedding.weight"


class Embedder:
    """Token vectors and their tokenizer; ``embed`` gives unit-length sentence vectors."""

    def __init__(self, vectors: np.ndarray, tokenizer: Tokenizer) -> None:
        self.vectors = vectors.astype(np.float32)
        self.tokenizer = tokenizer
        self.dimensions = int(vectors.shape[1])

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
        if not texts:
            return result
        encode = getattr(self.tokenizer, "encode_batch_fast", self.tokenizer.encode_batch)
        for row, encoding in enumerate(encode(list(texts), add_special_tokens=False)):
            if encoding.ids:
                mean = self.vectors[encoding.ids].mean(axis=0)
                norm = float(np.linalg.norm(mean))
                if norm > 0.0:
                    result[row] = mean / norm
        return result


@functools.cache
def bundled_embedder() -> Embedder:
    """The embedder built from the installed ``wordllama`` package's own files."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError([Problem("wordllama", None, "package not installed")])
    return Embedder.from_folder(Path(next(iter(spec.submodule_search_locations))))
