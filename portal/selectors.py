"""Reads for the organisation and the home page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.home import sections_for
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
    """What the home page shows the signed-in person: a greeting and the registered places."""
    profile = profile_for(user=user)
    return {
        "profile": profile,
        "department": profile.department if profile else None,
        "greeting": greeting_for(user=user, profile=profile),
        "sections": sections_for(user=user, profile=profile),
    }
