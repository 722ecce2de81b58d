"""Writes for the Slack outbox: the only code that changes a message's state."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from smtplib import SMTPException
from urllib.error import URLError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from portal.models import OutboxMessage
from portal.slack.client import SlackError, slack_client, slack_is_live

logger = logging.getLogger(__name__)

# Sent with `message` when a Slack message reaches its end: sent, or refused for good (its
# last_error says why). A feature that must know (a department's voice that cannot be
# posted) listens, so the outbox stays ignorant of features.
message_settled = Signal()

# on_commit already queued fresh messages; the sweeper only picks up those it missed.
OUTBOX_SWEEP_GRACE = datetime.timedelta(minutes=1)
OUTBOX_SWEEP_BATCH = 500
# Each post carries its idempotency key in Slack's message metadata, so a delivery that may
# already have reached Slack can find its message in the channel's history. Slack asks for
# event types in lower-case letters, digits and underscores, a singular resource then an
# action in the past tense.
OUTBOX_METADATA_EVENT_TYPE = "outbox_message_posted"
# The row's clock (the web or worker host) and Slack's may disagree by a little.
OUTBOX_HISTORY_MARGIN = datetime.timedelta(minutes=5)
# Slack advises pages of at most 200 messages; a few pages go back past the row's creation
# in all but the busiest channels, and keep the check to a few calls when they do not.
OUTBOX_HISTORY_PAGE = 200
OUTBOX_HISTORY_MAX_PAGES = 5


def _schedule_delivery(message_id: int) -> None:
    from portal.tasks import outbox_deliver_task

    outbox_deliver_task.delay(message_id)


def outbox_enqueue(
    *,
    key: str,
    channel: str,
    text: str,
    blocks: list[dict] | None = None,
    thread_ts: str = "",
) -> OutboxMessage:
    """Record a message for Slack; it is sent after the surrounding transaction commits.

    The channel is a channel ID, or a member ID for a direct message from the app.
    Call inside the transaction that makes the change the message announces. The key names
    the logical message: enqueueing the same key again returns the first row and sends nothing.
    """
    if not key or not channel or not text.strip():
        raise ValidationError(_("An outbox message needs a key, a channel and some text."))
    return _enqueue(
        key=key,
        channel=channel,
        text=text,
        blocks=blocks or [],
        thread_ts=thread_ts,
        transport=OutboxMessage.Transport.SLACK,
    )


def outbox_enqueue_email(*, key: str, to: str, subject: str, text: str) -> OutboxMessage:
    """Record an email for someone Slack cannot reach; same promises as outbox_enqueue."""
    if not key or not to or not subject.strip() or not text.strip():
        raise ValidationError(_("An email needs a key, an address, a subject and some text."))
    return _enqueue(
        key=key, channel=to, subject=subject, text=text, transport=OutboxMessage.Transport.EMAIL
    )


def _enqueue(*, key: str, **fields) -> OutboxMessage:
    message, created = OutboxMessage.objects.get_or_create(idempotency_key=key, defaults=fields)
    if created:
        transaction.on_commit(lambda: _schedule_delivery(message.pk))
    return message


def _outbox_claim(message_id: int, now: datetime.datetime) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = OutboxMessage.objects.filter(
        due, pk=message_id, state=OutboxMessage.State.PENDING
    ).update(state=OutboxMessage.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def _outbox_postpone(message: OutboxMessage, reason: str, *, verify: bool = False) -> None:
    now = timezone.now()
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.state = OutboxMessage.State.FAILED
        message.last_error = f"gave up after {message.attempts} attempts: {reason}"[:255]
        message.next_attempt_at = None
    else:
        message.state = OutboxMessage.State.PENDING
        message.last_error = reason[:255]
        message.next_attempt_at = now + _backoff(message.attempts)
    message.claimed_at = None
    message.verify_before_send = message.verify_before_send or verify
    message.save(
        update_fields=[
            "state",
            "last_error",
            "next_attempt_at",
            "claimed_at",
            "verify_before_send",
        ]
    )
    if message.state == OutboxMessage.State.FAILED:
        message_settled.send(sender=OutboxMessage, message=message)


def _outbox_mark_sent(message: OutboxMessage, slack_ts: str) -> None:
    message.state = OutboxMessage.State.SENT
    message.slack_ts = slack_ts
    message.sent_at = timezone.now()
    message.last_error = ""
    message.claimed_at = None
    message.verify_before_send = False
    message.save(
        update_fields=[
            "state",
            "slack_ts",
            "sent_at",
            "last_error",
            "claimed_at",
            "verify_before_send",
        ]
    )
    message_settled.send(sender=OutboxMessage, message=message)


def _outbox_metadata(message: OutboxMessage) -> dict:
    return {
        "event_type": OUTBOX_METADATA_EVENT_TYPE,
        "event_payload": {"key": message.idempotency_key},
    }


def _outbox_history_method(message: OutboxMessage) -> str:
    # A reply lives in its thread only, not in the channel's history.
    return "conversations.replies" if message.thread_ts else "conversations.history"


def _outbox_find_posted(client: WebClient, message: OutboxMessage) -> str | None:
    """The ts of this message if an earlier delivery already posted it, else None.

    Lets SlackApiError, URLError and OSError through, as any Slack call does.
    """
    channel = message.channel
    if _is_member_id(channel):
        # A direct message is posted to the member ID; its history is read from the DM itself.
        channel = client.conversations_open(users=channel)["channel"]["id"]
    query = {
        "channel": channel,
        "oldest": f"{(message.created_at - OUTBOX_HISTORY_MARGIN).timestamp():.6f}",
        "limit": OUTBOX_HISTORY_PAGE,
        "include_all_metadata": True,
    }
    for _page in range(OUTBOX_HISTORY_MAX_PAGES):
        if message.thread_ts:
            response = client.conversations_replies(ts=message.thread_ts, **query)
        else:
            response = client.conversations_history(**query)
        for found in response.get("messages") or []:
            metadata = found.get("metadata") or {}
            if (
                metadata.get("event_type") == OUTBOX_METADATA_EVENT_TYPE
                and (metadata.get("event_payload") or {}).get("key") == message.idempotency_key
            ):
                return found.get("ts") or None
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
        query["cursor"] = cursor
    logger.warning(
        "outbox %s: not among the %d newest messages of %s since it was written; "
        "sending it, which may post it twice",
        message.pk,
        OUTBOX_HISTORY_PAGE * OUTBOX_HISTORY_MAX_PAGES,
        message.channel,
    )
    return None


def _is_member_id(channel: str) -> bool:
    return channel[:1] in ("U", "W")


def _outbox_send_email(message: OutboxMessage) -> OutboxMessage:
    # Django's mail backend has no way to ask whether an earlier try got through: an email
    # is at-least-once where a Slack message is checked first.
    try:
        send_mail(
            message.subject,
            message.text,
            settings.DEFAULT_FROM_EMAIL,
            [message.channel],
            fail_silently=False,
        )
    except (SMTPException, OSError) as exc:
        logger.warning("outbox %s: email not sent: %s", message.pk, exc)
        _outbox_postpone(message, f"email error: {exc}")
        return message
    _outbox_mark_sent(message, "")
    return message


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Send one pending message to Slack, at most once; returns it, or None if not ours to send.

    slack-sdk's retry handlers already retried 429 (after Retry-After), 5xx and connection
    errors within this call; what still fails transiently is postponed with a backoff.
    A message an earlier delivery may have posted is looked for in Slack first.
    """
    now = timezone.now()
    if not slack_is_live():
        OutboxMessage.objects.filter(
            pk=message_id,
            state=OutboxMessage.State.PENDING,
            transport=OutboxMessage.Transport.SLACK,
        ).update(state=OutboxMessage.State.PREVIEW)
    if not _outbox_claim(message_id, now):
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    if message.transport == OutboxMessage.Transport.EMAIL:
        return _outbox_send_email(message)
    client = slack_client()
    if message.verify_before_send:
        method = _outbox_history_method(message)
        try:
            posted_ts = _outbox_find_posted(client, message)
        except SlackApiError as exc:
            error = SlackError.from_api_error(exc)
            reason = f"{method}: {error.reason}"
            if error.transient:
                logger.warning("outbox %s: transient Slack error %s", message.pk, reason)
                _outbox_postpone(message, reason)
                return message
            # A refusal such as missing_scope or not_in_channel would refuse every later
            # check as well: waiting cannot help, and a rare duplicate beats never sending.
            logger.warning(
                "outbox %s: cannot look for an earlier post (%s%s); sending, which may post "
                "it twice",
                message.pk,
                reason,
                f", needs {error.needed}" if error.needed else "",
            )
            posted_ts = None
        except (URLError, OSError) as exc:
            logger.warning("outbox %s: Slack unreachable: %s", message.pk, exc)
            _outbox_postpone(message, f"connection error: {exc}")
            return message
        if posted_ts:
            logger.info("outbox %s: already in Slack as %s, not sent again", message.pk, posted_ts)
            _outbox_mark_sent(message, posted_ts)
            return message
    try:
        response = client.chat_postMessage(
            channel=message.channel,
            text=message.text,
            blocks=message.blocks or None,
            thread_ts=message.thread_ts or None,
            unfurl_links=False,
            unfurl_media=False,
            metadata=_outbox_metadata(message),
        )
    except SlackApiError as exc:
        error = SlackError.from_api_error(exc)
        if error.transient:
            logger.warning("outbox %s: transient Slack error %s", message.pk, error.reason)
            _outbox_postpone(message, error.reason)
        else:
            logger.error("outbox %s: Slack refused the message: %s", message.pk, error.reason)
            message.state = OutboxMessage.State.FAILED
            message.last_error = error.reason[:255]
            message.claimed_at = None
            message.save(update_fields=["state", "last_error", "claimed_at"])
            message_settled.send(sender=OutboxMessage, message=message)
        return message
    except (URLError, OSError) as exc:
        logger.warning("outbox %s: Slack unreachable: %s", message.pk, exc)
        # A timeout or a dropped answer may come after Slack has posted the message.
        _outbox_postpone(message, f"connection error: {exc}", verify=True)
        return message
    _outbox_mark_sent(message, response.get("ts") or "")
    return message


