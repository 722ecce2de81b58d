"""The outbox through a real Celery worker process, Redis and PostgreSQL, to a local Slack fake."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from portal.celery import app as celery_app
from portal.models import OutboxMessage
from portal.services import outbox
from portal.tasks import outbox_deliver_task
from tests.slack_fake import SlackFake, rate_limited, server_error, slack_error

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def module_slack_fake():
    with SlackFake() as fake:
        yield fake


def _worker_env(slack_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
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


def _start_worker(
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
            _kill(worker)
            raise RuntimeError("the Celery worker did not start:\n" + log.read_text())
    return worker


def _kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group, as an OOM killer or a lost host would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    _wait_until(lambda: not _group_alive(worker.pid), "the worker's processes to be gone")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_until(condition, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout}s for {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, django_db_blocker, module_slack_fake, tmp_path_factory):
    """A real `celery worker` process on the test database, talking to the Slack fake."""
    env = _worker_env(module_slack_fake.url, tmp_path_factory.mktemp("worker-var"))
    celery_app.control.purge()
    log = tmp_path_factory.mktemp("worker-log") / "worker.log"
    worker = _start_worker(env, log, name="integration")
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


def _enqueue(key: str) -> OutboxMessage:
    with transaction.atomic():
        return outbox.outbox_enqueue(key=key, channel="C0INTEG001", text=f"Voice {key}")


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


@pytest.fixture
def crash_queue():
    """A queue of this test's own, so the module's worker cannot take its deliveries."""
    name = "outbox-crash-test"
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(name)
    yield name
    # The killed worker's deliveries stay "unacked" in Redis, and kombu would hand them out
    # again an hour later, to a future run: forget them now.
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        client = channel.client
        for tag, raw in client.hgetall(channel.unacked_key).items():
            if json.loads(raw)[2] == name:
                client.hdel(channel.unacked_key, tag)
                client.zrem(channel.unacked_index_key, tag)
        channel.queue_purge(name)


def test_a_worker_killed_mid_send_costs_no_duplicate(crash_queue, settings, monkeypatch, tmp_path):
    count, lost = 12, 3
    settings.OUTBOX_STALE_AFTER = 1
    monkeypatch.setattr(
        outbox,
        "_schedule_delivery",
        lambda message_id: outbox_deliver_task.apply_async((message_id,), queue=crash_queue),
    )
    with SlackFake() as slack:
        settings.SLACK_BOT_TOKEN = "xoxb-integration"
        settings.SLACK_API_URL = slack.url
        env = _worker_env(slack.url, tmp_path / "var", OUTBOX_STALE_AFTER="1")
        # Slack answers every post slowly; the first few it reads but does not post.
        slack.latency = 5.0
        slack.script("chat.postMessage", *[server_error(503)] * lost)
        first = _start_worker(
            env, tmp_path / "first.log", name="crash-first", queue=crash_queue, concurrency=count
        )
        try:
            rows = [_enqueue(f"crash:{n}") for n in range(count)]
            slack.wait_for_calls(count, "chat.postMessage", timeout=15)
        finally:
            _kill(first)
        assert len(slack.posted()) == count - lost
        assert OutboxMessage.objects.filter(state="sending").count() == count

        slack.latency = 0.0
        posts_before_restart = len(slack.calls("chat.postMessage"))
        second = _start_worker(env, tmp_path / "second.log", name="crash-second", queue=crash_queue)
        try:
            newest_claim = OutboxMessage.objects.aggregate(Max("claimed_at"))["claimed_at__max"]
            stale_after = datetime.timedelta(seconds=settings.OUTBOX_STALE_AFTER)
            _wait_until(lambda: timezone.now() > newest_claim + stale_after, "the claims to age")
            assert outbox.outbox_sweep() == count
            for row in rows:
                _wait_for(row, {"sent"}, timeout=15)
        finally:
            second.terminate()
            second.wait(timeout=30)

        keys = Counter((p.metadata or {})["event_payload"]["key"] for p in slack.posted())
        assert keys == Counter({row.idempotency_key: 1 for row in rows})
        ts_by_key = {p.metadata["event_payload"]["key"]: p.ts for p in slack.posted()}
        for row in rows:
            assert row.slack_ts == ts_by_key[row.idempotency_key]
            assert not row.verify_before_send
        # Each taken-back row was looked for once; only those Slack never posted went again.
        assert len(slack.calls("conversations.history")) == count
        assert len(slack.calls("chat.postMessage")) - posts_before_restart == lost
