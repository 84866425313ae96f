"""The story in a real browser: headless Chromium against the running daemon.

Skipped when Debian's chromium is not installed (``apt-get install chromium``; ``.ci/run``
installs it where it runs as root). Screenshots are written to the test's ``tmp_path``.
"""

from __future__ import annotations

import asyncio
import html
import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from starlette.responses import HTMLResponse

from monitor.app import Service
from monitor.demo import DemoFeeds, answering, load_timeline
from monitor.models import Alert, Article, Evidence
from monitor.sources.parse import parse_feed
from monitor.web.guard import CONTENT_SECURITY_POLICY
from monitor.web.serve import AsgiServer
from tests.conftest import SHARED
from tests.helpers import make_rules, record_alerts, settings_for
from tests.test_service import until
from tests.web.chromium import CHROMIUM, Chromium

SANITIZE = SHARED / "corpora" / "feedparser-tests" / "tests" / "wellformed" / "sanitize"
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is absent: install Debian's package (apt-get install chromium)",
)
PAGES = ("/", "/feeds", "/deliveries", "/rules")
# What the page itself is made of; anything else in the DOM came from a feed.
OUR_TAGS = (
    "html head meta title link body header strong nav a small main h1 h2 form label select "
    "option button input article p span code ol li b table thead tbody tr th td br"
).split()


def _rules(tmp_path: Path, feeds_url: str) -> None:
    make_rules(
        tmp_path,
        {name: f"{feeds_url}/{name}.xml" for name in ("demo-wire", "demo-desk")},
        interval="1s",
    )


@needs_chromium
def test_story_page_follows_the_timeline_by_itself(tmp_path: Path) -> None:
    steps = load_timeline()
    feeds = DemoFeeds()
    settings = settings_for(
        tmp_path,
        health_bind="127.0.0.1:0",
        delivery_interval_seconds=0.2,
        web_refresh_seconds=1,
        max_entry_age_hours=0,  # the demo timeline is history (January 2026): examine it all
    )

    async def scenario() -> None:
        feed_server = AsgiServer("127.0.0.1", 0, answering(feeds.respond, "GET"))
        await feed_server.start()
        _rules(tmp_path, feed_server.url)
        service = Service.build(settings)
        task = asyncio.create_task(service.serve())
        try:
            await until(lambda: service.health is not None and service.health.port != 0)
            assert service.health is not None
            for step in steps[:3]:  # up to and including the Commons vote
                feeds.publish(step.items)
            await until(lambda: service.store.alert_count() >= 1)
            vote = service.store.alert_records()[0].payload
            assert vote["rules"][0] == "uk-parliament-vote"
            evidence = vote["evidence"][0]
            async with Chromium(tmp_path) as browser:
                await browser.open(service.health.url + "/")
                first = await browser.wait_for_text(
                    vote["entry"]["title"],
                    evidence["sentence"],
                    evidence["nearest_claim"],
                    "uk-parliament-vote",
                    "first alert",
                )
                assert "Kremlin says neutral peacekeepers" not in first
                await browser.screenshot(tmp_path / "story-commons-vote.png")
                # The next development arrives; the page shows it without being opened again.
                feeds.publish(steps[3].items)
                later = await browser.wait_for_text(
                    "Kremlin says neutral peacekeepers could be discussed",
                    "russia-position-change",
                    seconds=60,
                )
                assert later.index("Kremlin says neutral") < later.index("Commons backs sending")
                assert "confirmed by 2 independent outlets" in later
                await browser.screenshot(tmp_path / "story-moscow-shift.png")
                await browser.open(service.health.url + "/feeds")
                await browser.wait_for_text("demo-wire", "demo-desk", "healthy")
                await browser.screenshot(tmp_path / "feeds.png")
                await browser.open(service.health.url + "/deliveries")
                await browser.wait_for_text("console", "Failures and retries")
                await browser.screenshot(tmp_path / "deliveries.png")
                assert browser.dialogs == [] and browser.errors == []
        finally:
            service.daemon.stop()
            await asyncio.wait_for(task, 20)
            await service.aclose()
            await feed_server.close()

    asyncio.run(scenario())
    for name in ("story-commons-vote.png", "story-moscow-shift.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")


