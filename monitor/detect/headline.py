"""What a headline's form says about the article.

An explainer, an analysis or a question ("How the force would work", "Analysis: ...", "Could the
truce hold?") mostly goes over what is known, where news is headlined as a statement:
``explains`` is a soft signal for the scoring model, since an analysis may carry news of its
own; the story book reads it beside what it knows (a piece so headlined that goes over a
development reported days before is known, ``stories.StoryBook.decide``). A piece packaged as
reference or as a look back ("Factbox: ...", "... explained", "Six months after Paris", "2026 in
review"; not news told before "what we know"), or a question asking what something is ("What
is the new five-party format?"), is written to retell the story so far: ``packaged`` names such
a headline. So is a headline reporting a denial ("Kremlin denies report...", ``denies``), an
opinion poll ("..., survey shows", ``reports_poll``), a symbolic vote or motion ("Seimas backs
Ukraine force in non-binding motion"), a think tank's or analysts' view ("..., think tank
estimates"), a debate with no vote ("Lords debate deployment risks; no division"), a promise to
consider something ("Berlin 'will consider' sending soldiers") or a commemoration alone
("Remembrance Sunday: prayers for those serving in Ukraine"): ``set_aside`` says why the
detector does not alert on any of them. An anniversary told as the day of a step ("First British
troops arrive in Ukraine on anniversary of the invasion") dates news, not a look back.
"""

from __future__ import annotations

import re

from monitor.detect.novelty import is_hypothetical
from monitor.detect.timeref import tells_of_today

