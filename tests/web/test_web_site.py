"""The web side against a real daemon and a real store: token, CSP, metrics, story data."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from monitor.app import Service
from monitor.models import Alert, Article, Evidence
from monitor.notify.render import DIGEST_RULE, SILENCE_SUMMARY_RULE
from monitor.ruleset import load_ruleset
from monitor.silences import hold_waiting
from monitor.store import Store, open_store
from monitor.web import views
from monitor.web.guard import CONTENT_SECURITY_POLICY
from monitor.web.views import WebSources
from tests.conftest import RULES
from tests.helpers import make_rules, record_alerts, settings_for
from tests.test_service import until

TOKEN = "s3cret-web-token-for-tests"
GUARDED = (
    "/",
    "/feeds",
    "/deliveries",
    "/rules",
    "/api/story",
    "/api/feeds",
    "/api/deliveries",
    "/api/rules",
)
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


@contextlib.asynccontextmanager
async def serving_site(
    tmp_path: Path, **settings: object
) -> AsyncIterator[tuple[Service, httpx.AsyncClient]]:
    """The daemon (no feeds) serving on 127.0.0.1 or 0.0.0.0, and a client of its pages."""
    make_rules(tmp_path, {})
    service = Service.build(settings_for(tmp_path, **settings))
    task = asyncio.create_task(service.serve())
    try:
        await until(lambda: service.health is not None and service.health.port != 0)
        assert service.health is not None
        base = f"http://127.0.0.1:{service.health.port}"
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            yield service, client
    finally:
        service.daemon.stop()
        await asyncio.wait_for(task, 20)
        await service.aclose()


def with_service(
    tmp_path: Path, check: Callable[[httpx.AsyncClient], Awaitable[None]], **settings: object
) -> None:
    """Run the daemon (no feeds) and ``check`` it over HTTP."""

    async def scenario() -> None:
        async with serving_site(tmp_path, **settings) as (_, client):
            await check(client)

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("token", "accepted"),
    [
        (TOKEN, ({"Authorization": f"Bearer {TOKEN}"},)),
        (
            TOKEN,
            ({"Authorization": "Basic " + base64.b64encode(f"any:{TOKEN}".encode()).decode()},),
        ),
        (None, ()),  # off loopback without a token: pages and API stay shut
        ("", ()),  # an empty token is no token
    ],
)
def test_off_loopback_pages_and_api_need_the_token(
    tmp_path: Path, token: str | None, accepted: tuple[dict[str, str], ...]
) -> None:
    refused = (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic !!!"},
        {"Authorization": "Basic " + base64.b64encode(TOKEN.encode()).decode()},  # no colon
    )

    async def check(client: httpx.AsyncClient) -> None:
        for path in GUARDED:
            for headers in refused:
                response = await client.get(path, headers=headers)
                assert response.status_code == 401, (path, headers)
                assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
                assert "Basic" in response.headers["www-authenticate"]
                assert TOKEN not in response.text
            for headers in accepted:
                assert (await client.get(path, headers=headers)).status_code == 200, path
        for path in ("/healthz", "/readyz", "/metrics"):
            assert (await client.get(path)).status_code == 200, path

    with_service(tmp_path, check, health_bind="0.0.0.0:0", web_token=token)


def test_loopback_pages_are_open_and_the_token_stays_secret(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        for path in GUARDED:
            response = await client.get(path)
            assert response.status_code == 200, path
            assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "<script" not in response.text
        assert (await client.post("/")).status_code == 405
        assert (await client.get("/nope")).status_code == 404

    with_service(tmp_path, check, health_bind="127.0.0.1:0", web_token=TOKEN)
    settings = settings_for(tmp_path, web_token=TOKEN)
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())


def test_metrics_parse_and_include_process_metrics(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        text = (await client.get("/metrics")).text
        names = {f.name for f in text_string_to_metric_families(text)}
        assert {"process_cpu_seconds", "process_resident_memory_bytes", "python_info"} <= names
        assert {"news_monitor_outbox_depth", "news_monitor_rules_valid"} <= names
        openmetrics = await client.get(
            "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"}
        )
        assert openmetrics.headers["content-type"].startswith("application/openmetrics-text")
        assert openmetrics.text.endswith("# EOF\n")

    with_service(tmp_path, check, health_bind="127.0.0.1:0")


def _alert(kind: str, dev: str, rules: tuple[str, ...], outlets: int, link: str, n: int) -> Alert:
    article = Article(f"e{n}", "wire", f"Report {n} <b>", "", link, NOW)
    evidence = (Evidence(f"Sentence {n}.", 0.7, f"Claim near {n}.", 0.3),)
    return Alert(
        kind,  # type: ignore[arg-type]
        rules[0],
        dev,
        "high",
        article,
        0.9,
        evidence,
        rules=rules,
        confidence=0.5 + n / 10,
        outlets=outlets,
    )


def _record(store: Store, alerts: list[Alert], when: datetime) -> None:
    record_alerts(store, alerts, when, ["console", "gone"])


def test_story_groups_reports_filters_and_keeps_only_web_links(tmp_path: Path) -> None:
    store = open_store(tmp_path / "state.db")
    vote = ("uk-parliament-vote", "new-development")
    _record(store, [_alert("alert", "d-old", ("ceasefire",), 1, "https://a.example/1", 1)], NOW)
    later = NOW + timedelta(days=3)
    _record(store, [_alert("alert", "d-vote", vote, 1, "javascript:alert(1)", 2)], later)
    _record(store, [_alert("update", "d-vote", vote, 2, "http://b.example/3", 3)], later)
    _record(store, [_alert("update", "d-vote", vote, 2, "ftp://c.example/4", 4)], later)
    ruleset = load_ruleset(RULES)
    sources = WebSources(store, lambda: ruleset, lambda: [], lambda: ["console"], lambda _: None)
    now = later + timedelta(hours=1)

    story = views.story(sources, now)
    assert [d.id for d in story.developments] == ["d-vote", "d-old"]
    vote_dev = story.developments[0]
    assert vote_dev.rules == list(vote) and vote_dev.outlets == 2
    assert [r.kind for r in vote_dev.reports] == ["update", "confirmation", "first alert"]
    assert [r.link for r in vote_dev.reports] == ["", "http://b.example/3", ""]
    assert vote_dev.reports[-1].evidence[0].nearest_claim == "Claim near 2."
    assert [d.id for d in views.story(sources, now, rule="ceasefire").developments] == ["d-old"]
    assert [d.id for d in views.story(sources, now, period="24h").developments] == ["d-vote"]
    assert views.story(sources, now, period="bogus").period == ""

    outbox = views.deliveries(sources)
    by_name = {c.name: c for c in outbox.channels}
    assert (by_name["console"].pending, by_name["console"].held) == (4, 0)
    assert (by_name["gone"].pending, by_name["gone"].held, by_name["gone"].configured) == (
        0,
        4,
        False,
    )
    fired = {r.id: r.last_fired for r in views.rules(sources).rules}
    assert fired["uk-parliament-vote"] == fired["new-development"] == later.isoformat()
    assert fired["ceasefire"] == NOW.isoformat() and fired["guarantees-ratified"] is None
    store.close()


def _notice(rule: str, key: str, title: str) -> Alert:
    """A notice news-monitor writes itself, as the digest and a silence's end do."""
    article = Article(key, "news-monitor", title, "", "", NOW)
    lines = (Evidence("uk-parliament-vote (new): Report 1 [reported by wire]", 0.0, "", 0.0),)
    return Alert("alert", rule, key, "info", article, 0.0, lines, description=f"{rule} notice")


