"""The program's first code (``monitor.entry``): which command lines start the daemon, and
hang-ups sent to a real ``news-monitor run`` while it imports its command line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from monitor.entry import daemon_command
from tests.helpers import REHASH_ITEM, daemon_env, make_rules
from tests.servers import FeedServer, rss, serving


@pytest.mark.parametrize(
    ("args", "daemon"),
    [
        (["run"], True),
        (["run", "--rules", "rules"], True),
        (["--rules", "rules", "run"], True),
        (["--rules=run", "run"], True),
        (["--ru", "rules", "run"], True),  # argparse takes an abbreviation
        (["--rules", "run", "status"], False),  # "run" is the folder's name
        (["run", "--once"], False),
        (["run", "--once", "--dry-run"], False),
        (["run", "--on"], False),
        (["run", "--dry-run", "--o"], False),
        (["run", "--dry-run"], True),  # cmd_run refuses it, after the start-up
        (["--once", "run"], True),  # not run's option there: the parser refuses it
        (["run", "--", "--once"], True),
        (["status"], False),
        (["rules", "check"], False),
        (["replay", "run"], False),
        ([], False),
        (["--version"], False),
        (["-h"], False),
    ],
)
def test_the_daemon_is_run_without_once(args: list[str], daemon: bool) -> None:
    assert daemon_command(args) is daemon


def _hang_ups_while_it_imports(
    tmp_path: Path, log_path: Path
) -> tuple[subprocess.Popen[bytes], threading.Thread, int, str]:
    """Start ``news-monitor run`` (``-X importtime``: each import it ends is a stderr line)
    and, from the end of the first import of the command line's own modules on, send it a
    SIGHUP every 5 ms until its /healthz answers, it exits, or 60 s pass. Returns the
    process, the thread copying its stderr to ``log_path``, how many SIGHUPs were sent and
    the /healthz address ("" if it never answered)."""
    env = daemon_env(tmp_path, health_bind="127.0.0.1:0", reload_check_seconds="3600")
    daemon = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "monitor", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    importing_cli = threading.Event()
    address: list[str] = []

    def read_stderr() -> None:  # importtime's lines, then the log's (JSON)
        assert daemon.stderr is not None
        with log_path.open("wb") as log:
            for line in daemon.stderr:
                log.write(line)
                log.flush()
                if line.startswith(b"import time:") and line.rsplit(b"|", 1)[1].strip().startswith(
                    b"monitor.cli"
                ):
                    importing_cli.set()
                elif b'"health: listening"' in line:
                    address.append(json.loads(line)["address"])

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    sent = 0
    deadline = time.monotonic() + 60
    try:
        assert importing_cli.wait(30), "the command line's modules were imported"
        while time.monotonic() < deadline and daemon.poll() is None:
            if address and _healthy(address[0]):
                return daemon, reader, sent, address[0]
            daemon.send_signal(signal.SIGHUP)
            sent += 1
            time.sleep(0.005)
        return daemon, reader, sent, ""
    except BaseException:
        daemon.kill()
        daemon.wait(10)
        reader.join(10)
        assert daemon.stderr is not None
        daemon.stderr.close()
        raise


def _healthy(address: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://{address}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_hang_ups_from_the_first_import_of_the_command_line_on_do_not_kill_the_daemon(
    tmp_path: Path,
) -> None:
    """SIGHUP's default action ends the process, and ``cmd_run`` deferred hang-ups only
    after importing ``monitor.cli`` and all it imports (a tenth of a second and more): a
    reload asked for then (a supervisor's, ``docker kill -s HUP`` right after a start)
    killed the daemon (exit -1). Now ``monitor.entry`` defers them before that import: the
    daemon lives, serves /healthz and reloads the rules once it runs."""
    log_path = tmp_path / "daemon.log"
    with serving(FeedServer()) as feeds:
        feeds.feeds["/news.xml"] = rss([REHASH_ITEM])
        make_rules(tmp_path, {"news": feeds.url("/news.xml")}, interval="1h")
        daemon, reader, sent, address = _hang_ups_while_it_imports(tmp_path, log_path)
        try:
            trail = log_path.read_text()[-2000:]
            assert daemon.poll() is None, f"exit {daemon.returncode} after {sent} SIGHUPs\n{trail}"
            assert sent > 0
            assert address, f"/healthz answered\n{trail}"
            deadline = time.monotonic() + 20
            while '"message": "rules: reloaded"' not in log_path.read_text():
                assert time.monotonic() < deadline, f"the rules were reloaded\n{trail}"
                time.sleep(0.05)
        finally:
            if daemon.poll() is None:
                daemon.send_signal(signal.SIGTERM)
            code = daemon.wait(30)
            reader.join(10)
            assert daemon.stderr is not None
            daemon.stderr.close()
    assert code == 0, log_path.read_text()[-2000:]
