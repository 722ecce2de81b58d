"""Writes for the daily customer voice: the tick, the send, pins, reactions, Slack's refusals.

Exactly one voice per department and local date: the DailyVoice row and its outbox message
are written in one transaction, under the unique (department, local_date) constraint. A
second tick, a second beat process or a repeated task finds the row with its message and
stops; a worker killed before the commit leaves nothing, so the next tick sends; a worker
killed after it leaves the outbox row, which the outbox delivers once (its own promise).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Department, OutboxMessage
from portal.services.outbox import outbox_enqueue
from stories import rules
from stories.models import Concern, DailyVoice, FeedbackItem, Story, VoiceReaction
from stories.selectors.voice import choose_voice, polarity_of_item, recent_history
from stories.voice import due_date
from stories.voice_blocks import voice_blocks, voice_text

logger = logging.getLogger(__name__)

KEY_PREFIX = "stories:voice:"


def voice_key(department_id: int, day: datetime.date) -> str:
    return f"{KEY_PREFIX}{department_id}:{day.isoformat()}"


class VoiceNotSent(Exception):
    """Why a department got no voice (no channel, a past date, nothing in its pool...)."""


def _voice_language(department: Department) -> str:
    wanted = [code for code in department.voice_languages or [] if code in dict(settings.LANGUAGES)]
    return wanted[0] if wanted else settings.LANGUAGE_CODE


def voice_due(*, now: datetime.datetime | None = None) -> list[tuple[int, datetime.date]]:
    """(department id, local date) of every department due a voice and not yet sent one."""
    now = now or timezone.now()
    due = []
    for department in Department.objects.filter(voice_paused=False).exclude(slack_channel_id=""):
        day = due_date(department, now)
        if day is not None:
            due.append((department.pk, day))
    if not due:
        return []
    sent = set(
        DailyVoice.objects.filter(
            department_id__in=[pk for pk, _day in due],
            local_date__in={day for _pk, day in due},
        )
        .exclude(outbox_message=None)
        .values_list("department_id", "local_date")
    )
    return [(pk, day) for pk, day in due if (pk, day) not in sent]


def voice_send(
    *, department: Department, day: datetime.date | None = None, now=None, dry_run=False
) -> DailyVoice:
    """Send the department its voice for a local date (today when not given): once, ever.

    Raises VoiceNotSent with the reason when it cannot: paused, no channel, a date that is
    not today for the department, or an empty pool. With dry_run, the voice it would get is
    returned unsaved.
    """
    now = now or timezone.now()
    today = department.local_now(now).date()
    day = day or today
    if day < today:
        raise VoiceNotSent(
            _("%(day)s has passed in %(department)s: nothing is sent for it.")
            % {"day": day, "department": department}
        )
    if day > today:
        raise VoiceNotSent(
            _("%(day)s has not come yet in %(department)s.")
            % {"day": day, "department": department}
        )
    if not department.slack_channel_id:
        raise VoiceNotSent(_("%(department)s has no Slack channel.") % {"department": department})
    if department.voice_paused and not dry_run:
        raise VoiceNotSent(
            _("The daily voice of %(department)s is paused.") % {"department": department}
        )
    with transaction.atomic():
        voice = (
            DailyVoice.objects.select_for_update(of=("self",))
            .filter(department=department, local_date=day)
            .select_related("feedback", "story", "concern")
            .order_by()
            .first()
        )
        if voice is not None and voice.outbox_message_id:
            return voice
        if voice is None:
            choice = choose_voice(department, history=recent_history(department, before=day))
            if choice is None:
                raise VoiceNotSent(
                    _("%(department)s has nothing in its pool of voices yet.")
                    % {"department": department}
                )
            voice = DailyVoice(
                department=department,
                local_date=day,
                kind=choice.kind,
                polarity=choice.polarity,
                cycle=choice.cycle,
                **{choice.kind: choice.item},
            )
            if dry_run:
                return voice
            try:
                with transaction.atomic():
                    voice.save()
            except IntegrityError:  # another tick wrote the day's voice a moment ago
                return DailyVoice.objects.get(department=department, local_date=day)
        elif dry_run:
            return voice
        with translation.override(_voice_language(department)):
            message = outbox_enqueue(
                key=voice_key(department.pk, day),
                channel=department.slack_channel_id,
                text=voice_text(voice),
                blocks=voice_blocks(voice),
            )
        voice.outbox_message = message
        voice.sent_at = now
        voice.save(update_fields=["outbox_message", "sent_at"])
    return voice


def voice_send_due(*, department_id: int, day: str) -> DailyVoice | None:
    """The tick's task: send if still due (a department paused meanwhile is left alone)."""
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        return None
    try:
        return voice_send(department=department, day=datetime.date.fromisoformat(day))
    except VoiceNotSent as reason:
        logger.info("daily voice for %s on %s not sent: %s", department, day, reason)
        return None