def test_digests_and_silence_summaries_are_not_shown_as_developments(tmp_path: Path) -> None:
    store = open_store(settings_for(tmp_path).database_path)
    vote = _alert("alert", "d-vote", ("uk-parliament-vote",), 1, "https://a.example/1", 1)
    _record(store, [vote], NOW)
    notices = [
        _notice(DIGEST_RULE, "digest-console-20270310T1200Z", "Daily digest: 1 development"),
        _notice(SILENCE_SUMMARY_RULE, "silence-1", "Silence 1 (rule=x) has ended; it held 1"),
    ]
    for notice in notices:
        store.queue_alert(notice, ["console"], NOW + timedelta(minutes=5))
    store.close()

    async def check(client: httpx.AsyncClient) -> None:
        story = (await client.get("/api/story")).json()
        assert [d["id"] for d in story["developments"]] == ["d-vote"]
        page = (await client.get("/")).text
        assert "Report 1" in page
        for notice in notices:
            assert notice.article.title not in page
        # every Right/Wrong button the page offers is taken
        offered = re.findall(r'name="alert" value="(\d+)"', page)
        same = {"Sec-Fetch-Site": "same-origin"}
        for alert_id in offered:
            form = {"alert": alert_id, "verdict": "right"}
            answer = await client.post("/story/feedback", data=form, headers=same)
            assert answer.status_code == 303, (alert_id, answer.text)
        assert offered == ["1"]

    with_service(tmp_path, check, health_bind="127.0.0.1:0")


