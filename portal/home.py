"""The home page's places: sections that apps register, drawn by the home page and Slack's App Home.

An app comes in by registering a function with the Wagtail hook `register_home_section`:

    @hooks.register("register_home_section")
    def my_section(*, user, profile):
        return Section(key="mine", title=_("Mine"), items=[...], empty=_("Nothing yet."), order=60)

It receives the signed-in person and their profile (None when they have none, with its
department already loaded) and returns a Section, or None to show nothing to this person.
Its items are `Item`s (text, a link, a badge), which the home page draws as HTML and Slack's
App Home (portal/slack/home.py) as mrkdwn, each escaping the text its own way.
It must not query per item: the home page's query count stays the same whatever is shown.

The profile page has places of its own, drawn the same way from the hook
`register_profile_section` (PROFILE_HOOK): what the person filed, their badges.

Buttons at the top of the home page and of the App Home come from `register_home_action`
(ACTION_HOOK): a function of `user` returning an `Action` (or None).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail import hooks

if TYPE_CHECKING:
    from portal.models import Profile, User

HOOK = "register_home_section"
PROFILE_HOOK = "register_profile_section"
ACTION_HOOK = "register_home_action"


@dataclass(frozen=True)
class Item:
    """One line of a section, drawn as HTML on the home page and as mrkdwn in Slack's App Home:
    its text (a link to `url` when there is one), then a badge, then a detail. Text is what
    people typed or the portal wrote, never markup: each surface escapes it its own way.
    """

    text: str
    url: str = ""
    badge: str = ""
    tone: str = "neutral"  # the badge's colour: neutral, info, success, warning, danger
    detail: str = ""
    badge_first: bool = False
    # A button under the section in Slack's App Home, answered by a feature's Bolt listener
    # (action id `slack_action_id`, suffixed to keep it unique; `slack_value` its value).
    slack_action_id: str = ""
    slack_value: str = ""
    slack_label: str = ""

    def __html__(self) -> str:
        text = format_html('<a href="{}">{}</a>', self.url, self.text) if self.url else self.text
        parts = [conditional_escape(text)]
        if self.badge:
            badge = format_html('<span class="badge badge-{}">{}</span>', self.tone, self.badge)
            parts.insert(0 if self.badge_first else 1, badge)
        if self.detail:
            parts.append(conditional_escape(self.detail))
        return mark_safe(" ".join(str(part) for part in parts if part))  # noqa: S308

    def __str__(self) -> str:
        return self.__html__()

    def mrkdwn(self, absolute_url: Callable[[str], str]) -> str:
        """The line as Slack mrkdwn, user text escaped; `absolute_url` makes links absolute."""
        from portal.slack.text import slack_escape, slack_link

        link = slack_link(absolute_url(self.url), self.text) if self.url else ""
        parts = [link or slack_escape(self.text)]
        if self.badge:
            parts.insert(0 if self.badge_first else 1, f"`{slack_escape(self.badge)}`")
        if self.detail:
            parts.append(slack_escape(self.detail))
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    # Items, or plain strings (escaped where they are drawn).
    items: Sequence[Item | str]
    empty: str
    order: int
    url: str | None = None


@dataclass(frozen=True)
class Action:
    """Something to do from the home page (a button that goes to `url`) and from Slack's App
    Home (a button whose `slack_action_id` the feature's Bolt listener answers; none: a link
    to `url`)."""

    key: str
    label: str
    url: str
    slack_action_id: str = ""
    order: int = 50
    primary: bool = False


def actions_for(*, user: User) -> list[Action]:
    """The home page's actions for this person, in order (hooks must not query)."""
    actions = [hook(user=user) for hook in hooks.get_hooks(ACTION_HOOK)]
    return sorted((a for a in actions if a is not None), key=lambda a: (a.order, a.key))


def sections_for(*, user: User, profile: Profile | None, hook_name: str = HOOK) -> list[Section]:
    """What this person's home (or profile) shows, in order; the caller loaded the profile."""
    sections = [hook(user=user, profile=profile) for hook in hooks.get_hooks(hook_name)]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, s.key))


# The principles live in the portal itself, so their place is registered here.
@hooks.register(HOOK)
def principles_section(*, user: User, profile: Profile | None) -> Section:
    """The principles this person has yet to acknowledge (two queries, whatever their number)."""
    from portal.principles.messages import ACKNOWLEDGE, acknowledge_value
    from portal.principles.selectors import principles_pending

    items = []
    for pending in principles_pending(user=user, profile=profile):
        changed = pending.principle.version > 1
        items.append(
            Item(
                text=pending.page.title,
                url=pending.url,
                badge=_("Changed") if changed else _("New"),
                tone="warning" if changed else "info",
                detail=pending.page.statement,
                # With a check question, the button opens the page where it is answered.
                slack_action_id="portal_open_link:principle"
                if pending.has_question
                else ACKNOWLEDGE,
                slack_value=""
                if pending.has_question
                else acknowledge_value(pending.principle.pk, pending.principle.version),
                slack_label=_("Acknowledge: %(title)s") % {"title": pending.page.title},
            )
        )
    return Section(
        key="principles",
        title=_("Principles to acknowledge"),
        items=items,
        empty=_("You have acknowledged every published principle."),
        order=30,
    )