def outbox_retry(*, message_ids: Iterable[int]) -> int:
    """Send failed or held messages again (after fixing a channel, or leaving preview mode)."""
    retryable = [OutboxMessage.State.FAILED, OutboxMessage.State.PREVIEW]
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=list(message_ids), state__in=retryable)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            state=OutboxMessage.State.PENDING, attempts=0, next_attempt_at=None, last_error=""
        )
        for message_id in ids:
            transaction.on_commit(lambda message_id=message_id: _schedule_delivery(message_id))
    return len(ids)


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue pending messages whose first delivery was lost or whose backoff has passed.

    A message still "sending" after OUTBOX_STALE_AFTER lost its worker mid-send: it is handed
    out again at once, marked to be looked for in Slack before it is posted.
    """
    now = now or timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.OUTBOX_STALE_AFTER)
    OutboxMessage.objects.filter(
        state=OutboxMessage.State.SENDING, claimed_at__lt=stale_before
    ).update(
        state=OutboxMessage.State.PENDING,
        claimed_at=None,
        next_attempt_at=now,
        verify_before_send=True,
    )
    due = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - OUTBOX_SWEEP_GRACE)
    )
    ids = list(due.order_by("created_at").values_list("pk", flat=True)[:OUTBOX_SWEEP_BATCH])
    for message_id in ids:
        _schedule_delivery(message_id)
    return len(ids)
