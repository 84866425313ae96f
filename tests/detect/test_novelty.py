from __future__ import annotations

from typing import Any

import pytest

from monitor.detect import novelty
from monitor.detect.novelty import KnownClaims, is_hypothetical

CLAIMS = [
    "Starmer pledged that MPs would get a vote before any deployment of British troops.",
    "Russia warned that Western troops in Ukraine would be legitimate military targets.",
    "Zelensky said a peace deal was about 90 percent ready.",
]


@pytest.mark.parametrize(
    ("sentence", "nearest", "novel"),
    [
        # a restatement in other words is known
        ("Moscow warned Western troops in Ukraine would be legitimate targets.", 1, False),
        ("MPs would get a vote before British troops deploy, Starmer pledged.", 0, False),
        # the same words, but a reported fact instead of a promise, is news
        ("MPs voted on the deployment of British troops.", 0, True),
        # unrelated wording is novel
        ("The Bundestag ratified a security treaty with Kyiv.", None, True),
    ],
)
def test_novelty_against_claims(sentence: str, nearest: int | None, novel: bool) -> None:
    evidence = KnownClaims(CLAIMS).assess(sentence)
    assert (evidence.novelty >= 0.3) is novel, evidence
    assert evidence.novelty == pytest.approx(1 - evidence.similarity, abs=1e-3)
    if nearest is not None:
        assert evidence.nearest_claim == CLAIMS[nearest]


@pytest.mark.parametrize(
    ("sentence", "in_meaning", "shown"),
    [
        # the nearest claim by words shares words with the sentence: it stays, whatever the
        # claim nearest in meaning
        ("MPs voted on the deployment of British troops.", 2, 0),
        # it shares none (a resemblance of letters): the claim nearest in meaning is shown
        ("Commons backs sending soldiers to Kyiv.", 0, 0),
        ("Commons backs sending soldiers to Kyiv.", 1, 1),
    ],
)
def test_the_claim_shown_shares_words_or_meaning(
    sentence: str, in_meaning: int, shown: int
) -> None:
    known = KnownClaims(CLAIMS)
    measured = known.assess(sentence)
    evidence = known.assess_all([sentence], [in_meaning])[0]
    assert evidence.novelty == measured.novelty  # what the detector acts on is unchanged
    assert evidence.nearest_claim == CLAIMS[shown]
    assert evidence.similarity <= measured.similarity
    if shown == CLAIMS.index(measured.nearest_claim):
        assert evidence == measured


def test_no_claims_means_everything_is_novel() -> None:
    evidence = KnownClaims([]).assess("Anything at all.")
    assert (evidence.novelty, evidence.nearest_claim) == (1.0, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("MPs would vote", True), ("if a deal is reached", True), ("MPs voted", False)],
)
def test_is_hypothetical(text: str, expected: bool) -> None:
    assert is_hypothetical(text) is expected


def test_story_vocabulary_does_not_make_sentences_known() -> None:
    claims = [
        "Russia called Ukraine's allies an axis of war.",
        "Russia warned that Western troops in Ukraine would be targets.",
        "Ukraine's allies met in Paris to agree guarantees for Ukraine.",
        "Russia controls a fifth of Ukraine.",
    ]
    known = KnownClaims(claims)
    assert known.story_words == frozenset({"russia", "ukraine"})
    fresh = known.assess("Russia designated the coalition's logistics hubs in Ukraine as targets.")
    assert fresh.novelty >= 0.3, fresh
    again = known.assess("Russia again warned Western troops in Ukraine would be targets.")
    assert again.novelty < 0.3, again


def test_assessing_many_sentences_at_once_matches_one_at_a_time() -> None:
    known = KnownClaims(CLAIMS)
    sentences = [
        "MPs voted on the deployment of British troops.",
        "",
        "Russia and Ukraine",
        "Moscow warned Western troops in Ukraine would be legitimate targets.",
    ]
    assert known.assess_all(sentences) == [known.assess(s) for s in sentences]
    assert known.assess_all(sentences)[1].novelty == 1.0


