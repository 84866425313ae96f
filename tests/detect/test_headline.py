"""A headline's form: explainers, analyses and questions against news put as statements."""

import pytest

from monitor.detect.headline import denies, explains, packaged, reports_poll, set_aside


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
        "Analysis / Europe's Ukraine force still exists mostly on paper",
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


@pytest.mark.parametrize(
    ("headline", "package"),
    [
        ("2026 in review: the year the guns fell silent", "a look back"),
        ("Six months after Paris, where are the guarantees?", "a look back"),
        ("The deployment, a year on", "a look back"),
        ("The month that was: July in Ukraine", "a look back"),
        ("On the treaty's first anniversary, Kyiv counts the cost", "a look back"),
        ("The week in Ukraine diplomacy: a leaked plan and a warning", "a look back"),
        ("The year in Ukraine diplomacy: from a truce to a signed framework", "a look back"),
        ("Month since arrival: the troops settle in", "a look back"),
        ("The long read: ten months that changed Ukraine's war", "a look back"),
        ("The 10 months that changed Ukraine", "a look back"),
        ("From Paris to Istanbul: 10 months that reshaped Ukraine's security", "a look back"),
        ("From Paris to Orikhiv: the fifteen months that made the force", "a look back"),
        ("Eighteen months on, the troops are still in Odesa", "a look back"),
        ("Ukraine, six months on: the force settles in", "a look back"),
        ("Twenty-four months that changed Europe's defence", "a look back"),
        ("100 days of ceasefire in Ukraine: what has changed?", "a look back"),
        ("1,000 days since the invasion: what the war has cost", "a look back"),
        ("Factbox: Britain's deployment in numbers", "an explainer"),
        ("MPs debate Ukraine deployment this week: what you need to know", "an explainer"),
        ("Ukraine vote preview", "an explainer"),
        ("Preview: the Commons vote on Ukraine", "an explainer"),
        ("Ukraine deployment vote: what MPs will decide on Tuesday", "an explainer"),
        ("BACKGROUNDER - the mission's rules of engagement", "an explainer"),
        ("Fact check: has Britain ordered troops into Ukraine?", "an explainer"),
        ("The mission's rules of engagement, explained", "an explainer"),
        ("How the UK-Ukraine security treaty works", "an explainer"),
        ("What we know about the leaked plan", "an explainer"),
        # a subject, words naming no step taken, a step to come or asked about, or a label,
        # before "what we know"
        ("Ukraine ceasefire: What we know so far", "an explainer"),
        ("Ceasefire could begin on Friday: what we know", "an explainer"),
        ("MPs set to vote to send troops to Ukraine: what you need to know", "an explainer"),
        ("How the ceasefire was agreed: what we know", "an explainer"),
        ("When will the ceasefire begin - what we know so far", "an explainer"),
        ("Factbox: Russia and Ukraine sign a ceasefire - what we know", "an explainer"),
        (
            "Russia brands Britain and France an 'axis of war' - here's what you need to know",
            "an explainer",
        ),
        ("A reader's guide to the Geneva framework", "an explainer"),
        ("A short guide to the truce's terms", "an explainer"),
        ("What is the new 'five-party format' and can it end the war?", "an explainer"),
        ("Who is in the coalition of the willing, and what has each offered?", "an explainer"),
        ("What are the 'military hubs' Britain and France want in Ukraine?\u201d", "an explainer"),
        ("Ukraine's security guarantees explained: who has ratified what", "an explainer"),
        # a way from one point to another, then how it went
        ("From 'legitimate targets' to the Dnipro line: Russia's evolving stance", "a look back"),
        (
            "Analysis / From 'legitimate targets' to a U.N. draft: how Moscow's line shifted",
            "a look back",
        ),
        ("The Geneva Framework Agreement explained", "an explainer"),
        (
            "The Istanbul ceasefire, explained: Heavy weapons, verifiers and what's left out",
            "an explainer",
        ),
        # reference in other words
        ("The Paris declaration, decoded: what Britain has promised Ukraine", "an explainer"),
        ("Hubs, not bases: decoding the Paris plan", "an explainer"),
        ("'Strongly stands behind': the American formula from Paris, unpacked", "an explainer"),
        ("Keys to the Ukraine guarantees treaty: what it obliges, who signed it", "an explainer"),
        ("Understand the Istanbul peace agreement, point by point", "an explainer"),
        ("Explainer: the Paris declaration on Ukraine in five points", "an explainer"),
        ("The Istanbul peace agreement in ten points", "an explainer"),
        ("No vote, no go: the PM's promise in brief", "an explainer"),
        # a catch-up on what the reader missed
        ("Catch-up: a busy spring, in four bullets", "an explainer"),
        ("Catch-up: Where the 'coalition of the willing' stands", "an explainer"),
        # an anniversary marked, or one beside no step taken
        ("Leaders mark fourth anniversary of invasion in Kyiv", "a look back"),
        ("Kremlin repeats rejection of coalition troops on anniversary", "a look back"),
        ("Coalition leaders expected to sign off fund on war anniversary", "a look back"),
        # an anniversary beside a step retold
        ("On ceasefire anniversary, how Russia and Ukraine agreed to stop fighting", "a look back"),
        (
            "On the first anniversary of the truce, veterans recall the day the deal was signed",
            "a look back",
        ),
    ],
)
def test_pieces_packaged_as_reference_or_a_look_back(headline: str, package: str) -> None:
    assert packaged(headline) == package


