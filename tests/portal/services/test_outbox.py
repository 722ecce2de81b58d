import datetime
import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.models import OutboxMessage
from portal.services import outbox
from tests.factories import OutboxMessageFactory
from tests.slack_fake import Scripted, drop, rate_limited, server_error, slack_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """Deliveries the outbox asked Celery for, without a worker."""
    calls: list[int] = []
    monkeypatch.setattr(outbox, "_schedule_delivery", calls.append)
    return calls


def test_enqueue_schedules_delivery_only_after_commit(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        message = outbox.outbox_enqueue(key="voice:1", channel="C0TEST0001", text="Hi")
        assert queued == []
    assert len(callbacks) == 1
    assert queued == []
    callbacks[0]()
    assert queued == [message.pk]
    assert message.state == OutboxMessage.State.PENDING


def test_enqueue_is_idempotent_by_key(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.outbox_enqueue(key="voice:1", channel="C0TEST0001", text="Hi")
        again = outbox.outbox_enqueue(key="voice:1", channel="C0TEST0001", text="Other")
    assert first.pk == again.pk
    assert OutboxMessage.objects.get().text == "Hi"
    assert queued == [first.pk]


def test_enqueue_rolled_back_sends_nothing(queued, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.outbox_enqueue(key="voice:1", channel="C0TEST0001", text="Hi")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert queued == []


@pytest.mark.parametrize("bad", [{"key": ""}, {"channel": ""}, {"text": "   "}])
def test_enqueue_refuses_incomplete_messages(bad):
    fields = {"key": "k", "channel": "C0TEST0001", "text": "Hi", **bad}
    with pytest.raises(ValidationError):
        outbox.outbox_enqueue(**fields)


def test_deliver_in_preview_mode_holds_the_message(slack_fake):
    message = OutboxMessageFactory()
    assert outbox.outbox_deliver(message_id=message.pk) is None
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PREVIEW
    assert slack_fake.calls() == []


def test_deliver_posts_once_and_records_the_ts(slack_live):
    message = OutboxMessageFactory(text="A customer said &lt;thanks&gt;", blocks=[])
    outbox.outbox_deliver(message_id=message.pk)
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.slack_ts
    assert message.attempts == 1
    calls = slack_live.calls("chat.postMessage")
    assert len(calls) == 1
    assert calls[0].params["channel"] == message.channel
    assert calls[0].params["text"] == "A customer said &lt;thanks&gt;"
    assert calls[0].headers.get("Authorization") == "Bearer xoxb-test-token"
    # The key travels with the message, where a later delivery can look for it.
    assert calls[0].params["metadata"] == {
        "event_type": outbox.OUTBOX_METADATA_EVENT_TYPE,
        "event_payload": {"key": message.idempotency_key},
    }
    assert [p.ts for p in slack_live.posted(message.channel)] == [message.slack_ts]
    # The common path costs one Slack call: no look into the channel's history.
    assert [c.method for c in slack_live.calls()] == ["chat.postMessage"]


def test_metadata_event_type_follows_slack_naming():
    # Slack: lower-case letters, digits and underscores, starting with a letter.
    assert re.fullmatch(r"[a-z][a-z0-9_]*", outbox.OUTBOX_METADATA_EVENT_TYPE)


def test_deliver_retries_after_retry_after_on_429(slack_live):
    slack_live.script("chat.postMessage", rate_limited(retry_after=1))
    message = OutboxMessageFactory()
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    first, second = slack_live.calls("chat.postMessage")
    assert second.at - first.at >= 1.0


def test_deliver_retries_server_errors(slack_live):
    slack_live.script("chat.postMessage", server_error(500), server_error(502))
    message = OutboxMessageFactory()
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert len(slack_live.calls("chat.postMessage")) == 3


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "invalid_auth"])
def test_deliver_fails_permanently_with_the_reason(slack_live, error):
    slack_live.script("chat.postMessage", slack_error(error))
    message = OutboxMessageFactory()
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    assert message.last_error == error
    assert len(slack_live.calls("chat.postMessage")) == 1


def test_deliver_postpones_when_slack_keeps_failing(slack_live, settings):
    settings.SLACK_MAX_RETRIES = 0
    slack_live.script("chat.postMessage", server_error(503))
    message = OutboxMessageFactory()
    before = timezone.now()
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at >= before + datetime.timedelta(seconds=60)
    assert message.last_error == "internal_error"
    # Not due yet: a second delivery does nothing.
    assert outbox.outbox_deliver(message_id=message.pk) is None


def test_deliver_gives_up_after_the_last_attempt(slack_live, settings):
    settings.SLACK_MAX_RETRIES = 0
    settings.OUTBOX_MAX_ATTEMPTS = 2
    slack_live.script("chat.postMessage", server_error(500), server_error(500))
    message = OutboxMessageFactory()
    outbox.outbox_deliver(message_id=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.FAILED
    assert message.last_error.startswith("gave up after 2 attempts")


def test_deliver_postpones_on_connection_errors(settings, slack_fake):
    settings.SLACK_BOT_TOKEN = "xoxb-test-token"
    settings.SLACK_API_URL = "http://127.0.0.1:9/api/"
    settings.SLACK_MAX_RETRIES = 0
    message = OutboxMessageFactory()
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.last_error.startswith("connection error")
    # The request may have reached Slack before the connection broke.
    assert message.verify_before_send


def test_retry_requeues_failed_and_held_messages_only(queued, django_capture_on_commit_callbacks):
    failed = OutboxMessageFactory(state=OutboxMessage.State.FAILED, attempts=3, last_error="x")
    held = OutboxMessageFactory(state=OutboxMessage.State.PREVIEW)
    sent = OutboxMessageFactory(state=OutboxMessage.State.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        count = outbox.outbox_retry(message_ids=[failed.pk, held.pk, sent.pk])
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
    assert outbox.outbox_sweep(now=now) == 3
    assert sorted(queued) == sorted([missed.pk, due.pk, stale.pk])
    assert fresh.pk not in queued and later.pk not in queued
    stale.refresh_from_db()
    assert (stale.state, stale.claimed_at, stale.next_attempt_at) == ("pending", None, now)
    assert stale.verify_before_send
    missed.refresh_from_db()
    assert not missed.verify_before_send


def test_sweep_takes_back_claims_older_than_the_stale_window(queued, settings):
    settings.OUTBOX_STALE_AFTER = 5
    now = timezone.now()
    dead = OutboxMessageFactory(
        state=OutboxMessage.State.SENDING, claimed_at=now - datetime.timedelta(seconds=6)
    )
    busy = OutboxMessageFactory(
        state=OutboxMessage.State.SENDING, claimed_at=now - datetime.timedelta(seconds=4)
    )
    # Stale claims are due at once, even a minute-old row the grace would otherwise skip.
    assert outbox.outbox_sweep(now=now) == 1
    assert queued == [dead.pk]
    busy.refresh_from_db()
    assert busy.state == OutboxMessage.State.SENDING
    assert not busy.verify_before_send


# A worker that died mid-send ----------------------------------------------------------------


@pytest.fixture
def crashed(queued):
    """Rows whose worker died after claiming them, taken back by the sweep."""

    def make(**fields) -> OutboxMessage:
        message = OutboxMessageFactory(**fields)
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxMessage.State.SENDING,
            attempts=1,
            claimed_at=timezone.now() - datetime.timedelta(minutes=30),
        )
        outbox.outbox_sweep()
        message.refresh_from_db()
        assert message.verify_before_send
        return message

    return make


def _metadata(key: str) -> dict:
    return {"event_type": outbox.OUTBOX_METADATA_EVENT_TYPE, "event_payload": {"key": key}}


def _seed_neighbours(fake, channel: str, count: int = 2) -> None:
    """Other people's and other keys' messages around ours, as in a real channel."""
    for n in range(count):
        fake.add_message(channel, f"someone else {n}")
        fake.add_message(channel, f"other {n}", metadata=_metadata(f"other:{n}"))


def test_stale_message_already_in_slack_is_marked_sent_without_posting(slack_live, crashed):
    message = crashed()
    _seed_neighbours(slack_live, message.channel)
    earlier = slack_live.add_message(
        message.channel, message.text, metadata=_metadata(message.idempotency_key)
    )
    _seed_neighbours(slack_live, message.channel)
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.slack_ts == earlier.ts
    assert not message.verify_before_send
    assert message.sent_at and message.last_error == ""
    assert [c.method for c in slack_live.calls()] == ["conversations.history"]
    params = slack_live.calls("conversations.history")[0].params
    oldest = message.created_at - outbox.OUTBOX_HISTORY_MARGIN
    assert params == {
        "channel": message.channel,
        "oldest": f"{oldest.timestamp():.6f}",
        "limit": str(outbox.OUTBOX_HISTORY_PAGE),
        "include_all_metadata": "1",
    }
    assert len(slack_live.posted(message.channel)) == 9


def test_stale_message_not_in_slack_is_posted_once(slack_live, crashed):
    message = crashed()
    _seed_neighbours(slack_live, message.channel)
    # The same text without our metadata is not our message.
    slack_live.add_message(message.channel, message.text)
    outbox.outbox_deliver(message_id=message.pk)
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert not message.verify_before_send
    assert [c.method for c in slack_live.calls()] == [
        "conversations.history",
        "chat.postMessage",
    ]
    ours = [p for p in slack_live.posted() if p.metadata == _metadata(message.idempotency_key)]
    assert [p.ts for p in ours] == [message.slack_ts]


def test_history_is_paged_with_the_cursor_until_the_message_is_found(
    slack_live, crashed, monkeypatch
):
    monkeypatch.setattr(outbox, "OUTBOX_HISTORY_PAGE", 2)
    monkeypatch.setattr(outbox, "OUTBOX_HISTORY_MAX_PAGES", 3)
    message = crashed()
    earlier = slack_live.add_message(
        message.channel, message.text, metadata=_metadata(message.idempotency_key)
    )
    _seed_neighbours(slack_live, message.channel, count=2)  # four newer messages
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.state, message.slack_ts) == ("sent", earlier.ts)
    pages = slack_live.calls("conversations.history")
    assert len(pages) == 3
    assert "cursor" not in pages[0].params
    assert pages[1].params["cursor"] and pages[2].params["cursor"] != pages[1].params["cursor"]
    assert slack_live.calls("chat.postMessage") == []


def test_history_search_stops_after_a_few_pages_and_posts(slack_live, crashed, monkeypatch, caplog):
    monkeypatch.setattr(outbox, "OUTBOX_HISTORY_PAGE", 2)
    monkeypatch.setattr(outbox, "OUTBOX_HISTORY_MAX_PAGES", 3)
    message = crashed()
    slack_live.add_message(message.channel, message.text, metadata=_metadata("elsewhere"))
    _seed_neighbours(slack_live, message.channel, count=3)  # six newer messages
    with caplog.at_level(logging.WARNING, logger="portal.services.outbox"):
        outbox.outbox_deliver(message_id=message.pk)
    assert len(slack_live.calls("conversations.history")) == 3
    assert len(slack_live.calls("chat.postMessage")) == 1
    assert "may post it twice" in caplog.text


def test_a_thread_reply_is_looked_for_in_its_thread(slack_live, crashed):
    parent = slack_live.add_message("CTEST00001", "Concern #7 was filed")
    message = crashed(thread_ts=parent.ts)
    reply = slack_live.add_message(
        message.channel,
        message.text,
        metadata=_metadata(message.idempotency_key),
        thread_ts=parent.ts,
    )
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.state, message.slack_ts) == ("sent", reply.ts)
    assert [c.method for c in slack_live.calls()] == ["conversations.replies"]
    assert slack_live.calls()[0].params["ts"] == parent.ts


