"""Feedback over HTTP against the real daemon: the Story page's buttons, a signed e-mail
link, and a webhook receiver's signed post; off loopback, with the web token set."""

from __future__ import annotations

import asyncio
import base64
import html
import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from pydantic import SecretStr
from starlette.testclient import TestClient

from monitor.feedback_links import LINK_DAYS, FeedbackLinks, FeedbackSigner
from monitor.metrics import Metrics
from monitor.models import Alert, Article, Evidence
from monitor.notify.email import email_message
from monitor.notify.webhook import signature
from monitor.ruleset import load_ruleset
from monitor.store import Store, open_store
from monitor.web.site import build_site
from monitor.web.views import WebSources
from tests.conftest import RULES
from tests.helpers import record_alerts, settings_for
from tests.web.test_web_site import TOKEN, serving_site, with_service

KEY = "feedback-signing-key-for-tests"
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def vote_alert() -> Alert:
    article = Article("vote-1", "wire", "Commons backs troops", "MPs voted.", "", NOW)
    evidence = (Evidence("MPs voted 401 to 60.", 0.8, "MPs would vote.", 0.4),)
    return Alert("alert", "uk-parliament-vote", "d-vote", "high", article, 0.9, evidence)


def judgments(tmp_path: Path) -> list[tuple[str, str, str, str]]:
    store = open_store(settings_for(tmp_path).database_path)
    try:
        return [(f.verdict, f.author, f.via, f.note) for f in store.feedback()]
    finally:
        store.close()


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWS_MONITOR_FEEDBACK_KEY", KEY)
    store = open_store(settings_for(tmp_path).database_path)
    record_alerts(store, [vote_alert()], NOW)
    store.close()
    return tmp_path


def test_the_story_page_marks_alerts(recorded: Path) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        page = (await client.get("/", headers=BEARER)).text
        assert 'action="/story/feedback"' in page and 'name="alert" value="1"' in page
        form = {"alert": "1", "verdict": "wrong", "note": "a recap"}
        same = {**BEARER, "Sec-Fetch-Site": "same-origin"}
        assert (await client.post("/story/feedback", data=form)).status_code == 401
        cross = {**BEARER, "Sec-Fetch-Site": "cross-site"}
        assert (await client.post("/story/feedback", data=form, headers=cross)).status_code == 403
        foreign = {**BEARER, "Origin": "https://elsewhere.example"}
        assert (await client.post("/story/feedback", data=form, headers=foreign)).status_code == 403
        done = await client.post("/story/feedback", data=form, headers=same)
        assert done.status_code == 303 and done.headers["location"] == "/"
        missing = {**form, "alert": "42"}
        assert (await client.post("/story/feedback", data=missing, headers=same)).status_code == 404
        assert "marked wrong" in (await client.get("/", headers=BEARER)).text
        metrics = (await client.get("/metrics")).text
        assert 'news_monitor_feedback_total{verdict="wrong"} 1.0' in metrics

    with_service(recorded, check, health_bind="0.0.0.0:0", web_token=TOKEN)
    assert judgments(recorded) == [("wrong", "web", "web", "a recap")]


def test_a_signed_email_link_asks_then_records(recorded: Path) -> None:
    links = FeedbackLinks("https://monitor.example.org", FeedbackSigner(SecretStr(KEY)))
    message = email_message(vote_alert(), "a@example.org", ["b@example.org"], links)
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content()
    assert "Mark it right</a>" in html.get_content()
    found = re.findall(r"Mark it (right|wrong): (\S+)", text)
    assert [v for v, _ in found] == ["right", "wrong"]
    url = urlsplit(dict(found)["right"])
    link = f"{url.path}?{url.query}"

    async def check(client: httpx.AsyncClient) -> None:
        asked = await client.get(link)  # no token: the signature is the credential
        assert asked.status_code == 200 and "Was this alert right?" in asked.text
        assert judgments(recorded) == [], "following the link records nothing"
        altered = link.replace("/feedback/right", "/feedback/wrong")
        assert (await client.get(altered)).status_code == 400
        other = link.replace("alert=", "alert=x")
        assert (await client.get(other)).status_code == 400
        key, sig = vote_alert().idempotency_key, link.split("sig=")[1]
        form = {"alert": key, "sig": sig, "note": "yes, a vote"}
        done = await client.post(url.path, data=form)
        assert done.status_code == 200 and "marked <b>right</b>" in done.text
        assert (await client.get("/")).status_code == 401, "the pages still need the token"

    with_service(recorded, check, health_bind="0.0.0.0:0", web_token=TOKEN)
    assert judgments(recorded) == [("right", "e-mail link", "link", "yes, a vote")]


