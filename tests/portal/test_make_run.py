"""`make run` on another port: links follow WEB_PORT, the output is short, Ctrl-C stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What the developer's environment must not bring into `make run`: the tests' own services and
# settings, so the run uses its defaults (SQLite and the embedded broker under VAR_DIR).
NOT_INHERITED = {
    "CI",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "DEBUG",
    "SITE_URL",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "WEB_PORT",
    "VAR_DIR",
}


def _environ(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(extra)
    return env


def _site_url(**environ: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.SITE_URL)"],
        cwd=ROOT,
        env=_environ(DEBUG="1", **environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_site_url_follows_web_port_unless_set():
    assert _site_url() == "http://localhost:8000"
    assert _site_url(WEB_PORT="8011") == "http://localhost:8011"
    assert _site_url(WEB_PORT="8011", SITE_URL="https://portal.example.com/") == (
        "https://portal.example.com"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_make_run_is_short_and_ctrl_c_stops_it_cleanly(tmp_path):
    """Runs the real `make run` (about 20 s: migrations on a new SQLite file, the demo)."""
    port = _free_port()
    log = tmp_path / "run.log"
    with log.open("w") as out:
        # install and messages are taken as done: this checkout's venv and catalogues are the
        # ones under test, and other work must not be rebuilt underneath them.
        make = subprocess.Popen(
            ["make", "-o", ".venv/.installed", "-o", "messages", "run"],
            cwd=ROOT,
            # The demo's 15,000 feedback items would only slow this down (the generated file is
            # tested in tests/stories/test_demo_feedback.py).
            env=_environ(
                DEBUG="1",
                WEB_PORT=str(port),
                VAR_DIR=str(tmp_path / "var"),
                DEMO_FEEDBACK_ITEMS="300",
            ),
            stdout=out,
            stderr=subprocess.STDOUT,
            # Its own process group, so the SIGINT below reaches make, the recipe's shell and
            # honcho together, as Ctrl-C in a terminal does.
            start_new_session=True,
        )
    try:
        ready = ("Quit the server with", "celery@", "beat: Starting")
        _wait_for(
            lambda: make.poll() is not None or all(s in log.read_text() for s in ready),
            timeout=120,
            what="web, worker and beat to start",
        )
        assert make.poll() is None, log.read_text()
        # The worker says "ready" just after the line above.
        _wait_for(lambda: " ready." in log.read_text(), timeout=30, what="the worker")
        os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=30)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    output = log.read_text()

    # Make dies of the SIGINT it received, as an interrupted program should, silently; what it
    # must not do is report the recipe as failed ("make: *** … Error 130" or "Interrupt").
    assert make.returncode in (0, -signal.SIGINT), output
    assert "make: ***" not in output
    assert "SIGKILL" not in output
    for process in ("web", "worker", "beat"):
        assert f"{process}.1 stopped (rc=0)" in output, output
    assert "exited with 'signal" not in output  # a pool child killed under the worker

    # Short: no migration list, no echoed commands; the logins come last, after the URL.
    assert "Applying " not in output
    assert "manage.py migrate" not in output
    set_up, _, processes = output.partition("Ctrl-C stops.")
    assert f"http://localhost:{port}/admin/" in set_up
    assert f"Sign in at http://localhost:{port}/" in set_up
    assert "localhost:8000" not in output
    assert "@" in set_up.rstrip().splitlines()[-1], set_up  # a demo login
    assert processes, output
