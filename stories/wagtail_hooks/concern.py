"""Concerns come in through the portal's doors: two home places, a profile place, a nav link.

Each place costs one query for its concerns (plus, once per request, whether the person is
in the CX team, which decides what is masked); items are strings or format_html links.
The triage admin (queue, SLAs, candidates, digest) is in stories/wagtail_hooks/triage.py.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.home import ACTION_HOOK, HOOK, PROFILE_HOOK, Action, Item, Section
from portal.ui import NAV_HOOK, NavItem
from stories.models import Concern
from stories.selectors import concern as selectors
from stories.slack_blocks import SLACK_OPEN_CONCERN


def _item(user, concern: Concern, **shown) -> Item:
    return Item(
        text=selectors.shown(user, concern, concern.title),
        url=reverse("stories:concern_detail", args=[concern.pk]),
        **shown,
    )


def _with_state(user, concern: Concern) -> Item:
    return _item(user, concern, badge=concern.get_state_display())


@hooks.register(HOOK)
def department_concerns_section(*, user, profile) -> Section:
    department = profile.department if profile is not None else None
    if department is None:
        return Section(
            key="concerns",
            title=_("My department's concerns"),
            items=[],
            empty=_("You are not in a department yet. Ask HR to add you to one."),
            order=50,
        )
    concerns = selectors.department_concerns(department_id=department.pk)
    return Section(
        key="concerns",
        title=_("My department's concerns"),
        items=[_with_state(user, concern) for concern in concerns],
        empty=_("No concerns are open for %(department)s.") % {"department": department.name},
        order=50,
        url=reverse("stories:concern_list") + f"?state=open&involving={department.pk}",
    )


@hooks.register(HOOK)
def my_concerns_section(*, user, profile) -> Section:
    concerns = selectors.my_open_concerns(user=user)
    return Section(
        key="my_concerns",
        title=_("My open concerns"),
        items=[_with_state(user, concern) for concern in concerns],
        empty=_(
            "Nothing you raised or follow is open. File a concern when a customer is let down."
        ),
        order=45,
        url=reverse("stories:concern_list") + "?state=open&mine=on",
    )


def _outcome(user, concern: Concern) -> Item:
    if concern.merged_into_id:
        merged = _("Merged into #%(number)s") % {"number": concern.merged_into_id}
        return _item(user, concern, badge=merged)
    for note, tone in ((concern.what_we_did, "success"), (concern.wont_fix_reason, "neutral")):
        if note:
            detail = Truncator(selectors.shown(user, concern, note)).chars(140)
            return _item(user, concern, badge=concern.get_state_display(), tone=tone, detail=detail)
    return _with_state(user, concern)


@hooks.register(PROFILE_HOOK)
def concerns_filed_section(*, user, profile) -> Section:
    concerns = selectors.concerns_filed_by(user=user)
    return Section(
        key="my_concerns_filed",
        title=_("Concerns I raised"),
        items=[_outcome(user, concern) for concern in concerns],
        empty=_("You have not raised a concern yet."),
        order=40,
        url=reverse("stories:concern_list") + "?mine=on",
    )


@hooks.register(NAV_HOOK)
def concerns_nav(*, user) -> NavItem:
    return NavItem(
        key="concerns", label=_("Concerns"), url=reverse("stories:concern_list"), order=50
    )


@hooks.register(ACTION_HOOK)
def raise_a_concern_action(*, user) -> Action:
    return Action(
        key="concern",
        label=_("Raise a concern"),
        url=reverse("stories:concern_new"),
        slack_action_id=SLACK_OPEN_CONCERN,
        order=20,
    )
