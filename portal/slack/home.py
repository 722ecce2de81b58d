"""Slack's App Home: the home page's places and actions (portal/home.py), drawn in Block Kit.

It is published (`views.publish`) by a task when a person opens the app's Home tab, so the
event is acknowledged at once. Each feature's section appears here as on the home page, in
the person's language and time zone; its items are `portal.home.Item`s drawn as mrkdwn, user
text escaped. A Slack member with no portal account sees how to sign in instead.
"""

from __future__ import annotations

import logging
import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from portal.home import Item, Section, actions_for, sections_for
from portal.models import User
from portal.selectors import greeting_for, viewer_profile
from portal.services.notify import language_of
from portal.services.slack_members import slack_member_find
from portal.slack.blocks import BUTTON_TEXT, HEADER_TEXT, HOME_BLOCKS, SECTION_TEXT, plain
from portal.slack.client import SlackError
from portal.slack.text import site_url, slack_escape, slack_link

logger = logging.getLogger(__name__)

# A link button still sends an action, which must be acknowledged: this one does nothing else.
OPEN_LINK = "portal_open_link"
# Each section's lines are one mrkdwn text; past this many the rest is behind "See all".
MOST_LINES = 10


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else site_url(url)


def _line(item: Item | str) -> str:
    return item.mrkdwn(_absolute) if isinstance(item, Item) else slack_escape(str(item))


def section_text(section: Section) -> str:
    """A section as one mrkdwn text within Slack's limit: its title, its lines (or its empty
    text) and a link to see all; lines that do not fit are left for that link."""
    title = f"*{slack_escape(str(section.title))}*"
    more = f"\n{slack_link(_absolute(section.url), _('See all'))}" if section.url else ""
    if not section.items:
        return f"{title}\n_{slack_escape(str(section.empty))}_{more}"
    text = title
    for shown, item in enumerate(section.items):
        line = f"\n• {_line(item)}"
        if shown == MOST_LINES or len(text) + len(line) + len(more) > SECTION_TEXT:
            break
        text += line
    return text + more


def item_buttons(section: Section) -> list[ActionsBlock]:
    """The buttons a section's items carry (acknowledge a principle...), five to a row."""
    buttons = [
        ButtonElement(
            text=plain(item.slack_label or item.text, BUTTON_TEXT),
            action_id=f"{item.slack_action_id}:{number}",
            value=item.slack_value or None,
            # A button without a value opens the item's page.
            url=site_url(item.url) if not item.slack_value and item.url else None,
        )
        for number, item in enumerate(section.items[:MOST_LINES])
        if isinstance(item, Item) and item.slack_action_id
    ]
    return [
        ActionsBlock(
            block_id=f"items_{section.key}_{start}"[:255], elements=buttons[start : start + 5]
        )
        for start in range(0, len(buttons), 5)
    ]


def home_view(*, user: User) -> dict:
    """The App Home tab of this person, in their language and time zone."""
    profile = viewer_profile(user=user)
    with (
        translation.override(language_of(user)),
        timezone.override(
            profile.effective_timezone if profile else timezone.get_default_timezone()
        ),
    ):
        blocks: list = [
            HeaderBlock(text=plain(greeting_for(user=user, profile=profile), HEADER_TEXT))
        ]
        buttons = [
            ButtonElement(
                text=plain(action.label, BUTTON_TEXT),
                action_id=action.slack_action_id or f"{OPEN_LINK}:{action.key}",
                url=None if action.slack_action_id else _absolute(action.url),
                style="primary" if action.primary else None,
            )
            for action in actions_for(user=user)
        ]
        buttons.append(
            ButtonElement(
                text=plain(_("Open the portal"), BUTTON_TEXT),
                action_id=f"{OPEN_LINK}:portal",
                url=site_url("/"),
            )
        )
        blocks.append(ActionsBlock(block_id="home_actions", elements=buttons[:25]))
        for section in sections_for(user=user, profile=profile):
            blocks.append(DividerBlock())
            blocks.append(
                SectionBlock(
                    block_id=f"section_{section.key}"[:255],
                    text=MarkdownTextObject(text=section_text(section)),
                )
            )
            blocks.extend(item_buttons(section))
        blocks = blocks[:HOME_BLOCKS]
        return View(type="home", blocks=blocks).to_dict()


def stranger_view() -> dict:
    """The App Home of a Slack member with no portal account (in the site's language)."""
    sign_in = site_url(reverse("account_login"))
    text = _(
        "No portal account has the email address of your Slack account, so nothing can be "
        "filed from here yet. Ask HR to add you to the portal (%(link)s), or to put your Slack "
        "member ID on your profile."
    ) % {"link": slack_link(sign_in, _("sign in"))}
    return View(
        type="home",
        blocks=[
            HeaderBlock(text=plain(_("Welcome"), HEADER_TEXT)),
            SectionBlock(text=MarkdownTextObject(text=text)),
        ],
    ).to_dict()


def home_publish(*, slack_user_id: str, client: WebClient) -> bool:
    """Publish this member's App Home; False when they have no portal account.

    Raises SlackError when Slack refused or could not be reached (`transient` says whether
    trying again may help).
    """
    person = slack_member_find(slack_user_id=slack_user_id, client=client)
    view = home_view(user=person) if person is not None else stranger_view()
    try:
        client.views_publish(user_id=slack_user_id, view=view)
    except SlackApiError as error:
        raise SlackError.from_api_error(error) from error
    return person is not None


def register(app) -> None:
    """The portal's own listeners: the Home tab opened, and its link buttons."""

    @app.event("app_home_opened")
    def home_opened(ack, event):
        ack()
        if event.get("tab", "home") != "home":
            return
        from portal.tasks import slack_home_publish_task

        user = event.get("user", "")
        transaction.on_commit(lambda: slack_home_publish_task.delay(user))

    @app.action(re.compile(f"^{OPEN_LINK}"))
    def link_opened(ack):
        ack()  # the browser opens the link; Slack still tells the app, and waits for an answer
