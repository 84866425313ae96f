"""The optional judge against a stand-in chat-completions server on 127.0.0.1: only
candidates are sent, its answers decide them, and every failure keeps the local decision."""

from __future__ import annotations

import errno
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from monitor.cli import main
from monitor.detect.engine import Detector
from monitor.detect.features import OFF_STORY
from monitor.detect.headline import packaged
from monitor.judge import Judge, JudgeSettings
from monitor.models import Alert, Article
from monitor.notify.email import email_message
from monitor.notify.render import alert_from_payload, alert_payload, alert_text
from monitor.notify.slack import slack_message
from monitor.replay import collect_feed_files, read_articles, replay
from monitor.ruleset import detector_options, load_ruleset
from monitor.settings import load_settings
from tests.chat_server import ChatServer, say_no, say_yes
from tests.conftest import ROOT, RULES
from tests.servers import serving

EXAMPLES = ROOT / "examples" / "feeds"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return read_articles(collect_feed_files([EXAMPLES]), lambda path, why: None)


def detector(judge: Judge | None = None) -> Detector:
    ruleset = load_ruleset(RULES)
    return Detector(ruleset.claims, ruleset.rules, judge=judge)


def judge_for(server: ChatServer, **overrides: Any) -> Judge:
    settings = {
        "url": server.url(),
        "model": "stand-in",
        "key": SecretStr("sk-test-key-123456"),
        "timeout": 0.5,
        "min_score": 0.0,
        "max_score": 1.0,
        **overrides,
    }
    return Judge(JudgeSettings(**settings))


def alerted(found: list[Alert]) -> set[str]:
    return {a.article.id for a in found if a.type == "alert"}


def test_only_candidates_are_sent(articles: list[Article]) -> None:
    local = detector()
    probabilities = {a.id: local.assess(a).development.probability for a in articles}
    low, high = 0.5, 1.0
    candidates = {i for i, p in probabilities.items() if low <= p <= high}
    assert candidates and len(candidates) < len(articles), probabilities
    with serving(ChatServer()) as server:
        judge = judge_for(server, min_score=low, max_score=high, max_chars=300)
        list(replay(articles, detector(judge)))
    sent = {a["title"] for a in server.articles()}
    assert sent == {a.title for a in articles if a.id in candidates}
    assert judge.counts["answered"] == len(candidates)
    request = server.requests[0]
    assert server.paths == ["/v1/chat/completions"] * len(candidates)
    assert server.headers[0]["Authorization"] == "Bearer sk-test-key-123456"
    assert request["model"] == "stand-in"
    schema = request["response_format"]["json_schema"]
    assert schema["strict"] is True
    assert schema["schema"]["required"] == ["development", "rule", "sentence", "reason"]
    content = json.loads(request["messages"][-1]["content"])
    assert {r["id"] for r in content["rules"]} >= {"uk-parliament-vote", "new-development"}
    assert all(r["description"] for r in content["rules"])
    assert content["known_claims"], "the nearest known claims go with the article"
    assert all(len(a["text"]) <= 300 for a in server.articles())


def test_answers_change_decisions(articles: list[Article]) -> None:
    local = alerted(list(replay(articles, detector())))
    assert local
    with serving(ChatServer(decide=say_no)) as server:
        vetoed = list(replay(articles, detector(judge_for(server))))
    assert vetoed == [], "the judge said no to every candidate, the fast path included"
    with serving(ChatServer(decide=say_yes)) as server:
        promoted = list(replay(articles, detector(judge_for(server))))
    assert alerted(promoted) > local, "articles the local detector let pass now alert"
    note = promoted[0].judge
    assert note is not None and note.reason == "it happened" and note.model == "stand-in"
    payload = alert_payload(promoted[0])
    assert payload["judge"]["reason"] == "it happened"
    assert alert_from_payload(payload).judge == note
    assert "judge stand-in: a new development: it happened" in alert_text(promoted[0])
    said = "judge stand-in: a new development: it happened"
    assert said in json.dumps(slack_message(promoted[0]))
    html = email_message(promoted[0], "a@example.org", ["b@example.org"]).get_body(("html",))
    assert html is not None and said in html.get_content()


