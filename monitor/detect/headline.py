"""What a headline's form says about the article: an explainer, an analysis or a question
("How the force would work", "Analysis: ...", "Could the truce hold?") mostly goes over what
is known, where news is headlined as a statement. A soft signal for the scoring model, never
a veto: an analysis may carry news of its own.
"""

from __future__ import annotations

import re

# Capitalised as a headline opens a question: "WHO declares" or "who" inside a name is not one.
_QUESTION_OPENING = re.compile(
    r"(?:How|What|What's|Why|Who|Where|When|Will|Would|Could|Can|Should|Is|Are|Does|Do|Did)\b"
)
# A label, then a colon, a bar, a dash between spaces, or a dash before a capital
# ("EXPLAINER-What..."); "Background-check bill" and "Opinion-poll lead" are not labels.
_FEATURE_LABEL = re.compile(
    r"(?:analysis|explainer|explained|comment|opinion|q\s*&\s*a|fact\s*box|factbox|timeline"
    r"|in depth|editorial|column|background|guide|long read|what we know)"
    r"(?:\s*[:|]|\s+[-\u2013\u2014]\s|[-\u2013\u2014]\s*(?-i:[A-Z0-9]))",
    re.IGNORECASE,
)


def explains(headline: str) -> bool:
    """Whether ``headline`` is put as a question or labelled as an explainer or analysis."""
    text = headline.strip()
    return text.endswith("?") or bool(_QUESTION_OPENING.match(text) or _FEATURE_LABEL.match(text))
