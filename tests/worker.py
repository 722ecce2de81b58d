"""A real Celery worker process for the integration tests: on the test database, Redis and a
local Slack fake (portal/tasks through the outbox, stories' daily voice)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from portal.celery import app as celery_app
from tests.slack_fake import SlackFake

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def module_slack_fake():
    with SlackFake() as fake:
        yield fake


def worker_env(slack_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    database_url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "SLACK_BOT_TOKEN": "xoxb-integration",
        "SLACK_API_URL": slack_url,
        "VAR_DIR": str(var_dir),
        **extra,
    }


def start_worker(
    env: dict[str, str], log: Path, *, name: str, queue: str = "celery", concurrency: int = 4
) -> subprocess.Popen:
    """A `celery worker` in its own process group, returned once it answers a ping."""
    hostname = f"{name}@{socket.gethostname()}"
    with open(log, "w") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=threads",
                f"--concurrency={concurrency}",
                "--loglevel=info",
                "--without-gossip",
                "--without-mingle",
                f"--hostname={hostname}",
                f"--queues={queue}",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[hostname], timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            kill(worker)
            raise RuntimeError("the Celery worker did not start:\n" + log.read_text())
    return worker


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group, as an OOM killer or a lost host would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    wait_until(lambda: not group_alive(worker.pid), "the worker's processes to be gone")


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(condition, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout}s for {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker, module_slack_fake, tmp_path_factory):
    """A real `celery worker` process on the test database, talking to the Slack fake."""
    env = worker_env(module_slack_fake.url, tmp_path_factory.mktemp("worker-var"))
    celery_app.control.purge()
    log = tmp_path_factory.mktemp("worker-log") / "worker.log"
    worker = start_worker(env, log, name="integration")
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def fake(module_slack_fake, celery_worker, settings):
    module_slack_fake.reset()
    # The test process only enqueues; its settings say Slack is live like the worker's.
    settings.SLACK_BOT_TOKEN = "xoxb-integration"
    settings.SLACK_API_URL = module_slack_fake.url
    return module_slack_fake