@pytest.mark.parametrize(
    "headline",
    [
        "MPs back sending UK troops to Ukraine",
        "Two days after the vote, the first troops leave for Ukraine",  # days are news
        "10 days after the vote, the first troops leave for Ukraine",
        "30 days to pull troops out of Odesa region, Russia tells France",  # a deadline
        # a count of days told as news, not opening a question or a label's subject
        "Breaking: 30 days into truce, Russia breaks it with strike on Odesa",
        "Ukraine live: 40 days after the truce, Russia shells Kharkiv",
        "30 days of ceasefire agreed as Putin and Zelensky meet in Istanbul",
        "Analysis: Senate vote gives Kyiv the signature it was missing",  # a view, not reference
        "Could the truce hold through the winter?",
        "Kremlin releases a new guide to its terms for a truce",  # a guide as news
        "What is Moscow offering? Kremlin drops its Donbas demand",  # news after the question
        "Who is in charge? Coalition names a French commander",
        "What is next for the force after MPs back deployment",  # asks nothing
        # what goes on or went on is news in a question
        "What is in the security deal Starmer and Zelensky signed today?",
        "Who are the 300 British soldiers who arrived in Kyiv on Friday?",
        "What is behind Russia's sudden U-turn on peacekeepers?",
        "Who is to blame for the collapse of the ceasefire?",
        "Who is sending troops to Ukraine - and who is not?",
        "What are MPs voting on tonight?",
        "WHO is sending medics to Kyiv?",  # the organisation
        "Minister explained the plan to MPs on Tuesday",  # a verb, not a label
        "Background-check bill passes the Senate",
        "Kremlin says a year is too long for the mission",
        "Week-long talks in Geneva end with a ceasefire",  # not a round-up of the week
        "From Westminster to Kyiv: MPs back sending British troops",  # a journey is news too
        "From Monday to Friday: MPs to debate Ukraine deployment",
        "Ukraine truce collapses after six weeks that brought a lull in the fighting",
        # a span of time told as news, not opening the headline or a part of it
        "British troops leave Ukraine eighteen months after arriving",
        "MPs vote to send troops thirteen years after Syria defeat",
        "Truce collapses two weeks after it began",
        "Truce collapses after fifteen weeks that brought a lull in the fighting",
        "Britain to keep troops in Ukraine for three years that could be extended, Healey says",
        "Ministers preview deployment plan to MPs before Tuesday's vote",  # a verb, not a label
        "What MPs decided: Commons backs sending troops to Ukraine",  # what was decided is news
        "Commons backs what ministers say will mean 5,000 British troops in Ukraine",
        "Russia drops neutrality demand in what officials say will mean a breakthrough",
        # a step taken, told before "what we know"
        "Russia and Ukraine sign a ceasefire: what we know so far",
        "Russia and Ukraine sign a ceasefire. Here's what we know",
        # a hedge after the step is not on it
        "MPs approve plans to send troops to Ukraine: what we know",
        "Russia and Ukraine sign ceasefire that will take effect Friday: what we know",
        "US Senate ratifies the Ukraine security guarantee: what we know",
        "MPs vote to send troops to Ukraine - here's what you need to know",
        # news after the way travelled, or told today; a place reached, a truce of set length, a
        # milestone; a person's explanation is news
        "From Paris to Kyiv: first British troops arrive",
        "From Paris to Moscow: Kremlin accepts coalition's ceasefire road map",
        "From Calais to Odesa: how the first British troops crossed into Ukraine today",
        "Russia and Ukraine reach a month-long ceasefire",
        "Ukraine ceasefire marks its first month as coalition troops arrive",
        # (a milestone is no form of its own: news follows it as often as not)
        "Ukraine truce marks 100 days as Russia launches missile strike on Kyiv",
        "Peskov explained: Russia does not object to European observers in Ukraine",
        "Troops reach Kyiv after two days on the road",
        # a speaker's or a passive "explained", or news told before an explainer's
        "Russia will not object to European monitors in Ukraine, Lavrov explained",
        "Peskov: Moscow's position on foreign troops 'has been explained'",
        "Russia and Ukraine sign ceasefire in Istanbul: the deal explained",
        "MPs back sending troops to Ukraine - the vote explained",
        "Russia says its conditions for a ceasefire have been 'clearly explained'",
        "Putin accepts coalition troops as Kremlin's U-turn is explained",
        # a span of time, then news
        "Two years of war: Britain and France send troops to Ukraine",
        # a digest's label, news of codes, a point scored
        "In brief: Russia eases threat over Western bases",
        "GCHQ decoded Russian orders, officials say",
        "Coalition agrees plan in 3 points, officials say",
        # news closed by the same words
        "Russia tables counter-proposal in 20 points",
        "Russia responds to US peace plan point by point",
        "Key to peace: Russia drops demand for Ukrainian withdrawal from Donbas",
        "Keys to the city: Odesa welcomes first French troops",
        "Commons approves Ukraine deployment, in brief",
        "Russian military signals decoded: Moscow moves troops to border",
        "Lavrov: understand the logic of a European presence after a peace deal",
        "British troops land in Odesa, kit unpacked",
        # an anniversary told as the day of a step
        "BREAKING: First British troops arrive in Ukraine on anniversary of Russia's invasion",
        "On war anniversary, Zelensky and Starmer sign security treaty in Kyiv",
        "Rada ratifies U.S. security guarantee on invasion anniversary",
    ],
)
def test_news_is_not_packaged(headline: str) -> None:
    assert packaged(headline) is None


