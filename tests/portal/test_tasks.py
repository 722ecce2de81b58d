"""The outbox through a real Celery worker process, Redis and PostgreSQL, to a local Slack fake."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from portal import services
from portal.celery import app as celery_app
from portal.models import OutboxMessage
from portal.tasks import outbox_deliver_task
from tests.slack_fake import SlackFake, rate_limited, server_error, slack_error

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def module_slack_fake():
    with SlackFake() as fake:
        yield fake


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker, module_slack_fake, tmp_path_factory):
    """A real `celery worker` process on the test database, talking to the Slack fake."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "SLACK_BOT_TOKEN": "xoxb-integration",
        "SLACK_API_URL": module_slack_fake.url,
        "VAR_DIR": str(tmp_path_factory.mktemp("worker-var")),
    }
    celery_app.control.purge()
    log = tmp_path_factory.mktemp("worker-log") / "worker.log"
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
                "--concurrency=4",
                "--loglevel=info",
                "--without-gossip",
                "--without-mingle",
                "--hostname=integration@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start:\n" + log.read_text())
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


def _enqueue(key: str) -> OutboxMessage:
    with transaction.atomic():
        return services.outbox_enqueue(key=key, channel="C0INTEG001", text=f"Voice {key}")


def _wait_for(message: OutboxMessage, states: set[str], timeout: float = 30) -> OutboxMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.state in states:
            return message
        time.sleep(0.1)
    raise AssertionError(f"{message} stayed {message.state}, wanted {states}")


def test_a_message_is_delivered_once_after_commit(fake):
    message = _wait_for(_enqueue("once"), {"sent"})
    calls = fake.calls("chat.postMessage")
    assert len(calls) == 1
    assert calls[0].params["channel"] == "C0INTEG001"
    assert calls[0].params["text"] == "Voice once"
    assert message.slack_ts


def test_rate_limit_is_retried_after_the_wait(fake):
    fake.script("chat.postMessage", rate_limited(retry_after=1))
    _wait_for(_enqueue("ratelimited"), {"sent"})
    first, second = fake.calls("chat.postMessage")
    assert second.at - first.at >= 1.0


def test_server_error_is_retried(fake):
    fake.script("chat.postMessage", server_error(500))
    _wait_for(_enqueue("server-error"), {"sent"})
    assert len(fake.calls("chat.postMessage")) == 2


def test_channel_not_found_ends_failed_with_the_reason(fake):
    fake.script("chat.postMessage", slack_error("channel_not_found"))
    message = _wait_for(_enqueue("lost-channel"), {"failed"})
    assert message.last_error == "channel_not_found"
    assert len(fake.calls("chat.postMessage")) == 1


def test_running_the_delivery_twice_sends_once(fake):
    fake.latency = 0.5
    message = _enqueue("twice")
    outbox_deliver_task.delay(message.pk)
    outbox_deliver_task.delay(message.pk)
    _wait_for(message, {"sent"})
    time.sleep(1.5)  # let the other deliveries finish; they must find nothing to send
    assert len(fake.calls("chat.postMessage")) == 1
    message.refresh_from_db()
    assert message.attempts == 1
