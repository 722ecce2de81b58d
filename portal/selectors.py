"""Reads for the organisation and the home page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import lookups
from portal.home import actions_for, sections_for
from portal.models import Profile, User


def profile_for(*, user: User) -> Profile | None:
    """The person's profile as it is in the database now (to edit it)."""
    return Profile.objects.select_related("department", "manager").filter(user_id=user.pk).first()


# Every portal page reads its reader's profile (department, time zone, language); it changes
# when they or HR edit it, or their department changes.
VIEWER_PROFILE = lookups.register("viewer-profile", models=("portal.Profile", "portal.Department"))


def viewer_profile(*, user: User) -> Profile | None:
    """The signed-in person's profile with its department, to show pages by: kept in the shared
    cache (portal/lookups.py) and remembered for the request. Read it, never save it: edits
    start from `profile_for`. None when signed out or without a profile."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_portal_viewer_profile"):
        user._portal_viewer_profile = lookups.remembered(
            VIEWER_PROFILE.name,
            str(user.pk),
            lambda: Profile.objects.select_related("department").filter(user_id=user.pk).first(),
        )
    return user._portal_viewer_profile


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
    profile = viewer_profile(user=user)
    return {
        "profile": profile,
        "department": profile.department if profile else None,
        "greeting": greeting_for(user=user, profile=profile),
        "sections": sections_for(user=user, profile=profile),
        "actions": actions_for(user=user),
    }


def person_for_slack(*, slack_user_id: str) -> User | None:
    """The active portal person whose profile holds this Slack member ID (one query)."""
    if not slack_user_id:
        return None
    return (
        User.objects.filter(is_active=True, profile__slack_user_id=slack_user_id)
        .select_related("profile", "profile__department")
        .first()
    )