def name_a_rule(content: dict[str, Any]) -> dict[str, Any]:
    return {"development": True, "rule": "no-such-rule", "sentence": "", "reason": "x"}


@pytest.mark.parametrize(
    ("mode", "decide", "outcome"),
    [
        ("hang", say_no, "timeout"),
        ("trickle", say_no, "timeout"),
        ("slow-headers", say_no, "timeout"),
        ("500", say_no, "error"),
        ("broken", say_no, "invalid"),
        ("offschema", say_no, "invalid"),
        ("nested", say_no, "invalid"),
        ("answer", name_a_rule, "invalid"),
    ],
)
def test_failures_keep_the_local_decision(
    articles: list[Article], mode: str, decide: Any, outcome: str
) -> None:
    local = alerted(list(replay(articles[:3], detector())))
    stalls = mode in ("hang", "trickle", "slow-headers")
    with serving(ChatServer(mode=mode, decide=decide)) as server:
        # a short deadline where the server stalls; room for a loaded machine where it answers
        judge = judge_for(server, timeout=0.3 if stalls else 5.0)
        found = list(replay(articles[:3], detector(judge)))
        # Detection finished while the server still held every request open: the judge
        # gave up on its own deadline rather than waiting for the server.
        still_waiting = not server.release.is_set()
        server.release.set()
    assert still_waiting and server.outlasted == 0
    assert local and alerted(found) == local
    assert judge.counts[outcome] == 3 and judge.counts["answered"] == 0
    assert all(a.judge is None for a in found)


def test_a_key_no_header_can_carry_keeps_the_local_decision(articles: list[Article]) -> None:
    local = alerted(list(replay(articles[:3], detector())))
    with serving(ChatServer(decide=say_no)) as server:
        judge = judge_for(server, key=SecretStr("sk-pasted\u2013key"))
        found = list(replay(articles[:3], detector(judge)))
    assert local and alerted(found) == local
    assert judge.counts["error"] == 3 and not server.requests


def test_budget_per_hour(articles: list[Article]) -> None:
    # the articles the judge is asked about: about the story, not packaged to retell it
    local_detector = detector()
    articles = [
        a for a in articles if local_detector.extractor.on_story(a) and packaged(a.title) is None
    ]
    now = [0.0]
    with serving(ChatServer(decide=say_no)) as server:
        judge = judge_for(server, calls_per_hour=2)
        judge.clock = lambda: now[0]
        found = list(replay(articles[:4], detector(judge)))
        assert len(server.requests) == 2 and judge.counts["budget"] == 2
        now[0] = 3600.0  # an hour later the budget is back
        list(replay(articles[4:5], detector(judge)))
    assert len(server.requests) == 3
    local = alerted(list(replay(articles[:4], detector())))
    asked = {a["title"] for a in server.articles()[:2]}
    assert alerted(found) == local - {a.id for a in articles if a.title in asked}