def test_a_lost_answer_is_checked_before_posting_again(slack_live, settings):
    settings.SLACK_MAX_RETRIES = 0
    slack_live.script("chat.postMessage", drop(posted=True))
    message = OutboxMessageFactory()
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.state, message.verify_before_send) == ("pending", True)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=None)
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    (posted,) = slack_live.posted()
    assert (message.state, message.slack_ts) == ("sent", posted.ts)
    assert len(slack_live.calls("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "refusal",
    [
        Scripted(
            body={
                "ok": False,
                "error": "missing_scope",
                "needed": "channels:history",
                "provided": "chat:write,users:read",
            }
        ),
        slack_error("not_in_channel"),
    ],
    ids=["missing_scope", "not_in_channel"],
)
def test_history_refused_for_good_posts_anyway_with_a_warning(slack_live, crashed, caplog, refusal):
    slack_live.script("conversations.history", refusal)
    message = crashed()
    with caplog.at_level(logging.WARNING, logger="portal.services.outbox"):
        outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert [c.method for c in slack_live.calls()] == [
        "conversations.history",
        "chat.postMessage",
    ]
    assert refusal.body["error"] in caplog.text
    if "needed" in refusal.body:
        assert "needs channels:history" in caplog.text


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (rate_limited(retry_after=1), "conversations.history: ratelimited"),
        (server_error(503), "conversations.history: internal_error"),
        (drop(), "connection error"),
    ],
    ids=["ratelimited", "server_error", "dropped"],
)
def test_history_failing_for_now_postpones_without_posting(
    slack_live, crashed, settings, answer, reason
):
    settings.SLACK_MAX_RETRIES = 0
    slack_live.script("conversations.history", answer)
    message = crashed()
    before = timezone.now()
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.last_error.startswith(reason)
    assert message.next_attempt_at > before
    # Still to be checked on the next attempt; nothing was posted meanwhile.
    assert message.verify_before_send
    assert slack_live.calls("chat.postMessage") == []


