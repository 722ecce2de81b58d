"""The outbox through a real Celery worker process, Redis and PostgreSQL, to a local Slack fake."""

from __future__ import annotations

import datetime
import json
import time
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from portal.celery import app as celery_app
from portal.models import OutboxMessage
from portal.services import outbox
from portal.tasks import outbox_deliver_task
from tests.slack_fake import SlackFake, rate_limited, server_error, slack_error
from tests.worker import (
    celery_worker,
    fake,
    kill,
    module_slack_fake,
    start_worker,
    wait_until,
    worker_env,
)

__all__ = ["celery_worker", "fake", "module_slack_fake"]  # fixtures

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


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
        env = worker_env(slack.url, tmp_path / "var", OUTBOX_STALE_AFTER="1")
        # Slack answers every post slowly; the first few it reads but does not post.
        slack.latency = 5.0
        slack.script("chat.postMessage", *[server_error(503)] * lost)
        first = start_worker(
            env, tmp_path / "first.log", name="crash-first", queue=crash_queue, concurrency=count
        )
        try:
            rows = [_enqueue(f"crash:{n}") for n in range(count)]
            slack.wait_for_calls(count, "chat.postMessage", timeout=15)
        finally:
            kill(first)
        assert len(slack.posted()) == count - lost
        assert OutboxMessage.objects.filter(state="sending").count() == count

        slack.latency = 0.0
        posts_before_restart = len(slack.calls("chat.postMessage"))
        second = start_worker(env, tmp_path / "second.log", name="crash-second", queue=crash_queue)
        try:
            newest_claim = OutboxMessage.objects.aggregate(Max("claimed_at"))["claimed_at__max"]
            stale_after = datetime.timedelta(seconds=settings.OUTBOX_STALE_AFTER)
            wait_until(lambda: timezone.now() > newest_claim + stale_after, "the claims to age")
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
