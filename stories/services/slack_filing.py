"""What Slack's modals and buttons ask for, done after Slack has its answer (from tasks).

A modal's submission is checked while Slack waits (the services' `*_check`, the same errors as
the web forms), then filed here by a task with the same arguments, through the same services:
the same validation, permissions, outbox messages and notifications. The person hears back
by DM (through the outbox) with a link to what they filed; if filing fails after all (a
department removed in between), they hear why, with what they wrote, so nothing is lost.

Triage buttons land here too: the CX team's click runs the triage service, and the concern's
message in the channel is redrawn to show where it stands and who acted.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from portal.models import User
from portal.services.notify import notify_person, speaking_to
from portal.slack.client import SlackError, respond
from portal.slack.text import slack_escape, slack_link
from stories.models import Concern, FeedbackItem, Story
from stories.services import concern as concerns
from stories.services import concern_triage as triage
from stories.services import feedback as feedback_services
from stories.services import story as stories
from stories.slack_blocks import (
    TRIAGE_ACKNOWLEDGE,
    TRIAGE_INDIVIDUAL,
    TRIAGE_OWNER,
    TRIAGE_SYSTEMIC,
    concern_blocks,
    concern_heading,
    concern_url,
    read_metadata,
    with_permalink,
)

SLACK_SOURCE = "slack"


def permalink(*, client: WebClient, channel: str, ts: str) -> str:
    """A Slack message's permalink ("" when there is no message to link)."""
    if not channel or not ts:
        return ""
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or ""
    except SlackApiError as error:
        raise SlackError.from_api_error(error) from error


def show_permalink(
    *, client: WebClient, view_id: str, view_hash: str, view: dict, language: str = ""
) -> bool:
    """Draw the shortcut's modal again with its message's permalink; False when the person
    has changed the modal meanwhile (Slack's hash says so), which then keeps what it shows:
    the filing task asks for the permalink itself."""
    from django.utils import translation

    meta = read_metadata(view)
    link = permalink(client=client, channel=meta.get("channel", ""), ts=meta.get("ts", ""))
    if not link:
        return False
    with translation.override(language or None):
        updated = with_permalink(view, link)
    try:
        client.views_update(view_id=view_id, hash=view_hash, view=updated)
    except SlackApiError as error:
        if error.response.get("error") == "hash_conflict":
            return False
        raise SlackError.from_api_error(error) from error
    return True


def _what_was_wrong(error: ValidationError) -> str:
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    return "\n".join(f"• {slack_escape(str(m))}" for texts in messages.values() for m in texts)


def _tell_not_filed(user: User, *, key: str, what: str, error: ValidationError, typed: str):
    def compose() -> tuple[str, str]:
        subject = _("Your %(what)s could not be filed") % {"what": what}
        lines = [
            _("Your %(what)s from Slack could not be filed:") % {"what": what},
            _what_was_wrong(error),
            _("What you wrote, to file it again:"),
            "\n".join(f"> {slack_escape(line)}" for line in typed.splitlines() or [""]),
        ]
        return subject, "\n".join(lines)

    notify_person(user=user, key=key, compose=compose)


def _tell_filed(user: User, *, key: str, subject: str, text: str) -> None:
    notify_person(user=user, key=key, compose=lambda: (subject, text))


def concern_file_from_slack(
    *, user: User, arguments: dict, source_url: str = "", key: str
) -> Concern | None:
    """File the concern a modal checked; `key` names the submission (told once)."""
    try:
        concern = concerns.concern_file(user=user, source_url=source_url, **arguments)
    except (ValidationError, PermissionDenied) as error:
        with speaking_to(user):
            _tell_not_filed(
                user,
                key=f"stories:slack:{key}:not-filed",
                what=_("concern"),
                error=_as_validation(error),
                typed=f"{arguments.get('title', '')}\n{arguments.get('description', '')}",
            )
        return None
    with speaking_to(user):
        title = concerns.shown_to(user, concern, concern.title)
        _tell_filed(
            user,
            key=f"stories:concern:{concern.pk}:filed-in-slack",
            subject=_("Your concern was filed"),
            text=_(
                "Thank you: your concern %(concern)s was filed. You will hear when the CX team "
                "has seen it, and what comes of it."
            )
            % {"concern": slack_link(concern_url(concern), title)},
        )
    return concern


