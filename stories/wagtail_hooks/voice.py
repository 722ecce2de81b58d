from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail import hooks

from portal.home import HOOK, Section

# The daily voice shows its empty state until that feature arrives.


@hooks.register(HOOK)
def voice_section(*, user, profile) -> Section:
    return Section(
        key="voice",
        title=_("Today's customer voice"),
        items=[],
        empty=_("No customer voice has been shared today."),
        order=10,
    )
