"""Block Kit for stories and concerns in Slack: the filing modals, the message shortcut's
modal, and the triage controls on concern messages (portal/slack/blocks.py builds each part).

The Bolt listeners (stories/slack.py), the services and the tasks use these; nothing here
calls Slack. Each input's block id is the name of the service argument it carries, so a
service's ValidationError lands on the input it is about.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
    StaticSelectElement,
)

from portal.slack import blocks as kit
from portal.slack.text import fit, site_url, slack_escape, slack_link
from stories.masking import mask_identifiers
from stories.models import Concern, ConcernEvent, Severity
from stories.selectors.concern import filter_choices

# Buttons and commands that open a filing modal (App Home buttons, slash commands).
SLACK_OPEN_STORY = "stories_open_story"
SLACK_OPEN_CONCERN = "stories_open_concern"
# The modals' callback ids.
STORY_MODAL = "stories_story_file"
CONCERN_MODAL = "stories_concern_file"
VOICE_MODAL = "stories_voice_file"
# The message shortcut (slack-app-manifest.yml) and the kind chosen in its modal.
VOICE_SHORTCUT = "file_customer_voice"
VOICE_KIND = "kind"
KIND_STORY, KIND_CONCERN, KIND_FEEDBACK = "story", "concern", "feedback"
# Triage controls on the CX channel's concern messages.
TRIAGE_ACKNOWLEDGE = "stories_triage_acknowledge"
TRIAGE_SYSTEMIC = "stories_triage_systemic"
TRIAGE_INDIVIDUAL = "stories_triage_individual"
TRIAGE_OWNER = "stories_triage_owner"
TRIAGE_ACTIONS = (TRIAGE_ACKNOWLEDGE, TRIAGE_SYSTEMIC, TRIAGE_INDIVIDUAL, TRIAGE_OWNER)
OPEN_IN_PORTAL = "portal_open_link:concern"

CONCERN_FIELDS = (
    "title",
    "description",
    "customer_reference",
    "touchpoint_id",
    "department_id",
    "severity",
)
STORY_FIELDS = (
    "title",
    "what_happened",
    "customer_words",
    "outcome",
    "touchpoint_id",
    "department_ids",
    "tags",
    "language",
    "customer_may_be_named",
    "customer_name",
)
FEEDBACK_FIELDS = ("text", "touchpoint_id", "department_id", "language")
# How much of a concern's description its message quotes.
EXCERPT = 400


# --- what a modal carries besides its inputs ------------------------------------------------


def metadata(**values: Any) -> str:
    """A modal's private metadata: ids and links the portal set, never people's text."""
    return json.dumps({k: v for k, v in values.items() if v not in (None, "")})


def read_metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    try:
        values = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


# --- the inputs -------------------------------------------------------------------------------


def _touchpoint_options() -> list:
    return [kit.option(str(t), t.pk) for t in filter_choices()[1]]


def _department_options() -> list:
    return [kit.option(d.name, d.pk) for d in filter_choices()[0]]


def _severity_options() -> list:
    return [kit.option(label, value) for value, label in Severity.choices]


def _language_options() -> list:
    return [kit.option(str(label), code) for code, label in settings.LANGUAGES]


def concern_inputs(
    *, department_id=None, title: str = "", description: str = "", touchpoint_id=None
) -> list:
    from stories.services import concern as services

    return [
        kit.text_input(
            "title",
            _("Title"),
            initial=title,
            max_length=services.MAX_TITLE,
            hint=_("In a few words, what went wrong for the customer."),
        ),
        kit.text_input(
            "description",
            _("What the customer experienced"),
            multiline=True,
            initial=description,
            hint=_("What happened, when, and what it meant for them. Their words help."),
        ),
        kit.text_input(
            "customer_reference",
            _("Customer reference"),
            optional=True,
            max_length=services.MAX_REFERENCE,
            hint=_("An account, order or ticket number. Only the CX team and the owner see it."),
        ),
        kit.select("touchpoint_id", _("Touchpoint"), _touchpoint_options(), initial=touchpoint_id),
        kit.select(
            "department_id",
            _("Department where it was seen"),
            _department_options(),
            initial=department_id,
        ),
        kit.select("severity", _("How bad it is"), _severity_options(), initial=Severity.MEDIUM),
    ]


def story_inputs(
    *, department_id=None, language: str = "", title: str = "", customer_words: str = ""
) -> list:
    return [
        kit.text_input("title", _("Title"), initial=title, max_length=200),
        kit.text_input(
            "what_happened",
            _("What happened"),
            multiline=True,
            hint=_("What the customer needed, and what we did about it."),
        ),
        kit.text_input(
            "customer_words",
            _("The customer's own words"),
            multiline=True,
            initial=customer_words,
            hint=_(
                "Quote them as closely as you can. Email addresses and phone numbers are hidden "
                "from everyone outside the CX team."
            ),
        ),
        kit.text_input(
            "outcome",
            _("Outcome"),
            multiline=True,
            hint=_("How it ended for the customer, and for us."),
        ),
        kit.select("touchpoint_id", _("Touchpoint"), _touchpoint_options()),
        kit.multi_select(
            "department_ids",
            _("Departments"),
            _department_options(),
            initial=[department_id],
            hint=_("The teams this story is about, or should reach."),
        ),
        kit.text_input(
            "tags",
            _("Tags"),
            optional=True,
            max_length=1000,
            hint=_("A few words, separated by commas: refund, onboarding, 야간지원."),
        ),
        kit.select("language", _("Language of the story"), _language_options(), initial=language),
        kit.checkbox("customer_may_be_named", _("Customer"), _("The customer agreed to be named")),
        kit.text_input(
            "customer_name",
            _("Customer's name"),
            optional=True,
            max_length=200,
            hint=_("Only if they agreed; otherwise leave it empty and no name is ever shown."),
        ),
    ]


def feedback_inputs(*, department_id=None, language: str = "", text: str = "") -> list:
    return [
        kit.text_input(
            "text",
            _("What the customer said"),
            multiline=True,
            initial=text,
            hint=_("Their words as they wrote them; leave out anything that is not theirs."),
        ),
        kit.select("touchpoint_id", _("Touchpoint"), _touchpoint_options(), optional=True),
        kit.select(
            "department_id",
            _("Department it is for"),
            _department_options(),
            initial=department_id,
            optional=True,
        ),
        kit.select("language", _("Language"), _language_options(), initial=language),
    ]


# --- the modals -------------------------------------------------------------------------------


def concern_modal(
    *,
    department_id=None,
    title: str = "",
    description: str = "",
    touchpoint_id=None,
    voice_id=None,
) -> dict:
    """/concern's modal; from a daily voice's "We'll look into it", prefilled with its words,
    and the voice remembered so its department takes the concern on."""
    return kit.modal(
        callback_id=CONCERN_MODAL,
        title=_("Raise a concern"),
        submit=_("Raise it"),
        close=_("Cancel"),
        blocks=concern_inputs(
            department_id=department_id,
            title=title,
            description=description,
            touchpoint_id=touchpoint_id,
        ),
        private_metadata=metadata(voice=voice_id) if voice_id else "",
    )


def story_modal(*, department_id=None, language: str = "", title: str = "") -> dict:
    note = ContextBlock(
        elements=[
            MarkdownTextObject(
                text=slack_escape(_("To add a photo, edit the story on the portal after filing."))
            )
        ]
    )
    return kit.modal(
        callback_id=STORY_MODAL,
        title=_("Share a story"),
        submit=_("Send for review"),
        close=_("Cancel"),
        blocks=[*story_inputs(department_id=department_id, language=language, title=title), note],
    )


def _kind_block(kind: str):
    from slack_sdk.models.blocks import InputBlock, RadioButtonsElement

    options = [
        kit.option(_("A concern: a customer was let down"), KIND_CONCERN),
        kit.option(_("A success story"), KIND_STORY),
        kit.option(_("Customer feedback, as it is"), KIND_FEEDBACK),
    ]
    chosen = [o for o in options if o.value == kind]
    return InputBlock(
        block_id=VOICE_KIND,
        label=kit.plain(_("File it as"), kit.INPUT_LABEL),
        dispatch_action=True,
        element=RadioButtonsElement(
            action_id=kit.VALUE, options=options, initial_option=chosen[0] if chosen else None
        ),
    )


SOURCE_BLOCK = "source"


def _source_block(permalink: str) -> ContextBlock:
    source = (
        slack_link(permalink, _("the message in Slack"))
        if permalink
        else slack_escape(_("a message in Slack (its link is on its way)"))
    )
    return ContextBlock(
        block_id=SOURCE_BLOCK,
        elements=[MarkdownTextObject(text=_("From %(source)s.") % {"source": source})],
    )


def with_permalink(view: Mapping[str, Any], permalink: str) -> dict:
    """The shortcut's modal as it was opened, now naming its message's permalink: in the
    source line and in the metadata the submission reads (the inputs are left as they are,
    and Slack keeps what was typed in them)."""
    blocks = [
        _source_block(permalink).to_dict() if block.get("block_id") == SOURCE_BLOCK else block
        for block in view.get("blocks", [])
    ]
    meta = {**read_metadata(view), "permalink": permalink}
    keep = ("type", "callback_id", "title", "submit", "close")
    return {
        **{k: view[k] for k in keep if k in view},
        "blocks": blocks,
        "private_metadata": metadata(**meta),
    }


def voice_modal(
    *,
    kind: str,
    text: str,
    channel: str,
    ts: str,
    permalink: str = "",
    department_id=None,
    language: str = "",
) -> dict:
    """The message shortcut's modal: the message's words prefilled, filed as the kind chosen.

    Changing the kind redraws the modal (stories/slack.py) with the same words.
    """
    heard = _source_block(permalink)
    if kind == KIND_STORY:
        inputs = story_inputs(department_id=department_id, language=language, customer_words=text)
    elif kind == KIND_FEEDBACK:
        inputs = feedback_inputs(department_id=department_id, language=language, text=text)
    else:
        kind = KIND_CONCERN
        inputs = concern_inputs(department_id=department_id, description=text)
    return kit.modal(
        callback_id=VOICE_MODAL,
        title=_("File a customer voice"),
        submit=_("File it"),
        close=_("Cancel"),
        blocks=[_kind_block(kind), heard, *inputs],
        private_metadata=metadata(kind=kind, channel=channel, ts=ts, permalink=permalink),
    )


# --- what was typed, as service arguments ----------------------------------------------------


def concern_arguments(values: Mapping[str, Any]) -> dict:
    return {
        "title": values.get("title", ""),
        "description": values.get("description", ""),
        "customer_reference": values.get("customer_reference", ""),
        "touchpoint_id": values.get("touchpoint_id"),
        "department_id": values.get("department_id"),
        "severity": values.get("severity") or "",
    }


def story_arguments(values: Mapping[str, Any]) -> dict:
    from stories.forms.story import split_tags

    return {
        "title": values.get("title", ""),
        "what_happened": values.get("what_happened", ""),
        "customer_words": values.get("customer_words", ""),
        "outcome": values.get("outcome", ""),
        "touchpoint_id": values.get("touchpoint_id"),
        "department_ids": values.get("department_ids") or [],
        "tags": split_tags(values.get("tags", "")),
        "language": values.get("language") or "",
        "customer_may_be_named": bool(values.get("customer_may_be_named")),
        "customer_name": values.get("customer_name", ""),
    }


def feedback_arguments(values: Mapping[str, Any]) -> dict:
    return {
        "text": values.get("text", ""),
        "touchpoint_id": values.get("touchpoint_id"),
        "department_id": values.get("department_id"),
        "language": values.get("language") or "",
    }


# --- a concern's message in the CX channel, with its triage controls --------------------------


def concern_url(concern: Concern) -> str:
    return site_url(reverse("stories:concern_detail", args=[concern.pk]))


def concern_heading(concern: Concern) -> str:
    """The message's first line (also its notification text): masked, escaped."""
    if concern.severity == Severity.CRITICAL:
        label = ":rotating_light: *" + _("Critical concern") + ":*"
    else:
        label = "*" + _("New concern") + ":*"
    return f"{label} {slack_link(concern_url(concern), mask_identifiers(concern.title))}"


