from __future__ import annotations

import pytest

from monitor.text import html_to_text, normalise, split_sentences, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MPs voted. The motion passed.", ["MPs voted.", "The motion passed."]),
        (
            "The U.S. will lead monitoring. Kyiv agreed.",
            ["The U.S. will lead monitoring.", "Kyiv agreed."],
        ),
        (
            "Talks resume on Jan. 12 in Abu Dhabi. Nothing was signed.",
            ["Talks resume on Jan. 12 in Abu Dhabi.", "Nothing was signed."],
        ),
        (
            "Mr. Healey spoke to MPs. Dr. Smith did not.",
            ["Mr. Healey spoke to MPs.", "Dr. Smith did not."],
        ),
        ('Is it over? Yes! "It is," he said.', ["Is it over?", "Yes!", '"It is," he said.']),
        (
            "Headline without stop\nBody sentence one. Body two.",
            ["Headline without stop", "Body sentence one.", "Body two."],
        ),
        (
            "LONDON, Feb 9 (Reuters) - MPs voted 467-54.",
            ["LONDON, Feb 9 (Reuters) - MPs voted 467-54."],
        ),
        (
            "Support from the E.U. and the U.K. continued.",
            ["Support from the E.U. and the U.K. continued."],
        ),
        ("", []),
        ("...", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>One.</p><p>Two &amp; three.</p>", "One.\nTwo & three."),
        ("<script>alert(1)</script>Visible <b>bold</b>", "Visible bold"),
        ("plain   text", "plain text"),
        ("<p>unclosed <i>tags", "unclosed tags"),
        ("a<br>b", "a\nb"),
    ],
)
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_normalise_folds_quotes_dashes_and_case() -> None:
    assert normalise("  \u201cAxis\u201d \u2013 of\u00a0WAR\u2019s ") == '"axis" - of war\'s'


def test_words_keep_initialisms_together() -> None:
    assert words("The U.S. and MPs' vote") == ["the", "u.s", "and", "mps", "vote"]


def test_words_kept_for_a_recurring_text_are_never_shared() -> None:
    """``words`` keeps the words of recent texts; each call still gets a list of its own."""
    first = words("MPs voted on the deployment.")
    first.append("changed")
    assert words("MPs voted on the deployment.") == ["mps", "voted", "on", "the", "deployment"]