def _hostile_alerts() -> list[Alert]:
    """Every sanitize file as an article: feedparser's parse, and the raw markup unescaped."""
    alerts = []
    for path in sorted(SANITIZE.glob("*.xml")):
        raw = html.unescape(path.read_text("utf-8", errors="replace"))
        parsed = parse_feed(path.read_bytes(), path.stem)
        for article in parsed.articles or [Article(path.stem, path.stem, raw, "")]:
            hostile = Article(
                f"{path.stem}-{len(alerts)}",
                article.feed,
                raw[-300:],
                article.text,
                raw if "javascript" in raw or "href" in raw else article.link,
                article.published,
            )
            evidence = (
                Evidence(raw, 0.9, article.title or raw, 0.1),
                Evidence(article.text[:1000] or article.title, 0.8, parsed.title, 0.2),
            )
            alerts.append(
                Alert(
                    "alert",
                    "new-development",
                    f"hostile-{len(alerts)}",
                    "high",
                    hostile,
                    0.9,
                    evidence,
                    description=raw[:200],
                    rules=("new-development", raw[:80]),
                )
            )
    return alerts


@needs_chromium
@pytest.mark.skipif(not SANITIZE.is_dir(), reason="shared feedparser corpus not present")
def test_hostile_articles_stay_text_in_the_browser(tmp_path: Path) -> None:
    make_rules(tmp_path, {})
    settings = settings_for(tmp_path, health_bind="127.0.0.1:0", web_refresh_seconds=600)
    alerts = _hostile_alerts()
    assert len(alerts) >= len(list(SANITIZE.glob("*.xml"))) > 700

    async def scenario() -> None:
        service = Service.build(settings)
        record_alerts(service.store, alerts, datetime.now(UTC))
        task = asyncio.create_task(service.serve())
        try:
            await until(lambda: service.health is not None and service.health.port != 0)
            assert service.health is not None
            base = service.health.url
            async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                for path in (*PAGES, "/api/story", "/api/feeds", "/api/deliveries", "/api/rules"):
                    response = await client.get(path)
                    assert response.status_code == 200, path
                    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
                story = (await client.get("/api/story")).json()
            assert len(story["developments"]) == len(alerts)
            async with Chromium(tmp_path) as browser:
                for path in PAGES:
                    await browser.open(base + path)
                    found = json.loads(
                        await browser.evaluate(
                            "JSON.stringify({"
                            "tags: [...new Set([...document.querySelectorAll('*')]"
                            ".map(e => e.localName))],"
                            "handlers: [...document.querySelectorAll('*')].filter(e =>"
                            " [...e.attributes].some(a => a.name.startsWith('on'))).length,"
                            "links: [...document.querySelectorAll('[href],[src],[action]')]"
                            ".map(e => e.href || e.src || e.action)})"
                        )
                    )
                    assert set(found["tags"]) <= set(OUR_TAGS), (path, found["tags"])
                    assert found["handlers"] == 0, path
                    assert all(
                        link.startswith(("http://", "https://")) for link in found["links"]
                    ), path
                text = await browser.text()  # /rules: the last page opened
                assert "new-development" in text
                await browser.open(base + "/")
                story_text = await browser.wait_for_text("<script", seconds=60)
                assert "javascript:" in story_text  # hostile links shown as text, not links
                assert browser.dialogs == [], browser.dialogs[:5]
                assert browser.errors == [], browser.errors[:5]
                await browser.screenshot(tmp_path / "story-hostile.png", whole_page=False)
        finally:
            service.daemon.stop()
            await asyncio.wait_for(task, 20)
            await service.aclose()

    asyncio.run(scenario())


