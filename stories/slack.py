"""Stories and concerns in Slack: `/story`, `/concern`, the `file_customer_voice` shortcut, the
App Home's buttons, the modals' submissions and the triage controls (the Bolt app finds this
module's `register`).

Thin, and quick: each listener answers Slack at once. Modals are built while Slack waits and
opened right after the answer (portal/slack/modals.py); a submission is checked by the same
services as the web forms, its errors shown on the right input, and filed by a task; a triage
click is checked (only the CX team) and done by a task, which redraws the message.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal.selectors import person_for_slack
from portal.slack.blocks import errors_for, submitted
from portal.slack.modals import open_prepared, prepare
from portal.slack.text import cut, slack_to_plain
from stories import rules, tasks
from stories.models import DailyVoice, VoiceReaction
from stories.services import concern as concern_services
from stories.services import feedback as feedback_services
from stories.services import slack_filing
from stories.services import story as story_services
from stories.services.arguments import as_id
from stories.slack_blocks import (
    CONCERN_FIELDS,
    CONCERN_MODAL,
    FEEDBACK_FIELDS,
    KIND_CONCERN,
    KIND_FEEDBACK,
    KIND_STORY,
    SLACK_OPEN_CONCERN,
    SLACK_OPEN_STORY,
    STORY_FIELDS,
    STORY_MODAL,
    TRIAGE_ACTIONS,
    TRIAGE_OWNER,
    VOICE_KIND,
    VOICE_MODAL,
    VOICE_SHORTCUT,
    concern_arguments,
    concern_modal,
    feedback_arguments,
    read_metadata,
    story_arguments,
    story_modal,
    voice_modal,
)
from stories.voice_blocks import VOICE_LOOK_INTO, VOICE_THANKS, voice_item_url, voice_words

STORY_COMMAND = "/story"
CONCERN_COMMAND = "/concern"
# A submission is filed once: remembered (in the shared cache) by its modal and its values.
SUBMISSION_MEMORY = 3600


def _slack_user(body: dict) -> str:
    return body.get("user_id") or (body.get("user") or {}).get("id") or ""


def _language(person) -> str:
    profile = getattr(person, "profile", None)
    return getattr(profile, "language", "") or translation.get_language()


def _department_id(person):
    return getattr(getattr(person, "profile", None), "department_id", None)


def _after_commit(task, *args) -> None:
    transaction.on_commit(lambda: task.delay(*args))


def _introduce(body: dict, again: str) -> str:
    """For a Slack member the portal does not know yet: look them up by a task (never while
    Slack waits), which tells them what came of it; the text answers them now."""
    from portal.tasks import slack_member_introduce_task

    _after_commit(
        slack_member_introduce_task, _slack_user(body), body.get("response_url", ""), again
    )
    return _("One moment: finding your portal account. Nothing was filed yet.")


def _failure(command: str) -> str:
    return _("Slack did not open the form in time: try %(command)s again.") % {"command": command}


# --- opening the modals ---------------------------------------------------------------------


def _open_filing_modal(ack, body, context, *, command: str, build) -> None:
    person = person_for_slack(slack_user_id=_slack_user(body))
    if person is None:
        ack(_introduce(body, command)) if "command" in body else ack()
        return
    with translation.override(_language(person)):
        prepare(
            context,
            build(person=person, title=body.get("text", "")),
            failure=_failure(command),
        )
    ack()


def _concern_modal_for(*, person, title: str = "") -> dict:
    return concern_modal(department_id=_department_id(person), title=title)


def _story_modal_for(*, person, title: str = "") -> dict:
    return story_modal(
        department_id=_department_id(person), language=_language(person), title=title
    )


def concern_opened(ack, body, context) -> None:
    _open_filing_modal(ack, body, context, command=CONCERN_COMMAND, build=_concern_modal_for)


def story_opened(ack, body, context) -> None:
    _open_filing_modal(ack, body, context, command=STORY_COMMAND, build=_story_modal_for)


def voice_shortcut(ack, body, context) -> None:
    """On a message: a modal to file its words as a concern, a story or feedback."""
    person = person_for_slack(slack_user_id=_slack_user(body))
    if person is None:
        _introduce(body, _("Use “File a customer voice”"))
        ack()
        return
    message = body.get("message") or {}
    modal = {
        "kind": KIND_CONCERN,
        "text": message.get("text", ""),
        "channel": (body.get("channel") or {}).get("id", ""),
        "ts": message.get("ts", ""),
        "department_id": _department_id(person),
        "language": _language(person),
    }
    with translation.override(modal["language"]):
        prepare(context, voice_modal(**modal), failure=_failure(_("the shortcut")))
    context["voice_modal"] = modal
    ack()


def open_voice_modal(body, context, client, logger) -> None:
    """Open the shortcut's modal, then ask a task for the message's permalink to show."""
    from slack_sdk.errors import SlackApiError

    view = context.get("portal_prepared_view")
    modal = dict(context.get("voice_modal") or {})
    if not view:
        return
    try:
        opened = client.views_open(trigger_id=body.get("trigger_id", ""), view=view)["view"]
    except SlackApiError as error:
        logger.warning("Slack did not open a modal: %s", error.response.get("error"))
        return
    if modal.get("channel") and modal.get("ts"):
        tasks.slack_voice_permalink_task.delay(
            opened["id"], opened["hash"], view, modal.get("language", "")
        )


def voice_kind_changed(ack, body, context) -> None:
    """The shortcut's modal, drawn again for the kind chosen, keeping the message's words."""
    ack()
    person = person_for_slack(slack_user_id=_slack_user(body))
    view = body.get("view") or {}
    if person is None or not view.get("id"):
        return
    meta = read_metadata(view)
    kind = (submitted(view).get(VOICE_KIND)) or KIND_CONCERN
    typed = submitted(view)
    text = typed.get("description") or typed.get("customer_words") or typed.get("text") or ""
    with translation.override(_language(person)):
        context["voice_update"] = {
            "view_id": view["id"],
            "hash": view.get("hash", ""),
            "view": voice_modal(
                kind=kind,
                text=text,
                channel=meta.get("channel", ""),
                ts=meta.get("ts", ""),
                permalink=meta.get("permalink", ""),
                department_id=_department_id(person),
                language=_language(person),
            ),
        }


def update_voice_modal(context, client, logger) -> None:
    from slack_sdk.errors import SlackApiError

    update = context.get("voice_update")
    if not update:
        return
    try:
        client.views_update(view_id=update["view_id"], hash=update["hash"], view=update["view"])
    except SlackApiError as error:
        logger.info("The shortcut's modal was not redrawn: %s", error.response.get("error"))


# --- submitting them ------------------------------------------------------------------------


def _first_time(view: dict) -> bool:
    """True once per modal and set of values: a submission handled twice files once."""
    state = json.dumps((view.get("state") or {}).get("values") or {}, sort_keys=True)
    digest = hashlib.blake2b(state.encode(), digest_size=12).hexdigest()
    return cache.add(f"slack:submission:{view.get('id', '')}:{digest}", True, SUBMISSION_MEMORY)


def _submission_key(view: dict) -> str:
    return f"{view.get('id', '')}:{view.get('hash', '')}"


def _checked(ack, person, check, arguments: dict, fields, *, fallback: str) -> bool:
    """Check a submission with the service; on errors answer with them on their inputs."""
    try:
        check(user=person, **arguments)
    except ValidationError as error:
        ack(response_action="errors", errors=errors_for(error, fields, fallback=fallback))
        return False
    except PermissionDenied:
        ack(response_action="errors", errors={fallback: _("You may not file this.")})
        return False
    return True


def _not_linked(ack, fallback: str) -> None:
    ack(
        response_action="errors",
        errors={fallback: _("Your Slack account is not linked to the portal: nothing was filed.")},
    )


def _submit(ack, body, view, *, arguments_of, check, fields, task) -> None:
    """A /concern or /story modal submitted: check it now, file it in a task after the ack."""
    person = person_for_slack(slack_user_id=_slack_user(body))
    if person is None:
        _not_linked(ack, "title")
        return
    arguments = arguments_of(view, person)
    with translation.override(_language(person)):
        if not _checked(ack, person, check, arguments, fields, fallback="title"):
            return
    if _first_time(view):
        _after_commit(task, person.pk, arguments, _submission_key(view))
    ack()


def _concern_arguments(view: dict, person) -> dict:
    """The modal's values; from a daily voice, its department takes the concern on when the
    person is one of its members (anyone else files it for the CX team to route)."""
    arguments = concern_arguments(submitted(view))
    voice_id = read_metadata(view).get("voice")
    if voice_id:
        department_id = (
            DailyVoice.objects.filter(pk=voice_id).values_list("department_id", flat=True).first()
        )
        if department_id and department_id == _department_id(person):
            arguments["owner_department_id"] = department_id
    return arguments


def concern_submitted(ack, body, view) -> None:
    _submit(
        ack,
        body,
        view,
        arguments_of=_concern_arguments,
        check=concern_services.concern_check,
        fields=CONCERN_FIELDS,
        task=tasks.slack_concern_file_task,
    )


def story_submitted(ack, body, view) -> None:
    _submit(
        ack,
        body,
        view,
        arguments_of=lambda view, person: story_arguments(submitted(view)),
        check=story_services.story_check,
        fields=STORY_FIELDS,
        task=tasks.slack_story_file_task,
    )


def voice_submitted(ack, body, view) -> None:
    meta = read_metadata(view)
    kind = meta.get("kind") or KIND_CONCERN
    fallback = "text" if kind == KIND_FEEDBACK else "title"
    person = person_for_slack(slack_user_id=_slack_user(body))
    if person is None:
        _not_linked(ack, fallback)
        return
    values = submitted(view)
    channel, ts, link = meta.get("channel", ""), meta.get("ts", ""), meta.get("permalink", "")
    key = _submission_key(view)
    if kind == KIND_STORY:
        arguments, check, fields = story_arguments(values), story_services.story_check, STORY_FIELDS
        task = tasks.slack_story_file_task
    elif kind == KIND_FEEDBACK:
        arguments, check = feedback_arguments(values), feedback_services.feedback_check
        fields, task = FEEDBACK_FIELDS, tasks.slack_feedback_file_task
    else:
        arguments, check = concern_arguments(values), concern_services.concern_check
        fields, task = CONCERN_FIELDS, tasks.slack_concern_file_task
    with translation.override(_language(person)):
        if not _checked(ack, person, check, arguments, fields, fallback=fallback):
            return
    if _first_time(view):
        _after_commit(task, person.pk, arguments, key, channel, ts, link)
    ack()


# --- triage controls --------------------------------------------------------------------------


def _target(action: dict) -> tuple[int | None, int | None]:
    """(concern id, department id) from a button's value or the owner select's option."""
    if action.get("action_id") == TRIAGE_OWNER:
        value = (action.get("selected_option") or {}).get("value", "")
        concern, _sep, department = value.partition(":")
    else:
        concern, department = action.get("value", ""), ""
    as_int = lambda text: int(text) if text.isdigit() else None  # noqa: E731
    return as_int(concern), as_int(department)


def triage_clicked(ack, body, action) -> None:
    """Only the CX team triages; anyone else hears so where they clicked, and nothing changes."""
    ack()
    person = person_for_slack(slack_user_id=_slack_user(body))
    response_url = body.get("response_url", "")
    concern_id, department_id = _target(action)
    if person is None or not rules.may_triage(person):
        with translation.override(_language(person) if person else settings.LANGUAGE_CODE):
            refusal = slack_filing.refusal()
        _after_commit(tasks.slack_respond_task, response_url, refusal)
        return
    if concern_id is None:
        return
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    _after_commit(
        tasks.slack_triage_task,
        person.pk,
        action.get("action_id", ""),
        concern_id,
        department_id,
        channel,
        ts,
        response_url,
    )


# --- the daily voice's buttons and reactions ----------------------------------------------------


def _voice(action: dict) -> DailyVoice | None:
    pk = as_id(action.get("value"))
    if pk is None:
        return None
    return DailyVoice.objects.select_related("feedback", "story", "concern").filter(pk=pk).first()


def voice_look_into(ack, body, action, context) -> None:
    """Open the concern modal with the voice's words, its department and touchpoint set."""
    person = person_for_slack(slack_user_id=_slack_user(body))
    if person is None:
        _introduce(body, _("“We'll look into it”"))
        ack()
        return
    voice = _voice(action)
    if voice is None:
        ack()
        return
    words = slack_to_plain(voice_words(voice.kind, voice.item))
    with translation.override(_language(person)):
        prepare(
            context,
            concern_modal(
                department_id=voice.department_id,
                title=cut(" ".join(words.split()), 120),
                description=f"{words}\n\n{voice_item_url(voice)}",
                touchpoint_id=getattr(voice.item, "touchpoint_id", None),
                voice_id=voice.pk,
            ),
            failure=_failure(_("“We'll look into it”")),
        )
    _after_commit(
        tasks.voice_answer_task, voice.pk, "", "", _slack_user(body), VoiceReaction.LOOK_INTO, True
    )
    ack()