def _where(concern: Concern) -> str:
    return _("%(touchpoint)s · seen in %(department)s · %(severity)s") % {
        "touchpoint": slack_escape(str(concern.touchpoint)),
        "department": slack_escape(concern.department.name),
        "severity": concern.get_severity_display(),
    }


def _standing(concern: Concern) -> str:
    parts = [concern.get_state_display()]
    parts.append(concern.get_kind_display() if concern.kind else _("Not classified yet"))
    if concern.owner_department_id:
        parts.append(_("Owner: %(department)s") % {"department": concern.owner_department.name})
    elif concern.is_open:
        parts.append(_("Waiting for an owner"))
    if concern.due_at and concern.is_open:
        due = date_format(timezone.localtime(concern.due_at).date(), "DATE_FORMAT")
        parts.append(_("Due %(date)s") % {"date": due})
    return slack_escape(" · ".join(str(p) for p in parts))


def _last_act(concern: Concern) -> str:
    event = (
        ConcernEvent.objects.filter(concern=concern, internal=False)
        .exclude(kind__in=[ConcernEvent.Kind.FILED, ConcernEvent.Kind.FOLLOWED])
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is None or event.actor is None:
        return ""
    return _("%(what)s by %(who)s") % {
        "what": event.get_kind_display(),
        "who": slack_escape(str(event.actor)),
    }


def triage_controls(concern: Concern) -> ActionsBlock:
    """Acknowledge, classify, route: for the CX team (others are told they can't)."""
    value = str(concern.pk)
    elements: list = []
    if concern.state == Concern.State.NEW:
        elements.append(
            ButtonElement(
                text=kit.plain(_("Acknowledge"), kit.BUTTON_TEXT),
                action_id=TRIAGE_ACKNOWLEDGE,
                value=value,
                style="primary",
            )
        )
    if concern.is_open:
        for action_id, kind, label in (
            (TRIAGE_SYSTEMIC, Concern.Kind.SYSTEMIC, _("Systemic")),
            (TRIAGE_INDIVIDUAL, Concern.Kind.INDIVIDUAL, _("Individual")),
        ):
            if concern.kind != kind:
                elements.append(
                    ButtonElement(
                        text=kit.plain(label, kit.BUTTON_TEXT), action_id=action_id, value=value
                    )
                )
        departments = [kit.option(d.name, f"{concern.pk}:{d.pk}") for d in filter_choices()[0]]
        current = [
            o for o in departments if o.value == f"{concern.pk}:{concern.owner_department_id}"
        ]
        elements.append(
            StaticSelectElement(
                action_id=TRIAGE_OWNER,
                placeholder=kit.plain(_("Owner department"), kit.OPTION_TEXT),
                options=departments[:100],
                initial_option=current[0] if current else None,
            )
        )
    elements.append(
        ButtonElement(
            text=kit.plain(_("Open"), kit.BUTTON_TEXT),
            action_id=OPEN_IN_PORTAL,
            url=concern_url(concern),
        )
    )
    return ActionsBlock(block_id=f"triage:{concern.pk}", elements=elements)


def concern_blocks(concern: Concern) -> list[dict]:
    """The concern's message: heading, where, an excerpt (masked), where it stands, who acted
    last, and the triage controls. In the site's language (the channel is shared)."""
    excerpt = fit(
        mask_identifiers(concern.description),
        EXCERPT,
        more_url=concern_url(concern),
        more_label=_("Read it all"),
    )
    quoted = "\n".join(f"> {line}" for line in excerpt.splitlines() or [""])
    standing = _standing(concern)
    acted = _last_act(concern)
    context = f"{standing} · {acted}" if acted else standing
    blocks = [
        SectionBlock(
            block_id=f"concern:{concern.pk}",
            # Within the section's 3,000 characters by construction: a title of at most 200
            # characters (1,000 escaped), its place, and an excerpt fitted to EXCERPT.
            text=MarkdownTextObject(
                text=f"{concern_heading(concern)}\n{_where(concern)}\n{quoted}"
            ),
        ),
        ContextBlock(elements=[MarkdownTextObject(text=context)]),
        triage_controls(concern),
    ]
    return [block.to_dict() for block in blocks]