# Capitalised as a headline opens a question: "WHO declares" or "who" inside a name is not one.
_QUESTION_OPENING = re.compile(
    r"(?:How|What|What's|Why|Who|Where|When|Will|Would|Could|Can|Should|Is|Are|Does|Do|Did)\b"
)
# Labels of pieces that explain what is known (those ``explains`` reads, which the model was
# trained on, and the wider set ``packaged`` reads) and of pieces that give a view.
_EXPLAINER_LABELS = (
    r"explainer|explained|q\s*&\s*a|fact\s*box|factbox|timeline|background|guide|what we know"
)
_REFERENCE_LABELS = (
    rf"{_EXPLAINER_LABELS}|backgrounder|fact\s*check|key facts|at a glance|in numbers|recap|preview"
)
_VIEW_LABELS = r"analysis|comment|opinion|in depth|editorial|column|long read"
# A label opens the headline when a colon, a bar, a dash or a slash between spaces ("Analysis /
# ..."), or a dash before a capital ("EXPLAINER-What...") follows it; "Background-check bill"
# and "Opinion-poll lead" are not labels.
_AFTER_LABEL = r"(?:\s*[:|]|\s+[-\u2013\u2014/]\s|[-\u2013\u2014]\s*(?-i:[A-Z0-9]))"
_FEATURE_LABEL = re.compile(f"(?:{_EXPLAINER_LABELS}|{_VIEW_LABELS}){_AFTER_LABEL}", re.IGNORECASE)
_REFERENCE_LABEL = re.compile(f"(?:{_REFERENCE_LABELS}){_AFTER_LABEL}", re.IGNORECASE)
# Reference put anywhere in the headline: "The week in diplomacy, explained", "Security
# guarantees explained: who has ratified what" (not "Peskov explained: Russia ..."), "Britain's
# deployment in numbers", "How the treaty works", "What we know about the leaked plan", "A
# reader's guide to the framework" (a guide so qualified, not "a new guide to its terms"), "MPs
# debate the deployment: what you need to know", "Ukraine vote preview", "Ukraine vote: what MPs
# will decide" (opening the headline or its part after a colon or dash: not "in what officials
# say will mean a breakthrough").
_REFERENCE = re.compile(
    r"[,:]\s*explained\W*$|\bexplained\s*(?:[:|]|\s[-\u2013\u2014]\s)\s*(?:what|who|how|why|where|when"
    r"|which)\b|\bwhat we know\b"
    r"|\ba\s+(?:(?:reader|beginner|layman)[\u2019']s\s+|(?:short|quick|brief|simple|visual|handy"
    r"|practical|complete)\s+)?guide to\b"
    r"|\bhow\b.{0,60}\bworks?\b"
    r"|\bin numbers\b|\bat a glance\b|\bkey facts\b"
    r"|\bwhat you need to know\b|\bwhat to (?:expect|watch)\b|\bpreview\W*$"
    r"|(?:^|[:|\u2013\u2014-]\s*)what\s+(?:[\w-]+\s+){0,2}(?:will|would)\s+(?:decide|vote\s+on|mean)\b",
    re.IGNORECASE,
)
# A name alone closed by "explained" ("The Geneva Framework Agreement explained"): no comma,
# colon or dash before it (a speaker's "..., Lavrov explained", news told before "the deal
# explained"), and no "is" or "has been" explained.
_NAME_EXPLAINED = re.compile(
    r"^(?!.*\s[-\u2013\u2014]\s)"
    r"(?![^,:;!?]*\b(?:is|are|was|were|been|being|be|has|have|had)\s+"
    r"(?:['\"\u2018\u201c]?\w+\s+)?['\"\u2018\u201c]?explained\W*$)"
    r"[^,:;!?]{3,80}\sexplained\W*$",
    re.IGNORECASE,
)
# News told before "what we know" ("Russia and Ukraine sign a ceasefire: what we know so far",
# "Senate ratifies the guarantee - here's what you need to know") is news, where a subject
# alone before it ("Ukraine ceasefire: what we know so far") or a debate ("MPs debate the
# deployment: what you need to know") is reference: a step taken names the news.
_NEWS_THEN_WHAT_WE_KNOW = re.compile(
    r"^(?P<news>.+?)\s*(?:[:|.]|\s[-\u2013\u2014]\s)\s*(?:here(?:'?s|\s+is)\s+)?"
    r"what\s+(?:we|you)\s+(?:need\s+to\s+)?know(?:\s+so\s+far|\s+now)?\W*$",
    re.IGNORECASE,
)
# ... unless the step is hypothetical (``novelty.is_hypothetical``: "Ceasefire could begin on
# Friday: what we know") or set to come ("MPs set to vote to send troops: what you need to know")
_STEP_SET_TO_COME = re.compile(r"\b(?:set|due|poised|likely|is|are)\s+to\b", re.IGNORECASE)
_STEP_TAKEN = re.compile(
    r"\b(?:sign(?:s|ed)?|ratif(?:y|ies|ied)|approv(?:e|es|ed)|back(?:s|ed)|pass(?:es|ed)"
    r"|order(?:s|ed)|deploy(?:s|ed)|authori[sz](?:es|ed)|agree(?:s|d)?|arrive(?:s|d)?"
    r"|land(?:s|ed)?|declare(?:s|d)|collapse(?:s|d)|begins?|began|takes?\s+effect|took\s+effect"
    r"|votes?\s+(?:to|for|against)|voted)\b",
    re.IGNORECASE,
)
# A headline that asks what something is or who someone is ("What is the new five-party
# format?", "Who is in the coalition?") introduces it to the reader: reference, where a
# question of what may happen ("Could the truce hold?") is only a soft signal. Not one asking
# what goes on or went on ("What is behind the U-turn?", "Who is sending troops?", "What are MPs
# voting on tonight?"), nor "WHO" (the organisation), nor a question followed by news.
_DEFINING_QUESTION = re.compile(
    r"^(?:What|Who)\s+(?i:is|are)\s+"
    r"(?!(?i:behind|happening|next|to\s+blame)\b|\w+ing\b)"
    r"(?!.*\b(?i:today|tonight|yesterday|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)"
    r"[^?]*\?[\"'\u2019\u201d]*$"
)
_COUNT = (
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twenty|thirty|forty|fifty)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|\d+)"
)
# Reference in other words: "The Paris declaration, decoded: ...", "Hubs, not bases: decoding the
# Paris plan", "the American formula, unpacked", "Understand the Istanbul agreement, point by
# point", "Keys to the guarantees treaty: ...", "Understand the Istanbul agreement" (opening the
# headline), "No vote, no go: the PM's promise in brief", "The Istanbul agreement in ten points"
# (a name before the count); not news so closed ("Russia responds to the US plan point by point",
# "Kremlin publishes its peace terms in 12 points", "Commons approves deployment, in brief"), a
# digest labelled "In brief: ...", "Keys to the city: ...", "signals decoded: Moscow moves ...".
_DECODED = re.compile(
    r",\s*decoded\b|\bdecoded\W*$|(?:^|[:|]\s*)decoding\b|,\s*unpacked\W*$"
    r"|(?:,\s*|\bexplained\s+)point[- ]by[- ]point\W*$"
    r"|(?:^|[:|?]\s*)keys\s+to\s+(?:understand(?:ing)?\b|the\s+(?!city\b))|^understand(?:ing)?\s+the\b"
    rf"|(?:^|[:.|]\s*)the\s+[^:;,]{{2,80}}?\s+in\s+(?:brief|{_COUNT}\s+points)\W*$",
    re.IGNORECASE,
)
# A look back from weeks, months or years on: "Six months after Paris", "a year on", "2026 in
# review", "The month that was", "the year the guns fell silent", "The long read: ten months that
# changed the war" (opening the headline or its part after a label, not "a truce collapses after
# six weeks that brought a lull"), an anniversary, a round-up of the week, month or year ("The
# week in Ukraine diplomacy: ...", "The year in review"), or a count of thirty days or more, in
# digits, opening it and then a colon or a question ("100 days of ceasefire: what has
# changed?", "1,000 days since the invasion: ...").
# Fewer days are too near ("Two days after the vote, the first troops leave" is news), and so is
# a count told as news ("30 days into truce, Russia strikes Odesa", "30 days to pull troops out").
_LOOK_BACK = re.compile(
    rf"(?:(?:^|[:|,]\s*)(?:the\s+)?{_COUNT}\s+|^)(?:weeks?|months?|years?)\s+(?:on|since|after|later)\b"
    rf"|(?:^|[:|]\s*|\bthe\s+){_COUNT}\s+(?:weeks|months|years)\s+that\b"
    r"|(?:^|[:|]\s*)(?:[3-9]\d|[1-9]\d{2,3}|\d{1,3},\d{3})\s+days\s+(?:after|since|of|on|into)\b"
    r"[^:?]{0,80}[:?]"
    r"|\bin review\b|\bthe (?:week|month|year) that was\b|\b(?:19|20)\d\d: the year\b"
    r"|\bthe year (?:the|that|when)\b|\banniversary\b|\blooking back\b|\bretrospective\b"
    r"|^(?:the|this) (?:week|month|year) in\b",
    re.IGNORECASE,
)
# An anniversary told as the day of a step ("First British troops arrive in Ukraine on anniversary
# of Russia's invasion", "On war anniversary, Zelensky and Starmer sign security treaty"): the
# date of news, where "Leaders mark the anniversary", "Kremlin repeats its threat on the
# anniversary" or "On the truce's anniversary, how it was signed" (``_RETOLD``) looks back
# (``without_dated_anniversary``).
_RETOLD = re.compile(
    r"\b(?:how|why|recalls?|recalled|remembers?|remembered|looks?\s+back|a\s+look\s+at)\b",
    re.IGNORECASE,
)
_ON_ANNIVERSARY = re.compile(
    r"\bon\s+(?:the\s+|its\s+|this\s+|[\w-]+'s\s+)?(?:[\w-]+\s+){0,3}?anniversary\b"
    r"(?:\s+of\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?(?:invasion|war|declaration|ceasefire|truce))?",
    re.IGNORECASE,
)
# A way from one point to another opening the headline, then how it went or the road taken
# ("From 'legitimate targets' to the Dnipro line: Russia's evolving stance", "Analysis / From
# Paris to Kyiv: how the promise became troops"), looks back; not news after the way ("From
# Westminster to Kyiv: MPs back sending British troops", "... : Kremlin accepts the road map",
# "... : how the first British troops crossed into Ukraine today").
_FROM_TO = re.compile(
    r"^(?:\w+\s*[/:|]\s*)?from\s+[^:]{2,60}?\s+to\s+[^:]{2,60}:\s*(?P<then>how\b.*|.*\b(?:evolving"
    r"|evolution|the\s+road\s+to|long\s+road|a\s+timeline\s+of|revisited)\b.*)$",
    re.IGNORECASE,
)
# A headline reporting a denial ("Kremlin denies report Putin accepted European troops", "MoD
# says it's 'not government policy'", "... Kyiv and Washington say it's fake") or a
# fact-checker's rebuttal tells of what did not happen as reported; denying someone consent or
# entry is a decision, not a denial.
_DENIAL = re.compile(
    r"\bden(?:y|ies|ied|ying)\b(?!\s+(?:\w+\s+){0,3}(?:consent|entry|access|approval|permission)\b)"
    r"|\b(?:dismiss(?:es|ed)?|reject(?:s|ed)?|rubbish(?:es|ed)?)\s+(?:the\s+|a\s+)?"
    r"(?:reports?|claims?|rumou?rs?)\b"
    r"|\b(?:it'?s|is|are|as|calls?\s+(?:the\s+)?(?:reports?|claims?))\s+'?(?:fake|untrue|baseless)\b"
    r"|\bnot government policy\b"
    # a fact-checker's verdict on a claim ("No, MPs did not vote ...", "Unverified: claims ...",
    # "... PDF is a doctored 2022 document"; not "Verified:" nor "Confirmed:")
    # (not "No, we will not wait, says Starmer as he orders troops", "says Kyiv's assurances were
    # false")
    r"|^no,\s(?![^:]*,\s+says\b)[^:]{0,80}\b(?:not|n't|never)\b"
    r"|^(?:unverified|false|fake|misleading|unproven|mostly\s+false)\s*[:|]"
    r"|\b(?:it|this(?:\s+one)?|(?:the|this)\s+(?:video|photo|image|clip|document|pdf|letter|claim|report"
    r"|plan|map|quote)s?)\s+(?:is|are|was|were)\s+(?:an?\s+)?(?:fabricat\w*|doctored|false|fake)\b",
    re.IGNORECASE,
)
# A headline reporting an opinion poll tells what people think, never a step taken: a poll so
# called ("Opinion poll: ...", "Pre-referendum polling: ..."), one that finds or shows ("...,
# survey shows"), or a poll or survey opening the headline ("Poll: 52% of Britons ...", "Polls
# before the referendum: ..."). Not the voting itself ("goes to the polls", "polls open", "exit
# poll", "Poll result: yes wins", "backed in Ukraine poll"), nor a survey of waters or damage.
_POLL = re.compile(
    r"(?<![\w-])(?:opinion|snap|new|latest|pre-referendum)\s+(?:polls?|polling|surveys?)\b"
    r"|(?<![\w-])(?:polls?|surveys?|polling)\s+(?:finds?|found|shows?|showed|suggests?|suggested)\b"
    r"|(?<![\w-])poll\s+of\b|(?<![\w-])polling\s*:"
    r"|^(?:polls?|surveys?|polling)\b"
    r"(?!\s+(?:open|opens|opening|opened|close|closes|closing|closed|results?)\b)",
    re.IGNORECASE,
)
# A headline reporting a symbolic act: a non-binding, symbolic or declaratory vote, motion or
# resolution ("Seimas backs Ukraine force in non-binding motion", "Riigikogu backs coalition
# mission in declaratory vote", "a resolution that binds no one"), told
# in its first clause (not "Ceasefire takes effect after UN passes non-binding resolution",
# "Parliament approves deployment, rejecting symbolic motion"), or a resolution that only
# welcomes, honours or urges, told alone ("Sejm passes resolution honouring coalition
# mission"): a parliament's view, where a step is binding.
_SYMBOLIC = re.compile(
    r"\b(?:non-?binding|symbolic)\s+(?:[\w-]+\s+)?(?:votes?|motions?|resolutions?|declarations?"
    r"|statements?|texts?)\b|\bbinds no one\b"
    # (a declaratory statement may be Moscow's word for the coalition's: only a vote so called)
    r"|\b(?:declaratory|declarative)\s+(?:[\w-]+\s+)?(?:votes?|motions?|resolutions?)\b",
    re.IGNORECASE,
)
_RESOLUTION_ONLY = re.compile(
    r"\bresolutions?\s+(?:welcoming|honou?ring|hailing|commending|praising|saluting|urging"
    r"|backing|supporting|endorsing|against|opposing)\b",
    re.IGNORECASE,
)
# ... or one told as such at the headline's close ("..., in a non-binding resolution", "..., in a
# resolution without teeth"), not a symbolic act told as the background of news ("Ceasefire takes
# effect after UN passes non-binding resolution")
_SYMBOLIC_CLOSING = re.compile(
    r"\bin\s+an?\s+(?:(?:non-?binding|symbolic|declaratory|declarative)\s+(?:[\w-]+\s+)?"
    r"(?:votes?|motions?|resolutions?)|(?:resolution|motion|vote)\s+(?:that\s+binds\s+no\s*one"
    r"|without\s+teeth))\W*$",
    re.IGNORECASE,
)
# A resolution at the United Nations (or Moscow's, ``_RUSSIAN_SIDE``) is the Security Council's
# business or Russia's position, not a parliament's view.
_AT_THE_UN = re.compile(r"\b(?:UN|U\.N\.|United Nations|Security Council)\b")
# A headline whose subject is a think tank's or analysts' view ("Think tank puts the force at
# 25,000 troops", "Analysts say Russia could revisit its stance", "..., think tank estimates"),
# not news told beside one ("French troops land in Odesa; analysts say ...", "... as think tank
# warns").
_ANALYSTS_VIEW = re.compile(
    r"\bthink[- ]tanks?\s*(?::|(?:say|says|said|warns?|estimates?|puts|urges?|believes?"
    r"|reckons?|expects?|finds?)\b)"
    r"|\banalysts?\s+(?:warn|warns|estimate|estimates|believe|believes|reckon|reckons|expect"
    r"|expects)\b|^analysts?\s+(?:say|says|said)\b",
    re.IGNORECASE,
)
# A headline telling of a debate at which no vote was taken ("Lords debate deployment risks; no
# division", "Bundestag debate ends without a mandate"), naming no decision ("Lords approve the
# deployment without a division" is one).
_NO_VOTE = re.compile(
    r"\bno\s+(?:vote|division)\b|\bwithout\s+(?:a\s+)?(?:vote|division|mandate)\b", re.IGNORECASE
)
_DEBATE = re.compile(r"\b(?:debat\w*|discuss\w*|take[- ]note)\b", re.IGNORECASE)
_DECISION = re.compile(
    r"\b(?:approv\w*|backs?|backed|pass(?:es|ed)?|orders?|ordered|deploys?|deployed|signs?"
    r"|signed|ratif\w*|authori[sz]\w*)\b",
    re.IGNORECASE,
)
# A promise to consider, study or weigh something ("Berlin 'will consider' sending soldiers",
# "Rosatom says it will study the IAEA plan") decides nothing; Moscow's readiness to consider what
# it refused ("Russia could consider unarmed observers") is a change of its position, left to the
# rules.
_TO_CONSIDER = re.compile(
    r"\b(?:will|would|could|to|may|might)\s+(?:consider|study|examine|weigh|look\s+at)\b",
    re.IGNORECASE,
)
_RUSSIAN_SIDE = re.compile(
    r"\b(?:russia|russian|moscow|kremlin|putin|lavrov|peskov|ushakov|zakharova|medvedev|shoigu)\b",
    re.IGNORECASE,
)
# A headline telling of a commemoration alone: opening with it ("Remembrance Sunday: Tidworth's
# thoughts turn to soldiers in Ukraine", "Newcastle vigil marks four years since the invasion") or
# held ("British soldiers in Kyiv hold two minutes' silence"): a rite, whatever the body recalls;
# not one that news is told at or beside ("Ceasefire comes into force with two minutes' silence",
# "Starmer announces deployment at Remembrance service", "... vigil as Government tables motion").
_COMMEMORATION = re.compile(
    r"^(?:[\w'-]+\s+){0,2}(?:remembrance|(?:two\s+)?minutes?'?\s+silence|wreaths?|vigils?"
    r"|memorial\s+services?|commemorat\w*)\b"
    r"|\b(?:hold|holds|held|holding|observe|observes|observed|keep|keeps|kept|lay|lays|laid"
    r"|laying)\s+(?:a\s+|two\s+)?(?:minutes?'?\s+silence|wreaths?|vigils?|memorial\s+services?)\b",
    re.IGNORECASE,
)
# Talks going on and nothing else ("Talks on final status continue in Geneva", "Ukraine peace
# treaty talks continue in Vienna"): a process, not a step; not talks to go on ("will continue
# monthly" may be a new format), nor any news beside them ("Talks continue with agreement on an
# energy truce", "Talks grind on while Britain sends troops").
_TALKS_GO_ON = re.compile(
    r"\b(?i:talks)\b[^,;:.]{0,60}?\b(?<!will\s)(?<!would\s)(?<!to\s)"
    r"(?i:continue|continues|go\s+on|goes\s+on|drag\s+on|drags\s+on|grind\s+on|grinds\s+on)"
    r"(?:\s+(?i:in|at)\s+(?:[A-Z][\w'-]*\s*){1,3})?(?:\s+(?i:on|this|next)\s+\w+|\s+(?i:today))?"
    r"[.!'\"]*$"
)
# A catch-up for the reader ("Catch-up: a busy spring, in four bullets"), unless what it labels
# tells a step taken ("Catch-up: UK troops arrive in Odesa" is news under a live page's label).
_CATCH_UP = re.compile(
    rf"(?:catch[- ]?up|catching\s+up){_AFTER_LABEL}\s*(?P<rest>.*)", re.IGNORECASE
)
# A name ", explained:" and what it holds ("The Istanbul ceasefire, explained: heavy weapons and
# what's left out"), unless either side tells a step ("Commons vote, explained: MPs approve 5,000
# troops").
_NAME_THEN_EXPLAINED = re.compile(
    r"(?P<name>.+?),\s*explained\s*[:|]\s*(?P<rest>.*)", re.IGNORECASE
)
# Where a headline turns to another clause: what follows may report something else.
_CLAUSE_BREAK = re.compile(
    r"[;,]|\s[-\u2013\u2014]\s|\b(?:as|after|while|amid|when|once|despite|rejecting)\b",
    re.IGNORECASE,
)
# typographic quotes and apostrophes (U+2018, U+2019, U+201C, U+201D) read as plain ones
_PLAIN_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def explains(headline: str) -> bool:
    """Whether ``headline`` is put as a question or labelled as an explainer or analysis."""
    return headline.strip().endswith("?") or opens_as_explainer(headline)


