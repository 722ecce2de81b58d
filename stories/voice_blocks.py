"""The daily customer voice as a Slack message (slack-sdk's Block Kit models)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from portal.slack import blocks as kit
from portal.slack.text import fit, site_url, slack_escape
from stories.masking import mask_identifiers
from stories.models import DailyVoice

VOICE_LOOK_INTO = "stories_voice_look_into"
VOICE_THANKS = "stories_voice_thanks"
VOICE_OPEN = "portal_open_link:voice"
QUOTE = 1200


def voice_item_path(kind: str, item) -> str:
    """The item's page on the portal."""
    if kind == DailyVoice.Kind.FEEDBACK:
        return reverse("stories:feedback_detail", args=[item.pk])
    if kind == DailyVoice.Kind.STORY:
        return reverse("stories:story_detail", args=[item.pk])
    return reverse("stories:concern_detail", args=[item.pk])


def voice_item_url(voice: DailyVoice) -> str:
    """The voice's item on the portal, absolute, for Slack."""
    return site_url(voice_item_path(voice.kind, voice.item))


def voice_words(kind: str, item) -> str:
    """What the customer said, as everyone may read it (identifiers masked)."""
    if kind == DailyVoice.Kind.FEEDBACK:
        text = item.text
    elif kind == DailyVoice.Kind.STORY:
        text = item.customer_words
    else:
        text = f"{item.title}\n{item.description}"
    return mask_identifiers(text)


def voice_where(kind: str, item) -> str:
    """Source, market and date: plain text, escaped by the caller."""
    if kind == DailyVoice.Kind.FEEDBACK:
        parts = [item.source, item.market, formats.date_format(item.received_at, "DATE_FORMAT")]
    elif kind == DailyVoice.Kind.STORY:
        when = item.first_published_at or item.created_at
        parts = [_("Success story"), str(item.touchpoint or ""), formats.date_format(when)]
    else:
        parts = [_("Concern"), item.get_severity_display(), formats.date_format(item.created_at)]
    return " · ".join(part for part in parts if part)


def voice_text(voice: DailyVoice) -> str:
    """The notification text (what a phone shows): escaped, short."""
    return fit(
        _("Today's customer voice: %(words)s") % {"words": voice_words(voice.kind, voice.item)},
        150,
    )


def voice_blocks(voice: DailyVoice) -> list[dict]:
    url = voice_item_url(voice)
    words = fit(voice_words(voice.kind, voice.item), QUOTE, more_url=url, more_label=_("Read on"))
    quoted = "\n".join(f"> {line}" for line in words.splitlines() or [""])
    heading = slack_escape(_("Today's customer voice"))
    blocks = [
        SectionBlock(
            block_id=f"voice:{voice.pk}",
            text=MarkdownTextObject(text=f"*{heading}*\n{quoted}"),
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=fit(voice_where(voice.kind, voice.item), kit.CONTEXT_TEXT - 10)
                )
            ]
        ),
        ActionsBlock(
            block_id=f"voice_actions:{voice.pk}",
            elements=[
                ButtonElement(
                    text=kit.plain(_("We'll look into it"), kit.BUTTON_TEXT),
                    action_id=VOICE_LOOK_INTO,
                    value=str(voice.pk),
                    style="primary",
                ),
                ButtonElement(
                    text=kit.plain(_("Thanks for sharing"), kit.BUTTON_TEXT),
                    action_id=VOICE_THANKS,
                    value=str(voice.pk),
                ),
                ButtonElement(
                    text=kit.plain(_("Open on the portal"), kit.BUTTON_TEXT),
                    action_id=VOICE_OPEN,
                    url=url,
                ),
            ],
        ),
    ]
    return [block.to_dict() for block in blocks]
