import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal import services
from portal.models import OutboxMessage, Profile
from tests.factories import OutboxMessageFactory
from tests.slack_fake import rate_limited, server_error, slack_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """Deliveries the services asked Celery for, without a worker."""
    calls: list[int] = []
    monkeypatch.setattr(services, "_schedule_delivery", calls.append)
    return calls


def test_enqueue_schedules_delivery_only_after_commit(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        message = services.outbox_enqueue(key="voice:1", channel="C0TEST0001", text="Hi")
        assert queued == []
    assert len(callbacks) == 1
    assert queued == []
    callbacks[0]()
    assert queued == [message.pk]
    assert message.state == OutboxMessage.State.PENDING


def test_enqueue_is_idempotent_by_key(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.outbox_enqueue(key="voice:1", channel="C0TEST0001", text="Hi")
        again = services.outbox_enqueue(key="voice:1", channel="C0TEST0001", text="Other")
    assert first.pk == again.pk
    assert OutboxMessage.objects.get().text == "Hi"
    assert queued == [first.pk]


def test_enqueue_rolled_back_sends_nothing(queued, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.outbox_enqueue(key="voice:1", channel="C0TEST0001", text="Hi")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert queued == []


@pytest.mark.parametrize("bad", [{"key": ""}, {"channel": ""}, {"text": "   "}])
def test_enqueue_refuses_incomplete_messages(bad):
    fields = {"key": "k", "channel": "C0TEST0001", "text": "Hi", **bad}
    with pytest.raises(ValidationError):
        services.outbox_enqueue(**fields)


def test_deliver_in_preview_mode_holds_the_message(slack_fake):
    message = OutboxMessageFactory()
    assert services.outbox_deliver(message_id=message.pk) is None
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PREVIEW
    assert slack_fake.calls() == []


def test_deliver_posts_once_and_records_the_ts(slack_live):
    message = OutboxMessageFactory(text="A customer said &lt;thanks&gt;", blocks=[])
    services.outbox_deliver(message_id=message.pk)
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.slack_ts
    assert message.attempts == 1
    calls = slack_live.calls("chat.postMessage")
    assert len(calls) == 1
    assert calls[0].params["channel"] == message.channel
    assert calls[0].params["text"] == "A customer said &lt;thanks&gt;"
    assert calls[0].headers.get("Authorization") == "Bearer xoxb-test-token"


def test_deliver_retries_after_retry_after_on_429(slack_live):
    slack_live.script("chat.postMessage", rate_limited(retry_after=1))
    message = OutboxMessageFactory()
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    first, second = slack_live.calls("chat.postMessage")
    assert second.at - first.at >= 1.0


def test_deliver_retries_server_errors(slack_live):
    slack_live.script("chat.postMessage", server_error(500), server_error(502))
    message = OutboxMessageFactory()
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert len(slack_live.calls("chat.postMessage")) == 3


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "invalid_auth"])
def test_deliver_fails_permanently_with_the_reason(slack_live, error):
    slack_live.script("chat.postMessage", slack_error(error))
    message = OutboxMessageFactory()
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    assert message.last_error == error
    assert len(slack_live.calls("chat.postMessage")) == 1


def test_deliver_postpones_when_slack_keeps_failing(slack_live, settings):
    settings.SLACK_MAX_RETRIES = 0
    slack_live.script("chat.postMessage", server_error(503))
    message = OutboxMessageFactory()
    before = timezone.now()
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=60)
    assert message.last_error == "internal_error"
    # Not due yet: a second delivery does nothing.
    assert services.outbox_deliver(message_id=message.pk) is None


def test_deliver_gives_up_after_the_last_attempt(slack_live, settings):
    settings.SLACK_MAX_RETRIES = 0
    settings.OUTBOX_MAX_ATTEMPTS = 2
    slack_live.script("chat.postMessage", server_error(500), server_error(500))
    message = OutboxMessageFactory()
    services.outbox_deliver(message_id=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    assert message.last_error.startswith("gave up after 2 attempts")


def test_deliver_postpones_on_connection_errors(settings, slack_fake):
    settings.SLACK_BOT_TOKEN = "xoxb-test-token"
    settings.SLACK_API_URL = "http://127.0.0.1:9/api/"
    settings.SLACK_MAX_RETRIES = 0
    message = OutboxMessageFactory()
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.last_error.startswith("connection error")


def test_retry_requeues_failed_and_held_messages_only(queued, django_capture_on_commit_callbacks):
    failed = OutboxMessageFactory(state=OutboxMessage.State.FAILED, attempts=3, last_error="x")
    held = OutboxMessageFactory(state=OutboxMessage.State.PREVIEW)
    sent = OutboxMessageFactory(state=OutboxMessage.State.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.outbox_retry(message_ids=[failed.pk, held.pk, sent.pk])
    assert count == 2
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == ("pending", 0, "")
    sent.refresh_from_db()
    assert sent.state == OutboxMessage.State.SENT
    assert sorted(queued) == sorted([failed.pk, held.pk])


def test_sweep_queues_missed_and_due_messages_and_reclaims_stale_claims(queued):
    now = timezone.now()
    fresh = OutboxMessageFactory()
    missed = OutboxMessageFactory()
    OutboxMessage.objects.filter(pk=missed.pk).update(
        created_at=now - datetime.timedelta(minutes=5)
    )
    due = OutboxMessageFactory(next_attempt_at=now - datetime.timedelta(seconds=1))
    later = OutboxMessageFactory(next_attempt_at=now + datetime.timedelta(minutes=5))
    stale = OutboxMessageFactory(
        state=OutboxMessage.State.SENDING, claimed_at=now - datetime.timedelta(minutes=30)
    )
    OutboxMessage.objects.filter(pk=stale.pk).update(created_at=now - datetime.timedelta(hours=1))
    assert services.outbox_sweep(now=now) == 3
    assert sorted(queued) == sorted([missed.pk, due.pk, stale.pk])
    assert fresh.pk not in queued and later.pk not in queued


def test_profile_update_mirrors_wagtail_preferences(new_hire):
    services.profile_update(user=new_hire, language="ko", timezone_name="Asia/Tokyo")
    new_hire.wagtail_userprofile.refresh_from_db()
    assert new_hire.wagtail_userprofile.preferred_language == "ko"
    assert new_hire.wagtail_userprofile.current_time_zone == "Asia/Tokyo"
    assert Profile.objects.get(user=new_hire).language == "ko"


def test_profile_update_rejects_unknown_language(new_hire):
    with pytest.raises(ValidationError):
        services.profile_update(user=new_hire, language="xx", timezone_name=None)
    assert Profile.objects.get(user=new_hire).language == "en"


def test_every_new_user_gets_a_profile(outsider):
    assert Profile.objects.filter(user=outsider).exists()