def opens_as_explainer(headline: str) -> bool:
    """Whether ``headline`` opens as a question or with an explainer's or analysis's label
    ("Why MPs backed ...", "Analysis: ..."; not news ending in one: "MPs back it: what next?")."""
    text = headline.strip()
    return bool(_QUESTION_OPENING.match(text) or _FEATURE_LABEL.match(text))


def packaged(headline: str) -> str | None:
    """What ``headline`` packages its article as, if as reference ("an explainer") or as a
    look back ("a look back"), or None for a headline of news."""
    text = headline.strip()
    if found_beside_dated_anniversary(_LOOK_BACK, text) or _looks_back_on_a_way(text):
        return "a look back"
    if _REFERENCE_LABEL.match(text) or _DEFINING_QUESTION.match(text):
        return "an explainer"
    if _labels_no_step(_CATCH_UP, text) or _labels_no_step(_NAME_THEN_EXPLAINED, text):
        return "an explainer"
    if (told := _NEWS_THEN_WHAT_WE_KNOW.match(text)) and _news_told(told["news"]):
        return None
    if _REFERENCE.search(text) or _NAME_EXPLAINED.match(text) or _DECODED.search(text):
        return "an explainer"
    return None


def _labels_no_step(label: re.Pattern[str], text: str) -> bool:
    """Whether ``label`` opens ``text`` and none of the parts it names tells a step taken."""
    labelled = label.match(text)
    return labelled is not None and not any(_news_told(part) for part in labelled.groups())