def test_a_receiver_posts_signed_feedback(recorded: Path) -> None:
    def signed(body: bytes, stamp: str, key: str = KEY) -> dict[str, str]:
        return {
            "X-News-Monitor-Timestamp": stamp,
            "X-News-Monitor-Signature": signature(key, stamp, body),
            "Content-Type": "application/json",
        }

    body = json.dumps({"key": vote_alert().idempotency_key, "verdict": "right", "by": "ops"})
    raw = body.encode()
    now = str(int(time.time()))

    async def check(client: httpx.AsyncClient) -> None:
        post = client.post
        assert (await post("/api/feedback", content=raw)).status_code == 401
        wrong_key = signed(raw, now, "another-key")
        assert (await post("/api/feedback", content=raw, headers=wrong_key)).status_code == 401
        stale = signed(raw, str(int(time.time()) - 3600))
        assert (await post("/api/feedback", content=raw, headers=stale)).status_code == 401
        done = await post("/api/feedback", content=raw, headers=signed(raw, now))
        assert done.status_code == 200 and done.json() == {"alert": 1, "verdict": "right"}
        by_token = json.dumps({"alert": 1, "verdict": "wrong", "note": "on reflection"})
        assert (await post("/api/feedback", content=by_token, headers=BEARER)).status_code == 200
        unknown = json.dumps({"alert": 9, "verdict": "wrong"})
        assert (await post("/api/feedback", content=unknown, headers=BEARER)).status_code == 404
        # the captured first post, replayed, cannot undo the later judgment
        again = await post("/api/feedback", content=raw, headers=signed(raw, now))
        assert again.status_code == 409
        # ids that are not whole numbers, keys that are not text: refused, never a 500
        for odd in (
            '{"alert": 1.9}',
            '{"alert": true}',
            '{"alert": 1e300}',
            '{"alert": 2e70}',
            '{"alert": "\u00b2"}',
            '{"key": ["a"]}',
            '{"key": {}}',
            "[1]",
            "Infinity",
        ):
            sent = odd[:-1] + ', "verdict": "wrong"}' if odd.startswith("{") else odd
            answer = await post("/api/feedback", content=sent, headers=BEARER)
            assert answer.status_code == 400, (odd, answer.status_code)
        accented = "\u00e9t\u00e9".encode()  # a header of bytes no ASCII comparison takes
        login = base64.b64encode(f"reader:{TOKEN}".encode()).decode()
        for foreign in (
            {"Authorization": f"Basic {login}"},  # a browser's login: any site's form sends it
            {**signed(raw, now), "X-News-Monitor-Signature": b"sha256=" + accented},
            {"Authorization": b"Bearer " + accented},
        ):
            answer = await post("/api/feedback", content=raw, headers=foreign)
            assert answer.status_code == 401, foreign

    with_service(recorded, check, health_bind="0.0.0.0:0", web_token=TOKEN)
    assert judgments(recorded) == [
        ("right", "ops", "webhook", ""),
        ("wrong", "webhook", "webhook", "on reflection"),
    ]