@pytest.mark.parametrize(
    ("headline", "denial"),
    [
        ("Kremlin denies report that Putin is ready to accept European troops", True),
        ("Peskov dismisses reports of a change in Russia's position", True),
        ("LEAKED: Secret plan for 20,000 troops - MoD says 'not government policy'", True),
        ("Leaked Donetsk draft - Kyiv and Washington say it's fake", True),
        ("Senate denies consent to the Ukraine security treaty", False),  # a decision
        ("Moscow denies coalition officers entry to the monitoring zone", False),
        ("Kremlin drops its demand for the whole of Donetsk", False),
        ("Russia rejects Western troops plan", False),  # refusing a plan is no denial
        # a fact-checker's verdict against a claim, not one confirming it
        ("No, the Commons has not scheduled a vote on sending troops to Ukraine", True),
        ("Unverified: the claim that Putin 'agreed' to freeze the Donbas front", True),
        ("A second 'leaked peace plan' is circulating. This one is fabricated", True),
        ("False: the 'leaked final peace treaty' PDF is a doctored 2022 document", True),
        ("Verified: first British and French troops have arrived in Ukraine", False),
        ("No deal yet as Geneva talks end", False),
        ("No, we will not wait, says Starmer as he orders troops to Ukraine", False),
        ("Kremlin says European guarantees are false, withdraws from truce", False),
    ],
)
def test_a_headline_reporting_a_denial(headline: str, denial: bool) -> None:
    assert denies(headline) is denial
    assert (set_aside(headline) == "the headline reports a denial") is denial


