"""Reads for the organisation and the home page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Profile, User


def profile_for(*, user: User) -> Profile | None:
    return Profile.objects.select_related("department", "manager").filter(user_id=user.pk).first()


def greeting_for(
    *, user: User, profile: Profile | None, now: datetime.datetime | None = None
) -> str:
    now = now or timezone.now()
    hour = now.astimezone(profile.effective_timezone).hour if profile else now.hour
    name = user.first_name or user.get_full_name() or user.email
    if 5 <= hour < 12:
        return _("Good morning, %(name)s") % {"name": name}
    if 12 <= hour < 18:
        return _("Good afternoon, %(name)s") % {"name": name}
    return _("Good evening, %(name)s") % {"name": name}


def home_sections(*, user: User) -> dict:
    """What the home page shows the signed-in person; each place says plainly when it is empty.

    The places are filled by the daily voice, onboarding, principles, stories and concerns as
    those parts of the portal arrive; until then they show their empty state.
    """
    profile = profile_for(user=user)
    department = profile.department if profile else None
    if department:
        concerns_empty = _("No concerns are open for %(department)s.") % {
            "department": department.name
        }
    else:
        concerns_empty = _("You are not in a department yet. Ask HR to add you to one.")
    sections = [
        {
            "key": "voice",
            "title": _("Today's customer voice"),
            "items": [],
            "empty": _("No customer voice has been shared today."),
        },
        {
            "key": "onboarding",
            "title": _("My onboarding"),
            "items": [],
            "empty": _("You have no onboarding modules to take."),
        },
        {
            "key": "principles",
            "title": _("Principles to acknowledge"),
            "items": [],
            "empty": _("You have acknowledged every published principle."),
        },
        {
            "key": "stories",
            "title": _("Latest stories"),
            "items": [],
            "empty": _("No customer success stories have been published yet."),
        },
        {
            "key": "concerns",
            "title": _("My department's concerns"),
            "items": [],
            "empty": concerns_empty,
        },
    ]
    return {
        "profile": profile,
        "department": department,
        "greeting": greeting_for(user=user, profile=profile),
        "sections": sections,
    }