# --- pins --------------------------------------------------------------------------------------

ITEM_MODELS = {
    DailyVoice.Kind.FEEDBACK: FeedbackItem,
    DailyVoice.Kind.STORY: Story,
    DailyVoice.Kind.CONCERN: Concern,
}


def voice_pin(
    *, user, department: Department, day: datetime.date, kind: str, item_id
) -> DailyVoice:
    """The CX team chooses a department's voice for a future (or today's, unsent) date."""
    if not rules.may_triage(user):
        raise PermissionDenied
    errors = {}
    if day < department.local_now().date():
        errors["local_date"] = [_("That day has passed.")]
    model = ITEM_MODELS.get(kind)
    item = model.objects.filter(pk=item_id).first() if model and str(item_id).isdigit() else None
    if model is None:
        errors["kind"] = [_("Choose feedback, a story or a concern.")]
    elif item is None:
        errors["item_id"] = [_("No such item.")]
    elif kind == DailyVoice.Kind.STORY and not item.live:
        errors["item_id"] = [_("Only a published story can be a voice.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        voice = (
            DailyVoice.objects.select_for_update()
            .filter(department=department, local_date=day)
            .first()
        )
        if voice is not None and voice.outbox_message_id:
            raise ValidationError({"local_date": [_("That day's voice has been sent already.")]})
        fields = {
            "kind": kind,
            "feedback": None,
            "story": None,
            "concern": None,
            kind: item,
            "polarity": polarity_of_item(kind, item),
            "pinned_by": user,
        }
        if voice is None:
            history = recent_history(department, before=day)
            voice = DailyVoice(
                department=department, local_date=day, cycle=history[0][1] if history else 1
            )
        for name, value in fields.items():
            setattr(voice, name, value)
        voice.save()
    return voice


def voice_unpin(*, user, voice: DailyVoice) -> None:
    if not rules.may_triage(user):
        raise PermissionDenied
    if voice.outbox_message_id:
        raise ValidationError(_("That day's voice has been sent already."))
    voice.delete()


# --- what people answer ----------------------------------------------------------------------

COUNTERS = {VoiceReaction.THANKS: "thanks_count", VoiceReaction.LOOK_INTO: "look_into_count"}


def voice_record(*, voice_id: int, slack_user_id: str, kind: str, added: bool = True) -> bool:
    """Record (or, for an emoji taken back, forget) one answer; True when it changed a count."""
    if not slack_user_id or not kind:
        return False
    counter = COUNTERS.get(kind, "reaction_count")
    with transaction.atomic():
        if added:
            try:
                with transaction.atomic():
                    VoiceReaction.objects.create(
                        voice_id=voice_id, slack_user_id=slack_user_id, kind=kind[:60]
                    )
            except IntegrityError:
                return False  # once per person and kind
            DailyVoice.objects.filter(pk=voice_id).update(**{counter: F(counter) + 1})
            return True
        deleted, _rows = VoiceReaction.objects.filter(
            voice_id=voice_id, slack_user_id=slack_user_id, kind=kind[:60]
        ).delete()
        if deleted:
            DailyVoice.objects.filter(pk=voice_id, **{f"{counter}__gt": 0}).update(
                **{counter: F(counter) - 1}
            )
        return bool(deleted)


def voice_for_message(*, channel: str, ts: str) -> DailyVoice | None:
    """The voice a Slack message (channel and ts, as a reaction event names it) carried."""
    if not channel or not ts:
        return None
    return DailyVoice.objects.filter(
        outbox_message__channel=channel, outbox_message__slack_ts=ts
    ).first()


# --- Slack's answer, shown on the department ---------------------------------------------------


def voice_message_settled(message: OutboxMessage) -> None:
    """A voice posted clears the department's problem; one refused names it (admin)."""
    if not message.idempotency_key.startswith(KEY_PREFIX):
        return
    department_id = message.idempotency_key[len(KEY_PREFIX) :].split(":", 1)[0]
    if not department_id.isdigit():
        return
    departments = Department.objects.filter(pk=int(department_id))
    if message.state == OutboxMessage.State.SENT:
        departments.exclude(voice_problem="").update(voice_problem="", voice_problem_at=None)
    elif message.state == OutboxMessage.State.FAILED:
        departments.update(voice_problem=message.last_error[:255], voice_problem_at=timezone.now())


def thanks_reply(*, counted: bool, slack_user_id: str) -> str:
    """What the person who pressed "Thanks for sharing" reads, in their language."""
    from portal.selectors import person_for_slack
    from portal.services.notify import language_of

    person = person_for_slack(slack_user_id=slack_user_id)
    with translation.override(language_of(person) if person else settings.LANGUAGE_CODE):
        if counted:
            return _("Thank you for listening: your thanks was counted.")
        return _("Your thanks was counted already.")