def refuse_connections(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_nothing_is_sent_when_no_judge_is_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv("NEWS_MONITOR_JUDGE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    assert "judge" not in detector_options(load_settings(rules_dir=RULES))
    refuse_connections(monkeypatch, AssertionError("detection opened a network connection"))
    assert main(["--rules", str(RULES), "replay", "--format", "jsonl", str(EXAMPLES)]) == 0
    out, err = capsys.readouterr()
    assert out and "judge" not in err
    assert all("judge" not in json.loads(line) for line in out.splitlines())


def test_replay_honours_the_judge_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWS_MONITOR_JUDGE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("NEWS_MONITOR_JUDGE_MODEL", "stand-in")
    monkeypatch.setenv("NEWS_MONITOR_JUDGE_KEY", "sk-never-shown-98765")
    refuse_connections(monkeypatch, ConnectionRefusedError(errno.ECONNREFUSED, "refused"))
    assert main(["--rules", str(RULES), "replay", str(EXAMPLES)]) == 0
    out, err = capsys.readouterr()
    assert "[NEW]" in out, "the local decision stands"
    assert "replay: judge: 0 answered" in err and "error" in err
    assert "sk-never-shown" not in out + err


def test_the_daemon_asks_the_judge_and_counts_its_calls(tmp_path: Path) -> None:
    import asyncio

    from monitor.app import Service
    from tests.helpers import REHASH_ITEM, VOTE_ITEM, make_rules, settings_for
    from tests.servers import FeedServer, rss

    with serving(ChatServer(mode="500")) as server, serving(FeedServer()) as feeds:
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM, VOTE_ITEM])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")})
        settings = settings_for(
            tmp_path, judge_url=server.url(), judge_model="m", max_entry_age_hours=0
        )

        async def scenario() -> tuple[int, str]:
            service = Service.build(settings)
            try:
                await service.daemon.run_once()
                exposed = service.metrics.exposition(None)[0].decode()
                judge = service.detector.judge
                assert await service.reload() and service.detector.judge is not judge
                assert judge is not None and service.detector.judge is not None
                assert service.detector.judge.budget is judge.budget, "a reload keeps the hour"
                return service.store.alert_count(), exposed
            finally:
                await service.aclose()

        alerts, exposed = asyncio.run(scenario())
    assert alerts == 1, "the judge failed: the local decision (the vote) stands"
    assert 'news_monitor_judge_calls_total{outcome="error"}' in exposed
    assert len(server.requests) >= 1


def test_rules_explain_shows_what_the_judge_decided(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    text = "MPs voted 401 to 60 to approve the deployment of British troops to Ukraine."
    assert main(["--rules", str(RULES), "rules", "explain", "--text", text]) == 0
    assert "article: ALERTS" in capsys.readouterr().out
    with serving(ChatServer(decide=say_no)) as server:
        monkeypatch.setenv("NEWS_MONITOR_JUDGE_URL", server.url())
        monkeypatch.setenv("NEWS_MONITOR_JUDGE_MODEL", "stand-in")
        monkeypatch.setenv("NEWS_MONITOR_JUDGE_MIN_SCORE", "0")
        assert main(["--rules", str(RULES), "rules", "explain", "--text", text]) == 0
        out = capsys.readouterr().out
        assert main(["--rules", str(RULES), "rules", "explain", "--json", "--text", text]) == 0
        payload = json.loads(capsys.readouterr().out)
    assert "article: quiet" in out
    assert "judge stand-in: not a new development: nothing new (this decides" in out
    assert payload["alerts"] is False and payload["judge"]["reason"] == "nothing new"


def test_articles_off_the_story_are_not_sent() -> None:
    football = Article(
        "football-1",
        "sport",
        "Arsenal beat Chelsea 2-0 at the Emirates",
        "Two second-half goals settled the London derby on Saturday afternoon.",
    )
    with serving(ChatServer()) as server:
        judge = judge_for(server)
        checked = detector(judge)
        assert checked.extractor.relevance(football) < OFF_STORY
        assert not checked.assess(football).alerts
        assert checked.examine(football) == []
    assert server.requests == [] and judge.counts["answered"] == 0


def test_pieces_packaged_to_retell_the_story_are_not_sent() -> None:
    recap = Article(
        "recap-1",
        "wire",
        "2027 in review: the year the Commons said yes",
        "MPs voted 380 to 95 to approve sending British troops to Ukraine.",
    )
    with serving(ChatServer(say_yes)) as server:
        judge = judge_for(server)
        checked = detector(judge)
        assert not checked.assess(recap).alerts
        assert checked.examine(recap) == []
    assert server.requests == [] and judge.counts["answered"] == 0
