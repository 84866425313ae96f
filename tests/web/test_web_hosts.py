"""DNS rebinding against the pages on loopback, with the real daemon: a request named for
another host (a hostile page whose own name resolves to 127.0.0.1) is refused without the
token; loopback names, allowed names and the public URL's host are served; the open paths
answer whatever the name, as the image's HEALTHCHECK calls them."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

import httpx
import pytest

from monitor.settings import Settings
from monitor.web.guard import CONTENT_SECURITY_POLICY, host_name
from tests.web.test_web_site import GUARDED, TOKEN, serving_site, with_service

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = "monitor.lan, Proxy.Example.org:8443"
PUBLIC = "https://news.example.org/monitor"

SERVED = (
    "127.0.0.1:{port}",
    "127.0.0.1",
    "127.0.0.5:{port}",
    "localhost:{port}",
    "LOCALHOST",
    "localhost.:{port}",
    "[::1]:{port}",
    "monitor.lan",
    "monitor.lan:9000",
    "proxy.example.org",
    "news.example.org",
)
REFUSED = (
    "evil.example:{port}",
    "evil.example",
    "127.0.0.1.evil.example:{port}",
    "localhost.evil.example",
    "monitor.lan.evil.example",
    "0.0.0.0:{port}",
    "[::2]:{port}",
    "10.0.0.7:{port}",
)


def served(client: httpx.AsyncClient) -> int:
    return int(str(client.base_url).rsplit(":", 1)[1].rstrip("/"))


def test_on_loopback_pages_answer_only_to_this_machines_names(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        port = served(client)
        for path in GUARDED:
            for host in SERVED:
                response = await client.get(path, headers={"Host": host.format(port=port)})
                assert response.status_code == 200, (path, host)
            for host in REFUSED:
                response = await client.get(path, headers={"Host": host.format(port=port)})
                assert response.status_code == 421, (path, host)
                assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
                assert "NEWS_MONITOR_WEB_ALLOWED_HOSTS" in response.text
                assert TOKEN not in response.text
        judged = await client.post(
            "/story/feedback",
            data={"alert": "1", "verdict": "wrong", "back": "/"},
            headers={"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
        )
        assert judged.status_code == 421  # nor can it judge alerts as a page of this site

    with_service(
        tmp_path,
        check,
        health_bind="127.0.0.1:0",
        web_token=TOKEN,
        web_allowed_hosts=ALLOWED,
        public_url=PUBLIC,
    )


def test_the_token_opens_the_pages_by_any_name(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        port = served(client)
        evil = f"evil.example:{port}"
        for headers, status in [
            ({"Host": evil, "Authorization": f"Bearer {TOKEN}"}, 200),
            ({"Host": evil, "Authorization": "Bearer wrong"}, 421),
            ({"Host": evil}, 421),
        ]:
            for path in GUARDED:
                assert (await client.get(path, headers=headers)).status_code == status, path

    with_service(tmp_path, check, health_bind="127.0.0.1:0", web_token=TOKEN)


def test_the_open_paths_answer_by_any_name(tmp_path: Path) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        for path in ("/healthz", "/readyz", "/metrics", "/static/style.css"):
            response = await client.get(path, headers={"Host": "10.0.0.7:8080"})
            assert response.status_code == 200, path

    with_service(tmp_path, check, health_bind="127.0.0.1:0")


def test_off_loopback_the_token_guards_every_name_and_the_browser_can_log_in(
    tmp_path: Path,
) -> None:
    async def check(client: httpx.AsyncClient) -> None:
        for host in ("monitor.lan:8080", "evil.example", "127.0.0.1"):
            refused = await client.get("/", headers={"Host": host})
            assert refused.status_code == 401, host
            assert "Basic" in refused.headers["www-authenticate"]
            allowed = await client.get(
                "/", headers={"Host": host, "Authorization": f"Bearer {TOKEN}"}
            )
            assert allowed.status_code == 200, host

    with_service(tmp_path, check, health_bind="0.0.0.0:0", web_token=TOKEN)


def healthcheck_command(port: int) -> list[str]:
    """The Dockerfile's HEALTHCHECK command, run by this Python against ``port``."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    found = re.search(r"HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])", dockerfile)
    assert found is not None, "the Dockerfile's HEALTHCHECK CMD is an exec array"
    command: list[str] = json.loads(found.group(1))
    assert command[0] == "python" and ":8080/healthz" in command[-1]
    return [sys.executable, *command[1:-1], command[-1].replace(":8080/", f":{port}/")]


@pytest.mark.parametrize("bind", ["0.0.0.0:0", "127.0.0.1:0"])  # the image's, the default
def test_the_images_healthcheck_passes(tmp_path: Path, bind: str) -> None:
    async def scenario() -> None:
        async with serving_site(tmp_path, health_bind=bind, web_token=TOKEN) as (service, _):
            assert service.health is not None
            probe = await asyncio.create_subprocess_exec(*healthcheck_command(service.health.port))
            assert await asyncio.wait_for(probe.wait(), 20) == 0

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("LocalHost.:8080", "localhost"),
        ("[::1]:80", "::1"),
        ("::1", "::1"),
        ("127.0.0.1", "127.0.0.1"),
        ("Monitor.LAN:9000", "monitor.lan"),
        ("  monitor.lan  ", "monitor.lan"),
    ],
)
def test_host_names_are_read_without_port_case_or_brackets(given: str, name: str) -> None:
    assert host_name(given) == name


@pytest.mark.parametrize("bad", ["http://monitor.lan", "monitor lan", "monitor.lan/x", "u@h"])
def test_allowed_hosts_must_be_host_names(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a host name"):
        Settings(web_allowed_hosts=bad)