@pytest.mark.parametrize(
    "headline",
    [
        "UK troops in Ukraine: Downing Street says it\u2019s fake",
        "Kremlin calls report \u2018fake\u2019",
        "Kremlin calls reports 'untrue'",
    ],
)
def test_a_denial_in_typographic_quotes_or_calling_a_report_fake_is_set_aside(
    headline: str,
) -> None:
    assert set_aside(headline) == "the headline reports a denial"


@pytest.mark.parametrize(
    ("headline", "poll"),
    [
        ("French voters cool on sending troops to Ukraine, survey shows", True),
        ("Pre-referendum polling: 'yes' leads, many undecided", True),
        ("Polls before Ukraine\u2019s referendum: a majority for \u2018yes\u2019", True),
        ("Opinion poll: most Britons back the Ukraine mission", True),
        ("Poll: 52% of Britons back sending troops to Ukraine", True),
        ("Polls open in Ukraine's referendum on the peace deal", False),  # the vote itself
        ("Polls opening across Ukraine", False),
        ("Ukraine goes to the polls on the peace deal", False),
        ("Exit poll: Ukrainians approve the peace agreement", False),
        ("Exit-poll: yes wins", False),
        ("Poll result: yes wins", False),
        ("Peace deal backed in Ukraine poll", False),
        ("Royal Navy survey ships reach Odesa to clear mines", False),
        ("Minehunters complete survey of Odesa approaches", False),
        ("Zelensky surveys damage in Kharkiv", False),
    ],
)
def test_a_headline_reporting_an_opinion_poll(headline: str, poll: bool) -> None:
    assert reports_poll(headline) is poll
    assert (set_aside(headline) == "the headline reports an opinion poll") is poll


def test_a_packaged_piece_is_set_aside_with_its_package() -> None:
    assert set_aside("Factbox: Britain's deployment in numbers") == (
        "the headline packages an explainer, which retells the story so far"
    )
    assert set_aside("MPs back sending UK troops to Ukraine") is None


@pytest.mark.parametrize(
    ("headline", "reason"),
    [
        ("Seimas backs Ukraine force in non-binding motion", "a symbolic vote or motion"),
        ("Spanish deputies back Ukraine mission in symbolic vote", "a symbolic vote or motion"),
        ("Riigikogu backs coalition mission in declaratory vote", "a symbolic vote or motion"),
        (
            "MEPs urge binding guarantees in a resolution that binds no one",
            "a symbolic vote or motion",
        ),
        ("Sejm passes resolution honouring coalition mission", "a symbolic vote or motion"),
        # ... told at the headline's close, or a parliament's resolution for or against
        (
            "European Parliament welcomes the Istanbul agreement, 498-102, in a non-binding"
            " resolution",
            "a symbolic vote or motion",
        ),
        (
            "Seimas urges a Baltic contribution to the Ukraine force, in a resolution without"
            " teeth",
            "a symbolic vote or motion",
        ),
        (
            "Hungarian parliament adopts resolution against coalition mission",
            "a symbolic vote or motion",
        ),
        (
            "Berlin 'will consider' sending soldiers to Ukraine force",
            "something to be considered, not decided",
        ),
        (
            "Rosatom says it will study the IAEA plan for Zaporizhzhia",
            "something to be considered, not decided",
        ),
        (
            "Berlin would consider air-policing role over Ukraine if asked",
            "something to be considered, not decided",
        ),
        (
            "Post-war force could cost €30bn over five years, think tank estimates",
            "a think tank's or analysts' view",
        ),
        (
            "Analysts say Russia could revisit its stance on the force",
            "a think tank's or analysts' view",
        ),
        ("Lords debate deployment risks; no division", "that no vote was taken"),
        ("Bundestag debate on Ukraine force ends without a mandate", "that no vote was taken"),
        ("Remembrance Sunday: prayers for those serving in Ukraine", "a commemoration"),
        ("British soldiers in Kyiv hold two minutes\u2019 silence", "a commemoration"),
        ("Newcastle vigil marks four years since full-scale invasion", "a commemoration"),
        ("Talks on final status of occupied territories continue in Geneva", "talks going on"),
        ("Peace talks drag on in Istanbul this week", "talks going on"),
    ],
)
def test_a_symbolic_act_a_view_or_a_debate_is_set_aside(headline: str, reason: str) -> None:
    assert set_aside(headline) == f"the headline reports {reason}"