@needs_chromium
def test_another_site_cannot_judge_alerts_with_the_readers_login(tmp_path: Path) -> None:
    """A reader logged in to the pages (HTTP Basic, the web token as password) visits
    another site, whose page posts a form to /api/feedback: the browser sends the cached
    login along, and nothing may be recorded."""
    token = "s3cret-web-token-for-tests"
    make_rules(tmp_path, {})
    settings = settings_for(tmp_path, health_bind="0.0.0.0:0", web_token=token)
    article = Article("vote-1", "wire", "Commons backs troops", "", "", datetime.now(UTC))
    vote = Alert(
        "alert",
        "uk-parliament-vote",
        "d-vote",
        "high",
        article,
        0.9,
        (Evidence("MPs voted 401 to 60.", 0.8, "MPs would vote.", 0.4),),
    )

    async def scenario() -> None:
        service = Service.build(settings)
        record_alerts(service.store, [vote], datetime.now(UTC))
        task = asyncio.create_task(service.serve())
        attacker: AsgiServer | None = None
        try:
            await until(lambda: service.health is not None and service.health.port != 0)
            assert service.health is not None
            site = f"http://127.0.0.1:{service.health.port}"
            body = '{"alert": 1, "verdict": "wrong", "note": "'
            form = (
                f'<form method="post" action="{site}/api/feedback" enctype="text/plain">'
                f"<input name='{body}' value='\"}}'></form>"
                "<script>document.forms[0].submit()</script>"
            )

            async def respond(request: object) -> HTMLResponse:
                return HTMLResponse(form)

            attacker = AsgiServer("127.0.0.1", 0, answering(respond, "GET"))
            await attacker.start()
            async with Chromium(tmp_path) as browser:
                login = f"http://reader:{token}@127.0.0.1:{service.health.port}/"
                await browser.send("Page.navigate", url=login)  # as typed into the prompt
                await browser.wait_for_text("Story", "Commons backs troops")
                await browser.send("Page.navigate", url=f"http://localhost:{attacker.port}/")
                answer = ""
                async with asyncio.timeout(30):  # the form is posted; its answer is shown
                    while '"alert"' not in answer and '"error"' not in answer:
                        await asyncio.sleep(0.1)
                        answer = await browser.text()
            assert service.store.feedback() == [], answer
            assert "sign the body" in answer
        finally:
            service.daemon.stop()
            await asyncio.wait_for(task, 20)
            await service.aclose()
            if attacker is not None:
                await attacker.close()

    asyncio.run(scenario())


@needs_chromium
def test_a_note_being_written_survives_the_pages_refresh(tmp_path: Path) -> None:
    """The Story page reloads itself; a note is written where nothing reloads, then kept."""
    make_rules(tmp_path, {})
    settings = settings_for(tmp_path, health_bind="127.0.0.1:0", web_refresh_seconds=1)
    article = Article("vote-1", "wire", "Commons backs troops", "", "", datetime.now(UTC))
    evidence = (Evidence("MPs voted 401 to 60.", 0.8, "MPs would vote.", 0.4),)
    vote = Alert("alert", "uk-parliament-vote", "d-vote", "high", article, 0.9, evidence)
    note = "a recap of the Paris pledge, not a vote"

    async def scenario() -> None:
        service = Service.build(settings)
        record_alerts(service.store, [vote], datetime.now(UTC))
        task = asyncio.create_task(service.serve())
        try:
            await until(lambda: service.health is not None and service.health.port != 0)
            assert service.health is not None
            async with Chromium(tmp_path) as browser:
                await browser.open(service.health.url + "/?period=7d")
                await browser.wait_for_text("Commons backs troops")
                fields = "document.querySelectorAll('input[type=text], textarea').length"
                assert await browser.evaluate(fields) == 0, "typing on a page that reloads"
                await browser.evaluate("document.querySelector('a.note').click()")
                await browser.wait_for_text("right or wrong?", "Commons backs troops")
                await browser.evaluate(
                    "window.loaded = true; document.querySelector('[name=note]').focus()"
                )
                await browser.send("Input.insertText", text=note)
                for _ in range(30):  # three times the Story page's refresh: no reload here
                    await asyncio.sleep(0.1)
                    assert await browser.evaluate("window.loaded === true")
                assert await browser.evaluate("document.querySelector('[name=note]').value") == note
                await browser.evaluate("document.querySelector('button[value=wrong]').click()")
                await browser.wait_for_text("marked wrong")
                assert await browser.evaluate("location.search") == "?period=7d"
                assert await browser.evaluate("location.hash") == "#dev-d-vote"
                assert browser.dialogs == [] and browser.errors == []
            judged = [(f.verdict, f.note) for f in service.store.feedback()]
            assert judged == [("wrong", note)]
        finally:
            service.daemon.stop()
            await asyncio.wait_for(task, 20)
            await service.aclose()

    asyncio.run(scenario())
