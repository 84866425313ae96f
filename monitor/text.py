"""Text handling shared by the baseline builder and detection.

``html_to_text`` turns feed markup into plain text, ``split_sentences`` cuts text into
sentences without breaking on common abbreviations ("U.S.", "Jan.", "Mr."), and
``normalise`` / ``words`` give the canonical form every matcher compares. All functions
are pure and never raise on odd input: broken markup degrades to its visible text.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table blockquote section article "
    "header footer pre figure figcaption dd dt".split()
)
_INVISIBLE_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template"})


class _TextExtractor(HTMLParser):
    """Collects visible text; block elements become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the visible text of an HTML fragment (or plain text, unchanged but tidied)."""
    if "<" not in markup and "&" not in markup:
        return _tidy(markup)
    extractor = _TextExtractor()
    try:
        extractor.feed(markup)
        extractor.close()
    except (AssertionError, ValueError):  # pragma: no cover - html.parser is lenient
        return _tidy(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    return _tidy("".join(extractor.parts))


def _tidy(text: str) -> str:
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


def normalise(text: str) -> str:
    """Canonical comparison form: NFKC, straight quotes and dashes, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip().lower()


_WORD = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")


_POSSESSIVE = re.compile(r"'s\b")


@functools.lru_cache(maxsize=4096)  # detection reads each sentence several times
def comparable(text: str) -> str:
    """``normalise`` with possessives dropped: the form every term is matched against."""
    return _POSSESSIVE.sub("", normalise(text))


def words(text: str) -> list[str]:
    """Lower-case word tokens: "U.S." stays one token ("u.s"); a possessive 's is dropped."""
    return list(_words(text))


@functools.lru_cache(maxsize=512)  # an article's sentences, read by several measures in turn
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(comparable(text)))


# Words that end in a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sir st gen lt col maj capt sgt adm cmdr gov sen rep rev fr jr sr
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    no nos vs etc inc ltd co corp dept est approx fig op cf al e.g i.e u.s u.k u.n e.u""".split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"')\]\u2019\u201d]*\s+(?=[\"'(\[\u2018\u201c]?[A-Z0-9])")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?$")


def split_sentences(text: str) -> list[str]:
    """Split plain text into sentences; line breaks always end a sentence."""
    sentences: list[str] = []
    for line in text.split("\n"):
        start = 0
        for match in _BOUNDARY.finditer(line):
            before = line[start : match.start() + 1].rsplit(None, 1)
            last_word = before[-1].rstrip(".").lower() if before else ""
            if last_word in _ABBREVIATIONS or _INITIALS.match(before[-1] if before else ""):
                continue
            sentences.append(line[start : match.end()].strip())
            start = match.end()
        tail = line[start:].strip()
        if tail:
            sentences.append(tail)
    return [s for s in sentences if any(ch.isalnum() for ch in s)]


def word_starts(lowered: str) -> list[int]:
    """The offset of each of the words (``words``) of ``lowered``, a ``comparable`` text."""
    return [match.start() for match in _WORD.finditer(lowered)]