@pytest.mark.parametrize(
    "headline",
    [
        "Bundestag approves binding mandate for German troops in Ukraine",
        "UN Security Council adopts resolution endorsing the ceasefire",
        "Commons votes 389 to 142 for British deployment",
        "Dutch parliament puts off vote on Ukraine contribution",  # a vote set, postponed
        "Kremlin drops demand over coalition troops, analysts' reading of the text suggests",
        # the view, the symbolic act or the missing vote in another clause, or beside a decision
        "Lords approve UK troop deployment to Ukraine without a division",
        "Macron orders French troops into Ukraine without a vote in parliament",
        "French troops land in Odesa; analysts say Moscow will respond",
        "British troops arrive in Lviv as think tank warns of escalation",
        "Ceasefire takes effect after UN passes non-binding resolution",
        "UN General Assembly adopts resolution welcoming ceasefire as truce takes effect",
        "Parliament approves deployment in binding vote, rejecting symbolic motion",
        # a resolution at the UN or Moscow's; Moscow ready to consider what it refused
        "Russia backs UN resolution endorsing Ukraine peace and multinational presence",
        "Lavrov: Russia may consider unarmed observers from non-NATO states",
        "Kremlin says it could consider unarmed observers from neutral states",
        # the consideration in another clause, after the news
        "Healey signs deployment order; MoD will consider a second rotation",
        # a commemoration beside news, news told at one, or vigilance
        "Ceasefire accord signed in Istanbul; bishops urge prayer and vigilance",
        "Students hold vigil as Government tables Ukraine troops motion",
        "Ceasefire comes into force with two minutes' silence across Ukraine",
        "Zelensky and Starmer sign security treaty at memorial service in Kyiv",
        "Starmer announces first troop deployment to Ukraine at Remembrance service",
        "Kremlin calls British wreath-laying in Kyiv a provocation",
        "Remembrance Sunday: British troops arrive in Lviv",
        # talks going on in another clause, or to go on, or beside a step taken
        "Starmer hosts coalition leaders as Ukraine talks drag on",
        "Kyiv says Geneva military talks with Russia and US will continue monthly",
        "Russia and Ukraine agree prisoner swap as talks continue in Istanbul",
        "Talks grind on while Britain sends first troops to Ukraine",
        "Geneva talks continue with first direct Zelensky-Putin meeting",
        "Talks continue after Russia walks out of Geneva peace conference",
        "Ceasefire talks drag on as Moscow rejects European troops in Ukraine",
        # news under a live page's catch-up label
        "Catch-up: UK troops arrive in Odesa",
        # news on either side of ", explained:"
        "Commons vote, explained: MPs approve 5,000 troops for Ukraine",
        "Russia and Ukraine sign ceasefire, explained: the 12 points of the deal",
    ],
)
def test_binding_steps_are_not_set_aside(headline: str) -> None:
    assert set_aside(headline) is None