def _connections(postgres_url: str, allowed: bool) -> None:
    """Let clients into the database at ``postgres_url`` again, or shut them out (and end
    the connections it has): to its clients, the database has gone away."""
    import psycopg

    base, _, name = postgres_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )


def test_pages_say_the_state_database_is_unavailable_and_recover(
    tmp_path: Path, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        settings = {"health_bind": "127.0.0.1:0", "database_url": postgres_url}
        async with serving_site(tmp_path, **settings) as (_, client):
            assert (await client.get("/")).status_code == 200
            _connections(postgres_url, allowed=False)
            try:
                for path in ("/", "/feeds", "/deliveries", "/rules"):
                    page = await client.get(path)
                    assert page.status_code == 503, (path, page.text)
                    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
                    assert "state database" in page.text, path
                    # the open tab keeps refreshing, so it shows the page again by itself
                    assert f'http-equiv="refresh" content="10; url={path}"' in page.text
                for path in ("/api/story", "/api/feeds", "/api/deliveries", "/api/rules"):
                    answer = await client.get(path)
                    assert answer.status_code == 503, path
                    assert answer.json()["error"].startswith("state database"), path
                same = {"Sec-Fetch-Site": "same-origin"}
                form = {"alert": "1", "verdict": "right"}
                judged = await client.post("/story/feedback", data=form, headers=same)
                assert judged.status_code == 503 and "state database" in judged.text
            finally:
                _connections(postgres_url, allowed=True)
            assert (await client.get("/")).status_code == 200

    caplog.set_level(logging.INFO)
    asyncio.run(scenario())
    assert not [r for r in caplog.records if r.exc_info], "no traceback in the log"


@pytest.mark.parametrize("period", ["", "24h", "7d"])
def test_a_period_shows_whole_developments_with_their_first_report(
    state_location: Path | str, period: str
) -> None:
    store = open_store(state_location)
    rules = ("ceasefire",)
    start = NOW - timedelta(days=3)
    _record(store, [_alert("alert", "d-long", rules, 1, "", 1)], start)
    _record(store, [_alert("update", "d-long", rules, 2, "", 2)], start + timedelta(hours=1))
    _record(store, [_alert("update", "d-long", rules, 3, "", 3)], NOW - timedelta(hours=1))
    _record(store, [_alert("alert", "d-quiet", rules, 1, "", 4)], NOW - timedelta(days=2))
    ruleset = load_ruleset(RULES)
    sources = WebSources(store, lambda: ruleset, lambda: [], lambda: [], lambda _: None)

    story = views.story(sources, NOW, period=period)
    expected = ["d-long", "d-quiet"] if period != "24h" else ["d-long"]
    assert [d.id for d in story.developments] == expected
    long = story.developments[0]
    assert [r.kind for r in long.reports] == ["update", "confirmation", "first alert"]
    assert long.first_reported == start.isoformat()
    assert long.last_reported == (NOW - timedelta(hours=1)).isoformat()
    store.close()


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/", None),
        ("/api/story", None),
        ("/feeds", None),
        ("/api/deliveries", None),
        ("/readyz", None),
        ("/story/feedback", {"alert": "1", "verdict": "right"}),
    ],
)
def test_a_page_waiting_for_the_store_leaves_the_daemon_running(
    tmp_path: Path, path: str, form: dict[str, str] | None
) -> None:
    """A store call in flight (a long write, a slow PostgreSQL round trip) holds the store's
    lock; a page that waits for it must not hold the event loop, which runs the schedule,
    the deliveries and /healthz."""
    in_flight, release = threading.Event(), threading.Event()
    valve = threading.Timer(20, release.set)  # a held loop fails the test instead of hanging

    def long_call() -> None:
        in_flight.set()
        release.wait()

    async def scenario() -> None:
        async with serving_site(tmp_path, health_bind="127.0.0.1:0") as (service, client):
            busy = asyncio.create_task(service.store.run(long_call))
            await asyncio.to_thread(in_flight.wait, 10)
            valve.start()
            if form is None:
                page = asyncio.create_task(client.get(path))
            else:
                same = {"Sec-Fetch-Site": "same-origin"}
                page = asyncio.create_task(client.post(path, data=form, headers=same))
            for _ in range(50):  # the server takes the request and waits for the store
                await asyncio.sleep(0.01)
            assert (await client.get("/healthz")).status_code == 200
            assert not release.is_set(), "/healthz waited for the store's call to end"
            release.set()
            await busy
            assert (await page).status_code == (200 if form is None else 404), path

    try:
        asyncio.run(scenario())
    finally:
        release.set()
        valve.cancel()