def found_beside_dated_anniversary(pattern: re.Pattern[str], headline: str) -> bool:
    """Whether ``pattern`` is found in ``headline`` and still is without an anniversary told as
    the day of the step it reports (the anniversary is read as a date only where it is found)."""
    return bool(pattern.search(headline) and pattern.search(without_dated_anniversary(headline)))


def without_dated_anniversary(headline: str) -> str:
    """``headline`` without an anniversary told as the day of the step it reports (the rest
    then says whether it looks back), or ``headline`` itself."""
    dated = _ON_ANNIVERSARY.search(headline)
    if dated is None:
        return headline
    rest = f"{headline[: dated.start()]} {headline[dated.end() :]}".strip(" ,;:")
    return rest if _news_told(rest) and not _RETOLD.search(rest) else headline


def _looks_back_on_a_way(text: str) -> bool:
    """Whether ``text`` opens with a way from one point to another, then how it went, telling
    no step taken and nothing of today."""
    way = _FROM_TO.match(text)
    return bool(way and not _news_told(way["then"]) and not tells_of_today(way["then"]))


def _news_told(text: str) -> bool:
    """Whether ``text`` (put before "what we know", or after a way travelled) tells a step
    taken: a statement, not a question, naming the step and no hedge on it."""
    step = _STEP_TAKEN.search(text)
    return (
        "?" not in text
        and not _QUESTION_OPENING.match(text)
        and step is not None
        and not is_hypothetical(text[: step.start()])
        and not _STEP_SET_TO_COME.search(text, 0, step.start())
    )