def story_file_from_slack(
    *, user: User, arguments: dict, source_url: str = "", key: str
) -> Story | None:
    """Send the story a modal checked for review; `key` names the submission."""
    try:
        story = stories.story_submit(user=user, source_url=source_url, **arguments)
    except (ValidationError, PermissionDenied) as error:
        with speaking_to(user):
            _tell_not_filed(
                user,
                key=f"stories:slack:{key}:not-filed",
                what=_("story"),
                error=_as_validation(error),
                typed="\n".join(
                    str(arguments.get(name, ""))
                    for name in ("title", "what_happened", "customer_words", "outcome")
                ),
            )
        return None
    with speaking_to(user):
        _tell_filed(
            user,
            key=f"stories:story:{story.pk}:filed-in-slack",
            subject=_("Your story was sent for review"),
            text=_(
                "Thank you: your story %(story)s is with the CX team for review. You will hear "
                "when it is published, or if they ask for changes."
            )
            % {"story": slack_link(stories.story_url(story), story.title)},
        )
    return story


def feedback_file_from_slack(
    *, user: User, arguments: dict, channel: str, ts: str, link: str, key: str
) -> FeedbackItem | None:
    """Keep a Slack message as raw customer feedback (one item per message)."""
    try:
        received = datetime.datetime.fromtimestamp(float(ts), tz=datetime.UTC)
    except (TypeError, ValueError):
        received = datetime.datetime.now(tz=datetime.UTC)
    try:
        item = feedback_services.feedback_record(
            user=user,
            source=SLACK_SOURCE,
            external_id=f"{channel}:{ts}",
            received_at=received,
            link=link,
            **arguments,
        )
    except (ValidationError, PermissionDenied) as error:
        with speaking_to(user):
            _tell_not_filed(
                user,
                key=f"stories:slack:{key}:not-filed",
                what=_("customer feedback"),
                error=_as_validation(error),
                typed=str(arguments.get("text", "")),
            )
        return None
    with speaking_to(user):
        _tell_filed(
            user,
            key=f"stories:feedback:{item.pk}:filed-in-slack:{user.pk}",
            subject=_("The customer's words were kept"),
            text=_(
                "Thank you: the customer's words are kept as feedback, for the daily customer "
                "voice and the CX team."
            ),
        )
    return item


def _as_validation(error: Exception) -> ValidationError:
    if isinstance(error, ValidationError):
        return error
    return ValidationError(_("You may not do this in the portal."))


# --- triage from Slack ------------------------------------------------------------------------


def triage_from_slack(
    *,
    user: User,
    action: str,
    concern_id: int,
    department_id: int | None,
    channel: str,
    ts: str,
    response_url: str,
    client: WebClient,
) -> Concern | None:
    """Run the triage service a button asks for, then redraw the concern's message in place.

    Someone who may not triage (the service refuses) is told so where they clicked, and
    nothing changes; so is a bad choice (the service's own message).
    """
    concern = Concern.objects.filter(pk=concern_id).first()
    if concern is None:
        _answer(response_url, _("This concern no longer exists."))
        return None
    try:
        if action == TRIAGE_ACKNOWLEDGE:
            concern = triage.concern_acknowledge(user=user, concern=concern)
        elif action in (TRIAGE_SYSTEMIC, TRIAGE_INDIVIDUAL):
            kind = Concern.Kind.SYSTEMIC if action == TRIAGE_SYSTEMIC else Concern.Kind.INDIVIDUAL
            concern = triage.concern_classify(user=user, concern=concern, kind=kind)
        elif action == TRIAGE_OWNER:
            concern = triage.concern_set_owner(
                user=user, concern=concern, owner_department_id=department_id
            )
        else:
            return None
    except PermissionDenied:
        with speaking_to(user):
            _answer(response_url, refusal())
        return None
    except ValidationError as error:
        with speaking_to(user):
            _answer(response_url, _what_was_wrong(error))
        return None
    redraw(concern=concern, channel=channel, ts=ts, client=client)
    return concern


def refusal() -> str:
    return _("You can't do that: only the CX team triages concerns. Nothing was changed.")


def redraw(*, concern: Concern, channel: str, ts: str, client: WebClient) -> None:
    """Update the concern's message in the channel to where it stands now."""
    if not channel or not ts:
        return
    from django.conf import settings
    from django.utils import translation

    concern = Concern.objects.select_related("touchpoint", "department", "owner_department").get(
        pk=concern.pk
    )
    with translation.override(settings.LANGUAGE_CODE):
        text, blocks = concern_heading(concern), concern_blocks(concern)
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        raise SlackError.from_api_error(error) from error


def _answer(response_url: str, text: str) -> None:
    if response_url:
        respond(response_url, text)