def test_a_recurring_sentence_is_compared_once_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The nearest claim of each sentence is kept: a wire copy or a repeated title costs no
    second comparison, and its evidence is what a fresh comparison gives."""
    compared: list[str] = []
    measure = novelty.key_ratios

    def counting(keys: list[str], *args: Any, **kwargs: Any) -> Any:
        compared.extend(keys)
        return measure(keys, *args, **kwargs)

    monkeypatch.setattr(novelty, "key_ratios", counting)
    sentences = [
        "Moscow warned Western troops in Ukraine would be legitimate targets.",
        "MPs voted on the deployment of British troops.",
        "MPs would vote on the deployment of British troops.",  # same words, hypothetical
    ]
    known = KnownClaims(CLAIMS)
    first = known.assess_all(sentences)
    again = known.assess_all([sentences[1], "Unrelated: the Bundestag met.", *sentences])
    assert again[2:] == first
    assert again[0] == first[1]
    assert len(compared) == 4  # three sentences, then only the unrelated one
    fresh = KnownClaims(CLAIMS).assess_all([*sentences, "Unrelated: the Bundestag met."])
    assert [*first, again[1]] == fresh


def test_a_recurring_sentence_is_read_into_words_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence's informative key and modality are kept: a recurring sentence is not split
    into words again, the kept reading gives what a fresh one gives, and the store of
    readings is cleared (not grown) at its bound."""
    read: list[str] = []
    real_words = novelty.words

    def counting(text: str) -> list[str]:
        read.append(text)
        return real_words(text)

    monkeypatch.setattr(novelty, "words", counting)
    sentences = [
        "MPs voted on the deployment of British troops.",
        "MPs would vote on the deployment of British troops.",
    ]
    known = KnownClaims(CLAIMS)
    read.clear()
    first = known.assess_all(sentences)
    again = known.assess_all([*sentences, sentences[0]])
    assert read == sentences
    assert again == [*first, first[0]]
    assert first == KnownClaims(CLAIMS).assess_all(sentences)
    monkeypatch.setattr(novelty, "_KEPT_COMPARISONS", 2)
    unrelated = "Unrelated: the Bundestag met."
    assert known.assess(unrelated) == KnownClaims(CLAIMS).assess(unrelated)
    assert len(known._items) == 1
    assert known.assess_all(sentences) == first


def test_comparisons_dropped_while_comparing_are_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the kept comparisons overflow, every one a call needs is compared again: a sentence
    compared before, asked for beside new ones, is not lost with the rest (it raised KeyError
    in a daemon that had read enough sentences)."""
    known = KnownClaims(CLAIMS)
    seen = "MPs voted on the deployment of British troops."
    known.assess(seen)
    monkeypatch.setattr(novelty, "_KEPT_COMPARISONS", 2)
    sentences = [
        seen,
        "The Bundestag ratified a security treaty with Kyiv.",
        "Commons backs sending soldiers to Kyiv.",
    ]
    assert known.assess_all(sentences) == KnownClaims(CLAIMS).assess_all(sentences)


def test_key_ratios_are_what_cdist_gives() -> None:
    """Keys that share no word are measured by their Indel distance, the others by
    ``token_set_ratio``: the matrix is ``process.cdist``'s, to the bit."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from monitor.detect.similarity import content_key, key_ratios

    texts = [
        *CLAIMS,
        "MPs voted on the deployment of British troops.",
        "Commons backs sending soldiers to Kyiv.",
        "The Bundestag ratified a security treaty with Kyiv.",
        "Troops.",
    ]
    keys = [content_key(text) for text in texts]
    others = [*keys, ""]  # a claim with no informative word
    sharing = [
        {column for column, other in enumerate(others) if set(key.split()) & set(other.split())}
        for key in keys
    ]
    assert any(sharing) and not all(len(columns) == len(others) for columns in sharing)
    found = key_ratios(keys, others, sharing)
    expected = process.cdist(keys, others, scorer=fuzz.token_set_ratio, processor=None)
    assert found.dtype == expected.dtype
    assert np.array_equal(found, expected)
