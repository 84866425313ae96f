"""The shipped detector on the labelled sets by other writers (tests/fixtures/other-writer-*):
each replayed in published order, scored as the evaluation kit scores new-development."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from monitor.calibrate import item_article, read_labelled
from monitor.detect.corroboration import RecentReports
from monitor.detect.engine import PASSAGE_SURE, Detector
from monitor.explain import assessment_payload, assessment_text
from monitor.models import Article, in_published_order
from tests.conftest import FIXTURES

SETS = sorted(FIXTURES.glob("other-writer-*.jsonl"))
HELD_OUT_LIST = FIXTURES / "other-writers-held-out.txt"  # never trained on nor read
# The model learns from the other sets, and rules were widened after reading them: they
# must stay at the issue's bars (precision, event recall, share of quiet items alerted).
TRAINED_BARS = (0.85, 0.85, 0.05)
# The held-out sets guard against regressions, each at what the shipped detector reached on it
# (README 'Measuring detection'): precision and event recall less 0.05, one more quiet item
# alerted. Precision counts alerts, so where a set has false alerts it also falls when a second
# report of a development joins the first as an update (one message per development). Reached
# (precision / event recall / quiet alerted): ab 1.00 / 1.00 / 0 of 35, ac 0.94 / 0.94 / 1 of 34;
# ad 1.00 / 0.94 / 0 of 41, ae 1.00 / 0.94 / 0 of 38, af 1.00 / 0.89 / 0 of 40 (long retrospectives
# of developments the story already had), ag 0.90 / 1.00 / 2 of 40; ah 0.90 / 1.00 / 2 of 40
# (follow-ups naming the day of the news, retrospectives weeks and months later), ai 1.00 / 1.00 /
# 0 of 40; aj 0.94 / 1.00 / 1 of 41 (hedged, attributed agency and broadsheet reports), ak 1.00 /
# 1.00 / 0 of 40 (live blogs, newsletters, press releases, local papers); al 0.85 / 1.00 / 3 of 41
# (hedged, attributed wire and newspaper reports with background), am 0.94 / 0.94 / 1 of 41 (live
# blogs, bundled newsletters, tabloid, translated press, news buried); an 1.00 / 0.89 / 0 of 48
# (the hardest near-misses around real developments: officials restating old positions, a truce
# "still holding", other governments' own roles, drafts, denials), ao 0.94 / 0.94 / 1 of 42
# (looking back: round-ups, anniversaries, timelines, long reads), ap 0.94 / 0.89 / 1 of 44 (a year
# in which kinds of development recur, a second ratification, vote, truce and arrival worded like
# the first, and are retold weeks later). Since stop 34 a pattern on a sentence retelling a
# development reported over a week before is no news (docs/detection-history.md: developments
# long reported are known). Since stop 35 a headline that packages its piece as an explainer or a
# look back holds no rule (docs/detection-history.md: pieces packaged to retell the story): 26
# quiet items fewer over af, ah, ak, al, am, an, ao and ap, while ao lost an event (a timeline
# whose headline carries the news) and ap one (a month's review whose summary does). aq (pieces
# packaged as explainers, reviews, newsletters and anniversaries, a third of them carrying news of
# the day) and ar (hedged, attributed wire and newspaper reports) were written in stop 35 after
# that change and replayed with it first: aq 0.81 / 0.85 / 4 of 50, ar 0.73 / 0.90 / 7 of 51 (0.71
# / 0.85 / 7 and 0.68 / 0.90 / 9 by the detector before it). as (hedged, attributed agency copy,
# many kinds of development), written after the change and replayed first with the signing change
# too: 0.65 / 0.80 / 9 of 48 (0.52 / 0.80 / 16 of 48 by the detector before stop 35); since Moscow
# declining to comment on reports of a shift is no shift (its false alerts read), 0.69 / 0.85 / 8
# of 48; since a court's ruling needs the related similarity to join a pact signed the day before,
# 0.70 / 0.90 / 8 of 48. Since a round-up of the week is a look back too: aq 0.89 / 0.85 / 2 of 50,
# ar 0.78 / 0.90 / 5 of 51, as 0.73 / 0.90 / 7 of 48. at (hedged, attributed agency and broadsheet
# copy), written last in stop 35 and replayed only: 0.66 / 0.95 / 10 of 48 (0.61 / 0.95 / 12 of 48
# by the detector before stop 35). Since stop 36 the model learns from ar and as too, with the
# development threshold and pattern floor given (docs/detection-history.md: training on the
# hedged sets): the figures first given above for ab to ap are those now, aq 0.94 / 0.80 / 1 of 50
# and at 0.76 / 0.95 / 6 of 48 (0.89 / 0.85 / 2 and 0.66 / 0.95 / 10 before). av (agency reports
# paraphrased by regional, national and non-UK papers, broadcasters and a trade title, the news
# often under background, opinion and bulletins beside it), written in stop 36 and replayed first
# with that model: 0.95 / 0.95 / 1 of 44 (0.78 / 0.90 / 5 of 44 by the model before it). au (the
# hedged, attributed style of an agency's wire copy, republished word for word by other outlets),
# written in stop 36 too and replayed first with that model: 0.76 / 0.95 / 6 of 47 (0.75 / 0.90 / 6
# of 47 by the model before it); its false alerts read, since the parliament that voted may be
# named by its country however far the vote's other words run, 0.80 / 1.00 / 5 of 47. aw (wire copy
# and the papers that run it, hedged and attributed, the news often deep in long bodies under
# headlines that do not state it) and ax (English editions of foreign outlets, a financial daily,
# broadcasters, a trade title and a parliamentary service, hedged and attributed), written in stop
# 37 and replayed first with that stop's grouping: 0.78 / 0.90 / 5 of 45 and 0.86 / 0.90 / 3 of 51;
# once a development the model named takes the stage a later report's pattern tells (aw's false
# alerts and misses read first), 0.82 / 0.90 / 4 of 45 and 0.90 / 0.95 / 2 of 51; aw 0.86 / 0.90 /
# 3 of 45 once a headline asking what something is packages its piece as reference, 0.90 / 0.90 / 2
# of 45 once an arrival told as the time of something else is background however many nationalities
# name the soldiers, 0.95 / 0.90 / 1 of 45 once a headline reporting a denial is set aside.
# Stop 38 (rules read process steps and background as no development; README): ag and ah 0.95 /
# 1.00 / 1 of 40, al 0.94 / 1.00 / 1 of 41, an 1.00 / 0.94 / 0 of 48, ap 1.00 / 0.94 / 0 of 44, aq
# 0.95 / 0.90 / 1 of 50, at 0.77 / 1.00 / 6 of 48, au 0.83 / 1.00 / 4 of 47. ay (hedged, attributed
# agency copy and the outlets running it) and az (wire briefs, live blogs, newsletters, press
# releases, transcripts, corrections), written in stop 38, replayed first at 0.95 / 1.00 / 1 of 48
# and 0.83 / 1.00 / 4 of 45; az 0.87 / 1.00 / 3 of 45 once a "ten months that ..." headline
# packages a look back (az's false alerts read). Stop 39 (docs/detection-history.md: who acts,
# and five more kinds of wording): a report of troops naming another country than a development
# is another development, and the patterns read five more wordings: ac, am, an and ap 1.00 event
# recall, ad 1.00 / 1.00 / 0 of 41, aw 0.95 / 0.95 / 1 of 45, and of the unread sets ax 1.00 event
# recall; the model trained again on this stop's rules alerts a near-miss of ai scored 0.350
# against the 0.35 floor (0.346 before), and one more of ax (ai 0.95 / 1.00 / 1 of 40, ax 0.87 /
# 1.00 / 3 of 51). ba (hedged, attributed wire and newspaper copy), written in stop 39, replayed
# first at 0.83 / 1.00 / 4 of 48; 0.87 / 1.00 / 3 of 48 once a headline opening with a hundred
# days of something packages a look back (ba's false alerts read); since a piece headlined as an
# explainer, analysis or question that goes over a development reported over a day before is
# known (README: how detection works, group), unless it may be another stage or another party's
# development: au 0.87 / 1.00 / 3 of 47, aw 1.00 / 0.95 / 0 of 45, ba 0.91 / 1.00 / 2 of 48, and no
# other set moved in any form. Stop 40: bb (hedged, attributed wire and newspaper copy, written
# for the stop), replayed first at 0.85 / 0.96 / 4 of 50, its honest figure as a held-out set;
# then its false alerts were read: a look back may count its months past twelve ("the fifteen
# months that made ..."), an explainer opening as a question or with a label goes over an older
# development a pattern names as the same kind and stage, related 0.2 (ah's "What the Commons
# vote on Ukraine did, and didn't, authorise", am's analysis of Moscow's softening), and a call
# for guarantees ratified by parliaments is no ratification: ah and am 1.00 / 1.00 / 0 of 40 and
# 41, bb 0.96 / 0.96 / 1 of 50. bc (wire flashes in capitals, translated press, headline-only
# items and long bodies around one new sentence), written last in stop 40 and replayed only:
# 0.84 / 0.91 / 4 of 51, as by the detector at the start of the stop. Since a report no specific
# rule names nor pattern stages updates a development it is related to (0.3) within the follow:
# an's second alert joins its development, ax 0.91 / 1.00 / 2 of 51. bd (live blogs, press
# releases, parliamentary sketches, think-tank briefings, regional and American papers), written
# in stop 41 and replayed only: 0.85 / 0.96 / 4 of 51. be (the hedged, attributed style of agency
# and broadsheet reporting, with recurrences worded like the first), written in stop 42 and
# replayed only: 0.82 / 1.00 / 5 of 51.
# Stop 42: au, aw, az, ba and bb moved to training; every held-out bar below (all four forms) was
# set again from the figures of the model trained with them, less 0.05 (docs/detection-history.md):
# as written at 0.87 / 1.00 / 3 of 48, bc 0.88 / 1.00 / 3 of 51, bd 0.88 / 0.96 / 3
# of 51, be 0.88 / 1.00 / 3 of 51, af 1.00 / 0.79 / 0 of 40, ab 1.00 / 0.93 / 0 of 35. bf
# (paraphrased reporting, headlines leading with reaction or context), written after that and
# replayed only: 0.91 / 0.91 / 2 of 50 (0.91 / 0.86 / 2 of 50 and a second alert with the model
# before).
# Stop 43: a rule's head is kept only where the alerts it adds are themselves at the rule's bar
# (README 'Measuring detection'); every held-out bar was set again from that model's figures, less
# 0.05: ag 0.94 / 0.94 / 1 of 40 and no second alert, ax 0.95 / 1.00 / 1 of 51, af 1.00 / 0.84 /
# 0 of 40 with two second alerts, bc 0.88 / 0.95 / 3 of 51, bf 0.91 / 0.95 / 2 of 50. bg (morning
# briefings, paraphrased Russian and Ukrainian media, UK regional and parliamentary reporting,
# Q&A formats), written at the start of that stop and replayed only: 0.88 / 1.00 / 3 of 49 and a
# second alert, with the model before and this one alike.
# bh (defence trade press, a markets desk, tabloid and mid-market papers), written after that model
# was kept and replayed only: 0.92 / 1.00 / 2 of 50 (the same with the model before the stop).
# bi (paraphrased real reporting: few developments among many rehashes and near-misses), written
# last in that stop and replayed only: 0.87 / 0.92 / 2 of 77 and a second alert (the same with the
# model before the stop); bi's second alert was not traced.
# bj (English-language services of foreign agencies and papers, translated or by non-native
# writers, and news channels' short posts; 24 events), written in stop 44 and replayed only:
# 0.92 / 0.92 / 2 of 75 and a second alert, not traced.
# Stop 45: at, av, ax, ay and bc to bj moved to training (docs/detection-history.md: training on
# twelve more writers); every held-out bar below (all four forms) was set again from the figures
# of the model trained with them, less 0.05. bk (the hedged, attributed style of agency and
# newspaper reporting), bl (news repackaged: digests, explainers, fact-checks, corrections,
# columns) and bm (paraphrased reporting by American and Commonwealth outlets, few developments
# among many rehashes), written in that stop before any model saw them and replayed only: with
# the model before, 0.92 / 0.91 / 2 of 67, 0.95 / 0.83 / 1 of 72 and 0.92 / 1.00 / 1 of 73; with
# this one, 0.96 / 0.96 / 1 of 67, 1.00 / 0.79 / 0 of 72 and 1.00 / 1.00 / 0 of 73.
# Stop 46: eleven sets by new writers (bn to bx; README 'Measuring detection'), replayed before
# any model saw them, are held out at the shipped model's figures less 0.05: as written bn 0.88 /
# 0.86 / 3 of 58, bo 0.90 / 0.95 / 2 of 68, bp 0.92 / 0.88 / 2 of 62, bq 0.81 / 0.86 / 5 of 58,
# br 1.00 / 0.85 / 0 of 61, bs 0.95 / 0.87 / 1 of 69, bt 1.00 / 0.64 / 0 of 70, bu 0.91 / 0.82 / 2
# of 60, bv 0.86 / 0.82 / 3 of 61, bw 0.88 / 1.00 / 3 of 50, bx 1.00 / 0.94 / 0 of 66.
# Stop 47: four sets by new writers (by to cb; README 'Measuring detection'), replayed before any
# model saw them, are held out at the shipped model's figures less 0.05: as written by 1.00 / 0.96
# / 0 of 56, bz 0.90 / 0.95 / 2 of 66, ca 0.96 / 0.96 / 1 of 58, cb 1.00 / 1.00 / 0 of 61.
# Stop 47: ab to aq and bk to bm moved to training and corroboration was left out of the model
# (docs/detection-history.md: four more writers, and corroboration left out); every held-out bar
# below (all four forms) was set again from that model's figures, less 0.05: as written bn 0.89 /
# 0.95 / 3 of 58, bo 0.83 / 1.00 / 4 of 68, bp 0.96 / 0.92 / 1 of 62, bq 0.83 / 1.00 / 5 of 58, br
# 0.96 / 0.92 / 1 of 61, bs 0.96 / 0.96 / 1 of 69, bt 0.91 / 0.91 / 2 of 70, bu 0.92 / 0.95 / 2 of
# 60, bv 1.00 / 0.86 / 0 of 61, bw 0.92 / 1.00 / 2 of 50, bx 0.95 / 1.00 / 1 of 66, by 0.96 / 1.00
# / 1 of 56, bz 0.91 / 1.00 / 2 of 66, ca 0.95 / 0.91 / 1 of 58, cb 0.96 / 1.00 / 1 of 61.
# cc (hedged, attributed wire and broadsheet copy), cd (foreign agencies' English services), ce
# (long bodies around one new sentence, headline-only items) and cf (paraphrased reporting, few
# developments), written after that model was kept and replayed only: 1.00 / 1.00 / 0 of 57,
# 0.96 / 0.92 / 1 of 57, 1.00 / 0.87 / 0 of 59 and 0.82 / 0.93 / 3 of 72 (with the model before
# the stop 0.96 / 0.92 / 1, 1.00 / 0.88 / 0, 1.00 / 0.78 / 0 and 0.82 / 0.93 / 3).
# cg (Westminster's regional press, sketches and order papers), ch (financial and trade press),
# ci (other coalition members' outlets, translated English) and cj (tickers, push alerts and
# bulletins), written in stop 48, replayed first with the shipped model and rules: 1.00 / 0.91 /
# 0 of 60, 0.95 / 0.86 / 1 of 57, 1.00 / 0.96 / 0 of 60 and 0.96 / 0.96 / 1 of 58; their bars
# are set from the figures once a parliament's mandate was read as a deployment (cg and ci one
# event more each). ck (hedged, attributed wire and broadsheet copy), cl (paraphrased reporting
# as an aggregator shows it), cm (the American press) and cn (Ukrainian and Russian outlets'
# English output), written in stop 48 after its rule changes and replayed only: 1.00 / 0.96 / 0
# of 57, 0.96 / 1.00 / 1 of 60, 1.00 / 0.82 / 0 of 58 and 1.00 / 0.96 / 0 of 61.
# co (analysts' newsletters and notes), cp (diplomatic correspondents, Moscow's answers), cq
# (primary sources in officialese), cr (the forces' community press), cs (a Moscow bureau's wire
# copy), ct (broadcasters' websites and explainers), cu (Russia-watchers) and cv (outlets outside
# Europe), written in stop 49 and replayed first with the shipped model and stop 48's rules: 1.00
# / 0.83 / 0 of 58, 0.96 / 0.96 / 1 of 58, 0.95 / 0.75 / 1 of 59, 1.00 / 0.96 / 0 of 61, 1.00 /
# 0.96 / 0 of 60, 0.96 / 0.96 / 1 of 59, 0.96 / 1.00 / 1 of 59 and 1.00 / 0.96 / 0 of 60; their
# bars are set from the figures after stop 49's changes (the same but for co's and cp's second
# alerts). Of co, cp, cq, cr and cs the misses of russia-position-change, foreign-troops-deployed
# and new-development were read; ct, cu and cv stay unread. cw (hedged, attributed wire copy),
# cx (paraphrased reporting as a monitoring service summarises it), cy (scenario reports) and cz
# (long broadsheet reporting, hedged and attributed), written in stop 49 after its changes and
# replayed only: 1.00 / 1.00 / 0 of 60, 1.00 / 1.00 / 0 of 59, 0.96 / 1.00 / 1 of 58 and 0.96 /
# 0.96 / 1 of 60 (the same with stop 48's rules). da (hedged, attributed newspaper reporting),
# db (a broadcaster's general world feed), dc (scenario reports) and dd (a press-review
# newsletter), written last in stop 49 and replayed only: 0.95 / 0.88 / 1 of 59, 1.00 / 0.95 / 0
# of 58, 1.00 / 0.92 / 0 of 57 and 1.00 / 0.96 / 0 of 60.
# de (hedged, attributed Washington and Brussels correspondents), df (paraphrased reporting as an
# archive logs it), dg (understated scenario reports) and dh (live blogs and breaking-news
# alerts), written in stop 50 and replayed first with the shipped model and stop 49's rules:
# 1.00 / 0.91 / 0 of 61, 1.00 / 0.96 / 0 of 58, 1.00 / 0.91 / 0 of 60 and 1.00 / 1.00 / 0 of 58
# (the same after stop 50's changes, but for de's false uk-parliament-vote naming); their misses
# and second alerts were read. di (a wire agency's Europe desk, hedged and attributed), dj
# (paraphrased reporting as a news-summary service gives it), dk (scenario reports with the news
# in the second or third sentence) and dl (a regional British newspaper group and local radio),
# written in stop 50 and replayed only after its changes (the same with stop 49's rules): 1.00 /
# 0.91 / 0 of 60, 0.92 / 0.96 / 2 of 59, 1.00 / 0.88 / 0 of 59 and 0.96 / 0.92 / 1 of 60.
# dm (agency bureaus and a broadsheet's diplomatic desk, hedged and attributed), dn (paraphrased
# reporting as a media-monitoring service logs it), do (scenario reports over 2026-2028, kinds
# of development recurring) and dp (outlets outside the UK and Russia, some translated, some
# headlines alone), written in stop 51 and replayed first with stop 50's detector: 1.00 / 0.92 /
# 0 of 60, 0.96 / 1.00 / 1 of 59, 1.00 / 0.96 / 0 of 59 and 0.95 / 0.91 / 1 of 60; with stop 51's
# changes (made before and without reading them) dm 1.00 / 0.96 and do 1.00 / 1.00. Never read.
# dq (Sunday broadsheet and magazine features beside agency items), dr (broadcast and audio news
# as text), ds (scenarios seen from the other coalition capitals), dt (an agency's own feed:
# flashes, write-throughs, corrections), written in stop 51 after its first changes and replayed
# first: 0.96 / 0.96 / 1 of 59, 0.96 / 0.88 / 1 of 60, 0.96 / 1.00 / 1 of 60, 0.96 / 0.88 / 1 of
# 60 (the same with stop 50's detector); their specific rules' misses were then read (dq's
# Lords vote, found since). du (an American paper's foreign desk, hedged and attributed), dv
# (paraphrased reporting as a clippings file keeps it), dw (scenarios in many outlets' voices)
# and dx (newsletters, blogs, local TV, think tanks), written last in stop 51, never read: 1.00 /
# 0.88 / 0 of 60, 0.93 / 1.00 / 2 of 60, 0.96 / 1.00 / 1 of 60, 1.00 / 0.92 / 0 of 60 with stop
# 51's detector before the Lords change (the same with stop 50's), dx 1.00 / 0.96 after it.
# dy (a live blog's entries), dz (official releases, readouts, parliamentary records), ea (markets
# and business desks) and eb (Ukrainian and Central European outlets in English, some machine-
# translated), written in stop 52 and replayed first with stop 51's detector: 1.00 / 0.92 / 0 of
# 60, 1.00 / 0.75 / 0 of 60, 1.00 / 0.92 / 0 of 60 and 0.91 / 0.88 / 2 of 60; dy's and dz's
# misses were then read (dz 1.00 / 0.79 after this stop's changes); ea and eb never read.
# ec (a defence trade press desk), ed (terse wire briefs and ticker lines), ee (interviews,
# question-and-answer pieces and press conferences written up as news) and ef (English-language
# outlets in Asia, the Middle East and Latin America), written in stop 53 and replayed first with
# stop 52's detector: 0.88 / 0.83 / 3 of 60, 0.95 / 0.75 / 1 of 60, 0.96 / 0.96 / 1 of 60 and
# 0.89 / 0.92 / 3 of 60; their misses and false alerts were then read (after stop 53's changes
# 0.92 / 0.96 / 2, 1.00 / 0.83 / 0, 1.00 / 0.96 / 0 and 0.96 / 1.00 / 1; ed's briefs that never
# name Ukraine miss the rules' topic). eg (a fact-checking desk), eh (local American papers and
# stations), ei (parliamentary, legal and treaty correspondents) and ej (journalists' and
# analysts' social-media posts), written in stop 53 after its first changes and replayed first:
# 0.96 / 0.96 / 1 of 60, 0.96 / 0.96 / 1 of 60, 0.95 / 0.83 / 1 of 60 and 0.96 / 0.92 / 1 of 60
# (stop 52's detector: the same for eg and ei, eh 0.92 / 0.92 / 2, ej 0.96 / 0.88 / 1); ei's and
# ej's misses were then read (1.00 / 0.88 / 0 and 1.00 / 0.96 / 0 after); eg and eh never read.
# em (scenario reports, the news hinted in the headline and stated in the summary), written last
# in stop 53 and replayed first: 1.00 / 0.83 / 0 of 60 (the same with stop 52's detector); its
# misses were read (1.00 / 0.96 / 0 after). ek (a wire agency's hedged, attributed copy) and el
# (paraphrased reporting as a press digest compiles it), written with it and never read: 0.92 /
# 1.00 / 2 of 60 and 0.96 / 0.88 / 1 of 60 at their first replay (the same with stop 52's
# detector but for el's second alerts, two then, one now). en (the English-language services of
# continental European broadcasters and papers), written last and never read: 0.93 / 0.96 / 2 of
# 60 at its first replay (0.92 / 0.92 / 2 with stop 52's detector).
# Seven sets written in stop 54 and replayed first with stop 53's detector: eo (a wire agency's
# hedged, attributed copy) 0.88 / 0.92 / 3 of 60, ep (plain-English news for learners) 1.00 / 0.88
# / 0, eq (a current-events portal's terse entries) 0.88 / 0.92 / 3, er (open-source intelligence
# analysts) 0.92 / 0.88 / 2, es (a broadsheet's diplomatic desk, hedged) 0.96 / 0.92 / 1, et
# (scenarios) 0.97 / 0.96 / 1, eu (reporting paraphrased as an aggregator condenses it) 0.96 /
# 0.96 / 1. ep's, eq's and er's misses and false alerts were then read, eo's and eu's missed events,
# false alerts and wrong namings, et's second alerts' headlines; es never. With stop 54's rules:
# eo and es the same, ep 1.00 / 0.96 / 0, eq 0.92 / 0.96 / 2, er 0.96 / 0.92 / 1, et 0.97 / 0.96 /
# 1, eu 0.96 / 0.96 / 1 (its ceasefire's precision 0.75 before, 1.00 after).
# Eight sets written in stop 55 and replayed first: ev (a big agency's hedged wire copy, updates
# as follow-ups), ew (a regional daily's Westminster desk), ex (Moscow-watchers reading Russian
# officials and state media), ey (the English services of regional and far-away agencies), with
# stop 54's detector: 0.90 / 0.96 / 3 of 60, 0.96 / 0.96 / 1, 0.85 / 0.92 / 4, 1.00 / 0.88 / 0;
# ez (an American agency's hedged wire copy), fa (a Sunday paper's political editors), fb (defence
# trade press and official releases), fc (a broadcaster's live page), with this stop's detector
# after its changes for the first four (stop 54's the same on them): 0.96 / 0.88 / 1, 0.93 / 0.92
# / 2, 0.95 / 0.83 / 1, 0.83 / 0.83 / 4. ev's, ex's, ey's, fa's, fb's and fc's misses and false
# alerts were then read; ew and ez never. At the end of stop 55: ev 0.94 / 1.00 / 2, ew 0.96 /
# 0.96 / 1, ex 0.89 / 1.00 / 3, ey 1.00 / 0.92 / 0, ez 0.96 / 0.88 / 1, fa 0.96 / 0.92 / 1, fb
# 0.96 / 0.88 / 1, fc 0.88 / 0.92 / 3.
# Eight sets written in stop 56 and replayed first with stop 55's detector: fd (a wire agency's
# hedged copy, the news deep in long bodies) 1.00 / 0.92 / 0 of 60, fe (Commonwealth world desks)
# 0.96 / 0.92 / 1, ff (a financial paper and a markets wire) 1.00 / 0.96 / 0, fg (a think-tank's
# weekly briefing) 1.00 / 0.92 / 0, fh (radio and television bulletins) 1.00 / 0.88 / 0, fi
# (British tabloids) 0.96 / 1.00 / 1, fj (Ukrainian English-language outlets) 0.91 / 0.88 / 2, fk
# (a French agency's English wire) 0.86 / 1.00 / 4. fd's, fg's, fh's, fi's, fj's and fk's misses
# and false alerts were then read; fe and ff never. With stop 56's rules: fj 0.92 / 0.92 / 2, fk
# 0.96 / 1.00 / 1 (its ceasefire's precision 0.71 before, 1.00 after), fg's and fi's ceasefire
# 1.00 / 1.00 and 1.00 / 0.80, the others as at first sight.
# Eight sets written in stop 57 and replayed first with stop 56's detector: fl (UN and
# humanitarian agencies' news) 0.96 / 0.96 / 1 of 60, fm (a Russian state agency's English
# services) 0.92 / 0.92 / 2, fn (a weekly news magazine) 0.93 / 0.96 / 2, fo (a newspaper's morning
# newsletter, several stories an item) 1.00 / 0.96 / 0, fp (a 'smart brevity' outlet) 1.00 / 0.92
# / 0, fq (British garrison-town papers) 0.96 / 0.92 / 1, fr (two US cable networks' sites) 0.96 /
# 0.96 / 1, fs (a photo and video agency's captions and scripts) 0.96 / 1.00 / 1. fl's, fm's,
# fn's, fp's, fq's and fs's misses, false alerts and wrong namings were then read; fo and fr
# never. With stop 57's changes: fl 1.00 / 0.96 / 0, fm 0.96 / 0.96 / 1, fn 1.00 / 1.00 / 0, fq
# 1.00 / 0.92 / 0, the others as at first sight.
# Eight sets written in stop 58 and replayed first with stop 57's detector: ft (governments'
# readouts and official statements) 0.96 / 0.92 / 1 of 60, fu (a daily press review) 1.00 / 0.96 /
# 0, fv (a Chinese state agency's English services) 1.00 / 0.96 / 0, fw (shipping, insurance and
# commodity trade press) 0.96 / 0.92 / 1, fx (podcast and programme notes) 0.95 / 0.79 / 1, fy (a
# data and graphics desk) 1.00 / 0.96 / 0, fz (legal commentary and client notes) 0.95 / 0.83 / 1,
# ga (regional papers near the front and the hubs, translated) 1.00 / 0.96 / 0. ft's, fu's, fw's,
# fx's, fz's and ga's misses, false alerts and wrong namings were then read; fv and fy never. With
# stop 58's changes: fu 1.00 / 1.00 / 0, fw 1.00 / 0.96 / 0, fx 0.95 / 0.83 / 1, fz 1.00 / 0.92 /
# 0, the others as at first sight.
# Six sets written in stop 59 and replayed first with stop 58's detector: gb (a wire's sourced
# scoops and updates) 0.96 / 0.96 / 1 of 60, gc (parliamentary sketches and political columns)
# 0.96 / 1.00 / 1, gd (explainers and 'what we know' pieces) 1.00 / 0.88 / 0, ge (Nordic and
# Baltic public broadcasters and papers) 1.00 / 0.88 / 0, gf (diaspora and community press) 1.00 /
# 0.92 / 0, gg (an agency's round-ups and wrap-ups) 0.96 / 0.88 / 1. All six were then read. With
# stop 59's changes: gb 1.00 / 0.96 / 0, gc 1.00 / 1.00 / 0, gf 1.00 / 0.96 / 0, the others as at
# first sight (gd's guarantees-ratified 2 of 4 events -> 4, ge's russia-position-change 3 of 4 ->
# 4, gg's uk-parliament-vote 3 of 4 -> 4).
# Six more written in stop 59 and replayed first with the detector of its first commit (gb to gg
# as fixtures, with their changes): gh (academics writing for a general audience) 0.95 / 0.79 / 1
# of 60, gi (machine-translated foreign-language copy) 0.95 / 0.83 / 1, gj (an American newspaper
# of record's hedged, attributed reporting) 0.96 / 0.92 / 1, gk (British parties' and MPs' own
# communications) 1.00 / 0.83 / 0, gl (an energy and nuclear-industry desk) 0.96 / 0.96 / 1, gm
# (government-friendly Hungarian, Slovak and Serbian media in English) 0.96 / 0.96 / 1; then four
# more with the detector of its second commit (gh to gm as fixtures, with their changes): gn (a
# news channel's on-screen text and push alerts) 0.93 / 1.00 / 2, go (a British broadsheet's
# defence and diplomatic correspondents) 1.00 / 0.92 / 0, gp (Western papers' Moscow
# correspondents) 1.00 / 0.96 / 0, gq (an EU-affairs outlet in Brussels) 1.00 / 0.92 / 0. All ten
# were then read. At the end of the stop (after a review took back what silenced real news): gh
# 0.96 / 0.83 / 1 (uk-parliament-vote 2 of 3 events -> 3, russia-position-change 2 of 4 -> 3), gm
# 0.96 / 1.00 / 1, gn 0.96 / 1.00 / 1, go 1.00 / 0.88 / 0 (its "Turkey formally joins the
# coalition of the willing" names neither Ukraine nor the story, see the README), gp 1.00 / 1.00 /
# 0, the others as at first sight.
# Twelve sets written in stop 60, each replayed first with stop 59's detector (01928eb): gr (a
# conflict-monitoring think tank's daily assessments) 1.00 / 0.92 / 0 of 60, gs (an encyclopaedia's
# current-events portal and dated timeline entries) 1.00 / 0.83 / 0, gt (a forces broadcaster for
# service families) 0.92 / 0.96 / 2, gu (Russian state media's English services) 0.96 / 0.96 / 1, gv
# (a maritime and shipping desk) 1.00 / 1.00 / 0, gw (Commonwealth papers outside the coalition's
# core) 1.00 / 1.00 / 0, gx (international-law blogs) 1.00 / 0.96 / 0, gy (news for learners and
# young readers) 1.00 / 0.92 / 0, gz (data journalism and pollsters) 0.93 / 0.92 / 2, ha (Chinese
# state media's English services) 1.00 / 1.00 / 0, hb (search-optimised and social-first rewrites)
# 0.96 / 0.88 / 1, hc (an aviation and airspace desk) 0.96 / 0.96 / 1: 271 of 288 events, 7 of 720
# quiet items. Their misses and false alerts were then read. With stop 60's changes: gz's
# guarantees-ratified (a "Kyiv compact" ratified), gv's guarantees-ratified precision (an order
# signed under a treaty), the others as at first sight.
# Six more written in stop 60, each replayed first with the detector of its first commit (gr to
# hc as fixtures, with their changes): hd (the religious press) 1.00 / 0.92 / 0 of 60, he (Moldovan
# and Romanian outlets in English) 0.96 / 0.96 / 1, hf (travel advisories and consular updates) 0.96
# / 0.92 / 1, hg (anti-war campaigners, unions and the peace movement) 1.00 / 0.83 / 0, hh (Turkish
# English-language press) 1.00 / 0.96 / 0, hi (a Middle East outlet covering many conflicts' truces
# side by side) 0.96 / 0.92 / 1: 132 of 144 events, 3 of 360 quiet items. Then read. With the
# stop's last changes: he 1.00 / 0.96 / 0 (a truce that "remains in effect"), hg 1.00 / 0.88 / 0
# (a demand Moscow "has let go of"), the others as at first sight.
# Six more written in stop 60 and replayed first with the detector of its second commit (hd to
# hi as fixtures, with their changes): hj (Scottish and Welsh papers, the devolved parliaments'
# own motions) 0.96 / 0.92 / 1 of 60, hk (verbatim broadcast and podcast transcripts) 1.00 / 0.96 /
# 0, hl (Capitol Hill and Washington policy press) 1.00 / 0.92 / 0, hm (a wire's successive
# write-throughs of one story) 0.85 / 0.92 / 4, hn (op-eds and editorials) 0.92 / 0.92 / 2, ho
# (sports, culture and lifestyle desks) 0.96 / 0.92 / 1: 133 of 144 events, 8 of 360 quiet items.
# Then read. With the stop's last changes: hm 0.88 / 0.92 / 3 (numbers kept "within the limit
# approved by parliament" are no vote), hn 0.96 / 0.92 / 1 (a truce between Kinshasa and the M23,
# a peace treaty "once" signed), the others as at first sight.
# Four more written last in stop 60 and replayed first with the detector of its third commit:
# hp (a regional British daily's digital desk) 1.00 / 0.92 / 0 of 60, hq (German public media's
# English services) 1.00 / 0.92 / 0, hr (hedged, attributed agency and broadsheet copy) 0.93 /
# 0.96 / 2, hs (paraphrased real reporting) 1.00 / 0.83 / 0: 87 of 96 events, 2 of 240 quiet. Then
# read: with the stop's last change, hs 1.00 / 0.88 / 0 (the Commons vote had joined the motion
# "MPs will vote on next Tuesday", read as a vote held, as its update).
# Six written in stop 61 and replayed first with stop 60's detector (7cb4669): ht (India's
# English-language press) 0.96 / 1.00 / 1 of 60, hu (Kyiv's English-language outlets) 0.96 / 0.96
# / 1, hv (a fact-checking site) 0.84 / 0.83 / 4, hw (Japanese and Korean English-language press)
# 0.81 / 1.00 / 6, hx (Turkish English-language press) 0.93 / 1.00 / 2, hy (Polish English-language
# outlets) 0.96 / 1.00 / 1: 139 of 144 events, 15 of 360 quiet items. Then read: with the stop's
# first commit, hv 0.95 / 0.83 / 1 (a fact-checker's "No, ...", "Unverified:" and "... is
# fabricated" headlines are denials), hw 0.83 / 1.00 / 5 and hx 0.96 / 1.00 / 1 (a way "From X to
# Y: how ..." looks back, "Analysis /" is a label; a peace "that formally ends more than five
# years of war" is no collapse), hy 1.00 / 1.00 / 0 (a guide's "explained:";
# "announced it was suspending the ceasefire" is no truce agreed), ht and hu as at first sight.
# Six written in stop 62 and replayed first with stop 61's detector (45f01f4): hz (Italian and
# Spanish outlets' English editions) 0.86 / 0.96 / 4 of 60, ia (Irish national press and public
# broadcaster) 0.96 / 0.96 / 1, ib (Scottish and Welsh national papers) 0.93 / 0.96 / 2, ic
# (journalists' posts and threads on a social network) 0.96 / 0.83 / 1, id (an online
# encyclopedia's current-events portal) 0.86 / 1.00 / 4, ie (South African, Nigerian and Kenyan
# English-language press) 0.88 / 0.96 / 3: 136 of 144 events, 15 of 360 quiet items.
# Then read: with the stop's first commit, 138 of 144 events and 13 of 360 quiet items. Six more
# written in stop 62 and replayed first with its first commit (9a094c0): if (Russian exile media
# in English) 0.96 / 1.00 / 1 of 60, ig (an American newspaper's foreign desk) 1.00 / 1.00 / 0, ih
# (Swiss and Austrian outlets in English) 0.89 / 1.00 / 3, ii (Czech, Slovak and Bulgarian public
# media's English services) 0.92 / 0.96 / 2, ij (student newspapers) 0.93 / 1.00 / 2, ik (Canadian
# national outlets) 0.86 / 1.00 / 4: 143 of 144 events, 12 of 360 quiet items. Then read: ih
# 0.92 / 1.00 / 2 ("The Geneva Framework Agreement explained" is set aside as reference), ii 0.92
# / 1.00 / 2 (a law adopted on a referendum on the peace agreement is the referendum called).
# Six more written last in stop 62 and replayed first with its second commit (fb2b5e6): il
# (Ukrainian regional city news sites) 0.91 / 0.83 / 2 of 60, im (Australian and New Zealand
# outlets) 1.00 / 1.00 / 0, in (Pakistani and Bangladeshi papers) 0.89 / 1.00 / 3, io (Brazilian,
# Mexican and Argentine outlets in English) 0.81 / 1.00 / 6, ip (a monitoring service's digests of
# Russian television and Telegram channels) 1.00 / 0.96 / 0, iq (a wire's bullet-point briefings)
# 0.89 / 1.00 / 3: 139 of 144 events, 14 of 360 quiet items. Then read: il 0.95 / 0.88 / 1 ("set
# an all-Ukrainian referendum ... for 14 September" is a referendum called; "Armenian" and
# "Azerbaijani" name another conflict).
# Six written in stop 63 and replayed first with stop 62's detector (10d9aa2): ir (Southeast
# Asian English-language press) 0.92 / 0.96 / 2 of 60, is (Romanian and Moldovan outlets in
# English) 0.77 / 1.00 / 7, it (American local television stations' websites) 0.96 / 0.92 / 1, iu
# (a Brussels wire's hedged, attributed copy) 0.96 / 1.00 / 1, iv (faith and humanitarian news
# services) 0.93 / 1.00 / 2, iw (legal and constitutional press) 1.00 / 1.00 / 0: 141 of 144
# events, 13 of 360 quiet items. Then read: ir 0.92 / 1.00 / 2 (allies "set up" a fund for the
# force), is 0.83 / 1.00 / 5 ("in ten points" is reference; a signing "in Kyiv in November" is
# the treaty's past; "as long as Russian troops remain" is no condition of Moscow's), it 0.96 /
# 0.96 / 1 (troops arriving "on anniversary of Russia's invasion" is news dated by it), iv 1.00 /
# 1.00 / 0 (a Remembrance headline is a commemoration; "once a peace agreement is in place" is
# the January condition): 143 of 144 events, 9 of 360 quiet items. With the stop's second
# commit, is 0.86 / 1.00 / 4 ("Russian equities opened lower" is no stance of Moscow's).
# Six more written in stop 63 and replayed first with its first commit (2a6c88e): ix (Greek and
# Cypriot English-language press) 0.92 / 1.00 / 2 of 60, iy (Israeli English-language press) 0.96
# / 0.96 / 1, iz (news podcasts' episode pages) 0.89 / 0.92 / 3, ja (a financial newswire's
# flashes and market stories) 0.82 / 1.00 / 6, jb (Hungarian and Serbian outlets in English) 0.96
# / 1.00 / 1, jc (a London wire's hedged, attributed copy) 0.96 / 0.96 / 1: 140 of 144 events, 14
# of 360 quiet items. Then read: ix 0.96 / 1.00 / 1, iy 0.96 / 1.00 / 1 ("Commons to vote January
# 13" is a date ahead, not last January), iz 0.89 / 0.96 / 3, ja 0.87 / 1.00 / 4 ("'95% agreed'"
# is no truce; "Russian stocks slip" no stance), jb 1.00 / 1.00 / 0 ("the truce remains formally in
# force" tells no truce), jc 0.96 / 1.00 / 1 (MPs backing more troops ", extending the mission to
# 2030" is a renewal, not the first vote retold): 143 of 144 events, 10 of 360 quiet items. iz's
# headlines alone reach 0.38 of its events: a podcast's episode titles ("Ep. 259 - The
# northerners") tell nothing.
# Six more written last in stop 63 and replayed first with its second commit (b9c9b75): jd
# (Nordic public broadcasters' English services) 1.00 / 0.92 / 0 of 60, je (Gulf English-language
# press) 0.79 / 0.92 / 6, jf (an American agency's hedged, attributed international desk) 0.92 /
# 0.96 / 2, jg (a British broadsheet's hedged foreign pages) 0.86 / 1.00 / 4, jh (Quebec outlets in
# English translation) 0.82 / 0.96 / 5, ji (Georgian, Armenian and Kazakh news sites) 0.89 / 1.00 /
# 3: 138 of 144 events, 20 of 360 quiet items. Then read: jd 1.00 / 0.96 / 0 ("Ukraine to hold
# referendum on peace framework in September" is a referendum called), je 0.82 / 0.96 / 5 (the
# "Abu Dhabi framework" backed in a referendum; Moscow rejecting "any foreign contingents" is its
# known position), jg 0.92 / 1.00 / 2 (a "'legitimate targets' warning" named is the January
# one; Moscow's accusation that Kyiv "opened fire" is no decision), jf, jh and ji as at first
# sight: 140 of 144 events, 17 of 360 quiet items.
# Stop 64, first sight with stop 63's detector (b84aa29): jj (German outlets' English services)
# 0.86 / 1.00 / 4, jk (defence trade press) 0.96 / 1.00 / 1, jl (a Paris agency's hedged,
# attributed copy) 0.83 / 1.00 / 5, jm (UK garrison-town papers) 0.89 / 0.96 / 3, jn
# (foreign-policy newsletters) 0.86 / 0.92 / 4, jo (broadcasters' live blogs) 1.00 / 1.00 / 0:
# 141 of 144 events, 17 of 360 quiet items. Then read (a visit to troops already there, no order
# given, a signing scheduled, a mandate drafted or to be approved, talks that continue, a
# catch-up, a treaty signed in Paris): 142 of 144 events, 8 of 360 quiet items.
# Stop 64, second batch, first sight with the detector after the first batch's review
# (d803fdc and its mends): jp (Baltic public media) 0.93 / 1.00 / 2, jq (Chinese state media in
# English) 0.89 / 1.00 / 3, jr (Capitol Hill press) 0.92 / 0.92 / 2, js (a wire's Moscow bureau,
# hedged and attributed) 0.89 / 0.96 / 3, jt (EU institutions and Brussels press) 0.88 / 0.96 /
# 3, ju (maritime and shipping press) 0.92 / 0.96 / 2: 139 of 144 events, 15 of 360 quiet items.
# Then read (leaders agreeing to keep talking, talks on a truce ended, a truce in force since a
# date or named by its signing, a truce agreed with its start told, a vote told as a later step's
# warrant, MPs approving a plan, ", explained:"): 140 of 144 events, 11 of 360 quiet items.
# Stop 65, first sight with stop 64's detector (921f303): jv (British tabloid websites) 0.89 /
# 1.00 / 3, jw (a think tank's daily campaign assessments) 0.91 / 0.88 / 2, jx (Westminster lobby
# newsletters and sketches) 0.85 / 0.96 / 4, jy (pan-Arab and Doha-based outlets) 0.90 / 1.00 / 3,
# jz (a wire's Kyiv bureau, hedged and attributed) 0.85 / 0.96 / 4, ka (Dutch and Belgian
# outlets' English services) 1.00 / 0.96 / 0: 138 of 144 events, 16 of 360 quiet items. Then read
# (a peace signed as "a treaty ending the war" or "a framework for peace", the truce it turns into
# told before the signing, "nearly" telling a time): the same events, 15 quiet items, with
# ceasefire named for 23 of 25 events (21 at first sight).
# Stop 65, second batch, first sight with the detector after the first batch's changes: kb
# (Ukrainian government communications) 0.73 / 1.00 / 9, kc (French national press in English)
# 0.85 / 0.92 / 4, kd (an American cable network's website) 0.96 / 1.00 / 1, ke (a London weekly
# news magazine) 0.92 / 0.92 / 2, kf (Russian state media in English) 0.89 / 1.00 / 3, kg (a
# public broadcaster's world service, hedged and attributed) 0.89 / 0.96 / 3: 139 of 144 events,
# 22 of 360 quiet items. Then read (a referendum called "for" a date months ahead, a truce that
# "continues to hold", a signing prepared or intended, a force named by the country leading it,
# the troops "already deployed" described): 140 of 144 events, 21 of 360 quiet items; kb's
# readouts of meetings and calls stay alerted by the model.
# Stop 66, first sight with stop 65's detector (19e11f9): kh (an energy and commodities pricing
# agency) 0.89 / 1.00 / 3, ki (coalition defence ministries' and NATO's communications) 0.86 /
# 0.96 / 4, kj (American regional papers' world briefs) 0.89 / 1.00 / 3, kk (British Sunday
# papers) 0.83 / 1.00 / 5, kl (Belarusian media in exile) 0.88 / 0.92 / 3, km (news apps' push
# alerts) 0.92 / 1.00 / 2: 141 of 144 events, 20 of 360 quiet items. Then read (the truce named by
# where it was agreed or by its implementation, a truce that "stays in force", a government's
# decree sending troops, a weekday that puts a date in next year, "Commons to vote on ... on" a
# date): 141 of 144 events, 18 of 360 quiet items.
# Stop 66, second batch, first sight with the detector after the first batch's changes (8ac74dd):
# kn (a parliamentary library's research briefings) 0.92 / 1.00 / 2, ko (Ukrainian diaspora
# papers in North America) 0.93 / 1.00 / 2, kp (Hong Kong English-language press) 1.00 / 1.00 /
# 0, kq (open-source intelligence analysts' newsletters) 0.96 / 0.92 / 1, kr (investment banks'
# research notes) 0.96 / 1.00 / 1, ks (agencies' photo captions and video shot lists) 0.88 / 0.92
# / 3: 140 of 144 events, 9 of 360 quiet items. Then read (a motion tabled with its "; vote on"
# date read in December; a leader ruling troops out is no news, a cabinet's decision is): 141 of
# 144 events, 9 of 360 quiet items; the first batch then 142 of 144 and 17 of 360.
# Stop 66, third batch, first sight with the detector as it lands (14b8720), nothing changed for
# them: kt (a Spanish-language agency and Latin American papers in English) 0.73 / 0.92 / 8, ku (a
# broadcaster's text pages and radio bulletin scripts) 0.93 / 1.00 / 2, kv (American partisan
# news-and-opinion sites) 0.96 / 1.00 / 1, kw (Japanese and Korean English-language services)
# 0.89 / 1.00 / 3, kx (forces families' and veterans' news) 0.96 / 0.96 / 1, ky (a Romanian and
# Moldovan regional newsroom) 0.96 / 0.96 / 1: 140 of 144 events, 16 of 360 quiet items.
# In stop 52, after long articles were read in passages, every bar of the four forms that had
# stayed below what the detector then reached (precision and recall less 0.05, one more quiet
# item) was raised to it: 107 bars of 268.
HELD_OUT_BARS = {
    "bn": (0.91, 0.95, 0.04),
    "bo": (0.85, 0.95, 0.05),
    "bp": (0.90, 0.87, 0.04),
    "bq": (0.87, 0.95, 0.06),
    "br": (0.91, 0.87, 0.04),
    "bs": (0.95, 0.90, 0.02),
    "bt": (0.90, 0.85, 0.03),
    "bu": (0.87, 0.90, 0.05),
    "bv": (0.95, 0.90, 0.02),
    "bw": (0.87, 0.95, 0.06),
    "bx": (0.89, 0.95, 0.04),
    "by": (0.91, 0.95, 0.04),
    "bz": (0.90, 0.95, 0.04),
    "ca": (0.90, 0.86, 0.04),
    "cb": (0.95, 0.95, 0.02),
    "cc": (0.95, 0.95, 0.02),
    "cd": (0.90, 0.90, 0.04),
    "ce": (0.95, 0.81, 0.02),
    "cf": (0.82, 0.87, 0.05),
    "cg": (0.95, 0.90, 0.02),
    "ch": (0.95, 0.85, 0.02),
    "ci": (0.95, 0.95, 0.02),
    "cj": (0.91, 0.95, 0.04),
    "ck": (0.95, 0.95, 0.02),
    "cl": (0.90, 0.95, 0.04),
    "cm": (0.95, 0.85, 0.02),
    "cn": (0.95, 0.95, 0.02),
    "co": (0.95, 0.77, 0.02),
    "cp": (0.95, 0.95, 0.02),
    "cq": (0.95, 0.74, 0.02),
    "cr": (0.95, 0.90, 0.02),
    "cs": (0.95, 0.90, 0.02),
    "ct": (0.91, 0.90, 0.04),
    "cu": (0.91, 0.95, 0.04),
    "cv": (0.95, 0.95, 0.02),
    "cw": (0.95, 0.95, 0.02),
    "cx": (0.95, 0.95, 0.02),
    "cy": (0.91, 0.95, 0.04),
    "cz": (0.90, 0.90, 0.04),
    "da": (0.90, 0.86, 0.04),
    "db": (0.95, 0.95, 0.02),
    "dc": (0.95, 0.86, 0.02),
    "dd": (0.95, 0.95, 0.02),
    "de": (0.95, 0.90, 0.02),
    "df": (0.95, 0.90, 0.02),
    "dg": (0.95, 0.86, 0.02),
    "dh": (0.95, 0.95, 0.02),
    "di": (0.95, 0.85, 0.02),
    "dj": (0.87, 0.90, 0.06),
    "dk": (0.95, 0.86, 0.02),
    "dl": (0.90, 0.90, 0.04),
    "dm": (0.95, 0.90, 0.02),
    "dn": (0.91, 0.95, 0.04),
    "do": (0.95, 0.95, 0.02),
    "dp": (0.90, 0.86, 0.04),
    "dq": (0.91, 0.95, 0.04),
    "dr": (0.90, 0.86, 0.04),
    "ds": (0.91, 0.95, 0.04),
    "dt": (0.95, 0.90, 0.02),
    "du": (0.95, 0.82, 0.02),
    "dv": (0.87, 0.95, 0.05),
    "dw": (0.90, 0.95, 0.04),
    "dx": (0.95, 0.90, 0.02),
    "dy": (0.95, 0.86, 0.02),
    "dz": (0.95, 0.74, 0.02),
    "ea": (0.95, 0.86, 0.02),
    "eb": (0.86, 0.82, 0.05),
    "ec": (0.87, 0.90, 0.05),
    "ed": (0.95, 0.78, 0.02),
    "ee": (0.95, 0.90, 0.02),
    "ef": (0.91, 0.95, 0.04),
    "eg": (0.90, 0.90, 0.04),
    "eh": (0.91, 0.90, 0.04),
    "ei": (0.95, 0.82, 0.02),
    "ej": (0.95, 0.90, 0.02),
    "ek": (0.87, 0.95, 0.05),
    "el": (0.90, 0.82, 0.04),
    "em": (0.95, 0.90, 0.02),
    "en": (0.87, 0.90, 0.05),
    "eo": (0.83, 0.86, 0.07),
    "ep": (0.95, 0.90, 0.02),
    "eq": (0.87, 0.90, 0.05),
    "er": (0.90, 0.86, 0.04),
    "es": (0.90, 0.86, 0.04),
    "et": (0.91, 0.90, 0.04),
    "eu": (0.91, 0.90, 0.04),
    "ev": (0.88, 0.95, 0.05),
    "ew": (0.91, 0.90, 0.04),
    "ex": (0.83, 0.95, 0.07),
    "ey": (0.95, 0.86, 0.02),
    "ez": (0.90, 0.82, 0.04),
    "fa": (0.91, 0.86, 0.04),
    "fb": (0.90, 0.82, 0.04),
    "fc": (0.83, 0.86, 0.07),
    "fd": (0.95, 0.86, 0.02),
    "fe": (0.90, 0.86, 0.04),
    "ff": (0.95, 0.90, 0.02),
    "fg": (0.95, 0.86, 0.02),
    "fh": (0.95, 0.82, 0.02),
    "fi": (0.91, 0.95, 0.04),
    "fj": (0.86, 0.86, 0.05),
    "fk": (0.91, 0.95, 0.04),
    "fl": (0.95, 0.90, 0.02),
    "fm": (0.90, 0.90, 0.04),
    "fn": (0.95, 0.95, 0.02),
    "fo": (0.95, 0.90, 0.02),
    "fp": (0.95, 0.86, 0.02),
    "fq": (0.95, 0.86, 0.02),
    "fr": (0.91, 0.90, 0.04),
    "fs": (0.91, 0.95, 0.04),
    "ft": (0.91, 0.86, 0.04),
    "fu": (0.95, 0.95, 0.02),
    "fv": (0.95, 0.90, 0.02),
    "fw": (0.95, 0.90, 0.02),
    "fx": (0.90, 0.78, 0.04),
    "fy": (0.95, 0.90, 0.02),
    "fz": (0.95, 0.86, 0.02),
    "ga": (0.95, 0.90, 0.02),
    "gb": (0.95, 0.90, 0.02),
    "gc": (0.95, 0.95, 0.02),
    "gd": (0.95, 0.82, 0.02),
    "ge": (0.95, 0.82, 0.02),
    "gf": (0.95, 0.90, 0.02),
    "gg": (0.90, 0.82, 0.04),
    "gh": (0.90, 0.78, 0.04),
    "gi": (0.90, 0.78, 0.04),
    "gj": (0.90, 0.86, 0.04),
    "gk": (0.95, 0.78, 0.02),
    "gl": (0.91, 0.90, 0.04),
    "gm": (0.91, 0.95, 0.04),
    "gn": (0.91, 0.95, 0.04),
    "go": (0.95, 0.82, 0.02),
    "gp": (0.95, 0.95, 0.02),
    "gq": (0.95, 0.86, 0.02),
    "gr": (0.95, 0.86, 0.02),
    "gs": (0.95, 0.78, 0.02),
    "gt": (0.87, 0.90, 0.05),
    "gu": (0.91, 0.90, 0.04),
    "gv": (0.95, 0.95, 0.02),
    "gw": (0.95, 0.95, 0.02),
    "gx": (0.95, 0.90, 0.02),
    "gy": (0.95, 0.86, 0.02),
    "gz": (0.87, 0.86, 0.05),
    "ha": (0.95, 0.95, 0.02),
    "hb": (0.90, 0.82, 0.04),
    "hc": (0.91, 0.90, 0.04),
    "hd": (0.95, 0.86, 0.02),
    "he": (0.95, 0.90, 0.02),
    "hf": (0.90, 0.86, 0.04),
    "hg": (0.95, 0.82, 0.02),
    "hh": (0.95, 0.90, 0.02),
    "hi": (0.90, 0.86, 0.04),
    "hj": (0.91, 0.86, 0.04),
    "hk": (0.95, 0.90, 0.02),
    "hl": (0.95, 0.86, 0.02),
    "hm": (0.83, 0.86, 0.07),
    "hn": (0.90, 0.86, 0.04),
    "ho": (0.90, 0.86, 0.04),
    "hp": (0.95, 0.86, 0.02),
    "hq": (0.95, 0.86, 0.02),
    "hr": (0.87, 0.90, 0.05),
    "hs": (0.95, 0.82, 0.02),
    "ht": (0.91, 0.95, 0.04),
    "hu": (0.90, 0.90, 0.04),
    "hv": (0.90, 0.78, 0.04),
    "hw": (0.77, 0.95, 0.10),
    "hx": (0.91, 0.95, 0.04),
    "hy": (0.95, 0.95, 0.02),
    "hz": (0.80, 0.90, 0.09),
    "ia": (0.91, 0.90, 0.04),
    "ib": (0.87, 0.90, 0.05),
    "ic": (0.90, 0.78, 0.04),
    "id": (0.80, 0.95, 0.09),
    "ie": (0.83, 0.90, 0.07),
    "if": (0.91, 0.95, 0.04),
    "ig": (0.95, 0.95, 0.02),
    "ih": (0.87, 0.95, 0.05),
    "ii": (0.87, 0.90, 0.05),
    "ij": (0.87, 0.95, 0.05),
    "ik": (0.80, 0.95, 0.09),
    "il": (0.90, 0.82, 0.04),
    "im": (0.95, 0.95, 0.02),
    "in": (0.84, 0.95, 0.07),
    "io": (0.75, 0.95, 0.12),
    "ip": (0.95, 0.90, 0.02),
    "iq": (0.84, 0.95, 0.07),
    "ir": (0.87, 0.95, 0.05),
    "is": (0.80, 0.95, 0.09),
    "it": (0.90, 0.90, 0.04),
    "iu": (0.91, 0.95, 0.04),
    "iv": (0.95, 0.95, 0.02),
    "iw": (0.95, 0.95, 0.02),
    "ix": (0.91, 0.95, 0.04),
    "iy": (0.91, 0.95, 0.04),
    "iz": (0.84, 0.90, 0.07),
    "ja": (0.82, 0.95, 0.09),
    "jb": (0.95, 0.95, 0.02),
    "jc": (0.91, 0.95, 0.04),
    "jd": (0.95, 0.90, 0.02),
    "je": (0.77, 0.90, 0.10),
    "jf": (0.87, 0.90, 0.05),
    "jg": (0.87, 0.95, 0.05),
    "jh": (0.77, 0.90, 0.10),
    "ji": (0.83, 0.95, 0.07),
    "jj": (0.91, 0.95, 0.04),
    "jk": (0.91, 0.95, 0.04),
    "jl": (0.83, 0.95, 0.07),
    "jm": (0.87, 0.95, 0.05),
    "jn": (0.91, 0.86, 0.04),
    "jo": (0.95, 0.95, 0.02),
    "jp": (0.87, 0.95, 0.05),
    "jq": (0.87, 0.95, 0.05),
    "jr": (0.90, 0.86, 0.04),
    "js": (0.87, 0.95, 0.05),
    "jt": (0.87, 0.90, 0.05),
    "ju": (0.87, 0.90, 0.05),
    "jv": (0.83, 0.95, 0.07),
    "jw": (0.86, 0.82, 0.05),
    "jx": (0.83, 0.90, 0.07),
    "jy": (0.84, 0.95, 0.07),
    "jz": (0.80, 0.90, 0.09),
    "ka": (0.95, 0.90, 0.02),
    "kb": (0.67, 0.95, 0.17),
    "kc": (0.83, 0.90, 0.07),
    "kd": (0.91, 0.95, 0.04),
    "ke": (0.87, 0.86, 0.05),
    "kf": (0.83, 0.95, 0.07),
    "kg": (0.84, 0.90, 0.07),
    "kh": (0.84, 0.95, 0.07),
    "ki": (0.87, 0.90, 0.05),
    "kj": (0.83, 0.95, 0.07),
    "kk": (0.77, 0.95, 0.10),
    "kl": (0.83, 0.86, 0.07),
    "km": (0.87, 0.95, 0.05),
    "kn": (0.87, 0.95, 0.05),
    "ko": (0.87, 0.95, 0.05),
    "kp": (0.95, 0.95, 0.02),
    "kq": (0.90, 0.90, 0.04),
    "kr": (0.91, 0.95, 0.04),
    "ks": (0.83, 0.86, 0.07),
    "kt": (0.68, 0.86, 0.15),
    "ku": (0.87, 0.95, 0.05),
    "kv": (0.91, 0.95, 0.04),
    "kw": (0.84, 0.95, 0.07),
    "kx": (0.90, 0.90, 0.04),
    "ky": (0.91, 0.90, 0.04),
}

# One message per development event: the second alerts each set still gets (README 'Measuring
# detection'), none elsewhere. ae's are features days after the news that no specific pattern
# names, af's long retrospectives; ag's (held out) were not traced. r's, "Peskov says freeze along
# contact line", staged a day after the first report the model named, joins it (stop 37). (Since
# stop 36, when ar and as moved to training, af has two fewer, ag one fewer, and w's no longer
# alerts. p's "Keir Starmer on X", the headline of an earlier alerted post too, no longer alerts:
# what the story has told is known; ak's second report, named by another rule 18 hours after the
# first, joins it: alike at 0.3; y's "restores the truce that collapsed in May" no longer names a
# collapse, so it is the restored truce's update.)
# as's second alert, a report of the US pact's signing that "White House to ask Senate to ratify"
# named a ratification, is gone (stop 38: a call to ratify is no ratification).
# Since stop 39 reports of troops arriving or ordered name their country (the rule's `parties`):
# another country's are another development, as most writers label them (French troops after
# British in ad, ar, as and ax). g labels Canada's and the Netherlands' arrivals on one day one
# event, az a French order the day after the UK's: one second alert each.
# bc's (held out, never read) was not traced.
# an's, a feature the day after the news that the model alone named, joins its development since
# stop 40 (related 0.3 within the follow).
# Since stop 43 the heads name fewer reports: a retrospective two or three days after the news
# that the ceasefire head named joined the development as its update, and now alerts unnamed (af's
# second, "Seven months from the Élysée", two days after the Geneva signing; j's "BOOTS ON THE
# GROUND" the day after the first troops arrived, in sample); ag's is gone. bg's (held out, never
# read) was not traced.
# Since stop 45, when twelve more writers moved to training, the trained sets b, n, r, w, bf and bh
# have a second alert each as written (read in sample: the model scores the later reports of
# events it learnt from high), af one fewer, and of the held-out sets ah one and bk one more; bk's
# two, bl's and ah's were not traced.
# bn, bq, bs and bu (held out since stop 46, never read) have three, two, one and two: not traced.
# by and cb (held out since stop 47, never read) have two and one: not traced.
# Stop 47's model (ab to aq and bk to bm trained on, corroboration left out): ah, b, n, r, w and
# bh have none, ae one more (in sample), bk and by one fewer, cb one more: not traced.
# cf (held out, never read) has one: not traced.
# co's is a truce's first night told two days after it was declared; ct's two and cu's one
# (never read) were not traced, nor cw's one (never read). dg's is a truce's collapse told first
# through its consequences (evacuation buses), then named; dh's a truce Moscow accepted, named a
# change of position, then a ceasefire when it began (its other, a motion's own words "MPs asked
# to back" read as the vote's outcome, is gone since stop 50). do's (stop 51, never read) was
# not traced, nor dq's two, dt's, dv's and dx's (stop 51). Stop 52's passages (a long article
# read in the passage the model is surest of) gave af and co one more each: af's "After the
# division bell" and co's "Gulf venue, new table", features days after the vote and the first
# talks, which the story book found like no development it holds. ec's, ee's and ef's (stop 53,
# read): an analysis of a motion the day after it was tabled; Moscow's protest at an arrival,
# named a change of its position; two foreign follow-ups of an arrival and of a treaty (a
# supplier's contract, another government's study) the model alone named. eh's two (never read)
# and ej's two (read) were not traced, nor el's one and en's two (never read).
# et's five (scenarios, read) are where its writer told an order and the arrival it led to, or a
# vote and a feature on it, as one event, and the detector alerts each; eq's, er's, es's and eu's
# (one, one, one and two) were not traced.
# ev's five (read) are where its writer told a vote set and the vote held days later, or an order
# and the arrival it led to, as one event, and the detector alerts each stage; ew's two, ez's two
# (never read) and fa's four were not traced; of fb's two, one is where its writer told the
# motion to renew the mandate tabled and the vote renewing it nine days later as one event (the
# vote's report alerts since renewal votes are read as votes of their own, stop 55).
# fd's four and fg's five (read) are where their writers told a signing and Moscow's change of
# position in it, an order and the arrival it led to, a truce agreed and in force days later,
# or a vote and a feature on who voted against, as one event; fi's one was not traced.
# fl's three and fn's five (read) are where their writers told a truce agreed and in force days
# later, an order and the arrivals that followed, a change of position and the analysis of it,
# or a signing and the reactions to it, as one event, and the detector alerts each; fq's one
# (read) is a truce signed and in force five days later; fo's and fr's (never read) were not
# traced.
# In stop 58 each bound was set to what the detector gives: bk's, bl's, cw's, ec's and el's one and
# one each of eh and fn went (a feature over a development of its kind, related a little, a day or
# two on, or one whose own sentence names the day it was first reported, is an update);
# i's one is where its writer told French engineers reaching Odesa hours after the first British
# troops arrived as one event (two parties, two developments: a port reached is now an arrival).
# ft's two, fu's two, fw's one, fx's one and ga's two (read) are where their writers told British
# and French arrivals and Moscow's comment on them, a signing and the next days' press reviews, a
# truce signed and a market piece days later, a vote and the next morning's programme, a truce and
# Moscow's concession in its text, or a truce in force and a feature the next day, as one event.
# gb's two, gd's one, ge's one and gg's one (read, stop 59) are where their writers told an arrival
# and the next days' feature on the hub (related 0.29, 52 hours on), a truce agreed in principle
# and in force days later, a signing explained at once and Europe's reactions three days on
# (related 0.09), a truce agreed and its first quiet night, or officers to form a talks group and
# its first session, as one event. gc's one, gh's two, gl's two, gm's two, gn's two and the one each
# of go, gp and gq (read, stop 59) are where their writers told a peace signed and Paris's reading
# of its guarantee days later, a truce agreed and its first day, a peace signed and a lawyer's
# essay the next day, a leaked plan and a reading of it, a peace in force and the handover its
# text starts, a leaked draft and its text confirmed, a mandate voted and the first troops it
# sent, a motion tabled and the vote's date set, an order and the first arrivals, an arrival and
# its government's confirmation, or a change of position and its fuller statement, as one event.
# Those of gs, gt, gu, gy, gz, hb and hc (read, stop 60) are where their writers told a truce
# signed and its first quiet night (gs, gt, gy, hc), a signing and a reaction piece naming Moscow's
# stance, an order and the first landings, a change of position and the data piece built on it, an
# arrival and the month's tracker, or a peace in force and the referendum map drawn from it, as one
# event. Those of hd, he, hf, hg, hh and hi (read, stop 60) are where their writers told an order
# and the first arrivals, British and French troops and a French ship days later, a vote and a
# neighbour's reaction to it, a truce in force and an advisory page recording it, or a truce signed
# and its first quiet night, as one event. hj's three, hk's and hl's (read, stop 60) are where
# their writers told a shift of Moscow's and a local MP's reading of it, a new line opened and the
# analysis of its tone, an arrival and a harbour's crews watching it, a truce signed and its annex,
# or a truce signed and the aid it set going, as one event. Those of hp, hq, hr and hs (stop 60,
# written last) are where their writers told a truce signed and in force, a signing and its text
# published, a leaked plan and its fuller reading, Moscow's terms and their explanation, a motion
# tabled and its wording, or arrivals of two parties, as one event. One more each in ee, ey, gb
# and gj (stop 62) is the deployment order signed hours after the Commons vote, which their
# writers told as the vote's event and the detector alerts as news of its own (``apart_from``).
# Those of hz, ia, ib and ic (written in stop 62) are where their writers told a ratification
# and its reading as a first in the EU, a truce agreed and in force days later, the first
# British troops and another country's the next day, or a cabinet's approval and the
# parliament's mandate, as one event; ii's is a parliament's mandate and the minehunter setting
# off, ij's a report of the vote and the order together and a campus feature naming the order
# the next day (kept apart from the vote's development, though that development named it). in's,
# io's and iq's are a truce agreed and in force days later, a ratification and its reading as the
# first, and a collapse and the next morning's briefing, as one event. iv's (stop 63) are two
# truces agreed and in force days later, told as one event each; iw's a motion tabled and the
# date of its vote set; iy's, iz's and ja's a truce agreed and in force days later, an order and
# the arrival that followed it, and two podcast episodes on the first troops in; jd's a truce
# agreed and in force days later. jn's (stop 64) two newsletters' readings of one leaked plan and
# of one Commons vote; jo's a vote and the order signed after it; jp's a truce signed and in force
# days later, and a government's approval and its parliament's; js's Moscow's no-target pledge and
# its reading the next day as about the truce; ju's a truce's collapse and the next day's market
# story of it. jy's (stop 65) a truce agreed and in force days later, and a truce's collapse
# declared by each side in turn, as one event each; ke's a Senate ratification and the next
# day's reading of it; kg's two truces, each agreed and in force days later. Since the vote and
# the order told together name both (stop 65), ei's order, signed days before its first troops
# arrived, and jq's comment the next day on the vote and order are alerts of their own.
# kh's (stop 66) Commons vote and the reinforcements heading out the next day, ki's first British
# and first French arrivals, kl's truce agreed and in force days later: one event each; ko's
# (stop 66) truce agreed and in force the next day, ks's Rada ratification told by a caption
# naming the parliament and another naming the partner.
# The third batch's (stop 66, not read for changes): ku's Commons vote and a bulletin the same
# evening, kv's and kw's truce signed and in force days later, ky's leaked plan told by two
# reports.
SECOND_ALERTS = {
    "ae": 2,
    "af": 2,
    "ap": 1,
    "az": 1,
    "bc": 1,
    "bf": 1,
    "bg": 1,
    "bi": 1,
    "bj": 1,
    "bn": 2,
    "bq": 1,
    "bs": 1,
    "bu": 1,
    "by": 1,
    "cb": 2,
    "cf": 1,
    "cn": 1,
    "co": 2,
    "ct": 2,
    "cu": 1,
    "dg": 1,
    "dh": 1,
    "do": 1,
    "dq": 2,
    "dv": 1,
    "dx": 1,
    "ee": 2,
    "ef": 2,
    "eh": 1,
    "ei": 1,
    "ej": 2,
    "en": 2,
    "eq": 1,
    "es": 1,
    "et": 5,
    "eu": 2,
    "ev": 5,
    "ew": 2,
    "ey": 1,
    "ez": 2,
    "fa": 4,
    "fb": 2,
    "fd": 3,
    "fg": 5,
    "fi": 1,
    "fl": 3,
    "fn": 4,
    "fo": 1,
    "fq": 1,
    "fr": 1,
    "ft": 2,
    "fu": 2,
    "fw": 1,
    "fx": 1,
    "g": 1,
    "ga": 2,
    "gb": 3,
    "gc": 1,
    "gd": 1,
    "ge": 1,
    "gg": 1,
    "gh": 2,
    "gj": 1,
    "gl": 2,
    "gm": 2,
    "gn": 2,
    "go": 1,
    "gp": 1,
    "gq": 1,
    "gs": 1,
    "gt": 1,
    "gu": 1,
    "gy": 1,
    "gz": 3,
    "hb": 1,
    "hc": 1,
    "hd": 1,
    "he": 1,
    "hf": 1,
    "hg": 1,
    "hh": 1,
    "hi": 1,
    "hj": 3,
    "hk": 1,
    "hl": 1,
    "hp": 1,
    "hq": 2,
    "hr": 2,
    "hs": 4,
    "hv": 1,
    "hx": 1,
    "hz": 1,
    "i": 1,
    "ia": 1,
    "ib": 3,
    "ic": 2,
    "ii": 1,
    "ij": 1,
    "in": 1,
    "io": 1,
    "iq": 1,
    "iv": 2,
    "iw": 1,
    "iy": 1,
    "iz": 2,
    "ja": 3,
    "jd": 1,
    "jn": 2,
    "jo": 1,
    "jp": 2,
    "jq": 1,
    "js": 1,
    "ju": 1,
    "jy": 2,
    "ke": 1,
    "kg": 2,
    "kh": 1,
    "ki": 1,
    "kl": 1,
    "ko": 1,
    "ks": 1,
    "ku": 1,
    "kv": 1,
    "kw": 1,
    "ky": 1,
}

# The same sets as a feed of headlines alone gives them (no summary, no body), each at what the
# shipped detector reached on it, less the same margins: ab 0.93 / 0.93 / 1 of 35, ac 1.00 / 0.75 /
# 0 of 34, ad 1.00 / 0.89 / 0 of 41, ae 1.00 / 0.72 / 0 of 38, af 1.00 / 0.58 / 0 of 40, ag 1.00 /
# 0.88 / 0 of 40, ah 1.00 / 0.94 / 0 of 40, ai 1.00 / 0.94 / 0 of 40, aj 1.00 / 0.88 / 0 of 41, ak
# 1.00 / 0.83 / 0 of 40, al 0.95 / 1.00 / 1 of 41, am 1.00 / 0.88 / 0 of 41, an 0.94 / 0.83 / 1 of
# 48, ao 1.00 / 0.44 / 0 of 42, ap 1.00 / 0.72 / 0 of 44, aq 1.00 / 0.70 / 0 of 50, at 1.00 / 0.90
# / 0 of 48, au 0.90 / 0.90 / 2 of 47, av 1.00 / 1.00 / 0 of 44 (since stop 36, when ar and as
# moved to training), aw 0.84 / 0.75 / 3 of 45 (0.89 / 0.75 / 2 once a headline reporting a denial
# is set aside), ax 0.80 / 0.95 / 5 of 51 (stop 37).
# Stop 38: al 1.00 / 1.00 / 0 of 41, an 0.94 / 0.89 / 1 of 48, ao 1.00 / 0.50 / 0 of 42, ap 1.00 /
# 0.78 / 0 of 44, aq 1.00 / 0.80 / 0 of 50, at 1.00 / 0.95 / 0 of 48, ay 0.91 / 0.95 / 2 of 48, az
# 0.93 / 0.70 / 1 of 45.
# Stop 39: ad 1.00 / 0.94 / 0 of 41, am 1.00 / 0.94 / 0 of 41, an 0.95 / 0.94 / 1 of 48, ap 1.00 /
# 0.83 / 0 of 44, ax 0.83 / 0.95 / 4 of 51, az 0.94 / 0.70 / 1 of 45 (a second alert), ba 1.00 /
# 0.85 / 0 of 48 (new). Stop 40: an 0.95 / 1.00 / 1 of 48 (a truce that "no longer exists" has
# collapsed), bb 1.00 / 0.78 / 0 of 50 (new), aw 0.94 / 0.75 / 1 of 45 and bc 0.95 / 0.86 / 1 of 51
# (new) with the model trained again on this stop's rules. Stop 41: bd 0.91 / 0.91 / 2 of 51 (new).
# Stop 42: be 0.96 / 0.91 / 1 of 51 (new).
# In stop 52 a headline alone was examined from a relevance of 0.12 (0.2 before): co's headlines
# alone went from 1.00 / 0.65 / 0 of 58 to 0.89 / 0.70 / 2 of 58, its bar with them (not read).
HEADLINE_ONLY_BARS = {
    "bn": (0.79, 0.67, 0.07),
    "bo": (0.85, 0.89, 0.05),
    "bp": (0.91, 0.91, 0.04),
    "bq": (0.86, 0.90, 0.06),
    "br": (0.87, 0.83, 0.05),
    "bs": (0.81, 0.73, 0.06),
    "bt": (0.87, 0.54, 0.03),
    "bu": (0.86, 0.85, 0.05),
    "bv": (0.80, 0.72, 0.07),
    "bw": (0.87, 0.90, 0.06),
    "bx": (0.95, 0.95, 0.02),
    "by": (0.86, 0.78, 0.06),
    "bz": (0.89, 0.85, 0.04),
    "ca": (0.76, 0.86, 0.11),
    "cb": (0.79, 0.86, 0.09),
    "cc": (0.95, 0.90, 0.02),
    "cd": (0.95, 0.78, 0.02),
    "ce": (0.95, 0.51, 0.02),
    "cf": (0.82, 0.87, 0.05),
    "cg": (0.86, 0.90, 0.05),
    "ch": (0.95, 0.76, 0.02),
    "ci": (0.91, 0.86, 0.04),
    "cj": (0.90, 0.86, 0.04),
    "ck": (0.95, 0.82, 0.02),
    "cl": (0.95, 0.77, 0.02),
    "cm": (0.81, 0.85, 0.07),
    "cn": (0.95, 0.95, 0.02),
    "co": (0.83, 0.64, 0.06),
    "cp": (0.86, 0.86, 0.06),
    "cq": (0.89, 0.61, 0.04),
    "cr": (0.89, 0.61, 0.04),
    "cs": (0.90, 0.86, 0.04),
    "ct": (0.86, 0.86, 0.06),
    "cu": (0.76, 0.86, 0.11),
    "cv": (0.85, 0.77, 0.05),
    "cw": (0.95, 0.85, 0.02),
    "cx": (0.86, 0.86, 0.06),
    "cy": (0.90, 0.78, 0.04),
    "cz": (0.90, 0.90, 0.04),
    "da": (0.90, 0.74, 0.04),
    "db": (0.95, 0.85, 0.02),
    "dc": (0.95, 0.90, 0.02),
    "dd": (0.86, 0.86, 0.05),
    "de": (0.90, 0.90, 0.04),
    "df": (0.95, 0.78, 0.02),
    "dg": (0.87, 0.42, 0.04),
    "dh": (0.90, 0.90, 0.04),
    "di": (0.90, 0.81, 0.04),
    "dj": (0.91, 0.90, 0.04),
    "dk": (0.90, 0.78, 0.04),
    "dl": (0.85, 0.74, 0.05),
    "dm": (0.90, 0.70, 0.04),
    "dn": (0.86, 0.86, 0.06),
    "do": (0.95, 0.90, 0.02),
    "dp": (0.86, 0.86, 0.05),
    "dq": (0.95, 0.86, 0.02),
    "dr": (0.88, 0.57, 0.04),
    "ds": (0.85, 0.74, 0.05),
    "dt": (0.95, 0.95, 0.02),
    "du": (0.86, 0.86, 0.05),
    "dv": (0.83, 0.95, 0.07),
    "dw": (0.90, 0.86, 0.04),
    "dx": (0.87, 0.40, 0.04),
    "dy": (0.85, 0.74, 0.05),
    "dz": (0.95, 0.61, 0.02),
    "ea": (0.90, 0.78, 0.04),
    "eb": (0.95, 0.74, 0.02),
    "ec": (0.89, 0.65, 0.04),
    "ed": (0.85, 0.78, 0.05),
    "ee": (0.95, 0.78, 0.02),
    "ef": (0.82, 0.90, 0.09),
    "eg": (0.85, 0.70, 0.05),
    "eh": (0.87, 0.95, 0.05),
    "ei": (0.90, 0.82, 0.04),
    "ej": (0.95, 0.70, 0.02),
    "ek": (0.79, 0.82, 0.09),
    "el": (0.90, 0.78, 0.04),
    "em": (0.95, 0.70, 0.02),
    "en": (0.87, 0.78, 0.05),
    "eo": (0.81, 0.74, 0.07),
    "ep": (0.88, 0.53, 0.04),
    "eq": (0.77, 0.70, 0.09),
    "er": (0.84, 0.65, 0.05),
    "es": (0.95, 0.90, 0.02),
    "et": (0.95, 0.78, 0.02),
    "eu": (0.95, 0.70, 0.02),
    "ev": (0.87, 0.86, 0.05),
    "ew": (0.90, 0.78, 0.04),
    "ex": (0.81, 0.74, 0.07),
    "ey": (0.95, 0.78, 0.02),
    "ez": (0.75, 0.70, 0.10),
    "fa": (0.78, 0.65, 0.09),
    "fb": (0.90, 0.70, 0.04),
    "fc": (0.86, 0.74, 0.05),
    "fd": (0.85, 0.65, 0.05),
    "fe": (0.95, 0.74, 0.02),
    "ff": (0.95, 0.78, 0.02),
    "fg": (0.90, 0.70, 0.04),
    "fh": (0.86, 0.82, 0.05),
    "fi": (0.85, 0.74, 0.05),
    "fj": (0.87, 0.86, 0.05),
    "fk": (0.87, 0.95, 0.05),
    "fl": (0.95, 0.78, 0.02),
    "fm": (0.81, 0.78, 0.07),
    "fn": (0.95, 0.11, 0.02),
    "fo": (0.90, 0.70, 0.04),
    "fp": (0.90, 0.82, 0.04),
    "fq": (0.95, 0.78, 0.02),
    "fr": (0.95, 0.74, 0.02),
    "fs": (0.95, 0.86, 0.02),
    "ft": (0.75, 0.57, 0.09),
    "fu": (0.82, 0.78, 0.07),
    "fv": (0.90, 0.78, 0.04),
    "fw": (0.85, 0.78, 0.05),
    "fx": (0.75, 0.28, 0.05),
    "fy": (0.87, 0.90, 0.05),
    "fz": (0.80, 0.70, 0.07),
    "ga": (0.95, 0.70, 0.02),
    "gb": (0.90, 0.82, 0.04),
    "gc": (0.89, 0.61, 0.04),
    "gd": (0.90, 0.70, 0.04),
    "ge": (0.95, 0.78, 0.02),
    "gf": (0.90, 0.74, 0.04),
    "gg": (0.86, 0.74, 0.05),
    "gh": (0.90, 0.70, 0.04),
    "gi": (0.95, 0.61, 0.02),
    "gj": (0.86, 0.74, 0.05),
    "gk": (0.89, 0.65, 0.04),
    "gl": (0.95, 0.70, 0.02),
    "gm": (0.91, 0.86, 0.04),
    "gn": (0.87, 0.86, 0.05),
    "go": (0.95, 0.74, 0.02),
    "gp": (0.87, 0.82, 0.05),
    "gq": (0.90, 0.65, 0.04),
    "gr": (0.86, 0.74, 0.05),
    "gs": (0.95, 0.15, 0.02),
    "gt": (0.87, 0.86, 0.05),
    "gu": (0.91, 0.86, 0.04),
    "gv": (0.89, 0.70, 0.04),
    "gw": (0.95, 0.90, 0.02),
    "gx": (0.90, 0.74, 0.04),
    "gy": (0.95, 0.61, 0.02),
    "gz": (0.90, 0.82, 0.04),
    "ha": (0.95, 0.86, 0.02),
    "hb": (0.95, 0.65, 0.02),
    "hc": (0.89, 0.70, 0.04),
    "hd": (0.90, 0.82, 0.04),
    "he": (0.95, 0.78, 0.02),
    "hf": (0.84, 0.65, 0.05),
    "hg": (0.89, 0.57, 0.04),
    "hh": (0.95, 0.70, 0.02),
    "hi": (0.95, 0.78, 0.02),
    "hj": (0.90, 0.78, 0.04),
    "hk": (0.95, 0.70, 0.02),
    "hl": (0.90, 0.74, 0.04),
    "hm": (0.86, 0.82, 0.05),
    "hn": (0.80, 0.40, 0.05),
    "ho": (0.66, 0.32, 0.09),
    "hp": (0.95, 0.78, 0.02),
    "hq": (0.95, 0.70, 0.02),
    "hr": (0.87, 0.86, 0.05),
    "hs": (0.95, 0.70, 0.02),
    "ht": (0.87, 0.95, 0.05),
    "hu": (0.79, 0.82, 0.09),
    "hv": (0.88, 0.57, 0.04),
    "hw": (0.80, 0.86, 0.09),
    "hx": (0.82, 0.82, 0.07),
    "hy": (0.90, 0.86, 0.04),
    "hz": (0.80, 0.90, 0.09),
    "ia": (0.80, 0.90, 0.09),
    "ib": (0.84, 0.90, 0.07),
    "ic": (0.85, 0.78, 0.05),
    "id": (0.82, 0.82, 0.07),
    "ie": (0.86, 0.82, 0.05),
    "if": (0.95, 0.78, 0.02),
    "ig": (0.83, 0.86, 0.07),
    "ih": (0.87, 0.90, 0.05),
    "ii": (0.90, 0.78, 0.04),
    "ij": (0.87, 0.95, 0.05),
    "ik": (0.77, 0.90, 0.10),
    "il": (0.82, 0.74, 0.07),
    "im": (0.83, 0.90, 0.07),
    "in": (0.84, 0.95, 0.07),
    "io": (0.75, 0.90, 0.12),
    "ip": (0.77, 0.70, 0.09),
    "iq": (0.75, 0.74, 0.10),
    "ir": (0.83, 0.90, 0.07),
    "is": (0.86, 0.86, 0.05),
    "it": (0.80, 0.95, 0.09),
    "iu": (0.91, 0.90, 0.04),
    "iv": (0.80, 0.90, 0.09),
    "iw": (0.85, 0.78, 0.05),
    "ix": (0.83, 0.90, 0.07),
    "iy": (0.84, 0.95, 0.07),
    "iz": (0.85, 0.32, 0.04),
    "ja": (0.91, 0.86, 0.04),
    "jb": (0.86, 0.86, 0.05),
    "jc": (0.91, 0.90, 0.04),
    "jd": (0.83, 0.86, 0.07),
    "je": (0.80, 0.95, 0.09),
    "jf": (0.85, 0.74, 0.05),
    "jg": (0.83, 0.90, 0.07),
    "jh": (0.81, 0.78, 0.07),
    "ji": (0.87, 0.95, 0.05),
    "jj": (0.77, 0.90, 0.10),
    "jk": (0.81, 0.74, 0.07),
    "jl": (0.83, 0.90, 0.07),
    "jm": (0.78, 0.70, 0.09),
    "jn": (0.87, 0.45, 0.04),
    "jo": (0.91, 0.90, 0.04),
    "jp": (0.90, 0.82, 0.04),
    "jq": (0.79, 0.86, 0.09),
    "jr": (0.89, 0.65, 0.04),
    "js": (0.78, 0.70, 0.09),
    "jt": (0.79, 0.78, 0.09),
    "ju": (0.86, 0.78, 0.05),
    "jv": (0.87, 0.90, 0.05),
    "jw": (0.87, 0.45, 0.04),
    "jx": (0.88, 0.49, 0.04),
    "jy": (0.84, 0.95, 0.07),
    "jz": (0.87, 0.90, 0.05),
    "ka": (0.87, 0.90, 0.05),
    "kb": (0.75, 0.78, 0.10),
    "kc": (0.85, 0.70, 0.05),
    "kd": (0.86, 0.86, 0.05),
    "ke": (0.79, 0.36, 0.05),
    "kf": (0.80, 0.90, 0.09),
    "kg": (0.84, 0.86, 0.07),
    "kh": (0.87, 0.95, 0.05),
    "ki": (0.73, 0.57, 0.09),
    "kj": (0.90, 0.82, 0.04),
    "kk": (0.83, 0.78, 0.07),
    "kl": (0.90, 0.74, 0.04),
    "km": (0.86, 0.86, 0.05),
    "kn": (0.65, 0.65, 0.14),
    "ko": (0.95, 0.86, 0.02),
    "kp": (0.80, 0.86, 0.09),
    "kq": (0.95, 0.74, 0.02),
    "kr": (0.86, 0.78, 0.05),
    "ks": (0.75, 0.70, 0.10),
    "kt": (0.87, 0.95, 0.05),
    "ku": (0.80, 0.65, 0.07),
    "kv": (0.90, 0.82, 0.04),
    "kw": (0.81, 0.95, 0.09),
    "kx": (0.90, 0.78, 0.04),
    "ky": (0.82, 0.78, 0.07),
}


# The same sets as long reports tell them: each item's text among two to five paragraphs of
# background, the texts of the set's own rehash items published no later (``among_background``),
# each at what the shipped detector reached on it, less the same margins: ab 1.00 / 1.00 / 0 of 35,
# ac 0.88 / 0.94 / 2 of 34, ad 1.00 / 0.89 / 0 of 41, ae 0.95 / 0.89 / 1 of 38, af 0.86 / 0.89 / 3
# of 40, ag 0.86 / 1.00 / 3 of 40, ah 0.86 / 1.00 / 3 of 40, ai 1.00 / 1.00 / 0 of 40, aj 0.89 /
# 1.00 / 2 of 41, ak 1.00 / 1.00 / 0 of 40, al 0.89 / 1.00 / 2 of 41, am 0.89 / 0.94 / 2 of 41, an
# 0.95 / 0.94 / 1 of 48, ao 0.94 / 0.83 / 1 of 42, ap 0.95 / 1.00 / 1 of 44, aq 0.90 / 0.90 / 2 of
# 50, at 0.73 / 0.95 / 7 of 48, au 0.77 / 1.00 / 6 of 47, av 0.86 / 0.95 / 3 of 44, aw 0.86 / 0.95
# / 3 of 45, ax 0.78 / 0.90 / 5 of 51 (since stop 36, when ar and as moved to training; ae's bodies
# are six to twelve paragraphs as written: padded with its own long rehashes, a report runs to
# thirty and more; af's and ah's rehashes are mostly retrospectives that alert as written too).
# Background dilutes what the model reads; from ``LONG_ARTICLE`` sentences on, terms found only in
# the background weigh less (docs/detection-history.md: developments told among paragraphs of
# background), and a paragraph an alerted report told already is left out (what the story told).
# Stop 38: ag 0.90 / 1.00 / 2 of 40, ah 0.95 / 1.00 / 1 of 40, al 0.94 / 1.00 / 1 of 41, an 0.95 /
# 1.00 / 1 of 48, ap 1.00 / 1.00 / 0 of 44, at 0.77 / 1.00 / 6 of 48, aw 0.90 / 0.95 / 2 of 45, ay
# 0.87 / 1.00 / 3 of 48, az 0.80 / 1.00 / 5 of 45; the model trained again on this stop's rules
# moved ae to 0.94 / 0.83 / 1 of 38 (a report of one event at 0.345 against the 0.35 pattern floor)
# and av to 0.79 / 0.95 / 5 of 44 (a near-miss alerted that had joined an earlier development, and
# another rose from 0.00 to 0.95 as the decisions before it changed).
# Stop 39: ac 0.89 / 1.00 / 2 of 34, ad 1.00 / 0.94 / 0 of 41, am 0.89 / 1.00 / 2 of 41, av 0.86 /
# 0.95 / 3 of 44, az 0.81 / 1.00 / 5 of 45 (a second alert), ba 0.83 / 1.00 / 4 of 48 (new); with
# the model trained again on this stop's rules, ai 0.95 / 1.00 / 1 of 40, aw 0.87 / 1.00 / 3 of 45
# and ax 0.76 / 0.95 / 6 of 51 (a near-miss each, scored at the floor or just over the threshold).
# Stop 40: ah 1.00 / 1.00 / 0 of 40, am 0.94 / 1.00 / 1 of 41, bb 0.85 / 0.96 / 4 of 50 (new), bc
# 0.75 / 0.91 / 7 of 51 (new); with the model trained again on this stop's rules, ae 0.95 / 0.89 / 1
# of 38 and av 0.83 / 0.95 / 4 of 44. Stop 41: bd 0.85 / 0.96 / 4 of 51 (new).
# Stop 42: be 0.81 / 0.96 / 5 of 51 (new).
LONG_BODY_BARS = {
    "bn": (0.90, 0.85, 0.04),
    "bo": (0.80, 0.89, 0.06),
    "bp": (0.90, 0.87, 0.04),
    "bq": (0.90, 0.95, 0.04),
    "br": (0.91, 0.87, 0.04),
    "bs": (0.95, 0.81, 0.02),
    "bt": (0.85, 0.81, 0.05),
    "bu": (0.83, 0.95, 0.07),
    "bv": (0.95, 0.90, 0.02),
    "bw": (0.90, 0.90, 0.04),
    "bx": (0.89, 0.95, 0.04),
    "by": (0.87, 0.95, 0.06),
    "bz": (0.90, 0.90, 0.04),
    "ca": (0.90, 0.86, 0.04),
    "cb": (0.95, 0.95, 0.02),
    "cc": (0.91, 0.95, 0.04),
    "cd": (0.90, 0.82, 0.04),
    "ce": (0.95, 0.77, 0.02),
    "cf": (0.81, 0.80, 0.05),
    "cg": (0.90, 0.90, 0.04),
    "ch": (0.95, 0.85, 0.02),
    "ci": (0.95, 0.95, 0.02),
    "cj": (0.91, 0.95, 0.04),
    "ck": (0.95, 0.90, 0.02),
    "cl": (0.95, 0.95, 0.02),
    "cm": (0.95, 0.81, 0.02),
    "cn": (0.91, 0.95, 0.04),
    "co": (0.95, 0.73, 0.02),
    "cp": (0.95, 0.95, 0.02),
    "cq": (0.95, 0.65, 0.02),
    "cr": (0.95, 0.86, 0.02),
    "cs": (0.95, 0.90, 0.02),
    "ct": (0.90, 0.90, 0.04),
    "cu": (0.91, 0.95, 0.04),
    "cv": (0.95, 0.90, 0.02),
    "cw": (0.95, 0.95, 0.02),
    "cx": (0.95, 0.78, 0.02),
    "cy": (0.95, 0.90, 0.02),
    "cz": (0.95, 0.90, 0.02),
    "da": (0.90, 0.82, 0.04),
    "db": (0.95, 0.95, 0.02),
    "dc": (0.95, 0.90, 0.02),
    "dd": (0.95, 0.90, 0.02),
    "de": (0.95, 0.86, 0.02),
    "df": (0.95, 0.90, 0.02),
    "dg": (0.95, 0.73, 0.02),
    "dh": (0.95, 0.95, 0.02),
    "di": (0.95, 0.85, 0.02),
    "dj": (0.87, 0.90, 0.04),
    "dk": (0.95, 0.82, 0.02),
    "dl": (0.90, 0.90, 0.04),
    "dm": (0.95, 0.86, 0.02),
    "dn": (0.90, 0.90, 0.04),
    "do": (0.95, 0.90, 0.02),
    "dp": (0.95, 0.86, 0.02),
    "dq": (0.91, 0.95, 0.04),
    "dr": (0.90, 0.78, 0.04),
    "ds": (0.95, 0.95, 0.02),
    "dt": (0.95, 0.82, 0.02),
    "du": (0.95, 0.82, 0.02),
    "dv": (0.91, 0.95, 0.04),
    "dw": (0.95, 0.90, 0.02),
    "dx": (0.95, 0.86, 0.02),
    "dy": (0.95, 0.82, 0.02),
    "dz": (0.90, 0.78, 0.04),
    "ea": (0.95, 0.65, 0.02),
    "eb": (0.95, 0.74, 0.02),
    "ec": (0.90, 0.82, 0.04),
    "ed": (0.85, 0.78, 0.05),
    "ee": (0.95, 0.86, 0.02),
    "ef": (0.91, 0.90, 0.04),
    "eg": (0.90, 0.90, 0.04),
    "eh": (0.91, 0.90, 0.04),
    "ei": (0.90, 0.74, 0.04),
    "ej": (0.95, 0.82, 0.02),
    "ek": (0.86, 0.86, 0.05),
    "el": (0.90, 0.70, 0.04),
    "em": (0.95, 0.86, 0.02),
    "en": (0.87, 0.86, 0.05),
    "eo": (0.90, 0.86, 0.04),
    "ep": (0.95, 0.74, 0.02),
    "eq": (0.87, 0.86, 0.05),
    "er": (0.90, 0.74, 0.04),
    "es": (0.87, 0.86, 0.05),
    "et": (0.91, 0.86, 0.04),
    "eu": (0.90, 0.86, 0.04),
    "ev": (0.88, 0.90, 0.05),
    "ew": (0.95, 0.82, 0.02),
    "ex": (0.86, 0.82, 0.05),
    "ey": (0.95, 0.82, 0.02),
    "ez": (0.90, 0.82, 0.04),
    "fa": (0.95, 0.74, 0.02),
    "fb": (0.90, 0.78, 0.04),
    "fc": (0.80, 0.70, 0.07),
    "fd": (0.95, 0.86, 0.02),
    "fe": (0.90, 0.86, 0.04),
    "ff": (0.95, 0.90, 0.02),
    "fg": (0.95, 0.86, 0.02),
    "fh": (0.95, 0.74, 0.02),
    "fi": (0.90, 0.82, 0.04),
    "fj": (0.86, 0.82, 0.05),
    "fk": (0.91, 0.95, 0.04),
    "fl": (0.95, 0.86, 0.02),
    "fm": (0.85, 0.78, 0.05),
    "fn": (0.95, 0.70, 0.02),
    "fo": (0.95, 0.78, 0.02),
    "fp": (0.95, 0.74, 0.02),
    "fq": (0.95, 0.82, 0.02),
    "fr": (0.95, 0.78, 0.02),
    "fs": (0.90, 0.86, 0.04),
    "ft": (0.91, 0.86, 0.04),
    "fu": (0.95, 0.78, 0.02),
    "fv": (0.95, 0.86, 0.02),
    "fw": (0.95, 0.86, 0.02),
    "fx": (0.90, 0.74, 0.04),
    "fy": (0.95, 0.86, 0.02),
    "fz": (0.95, 0.86, 0.02),
    "ga": (0.95, 0.90, 0.02),
    "gb": (0.95, 0.90, 0.02),
    "gc": (0.95, 0.82, 0.02),
    "gd": (0.95, 0.78, 0.02),
    "ge": (0.95, 0.82, 0.02),
    "gf": (0.95, 0.86, 0.02),
    "gg": (0.95, 0.78, 0.02),
    "gh": (0.95, 0.82, 0.02),
    "gi": (0.90, 0.78, 0.04),
    "gj": (0.90, 0.86, 0.04),
    "gk": (0.90, 0.74, 0.04),
    "gl": (0.91, 0.90, 0.04),
    "gm": (0.91, 0.86, 0.04),
    "gn": (0.90, 0.82, 0.04),
    "go": (0.90, 0.78, 0.04),
    "gp": (0.95, 0.90, 0.02),
    "gq": (0.90, 0.86, 0.04),
    "gr": (0.95, 0.82, 0.02),
    "gs": (0.95, 0.70, 0.02),
    "gt": (0.87, 0.86, 0.05),
    "gu": (0.90, 0.90, 0.04),
    "gv": (0.95, 0.90, 0.02),
    "gw": (0.95, 0.95, 0.02),
    "gx": (0.83, 0.90, 0.07),
    "gy": (0.95, 0.82, 0.02),
    "gz": (0.91, 0.86, 0.04),
    "ha": (0.95, 0.95, 0.02),
    "hb": (0.95, 0.74, 0.02),
    "hc": (0.95, 0.86, 0.02),
    "hd": (0.95, 0.82, 0.02),
    "he": (0.95, 0.86, 0.02),
    "hf": (0.95, 0.74, 0.02),
    "hg": (0.95, 0.82, 0.02),
    "hh": (0.95, 0.86, 0.02),
    "hi": (0.86, 0.82, 0.05),
    "hj": (0.91, 0.78, 0.04),
    "hk": (0.95, 0.86, 0.02),
    "hl": (0.95, 0.82, 0.02),
    "hm": (0.81, 0.78, 0.07),
    "hn": (0.90, 0.82, 0.04),
    "ho": (0.90, 0.86, 0.04),
    "hp": (0.95, 0.82, 0.02),
    "hq": (0.95, 0.82, 0.02),
    "hr": (0.95, 0.90, 0.02),
    "hs": (0.95, 0.82, 0.02),
    "ht": (0.91, 0.95, 0.04),
    "hu": (0.87, 0.90, 0.05),
    "hv": (0.90, 0.78, 0.04),
    "hw": (0.77, 0.95, 0.10),
    "hx": (0.91, 0.95, 0.04),
    "hy": (0.95, 0.90, 0.02),
    "hz": (0.83, 0.90, 0.07),
    "ia": (0.87, 0.90, 0.05),
    "ib": (0.78, 0.90, 0.10),
    "ic": (0.90, 0.74, 0.04),
    "id": (0.77, 0.95, 0.10),
    "ie": (0.80, 0.90, 0.09),
    "if": (0.83, 0.95, 0.07),
    "ig": (0.83, 0.90, 0.07),
    "ih": (0.87, 0.95, 0.05),
    "ii": (0.87, 0.90, 0.05),
    "ij": (0.81, 0.95, 0.09),
    "ik": (0.77, 0.90, 0.10),
    "il": (0.90, 0.82, 0.04),
    "im": (0.95, 0.95, 0.02),
    "in": (0.81, 0.95, 0.09),
    "io": (0.75, 0.95, 0.12),
    "ip": (0.90, 0.86, 0.04),
    "iq": (0.77, 0.90, 0.10),
    "ir": (0.87, 0.95, 0.05),
    "is": (0.80, 0.95, 0.09),
    "it": (0.87, 0.90, 0.05),
    "iu": (0.91, 0.95, 0.04),
    "iv": (0.95, 0.95, 0.02),
    "iw": (0.91, 0.95, 0.04),
    "ix": (0.87, 0.95, 0.05),
    "iy": (0.91, 0.95, 0.04),
    "iz": (0.84, 0.86, 0.07),
    "ja": (0.76, 0.90, 0.12),
    "jb": (0.87, 0.95, 0.05),
    "jc": (0.87, 0.95, 0.05),
    "jd": (0.91, 0.90, 0.04),
    "je": (0.71, 0.90, 0.14),
    "jf": (0.86, 0.86, 0.05),
    "jg": (0.84, 0.95, 0.07),
    "jh": (0.77, 0.90, 0.10),
    "ji": (0.83, 0.95, 0.07),
    "jj": (0.83, 0.95, 0.07),
    "jk": (0.91, 0.95, 0.04),
    "jl": (0.80, 0.95, 0.09),
    "jm": (0.86, 0.86, 0.05),
    "jn": (0.91, 0.86, 0.04),
    "jo": (0.95, 0.95, 0.02),
    "jp": (0.87, 0.90, 0.05),
    "jq": (0.90, 0.90, 0.04),
    "jr": (0.95, 0.86, 0.02),
    "js": (0.87, 0.95, 0.05),
    "jt": (0.86, 0.86, 0.05),
    "ju": (0.87, 0.90, 0.05),
    "jv": (0.87, 0.95, 0.05),
    "jw": (0.81, 0.74, 0.07),
    "jx": (0.83, 0.90, 0.07),
    "jy": (0.87, 0.90, 0.05),
    "jz": (0.83, 0.90, 0.07),
    "ka": (0.87, 0.90, 0.05),
    "kb": (0.70, 0.95, 0.15),
    "kc": (0.83, 0.90, 0.07),
    "kd": (0.87, 0.95, 0.05),
    "ke": (0.79, 0.78, 0.09),
    "kf": (0.87, 0.95, 0.05),
    "kg": (0.83, 0.86, 0.07),
    "kh": (0.81, 0.95, 0.09),
    "ki": (0.83, 0.90, 0.07),
    "kj": (0.80, 0.90, 0.09),
    "kk": (0.77, 0.90, 0.10),
    "kl": (0.83, 0.86, 0.07),
    "km": (0.91, 0.95, 0.04),
    "kn": (0.87, 0.95, 0.05),
    "ko": (0.91, 0.95, 0.04),
    "kp": (0.90, 0.90, 0.04),
    "kq": (0.90, 0.90, 0.04),
    "kr": (0.87, 0.95, 0.05),
    "ks": (0.83, 0.82, 0.07),
    "kt": (0.71, 0.90, 0.14),
    "ku": (0.91, 0.95, 0.04),
    "kv": (0.84, 0.95, 0.07),
    "kw": (0.81, 0.95, 0.09),
    "kx": (0.90, 0.86, 0.04),
    "ky": (0.87, 0.90, 0.05),
}

# The same sets as agency copy tells them, repeating its earlier paragraphs for background: each
# item's text among two to five texts of development items of other events published two days or
# more before it (``among_earlier_developments``), each at what the shipped detector reached on it,
# less the same margins: ab 1.00 / 1.00 / 0 of 35, ac 0.94 / 0.94 / 1 of 34, ad 1.00 / 0.94 / 0 of
# 41, ae 0.95 / 0.94 / 1 of 38, af 1.00 / 0.89 / 0 of 40, ag 0.90 / 1.00 / 2 of 40, ah 0.90 / 1.00
# / 2 of 40, ai 1.00 / 1.00 / 0 of 40, aj 0.94 / 1.00 / 1 of 41, ak 1.00 / 1.00 / 0 of 40, al 0.85
# / 1.00 / 3 of 41, am 0.94 / 0.94 / 1 of 41, an 0.94 / 0.89 / 1 of 48, ao 0.90 / 1.00 / 2 of 42,
# ap 0.90 / 0.94 / 2 of 44, aq 0.89 / 0.85 / 2 of 50, at 0.76 / 0.95 / 6 of 48, au 0.80 / 1.00 / 5
# of 47, av 0.86 / 0.90 / 3 of 44 (since stop 36, when ar and as moved to training), aw 0.90 / 0.90
# / 2 of 45, ax 0.90 / 0.95 / 2 of 51 (stop 37). Before what the story has told was known, event
# recall was 0.44 to 0.86 on these sets; until an article was measured without the sentences the
# story had told (stop 31), the repeated paragraphs lent quiet items their relevance and their
# words and 113 quiet items alerted over the nineteen sets then held out
# (docs/detection-history.md).
# Stop 38: ag and ah 0.95 / 1.00 / 1 of 40, al 0.94 / 1.00 / 1 of 41, an 1.00 / 0.94 / 0 of 48, ap
# 0.95 / 0.94 / 1 of 44, aq 0.90 / 0.90 / 2 of 50, at 0.77 / 1.00 / 6 of 48, au 0.83 / 1.00 / 4 of
# 47, ay 0.95 / 1.00 / 1 of 48, az 0.83 / 1.00 / 4 of 45.
# Stop 39: ac 0.94 / 1.00 / 1 of 34, ad 1.00 / 1.00 / 0 of 41, am 0.94 / 1.00 / 1 of 41, an 1.00 /
# 1.00 / 0 of 48, ap 0.95 / 1.00 / 1 of 44, aw 0.90 / 0.95 / 2 of 45, az 0.84 / 1.00 / 4 of 45 (a
# second alert), ba 0.87 / 1.00 / 3 of 48 (new); with the model trained again on this stop's
# rules, ai 0.95 / 1.00 / 1 of 40 and ax 0.87 / 1.00 / 3 of 51.
# Stop 40: ah and am 1.00 / 1.00 / 0 of 40 and 41, bb 0.96 / 0.96 / 1 of 50 and bc 0.84 / 0.91 / 4
# of 51 (new). Stop 41: bd 0.84 / 0.91 / 4 of 51 (new).
# Stop 42: be 0.82 / 1.00 / 5 of 51 (new).
EARLIER_BARS = {
    "bn": (0.91, 0.95, 0.04),
    "bo": (0.85, 0.95, 0.05),
    "bp": (0.91, 0.87, 0.04),
    "bq": (0.87, 0.95, 0.06),
    "br": (0.91, 0.87, 0.04),
    "bs": (0.95, 0.90, 0.02),
    "bt": (0.81, 0.85, 0.06),
    "bu": (0.87, 0.95, 0.05),
    "bv": (0.95, 0.90, 0.02),
    "bw": (0.87, 0.95, 0.06),
    "bx": (0.89, 0.95, 0.04),
    "by": (0.91, 0.95, 0.04),
    "bz": (0.90, 0.95, 0.04),
    "ca": (0.90, 0.86, 0.04),
    "cb": (0.95, 0.95, 0.02),
    "cc": (0.95, 0.95, 0.02),
    "cd": (0.87, 0.95, 0.06),
    "ce": (0.90, 0.81, 0.04),
    "cf": (0.82, 0.87, 0.05),
    "cg": (0.95, 0.95, 0.02),
    "ch": (0.95, 0.85, 0.02),
    "ci": (0.95, 0.95, 0.02),
    "cj": (0.91, 0.95, 0.04),
    "ck": (0.95, 0.95, 0.02),
    "cl": (0.90, 0.95, 0.04),
    "cm": (0.95, 0.85, 0.02),
    "cn": (0.95, 0.95, 0.02),
    "co": (0.95, 0.73, 0.02),
    "cp": (0.95, 0.95, 0.02),
    "cq": (0.90, 0.74, 0.04),
    "cr": (0.95, 0.90, 0.02),
    "cs": (0.90, 0.90, 0.04),
    "ct": (0.87, 0.90, 0.06),
    "cu": (0.91, 0.95, 0.04),
    "cv": (0.90, 0.95, 0.04),
    "cw": (0.87, 0.95, 0.05),
    "cx": (0.95, 0.95, 0.02),
    "cy": (0.87, 0.95, 0.06),
    "cz": (0.90, 0.90, 0.04),
    "da": (0.86, 0.86, 0.06),
    "db": (0.86, 0.90, 0.06),
    "dc": (0.95, 0.86, 0.02),
    "dd": (0.95, 0.95, 0.02),
    "de": (0.95, 0.90, 0.02),
    "df": (0.95, 0.90, 0.02),
    "dg": (0.90, 0.86, 0.04),
    "dh": (0.95, 0.95, 0.02),
    "di": (0.95, 0.85, 0.02),
    "dj": (0.87, 0.90, 0.06),
    "dk": (0.95, 0.86, 0.02),
    "dl": (0.90, 0.90, 0.04),
    "dm": (0.95, 0.90, 0.02),
    "dn": (0.91, 0.95, 0.04),
    "do": (0.95, 0.95, 0.02),
    "dp": (0.90, 0.90, 0.04),
    "dq": (0.91, 0.95, 0.04),
    "dr": (0.90, 0.86, 0.04),
    "ds": (0.91, 0.95, 0.04),
    "dt": (0.95, 0.90, 0.02),
    "du": (0.95, 0.82, 0.02),
    "dv": (0.87, 0.95, 0.05),
    "dw": (0.90, 0.95, 0.04),
    "dx": (0.95, 0.90, 0.02),
    "dy": (0.91, 0.95, 0.04),
    "dz": (0.90, 0.78, 0.04),
    "ea": (0.95, 0.86, 0.02),
    "eb": (0.85, 0.78, 0.05),
    "ec": (0.87, 0.86, 0.05),
    "ed": (0.90, 0.74, 0.04),
    "ee": (0.95, 0.90, 0.02),
    "ef": (0.84, 0.95, 0.07),
    "eg": (0.80, 0.90, 0.09),
    "eh": (0.91, 0.90, 0.04),
    "ei": (0.95, 0.78, 0.02),
    "ej": (0.95, 0.90, 0.02),
    "ek": (0.87, 0.95, 0.05),
    "el": (0.90, 0.82, 0.04),
    "em": (0.90, 0.90, 0.04),
    "en": (0.87, 0.90, 0.05),
    "eo": (0.83, 0.86, 0.07),
    "ep": (0.95, 0.90, 0.02),
    "eq": (0.87, 0.90, 0.05),
    "er": (0.87, 0.90, 0.05),
    "es": (0.87, 0.86, 0.05),
    "et": (0.88, 0.90, 0.05),
    "eu": (0.83, 0.90, 0.07),
    "ev": (0.88, 0.95, 0.05),
    "ew": (0.91, 0.90, 0.04),
    "ex": (0.80, 0.95, 0.09),
    "ey": (0.95, 0.90, 0.02),
    "ez": (0.83, 0.86, 0.07),
    "fa": (0.87, 0.86, 0.05),
    "fb": (0.87, 0.86, 0.05),
    "fc": (0.86, 0.82, 0.05),
    "fd": (0.95, 0.86, 0.02),
    "fe": (0.86, 0.86, 0.05),
    "ff": (0.95, 0.90, 0.02),
    "fg": (0.91, 0.86, 0.04),
    "fh": (0.95, 0.82, 0.02),
    "fi": (0.91, 0.95, 0.04),
    "fj": (0.86, 0.86, 0.05),
    "fk": (0.91, 0.95, 0.04),
    "fl": (0.95, 0.90, 0.02),
    "fm": (0.90, 0.90, 0.04),
    "fn": (0.95, 0.95, 0.02),
    "fo": (0.95, 0.90, 0.02),
    "fp": (0.95, 0.86, 0.02),
    "fq": (0.95, 0.86, 0.02),
    "fr": (0.91, 0.90, 0.04),
    "fs": (0.91, 0.95, 0.04),
    "ft": (0.87, 0.90, 0.05),
    "fu": (0.95, 0.95, 0.02),
    "fv": (0.95, 0.90, 0.02),
    "fw": (0.91, 0.90, 0.04),
    "fx": (0.90, 0.74, 0.04),
    "fy": (0.95, 0.90, 0.02),
    "fz": (0.90, 0.86, 0.04),
    "ga": (0.91, 0.90, 0.04),
    "gb": (0.95, 0.90, 0.02),
    "gc": (0.87, 0.95, 0.05),
    "gd": (0.90, 0.78, 0.04),
    "ge": (0.90, 0.82, 0.04),
    "gf": (0.95, 0.90, 0.02),
    "gg": (0.90, 0.82, 0.04),
    "gh": (0.90, 0.82, 0.04),
    "gi": (0.85, 0.78, 0.05),
    "gj": (0.90, 0.82, 0.04),
    "gk": (0.90, 0.78, 0.04),
    "gl": (0.91, 0.90, 0.04),
    "gm": (0.91, 0.95, 0.04),
    "gn": (0.91, 0.95, 0.04),
    "go": (0.95, 0.82, 0.02),
    "gp": (0.95, 0.90, 0.02),
    "gq": (0.95, 0.86, 0.02),
    "gr": (0.95, 0.86, 0.02),
    "gs": (0.95, 0.78, 0.02),
    "gt": (0.87, 0.90, 0.05),
    "gu": (0.91, 0.90, 0.04),
    "gv": (0.95, 0.90, 0.02),
    "gw": (0.95, 0.95, 0.02),
    "gx": (0.87, 0.90, 0.05),
    "gy": (0.95, 0.90, 0.02),
    "gz": (0.87, 0.86, 0.05),
    "ha": (0.95, 0.95, 0.02),
    "hb": (0.90, 0.82, 0.04),
    "hc": (0.87, 0.90, 0.05),
    "hd": (0.95, 0.86, 0.02),
    "he": (0.87, 0.90, 0.05),
    "hf": (0.87, 0.86, 0.05),
    "hg": (0.90, 0.82, 0.04),
    "hh": (0.95, 0.90, 0.02),
    "hi": (0.90, 0.86, 0.04),
    "hj": (0.87, 0.86, 0.05),
    "hk": (0.95, 0.90, 0.02),
    "hl": (0.95, 0.86, 0.02),
    "hm": (0.83, 0.86, 0.07),
    "hn": (0.86, 0.86, 0.05),
    "ho": (0.90, 0.86, 0.04),
    "hp": (0.90, 0.86, 0.04),
    "hq": (0.95, 0.86, 0.02),
    "hr": (0.87, 0.90, 0.05),
    "hs": (0.91, 0.82, 0.04),
    "ht": (0.91, 0.95, 0.04),
    "hu": (0.90, 0.90, 0.04),
    "hv": (0.86, 0.78, 0.05),
    "hw": (0.75, 0.95, 0.12),
    "hx": (0.91, 0.95, 0.04),
    "hy": (0.95, 0.95, 0.02),
    "hz": (0.80, 0.90, 0.09),
    "ia": (0.91, 0.90, 0.04),
    "ib": (0.87, 0.90, 0.05),
    "ic": (0.86, 0.78, 0.05),
    "id": (0.80, 0.95, 0.09),
    "ie": (0.83, 0.90, 0.07),
    "if": (0.83, 0.95, 0.07),
    "ig": (0.95, 0.95, 0.02),
    "ih": (0.87, 0.95, 0.05),
    "ii": (0.87, 0.90, 0.05),
    "ij": (0.87, 0.95, 0.05),
    "ik": (0.80, 0.95, 0.09),
    "il": (0.90, 0.82, 0.04),
    "im": (0.91, 0.95, 0.04),
    "in": (0.84, 0.95, 0.07),
    "io": (0.75, 0.95, 0.12),
    "ip": (0.95, 0.90, 0.02),
    "iq": (0.83, 0.95, 0.07),
    "ir": (0.87, 0.95, 0.05),
    "is": (0.80, 0.95, 0.09),
    "it": (0.87, 0.90, 0.05),
    "iu": (0.91, 0.95, 0.04),
    "iv": (0.95, 0.95, 0.02),
    "iw": (0.95, 0.95, 0.02),
    "ix": (0.91, 0.95, 0.04),
    "iy": (0.91, 0.95, 0.04),
    "iz": (0.84, 0.90, 0.07),
    "ja": (0.82, 0.95, 0.09),
    "jb": (0.95, 0.95, 0.02),
    "jc": (0.91, 0.95, 0.04),
    "jd": (0.95, 0.90, 0.02),
    "je": (0.77, 0.90, 0.10),
    "jf": (0.87, 0.90, 0.05),
    "jg": (0.87, 0.95, 0.05),
    "jh": (0.79, 0.86, 0.09),
    "ji": (0.83, 0.95, 0.07),
    "jj": (0.91, 0.95, 0.04),
    "jk": (0.87, 0.95, 0.05),
    "jl": (0.83, 0.95, 0.07),
    "jm": (0.87, 0.95, 0.05),
    "jn": (0.91, 0.86, 0.04),
    "jo": (0.95, 0.95, 0.02),
    "jp": (0.87, 0.95, 0.05),
    "jq": (0.83, 0.95, 0.07),
    "jr": (0.90, 0.86, 0.04),
    "js": (0.87, 0.95, 0.05),
    "jt": (0.87, 0.90, 0.05),
    "ju": (0.87, 0.90, 0.05),
    "jv": (0.83, 0.95, 0.07),
    "jw": (0.86, 0.82, 0.05),
    "jx": (0.83, 0.90, 0.07),
    "jy": (0.84, 0.95, 0.07),
    "jz": (0.80, 0.90, 0.09),
    "ka": (0.95, 0.90, 0.02),
    "kb": (0.67, 0.95, 0.17),
    "kc": (0.83, 0.90, 0.07),
    "kd": (0.91, 0.95, 0.04),
    "ke": (0.86, 0.82, 0.05),
    "kf": (0.83, 0.95, 0.07),
    "kg": (0.81, 0.90, 0.09),
    "kh": (0.84, 0.95, 0.07),
    "ki": (0.83, 0.90, 0.07),
    "kj": (0.83, 0.95, 0.07),
    "kk": (0.77, 0.95, 0.10),
    "kl": (0.77, 0.86, 0.10),
    "km": (0.87, 0.95, 0.05),
    "kn": (0.83, 0.95, 0.07),
    "ko": (0.91, 0.95, 0.04),
    "kp": (0.91, 0.95, 0.04),
    "kq": (0.95, 0.90, 0.02),
    "kr": (0.91, 0.95, 0.04),
    "ks": (0.80, 0.86, 0.09),
    "kt": (0.68, 0.86, 0.15),
    "ku": (0.87, 0.95, 0.05),
    "kv": (0.91, 0.95, 0.04),
    "kw": (0.84, 0.95, 0.07),
    "kx": (0.90, 0.90, 0.04),
    "ky": (0.91, 0.90, 0.04),
}
LONG_BODY_SEED = 20260106
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
EARLIER = timedelta(days=2)
BACKGROUND_PARAGRAPHS = (2, 5)


def among_background(
    pairs: list[tuple[dict[str, Any], Article]], rng: np.random.Generator
) -> list[Article]:
    """Each item's article as a long report tells it: its text among two to five paragraphs
    of background, the texts of the other rehash items of ``pairs`` published no later
    (which restate what was known by then: a later one may recount developments still to
    come), drawn with ``rng``; the headline and the id are kept."""
    pool = [
        (a.id, a.published, a.text.strip())
        for i, a in pairs
        if i["kind"] == "rehash" and a.text.strip()
    ]
    padded = []
    for _, article in pairs:
        texts = [
            text
            for source, published, text in pool
            if source != article.id and _no_later(published, article.published)
        ]
        padded.append(_among(article, texts, rng))
    return padded


def among_earlier_developments(
    pairs: list[tuple[dict[str, Any], Article]], rng: np.random.Generator
) -> list[Article]:
    """Each item's article as agency copy tells it, its earlier paragraphs repeated for
    background: its text among two to five texts of development items of other events
    published two days or more before it, drawn with ``rng``; headline and id kept."""
    pool = [
        (item["event"], article.published, article.text.strip())
        for item, article in pairs
        if item["kind"] == "development" and article.text.strip() and article.published
    ]
    padded = []
    for item, article in pairs:
        texts = [
            text
            for event, published, text in pool
            if event != item.get("event")
            and article.published is not None
            and published <= article.published - EARLIER
        ]
        padded.append(_among(article, texts, rng))
    return padded


def _among(article: Article, texts: list[str], rng: np.random.Generator) -> Article:
    """``article`` with its text among ``BACKGROUND_PARAGRAPHS`` of ``texts``, drawn with
    ``rng``, at a drawn place."""
    low, high = BACKGROUND_PARAGRAPHS
    count = min(len(texts), int(rng.integers(low, high + 1)))
    chosen = [texts[n] for n in rng.choice(len(texts), size=count, replace=False)]
    at = int(rng.integers(0, count + 1))
    own = [article.text.strip()] if article.text.strip() else []
    return replace(article, text="\n".join([*chosen[:at], *own, *chosen[at:]]))


def _no_later(published: datetime | None, than: datetime | None) -> bool:
    """Whether a text published at ``published`` was out by ``than`` (undated: it may be)."""
    return published is None or than is None or published <= than


def held_out() -> set[str]:
    """The letters listed in ``other-writers-held-out.txt`` (the training script reads it)."""
    lines = HELD_OUT_LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


@dataclass(frozen=True)
class Figures:
    precision: float
    event_recall: float
    quiet_alerted: int
    quiet: int
    second_alerts: int = 0  # alerts on an event beyond its first (one message per event)


def score(
    detector: Detector,
    labelled: list[dict[str, Any]],
    article_of: Callable[[dict[str, Any]], Article] = item_article,
) -> Figures:
    detector.book.reset([])
    detector.recent = RecentReports()  # nothing corroborates across sets
    by_id = {str(i["id"]): i for i in labelled}
    alerted = set()
    for article in in_published_order(article_of(i) for i in labelled):
        if any(alert.type == "alert" for alert in detector.examine(article)):
            alerted.add(article.id)
    developments = {i for i, item in by_id.items() if item["kind"] == "development"}
    events = {str(by_id[i]["event"]) for i in developments}
    reached = {str(by_id[i]["event"]) for i in alerted & developments}
    quiet = set(by_id) - developments
    return Figures(
        precision=len(alerted & developments) / max(1, len(alerted)),
        event_recall=len(reached) / max(1, len(events)),
        quiet_alerted=len(alerted & quiet),
        quiet=len(quiet),
        second_alerts=len(alerted & developments) - len(reached),
    )


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_other_writers_reports_alert_and_their_rehashes_stay_quiet(
    shipped_detector: Detector, path: Path
) -> None:
    letter = path.stem.removeprefix("other-writer-")
    precision, recall, quiet_share = HELD_OUT_BARS.get(letter, TRAINED_BARS)
    figures = score(shipped_detector, read_labelled(path))
    assert figures.precision >= precision, figures
    assert figures.event_recall >= recall, figures
    assert figures.quiet_alerted <= quiet_share * figures.quiet, figures
    assert figures.second_alerts <= SECOND_ALERTS.get(letter, 0), figures


@pytest.mark.parametrize("letter", sorted(HEADLINE_ONLY_BARS))
def test_held_out_headlines_alone_alert_and_their_rehashes_stay_quiet(
    shipped_detector: Detector, letter: str
) -> None:
    """A feed that carries headlines alone: each held-out set without summaries or bodies."""
    precision, recall, quiet_share = HEADLINE_ONLY_BARS[letter]
    labelled = read_labelled(FIXTURES / f"other-writer-{letter}.jsonl")
    figures = score(shipped_detector, [{**i, "summary": "", "content": ""} for i in labelled])
    assert figures.precision >= precision, figures
    assert figures.event_recall >= recall, figures
    assert figures.quiet_alerted <= quiet_share * figures.quiet, figures


@pytest.mark.parametrize("letter", sorted(LONG_BODY_BARS))
def test_held_out_reports_told_among_background_alert_and_their_rehashes_stay_quiet(
    shipped_detector: Detector, letter: str
) -> None:
    """A development told once in a long body of background is still a development."""
    precision, recall, quiet_share = LONG_BODY_BARS[letter]
    labelled = read_labelled(FIXTURES / f"other-writer-{letter}.jsonl")
    pairs = [(item, item_article(item)) for item in labelled]
    rng = np.random.default_rng(LONG_BODY_SEED)
    padded = {a.id: a for a in among_background(pairs, rng)}
    figures = score(shipped_detector, labelled, lambda item: padded[str(item["id"])])
    assert figures.precision >= precision, figures
    assert figures.event_recall >= recall, figures
    assert figures.quiet_alerted <= quiet_share * figures.quiet, figures


@pytest.mark.parametrize("letter", sorted(EARLIER_BARS))
def test_held_out_reports_that_repeat_earlier_reports_alert_and_their_rehashes_stay_quiet(
    shipped_detector: Detector, letter: str
) -> None:
    """Paragraphs of reports the story alerted on days before, repeated as background, are
    not news of their own and do not take a new development's place."""
    precision, recall, quiet_share = EARLIER_BARS[letter]
    labelled = read_labelled(FIXTURES / f"other-writer-{letter}.jsonl")
    pairs = [(item, item_article(item)) for item in labelled]
    rng = np.random.default_rng(LONG_BODY_SEED)
    padded = {a.id: a for a in among_earlier_developments(pairs, rng)}
    figures = score(shipped_detector, labelled, lambda item: padded[str(item["id"])])
    assert figures.precision >= precision, figures
    assert figures.event_recall >= recall, figures
    assert figures.quiet_alerted <= quiet_share * figures.quiet, figures


