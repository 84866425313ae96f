"""A headline's form: explainers, analyses and questions against news put as statements."""

import pytest

from monitor.detect.headline import explains


@pytest.mark.parametrize(
    "headline",
    [
        "How Britain's Ukraine force would work",
        "What is the coalition of the willing?",
        "What's in the draft guarantee",
        "Could the truce hold through the winter? Three scenarios",
        "Analysis: why the plant sits at the centre of every draft",
        "EXPLAINER - what the Paris declaration commits Britain to",
        "Comment \u2013 a force in search of a ceasefire",
        "Q&A: the vote that has not happened yet",
        "Kyiv ratifies the treaty \u2014 what does it bring?",
        "EXPLAINER-What the Paris declaration commits Britain to",
        "Who's who in the Riyadh talks",
    ],
)
def test_explainers_analyses_and_questions(headline: str) -> None:
    assert explains(headline)


@pytest.mark.parametrize(
    "headline",
    [
        "MPs back sending UK troops to Ukraine",
        "Israel and Hamas agree a truce",  # "Is" opens no question here
        "Canada pledges troops for the mission",
        "Whole Donbas demand dropped, Kremlin says",
        "Analysis of the vote shows a split in Labour",  # a word, not a label
        "Willing coalition signs guarantee treaty",
        "WHO declares a health emergency in eastern Ukraine",  # an acronym, not "who"
        "Background-check bill passes the Senate",  # hyphenated words, not labels
        "Opinion-poll lead for Labour narrows after the vote",
        "Timeline-setting vote passes in the Rada",
    ],
)
def test_news_put_as_statements(headline: str) -> None:
    assert not explains(headline)
