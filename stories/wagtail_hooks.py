from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail import hooks

from portal.home import HOOK, Section

# The daily voice, stories and concerns show their empty state until those features arrive.


@hooks.register(HOOK)
def voice_section(*, user, profile) -> Section:
    return Section(
        key="voice",
        title=_("Today's customer voice"),
        items=[],
        empty=_("No customer voice has been shared today."),
        order=10,
    )


@hooks.register(HOOK)
def stories_section(*, user, profile) -> Section:
    return Section(
        key="stories",
        title=_("Latest stories"),
        items=[],
        empty=_("No customer success stories have been published yet."),
        order=40,
    )


@hooks.register(HOOK)
def concerns_section(*, user, profile) -> Section:
    department = profile.department if profile else None
    if department:
        empty = _("No concerns are open for %(department)s.") % {"department": department.name}
    else:
        empty = _("You are not in a department yet. Ask HR to add you to one.")
    return Section(
        key="concerns", title=_("My department's concerns"), items=[], empty=empty, order=50
    )