def test_a_development_told_over_paragraphs_of_background_is_read_in_its_passage(
    shipped_detector: Detector,
) -> None:
    """A headline reporting a truce over two paragraphs of another writer's background (the
    January positions told again) scored 0.18 as a whole and sent nothing; read in the
    passage the model is surest of, it is a ceasefire. The same paragraphs under a headline
    that reports nothing stay quiet, with no passage. ``rules explain`` says where it read."""
    items = read_labelled(FIXTURES / "other-writer-dg.jsonl")
    rehashes = [item_article(i).text for i in items if i["kind"] == "rehash" and i.get("content")]
    background = "\n".join(rehashes[:2])
    truce = "RUSSIA, UKRAINE AGREE 30-DAY HALT TO STRIKES ON ENERGY SITES, WHITE HOUSE SAYS"
    shipped_detector.book.reset([])
    assessment = shipped_detector.assess(
        Article(id="t1", feed="test", title=truce, text=background, published=T0)
    )
    assert assessment.alerts and assessment.passage is not None
    assert [v.rule for v in assessment.holding] == ["ceasefire", "new-development"]
    assert assessment.development.probability >= PASSAGE_SURE
    start, end = assessment.passage
    shown = assessment_text(assessment, truce, [])
    assert f"read in the headline with sentences {start} to {end - 1}" in shown
    assert assessment_payload(assessment, truce, [])["passage"] == [start, end]
    quiet_title = "Kyiv notebook: another week"
    quiet = shipped_detector.assess(
        Article(id="t2", feed="test", title=quiet_title, text=background, published=T0)
    )
    assert not quiet.alerts and quiet.passage is None


def test_every_held_out_set_has_its_bar_and_exists() -> None:
    letters = {p.stem.removeprefix("other-writer-") for p in SETS}
    assert len(SETS) == 311
    assert held_out() == set(HELD_OUT_BARS) == set(HEADLINE_ONLY_BARS) == set(LONG_BODY_BARS)
    assert set(EARLIER_BARS) == held_out()
    assert held_out() < letters