def voice_thanks(ack, body, action) -> None:
    """Counted once per person; they hear it was."""
    ack()
    voice_id = as_id(action.get("value"))
    if voice_id is None:
        return
    _after_commit(
        tasks.voice_answer_task,
        voice_id,
        "",
        "",
        _slack_user(body),
        VoiceReaction.THANKS,
        True,
        body.get("response_url", ""),
    )


def voice_reacted(event: dict) -> None:
    """An emoji on any message: a task finds whether it was a daily voice and counts it."""
    item = event.get("item") or {}
    if item.get("type") != "message":
        return
    _after_commit(
        tasks.voice_answer_task,
        None,
        item.get("channel", ""),
        item.get("ts", ""),
        event.get("user", ""),
        event.get("reaction", ""),
        event.get("type") == "reaction_added",
    )


def register(app) -> None:
    app.command(CONCERN_COMMAND)(ack=concern_opened, lazy=[open_prepared])
    app.command(STORY_COMMAND)(ack=story_opened, lazy=[open_prepared])
    app.action(SLACK_OPEN_CONCERN)(ack=concern_opened, lazy=[open_prepared])
    app.action(SLACK_OPEN_STORY)(ack=story_opened, lazy=[open_prepared])
    app.shortcut(VOICE_SHORTCUT)(ack=voice_shortcut, lazy=[open_voice_modal])
    app.action({"block_id": VOICE_KIND})(ack=voice_kind_changed, lazy=[update_voice_modal])
    app.view(CONCERN_MODAL)(concern_submitted)
    app.view(STORY_MODAL)(story_submitted)
    app.view(VOICE_MODAL)(voice_submitted)
    for action_id in TRIAGE_ACTIONS:
        app.action(action_id)(triage_clicked)
    app.action(VOICE_LOOK_INTO)(ack=voice_look_into, lazy=[open_prepared])
    app.action(VOICE_THANKS)(voice_thanks)
    app.event("reaction_added")(voice_reacted)
    app.event("reaction_removed")(voice_reacted)
