"""How an article is read into sentences before anything is measured."""

from __future__ import annotations

from monitor.detect.features import article_sentences
from monitor.models import Article


def sentences_of(title: str, text: str) -> list[str]:
    return article_sentences(Article(id="a1", feed="test", title=title, text=text))


def test_the_headline_comes_first_and_repeats_are_one_sentence() -> None:
    lead = "Russia summoned the French ambassador. Paris called it theatre."
    assert sentences_of("Russia summoned the French ambassador.", lead) == [
        "Russia summoned the French ambassador.",
        "Paris called it theatre.",
    ]


def test_a_wire_headline_in_capitals_over_the_same_words_is_one_sentence() -> None:
    title = "UPDATE 2-RUSSIA SUMMONED THE FRENCH AMBASSADOR."
    text = "MOSCOW, March 3 (Reuters) - Russia summoned the French ambassador. Paris said no."
    assert sentences_of(title, text) == ["Russia summoned the French ambassador.", "Paris said no."]
    # the headline's place, the lead's type
    text = "Russia summoned the French ambassador. Paris called it theatre."
    assert sentences_of("PARIS CALLED IT THEATRE.", text) == [
        "Paris called it theatre.",
        "Russia summoned the French ambassador.",
    ]
