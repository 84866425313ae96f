from __future__ import annotations

import numpy as np
import pytest

from monitor.detect.embedding import bundled_embedder

SENTENCES = [
    "The Kremlin said on Friday it could accept UN-mandated peacekeepers from neutral states.",
    "MPs voted 412 to 89 to approve the deployment of British troops to Ukraine.",
    "Zelenskyy's office called the vote “historic” — a first since 2022!",
    "Ушаков: Россия готова обсуждать",
    "",
    "   ",
]


def test_word_by_word_tokens_are_the_tokenizers_own() -> None:
    embedder = bundled_embedder()
    expected = [
        embedder.tokenizer.encode(text, add_special_tokens=False).ids if text.strip() else []
        for text in SENTENCES
    ]
    assert embedder.token_ids(SENTENCES) == expected


def test_embeddings_are_unit_length_means_of_token_vectors() -> None:
    embedder = bundled_embedder()
    rows = embedder.embed(SENTENCES)
    for text, row in zip(SENTENCES, rows, strict=True):
        ids = embedder.tokenizer.encode(text, add_special_tokens=False).ids
        if not text.strip():
            assert not row.any()
            continue
        mean = embedder.vectors[ids].mean(axis=0)
        assert row == pytest.approx(mean / np.linalg.norm(mean), abs=1e-5)