def denies(headline: str) -> bool:
    """Whether ``headline`` reports a denial of what it tells."""
    return bool(_DENIAL.search(headline))


def reports_poll(headline: str) -> bool:
    """Whether ``headline`` reports an opinion poll."""
    return bool(_POLL.search(headline))


def set_aside(headline: str) -> str | None:
    """Why no rule holds on an article so headlined (packaged to retell the story, reporting
    a denial, an opinion poll, a symbolic vote or motion, something to be considered, a
    commemoration, talks going on, a think tank's or analysts' view, or a debate with no vote),
    or None for a headline of news."""
    headline = headline.translate(_PLAIN_QUOTES)
    if package := packaged(headline):
        return f"the headline packages {package}, which retells the story so far"
    if denies(headline):
        return "the headline reports a denial"
    if reports_poll(headline):
        return "the headline reports an opinion poll"
    if (
        _in_first_clause(_SYMBOLIC, headline)
        or _SYMBOLIC_CLOSING.search(headline)
        or (
            _RESOLUTION_ONLY.search(headline)
            and not _CLAUSE_BREAK.search(headline)
            and not _AT_THE_UN.search(headline)
            and not _RUSSIAN_SIDE.search(headline)
        )
    ):
        return "the headline reports a symbolic vote or motion"
    if _in_first_clause(_TO_CONSIDER, headline) and not _RUSSIAN_SIDE.search(headline):
        return "the headline reports something to be considered, not decided"
    if (
        _COMMEMORATION.search(headline)
        and not _CLAUSE_BREAK.search(headline)
        and not _STEP_TAKEN.search(headline)
    ):
        return "the headline reports a commemoration"
    if _in_first_clause(_TALKS_GO_ON, headline) and not _STEP_TAKEN.search(headline):
        return "the headline reports talks going on"
    if _in_first_clause(_ANALYSTS_VIEW, headline, or_closing=True):
        return "the headline reports a think tank's or analysts' view"
    if _NO_VOTE.search(headline) and _DEBATE.search(headline) and not _DECISION.search(headline):
        return "the headline reports that no vote was taken"
    return None


def _in_first_clause(pattern: re.Pattern[str], headline: str, or_closing: bool = False) -> bool:
    """Whether ``pattern`` is found in ``headline`` before any other clause begins, or (with
    ``or_closing``) closing it ("..., think tank estimates")."""
    match = pattern.search(headline)
    if match is None:
        return False
    if not _CLAUSE_BREAK.search(headline, 0, match.start()):
        return True
    return or_closing and not headline[match.end() :].strip(" .!?'\"")