# --- direct messages and email ----------------------------------------------------------


def test_a_direct_message_goes_to_the_member_id(slack_live):
    message = OutboxMessageFactory(channel="U0MEMBER01", text="Your concern was acknowledged")
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert slack_live.calls("chat.postMessage")[0].params["channel"] == "U0MEMBER01"
    assert [p.text for p in slack_live.posted("U0MEMBER01")] == ["Your concern was acknowledged"]


def test_a_direct_message_is_looked_for_in_the_dm_not_the_member_id(slack_live, crashed):
    message = crashed(channel="U0MEMBER01")
    earlier = slack_live.add_message(
        "D0MEMBER01", message.text, metadata=_metadata(message.idempotency_key)
    )
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert message.slack_ts == earlier.ts
    assert [c.method for c in slack_live.calls()] == [
        "conversations.open",
        "conversations.history",
    ]
    assert slack_live.calls("conversations.open")[0].params["users"] == "U0MEMBER01"
    assert slack_live.calls("conversations.history")[0].params["channel"] == "D0MEMBER01"


def test_an_email_is_sent_once_by_mail_even_in_preview_mode(slack_fake, mailoutbox):
    with transaction.atomic():
        message = outbox.outbox_enqueue_email(
            key="mail:1", to="kim@example.com", subject="Resolved", text="We fixed it."
        )
    assert message.transport == OutboxMessage.Transport.EMAIL
    outbox.outbox_deliver(message_id=message.pk)
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [
        (["kim@example.com"], "Resolved", "We fixed it.")
    ]
    assert slack_fake.calls() == []


def test_an_email_that_cannot_be_sent_is_postponed(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(outbox, "send_mail", refuse)
    message = outbox.outbox_enqueue_email(key="mail:2", to="kim@example.com", subject="S", text="T")
    outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.next_attempt_at is not None
    assert "connection refused" in message.last_error


@pytest.mark.parametrize("bad", [{"key": ""}, {"to": ""}, {"subject": " "}, {"text": ""}])
def test_an_email_needs_every_part(bad):
    fields = {"key": "k", "to": "kim@example.com", "subject": "S", "text": "T", **bad}
    with pytest.raises(ValidationError):
        outbox.outbox_enqueue_email(**fields)
