from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail import hooks

from portal.home import HOOK, Section


@hooks.register(HOOK)
def onboarding_section(*, user, profile) -> Section:
    return Section(
        key="onboarding",
        title=_("My onboarding"),
        items=[],
        empty=_("You have no onboarding modules to take."),
        order=20,
    )