def test_a_story_longer_than_the_page_says_what_it_leaves_out(tmp_path: Path) -> None:
    """The page shows the latest ``views.STORY_REPORTS`` reports; it says so when there are
    more, and a development whose first alert is left out does not claim a later report as
    its first."""
    store = open_store(settings_for(tmp_path).database_path)
    rules = ("ceasefire",)
    _record(store, [_alert("alert", "d-old", rules, 1, "", 0)], NOW - timedelta(days=9))
    start = NOW - timedelta(days=8)
    _record(store, [_alert("alert", "d-big", rules, 1, "", 1)], start)
    last = views.STORY_REPORTS + 1
    updates = [_alert("update", "d-big", rules, 1, "", n) for n in range(2, last + 1)]
    _record(store, updates, NOW - timedelta(days=1))
    _record(store, [_alert("alert", "d-new", rules, 1, "", last + 1)], NOW)
    ruleset = load_ruleset(RULES)
    sources = WebSources(store, lambda: ruleset, lambda: [], lambda: [], lambda _: None)

    story = views.story(sources, NOW)
    assert [d.id for d in story.developments] == ["d-new", "d-big"]
    assert story.older_reports_hidden
    new, big = story.developments
    assert not new.earlier_reports_hidden and big.earlier_reports_hidden
    assert len(big.reports) == views.STORY_REPORTS - 1
    assert "first alert" not in {r.kind for r in big.reports}
    store.close()

    async def check(client: httpx.AsyncClient) -> None:
        page = (await client.get("/")).text
        assert f"only the latest {views.STORY_REPORTS} reports are shown" in page
        assert "news-monitor alerts list" in page
        assert page.count("earlier reports not shown") == 1
        assert f"first reported {NOW.isoformat()}" in page  # d-new is whole
        assert (await client.get("/api/story")).json()["older_reports_hidden"] is True

    with_service(tmp_path, check, health_bind="127.0.0.1:0")


def _one_silenced(tmp_path: Path, count: int) -> int:
    """``count`` alerts (d-0, d-1, ...) queued for console, d-1's held back by a silence;
    the silence's id."""
    store = open_store(settings_for(tmp_path).database_path)
    alerts = [_alert("alert", f"d-{n}", ("ceasefire",), 1, "", n) for n in range(count)]
    record_alerts(store, alerts, NOW - timedelta(minutes=5), ["console"])
    silence = store.add_silence(
        "development", "d-1", NOW - timedelta(hours=1), NOW + timedelta(days=365), "quiet", "ops"
    )
    assert hold_waiting(store, silence, NOW) == 1
    store.close()
    return silence.id


def test_deliveries_a_silence_holds_are_counted(tmp_path: Path) -> None:
    _one_silenced(tmp_path, 3)

    async def check(client: httpx.AsyncClient) -> None:
        channels = (await client.get("/api/deliveries")).json()["channels"]
        console = next(c for c in channels if c["name"] == "console")
        assert (console["pending"], console["silenced"]) == (2, 1)
        page = (await client.get("/deliveries")).text
        assert "<th>silenced</th>" in page
        assert re.search(r"<td>console</td>\s*<td>2</td><td>0</td><td>1</td>", page), page

    with_service(tmp_path, check, health_bind="127.0.0.1:0")


def test_the_story_says_which_reports_a_silence_held_back(tmp_path: Path) -> None:
    silence = _one_silenced(tmp_path, 2)

    async def check(client: httpx.AsyncClient) -> None:
        story = (await client.get("/api/story")).json()
        held = {d["id"]: d["reports"][0]["silenced_by"] for d in story["developments"]}
        assert held == {"d-0": None, "d-1": silence}
        page = (await client.get("/")).text
        assert page.count(f"held back by silence {silence} (not sent where it still waited)") == 1

    with_service(tmp_path, check, health_bind="127.0.0.1:0")