def test_a_new_feedback_key_is_taken_at_the_next_reload(
    recorded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = vote_alert().idempotency_key

    def link(secret: str) -> str:
        sig = FeedbackSigner(SecretStr(secret)).link_token(key, "right", int(time.time()))
        return f"/feedback/right?alert={key}&sig={sig}"

    async def scenario() -> None:
        async with serving_site(recorded) as (service, client):
            assert (await client.get(link(KEY))).status_code == 200
            monkeypatch.setenv("NEWS_MONITOR_FEEDBACK_KEY", "the-rotated-key")
            assert await service.reload()
            assert (await client.get(link("the-rotated-key"))).status_code == 200
            assert (await client.get(link(KEY))).status_code == 400

    asyncio.run(scenario())


def test_the_signed_link_page_loads_its_stylesheet_and_icon_without_the_token(
    recorded: Path,
) -> None:
    key = vote_alert().idempotency_key
    sig = FeedbackSigner(SecretStr(KEY)).link_token(key, "right", int(time.time()))

    async def check(client: httpx.AsyncClient) -> None:
        page = await client.get(f"/feedback/right?alert={key}&sig={sig}")
        assert page.status_code == 200 and "Was this alert right?" in page.text
        assets = re.findall(r'href="(/static/[^"]+)"', page.text)
        assert sorted(assets) == ["/static/favicon.svg", "/static/style.css"]
        for path in assets:
            # the reader of the e-mail has no token: a 401 here is a password prompt
            answer = await client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            assert "www-authenticate" not in answer.headers, path
        assert (await client.get("/static/nope.css")).status_code == 404
        for guarded in ("/", "/staticx", "/api/story"):
            assert (await client.get(guarded)).status_code == 401, guarded
        # an open prefix opens no other path: sent as is (httpx would remove the dots)
        for raw in ("/static/../api/story", "/static/%2e%2e/api/story", "/static/../../site.py"):
            reader, writer = await asyncio.open_connection("127.0.0.1", client.base_url.port)
            writer.write(f"GET {raw} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            status = (await reader.readline()).decode()
            writer.close()
            assert status.split()[1] == "404", (raw, status)

    with_service(recorded, check, health_bind="0.0.0.0:0", web_token=TOKEN)


def test_the_story_page_buttons_return_to_the_same_filter_and_development(
    recorded: Path,
) -> None:
    same = {**BEARER, "Sec-Fetch-Site": "same-origin"}
    filtered = "/?rule=uk-parliament-vote&period=30d"

    async def check(client: httpx.AsyncClient) -> None:
        page = (await client.get(filtered, headers=BEARER)).text
        back = re.findall(r'name="back" value="([^"]*)"', page)
        assert back == [f"{filtered.replace('&', '&amp;')}#dev-d-vote"]
        form = {"alert": "1", "verdict": "right", "back": html.unescape(back[0])}
        done = await client.post("/story/feedback", data=form, headers=same)
        assert done.status_code == 303
        assert done.headers["location"] == f"{filtered}#dev-d-vote"
        # only a place on the Story page: anything else goes back to the Story page
        for elsewhere in (
            "https://elsewhere.example/",
            "//elsewhere.example/",
            "/\\elsewhere.example",
            "javascript:alert(1)",
            "/feeds",
            "",
        ):
            form = {"alert": "1", "verdict": "wrong", "back": elsewhere}
            done = await client.post("/story/feedback", data=form, headers=same)
            assert (done.status_code, done.headers["location"]) == (303, "/"), elsewhere

    with_service(recorded, check, health_bind="0.0.0.0:0", web_token=TOKEN)


def test_the_note_page_asks_for_the_token_and_a_judgeable_alert(recorded: Path) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        page = "/story/feedback?alert=1&back=/%3Fperiod%3D7d%23dev-d-vote"
        assert (await client.get(page)).status_code == 401
        asked = await client.get(page, headers=BEARER)
        assert asked.status_code == 200 and "Commons backs troops" in asked.text
        assert 'http-equiv="refresh"' not in asked.text, "a note being typed is not reloaded"
        assert 'name="back" value="/?period=7d#dev-d-vote"' in asked.text
        elsewhere = await client.get("/story/feedback?alert=1&back=//x.example/", headers=BEARER)
        assert 'name="back" value="/"' in elsewhere.text
        for alert in ("2", "0", "x", "", "1.0", "99999999999999999999"):
            answer = await client.get(f"/story/feedback?alert={alert}", headers=BEARER)
            assert answer.status_code == 404, alert
        assert (await client.put("/story/feedback", headers=BEARER)).status_code == 405
        assert 'name="note" maxlength="1000"' in asked.text  # what is kept of a note
        same = {**BEARER, "Sec-Fetch-Site": "same-origin"}
        pasted = {"alert": "1", "verdict": "wrong", "note": "x" * 20_000}
        answer = await client.post("/story/feedback", data=pasted, headers=same)
        assert answer.status_code == 413 and "1,000 characters" in answer.text, answer.text

    with_service(recorded, check, health_bind="0.0.0.0:0", web_token=TOKEN)


def link_path(verdict: str, now: float | None = None) -> str:
    """The path and query of the e-mail link for the vote alert, made at ``now``."""
    links = FeedbackLinks("https://monitor.example.org", FeedbackSigner(SecretStr(KEY)))
    url = urlsplit(links.link(vote_alert().idempotency_key, verdict, now))
    return f"{url.path}?{url.query}"


def link_form(link: str, note: str = "") -> dict[str, str]:
    """What the confirm page posts for ``link``."""
    query = dict(part.split("=", 1) for part in urlsplit(link).query.split("&"))
    return {"alert": vote_alert().idempotency_key, "sig": query["sig"], "note": note}


def test_an_email_link_posted_again_does_not_undo_a_later_judgment(recorded: Path) -> None:
    """The desk follows the "right" link, then marks the alert wrong on the page: the old
    link posted again is answered as before but records nothing, so "wrong" stands (each
    post of the link added a row, and the latest counted)."""
    right = link_path("right")
    same = {**BEARER, "Sec-Fetch-Site": "same-origin"}

    async def check(client: httpx.AsyncClient) -> None:
        first = await client.post(right.split("?")[0], data=link_form(right))
        assert first.status_code == 200 and "marked <b>right</b>" in first.text
        page = {"alert": "1", "verdict": "wrong", "note": "a recap"}
        assert (await client.post("/story/feedback", data=page, headers=same)).status_code == 303
        again = await client.post(right.split("?")[0], data=link_form(right, "replayed"))
        assert again.status_code == 200 and "marked <b>right</b>" in again.text
        metrics = (await client.get("/metrics")).text
        assert 'news_monitor_feedback_total{verdict="right"} 1.0' in metrics

    with_service(recorded, check, health_bind="0.0.0.0:0", web_token=TOKEN)
    assert judgments(recorded) == [
        ("right", "e-mail link", "link", ""),
        ("wrong", "web", "web", "a recap"),
    ]
    store = open_store(settings_for(recorded).database_path)
    try:
        assert store.latest_feedback()[1].verdict == "wrong"
    finally:
        store.close()


def test_an_expired_email_link_gets_a_page_saying_so(recorded: Path) -> None:
    day = 86400.0
    expired = link_path("right", time.time() - (LINK_DAYS + 1) * day)
    fresh = link_path("right", time.time() - (LINK_DAYS - 1) * day)
    stamp, signed = link_form(expired)["sig"].split(".")
    prolonged = expired.replace(f"sig={stamp}.", f"sig={int(time.time())}.")

    async def check(client: httpx.AsyncClient) -> None:
        asked = await client.get(expired)
        assert asked.status_code == 410 and "This link has expired" in asked.text
        assert f"good for {LINK_DAYS} days" in asked.text
        posted = await client.post(expired.split("?")[0], data=link_form(expired))
        assert posted.status_code == 410 and "This link has expired" in posted.text
        assert (await client.get(fresh)).status_code == 200
        # the time is signed: a link cannot be made to last longer
        assert prolonged != expired and signed in prolonged
        assert (await client.get(prolonged)).status_code == 400

    with_service(recorded, check, health_bind="0.0.0.0:0", web_token=TOKEN)
    assert judgments(recorded) == []


@pytest.mark.parametrize("recorded_days_ago", [1, LINK_DAYS + 1])
def test_a_link_sent_before_links_carried_their_time_lasts_as_long_from_its_alert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded_days_ago: int
) -> None:
    """A link of an e-mail sent before links were timed (signed over key and verdict only)
    works for ``LINK_DAYS`` days after its alert was recorded, then gets the expired page."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWS_MONITOR_FEEDBACK_KEY", KEY)
    store = open_store(settings_for(tmp_path).database_path)
    alerted = datetime.now(UTC) - timedelta(days=recorded_days_ago)
    record_alerts(store, [vote_alert()], alerted)
    store.close()
    key = vote_alert().idempotency_key
    sig = FeedbackSigner(SecretStr(KEY)).link_token(key, "wrong")
    expired = recorded_days_ago > LINK_DAYS

    async def check(client: httpx.AsyncClient) -> None:
        asked = await client.get(f"/feedback/wrong?alert={key}&sig={sig}")
        assert asked.status_code == (410 if expired else 200)
        posted = await client.post("/feedback/wrong", data={"alert": key, "sig": sig})
        assert posted.status_code == (410 if expired else 200)
        assert ("This link has expired" in posted.text) == expired

    with_service(tmp_path, check, health_bind="0.0.0.0:0", web_token=TOKEN)
    assert judgments(tmp_path) == ([] if expired else [("wrong", "e-mail link", "link", "")])


def receiver_app(store: Store) -> TestClient:
    """The pages of a daemon just started on ``store`` (a restart, or another replica)."""
    signer = FeedbackSigner(SecretStr(KEY))
    sources = WebSources(store, lambda: load_ruleset(RULES), list, list, lambda _: None)
    site = build_site(list, Metrics(), sources, token=SecretStr(TOKEN), signer=lambda: signer)
    return TestClient(site, base_url="http://127.0.0.1")


def signed_post(client: TestClient, body: bytes, stamp: int) -> int:
    headers = {
        "X-News-Monitor-Timestamp": str(stamp),
        "X-News-Monitor-Signature": signature(KEY, str(stamp), body),
        "Content-Type": "application/json",
    }
    return client.post("/api/feedback", content=body, headers=headers).status_code


def test_a_signed_post_is_taken_once_across_restarts_and_replicas(
    state_location: Path | str,
) -> None:
    first, second = open_store(state_location), open_store(state_location)
    try:
        record_alerts(first, [vote_alert()], NOW)
        body = json.dumps({"alert": 1, "verdict": "wrong"}).encode()
        stamp = int(time.time())
        assert signed_post(receiver_app(first), body, stamp) == 200
        # the same post to a daemon started afresh on the state, and to another replica
        assert signed_post(receiver_app(first), body, stamp) == 409
        assert signed_post(receiver_app(second), body, stamp) == 409
        assert [f.verdict for f in second.feedback()] == ["wrong"]
        # another post (a new timestamp, so a new signature) is taken
        assert signed_post(receiver_app(second), body, stamp + 1) == 200
    finally:
        first.close()
        second.close()


def test_a_signed_post_dated_a_minute_ahead_is_refused(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state.db")
    try:
        record_alerts(store, [vote_alert()], NOW)
        body = json.dumps({"alert": 1, "verdict": "right"}).encode()
        assert signed_post(receiver_app(store), body, int(time.time()) + 60) == 401
        assert store.feedback() == []
    finally:
        store.close()


def test_a_signed_post_dated_a_little_ahead_is_taken_once(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state.db")
    try:
        record_alerts(store, [vote_alert()], NOW)
        body = json.dumps({"alert": 1, "verdict": "right"}).encode()
        stamp = int(time.time()) + 20  # the receiver's clock runs a little fast
        assert signed_post(receiver_app(store), body, stamp) == 200
        # remembered for as long as it stays fresh: a replay to a fresh daemon is refused
        assert signed_post(receiver_app(store), body, stamp) == 409
        assert [f.verdict for f in store.feedback()] == ["right"]
    finally:
        store.close()
