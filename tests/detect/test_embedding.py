from __future__ import annotations

import threading

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


def test_words_dropped_to_make_room_are_encoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the kept token ids overflow, every word a call needs is encoded again: a word kept
    before, asked for beside new ones, keeps its ids (they were lost, silently, once a daemon
    had read enough distinct words)."""
    from monitor.detect import embedding

    embedder = bundled_embedder()
    expected = embedder.token_ids(SENTENCES)
    embedder._word_ids.clear()
    embedder.token_ids(SENTENCES[:1])
    monkeypatch.setattr(embedding, "_CACHED_WORDS", len(embedder._word_ids) + 1)
    assert embedder.token_ids(SENTENCES) == expected


def test_embeddings_are_unit_length_means_of_token_vectors() -> None:
    embedder = bundled_embedder()
    rows = embedder.embed(SENTENCES)
    for text, row in zip(SENTENCES, rows, strict=True):
        ids = embedder.tokenizer.encode(text, add_special_tokens=False).ids
        if not text.strip():
            assert not row.any()
            continue
        mean = embedder.vectors[ids].astype(np.float32).mean(axis=0)
        assert row == pytest.approx(mean / np.linalg.norm(mean), abs=1e-5)


@pytest.mark.parametrize("texts", [SENTENCES, SENTENCES[:3], SENTENCES[1:2], SENTENCES[4:]])
def test_embeddings_are_bitwise_those_of_the_plain_computation(texts: list[str]) -> None:
    """``embed`` takes shortcuts (``take``, its own row norms, no masked division when no
    row is empty); the vectors must be bit for bit those of the plain numpy computation,
    since every score downstream is compared with thresholds."""
    embedder = bundled_embedder()
    token_lists = embedder.token_ids(texts)
    expected = np.zeros((len(texts), embedder.dimensions), dtype=np.float32)
    filled = [row for row, ids in enumerate(token_lists) if ids]
    if filled:
        ids = [i for row in filled for i in token_lists[row]]
        sizes = np.array([len(token_lists[row]) for row in filled])
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        rows = embedder.vectors[ids].astype(np.float32)
        means = np.add.reduceat(rows, starts, axis=0) / sizes[:, None]
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        expected[filled] = np.divide(means, norms, out=np.zeros_like(means), where=norms > 0)
    assert embedder.embed(texts).tobytes() == expected.tobytes()


@pytest.mark.parametrize(
    "text",
    ["a<s>b </s> x<unk> plain", "tab\tinside é \u2581 🙂 U.S.-led", "<unk><unk> <s></s>"],
)
def test_each_word_gets_the_ids_its_own_encoding_gives(text: str) -> None:
    """Words are tokenised by the normalizer and model directly, and words holding an added
    token ("<s>") by ``encode``: either way the ids of encoding the word alone."""
    embedder = bundled_embedder()
    expected = [
        i
        for word in text.split(" ")
        for i in embedder.tokenizer.encode(word, add_special_tokens=False).ids
    ]
    assert embedder.token_ids([text]) == [expected]


def test_rows_widened_once_are_those_of_the_table() -> None:
    """Rows are widened at a token's first use and kept (the kept rows outgrow their first
    allocation here): gathers before, across and after the growth give the plain values."""
    embedder = bundled_embedder()
    batches = [[5, 9, 5], list(range(3000, 300, -2)), [9, *range(2990, 3100), 7, 5]]
    for ids in batches:
        assert embedder._rows(ids).tobytes() == embedder.vectors[ids].astype(np.float32).tobytes()


def test_rows_widened_by_threads_at_once_are_those_of_the_table() -> None:
    """Threads gathering rows never widened before, at the same time (a detector built on a
    reload while another detects), each get the plain values, and so does a gather of all
    those rows afterwards."""
    embedder = bundled_embedder()
    batches = [list(range(start, 31000, 7)) for start in range(4000, 4007)]
    start = threading.Barrier(len(batches))
    wrong: list[int] = []

    def gather(ids: list[int]) -> None:
        start.wait()
        for chunk in range(0, len(ids), 97):
            part = ids[chunk : chunk + 97]
            expected = embedder.vectors[part].astype(np.float32).tobytes()
            if embedder._rows(part).tobytes() != expected:
                wrong.append(part[0])

    threads = [threading.Thread(target=gather, args=(ids,)) for ids in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    every = [i for ids in batches for i in ids]
    assert embedder._rows(every).tobytes() == embedder.vectors[every].astype(np.float32).tobytes()
