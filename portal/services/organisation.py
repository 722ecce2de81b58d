"""Writes for the organisation: people's profiles and their preferences."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from portal.models import Profile, User


def profile_ensure(*, user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(
    *, user: User, language: str, timezone_name: zoneinfo.ZoneInfo | str | None
) -> Profile:
    """Save the person's own preferences and mirror them into Wagtail's admin profile."""
    profile = profile_ensure(user=user)
    profile.language = language
    profile.timezone = timezone_name or None
    profile.full_clean()
    with transaction.atomic():
        profile.save(update_fields=["language", "timezone"])
        profile_mirror_to_wagtail(profile=profile)
    return profile


def profile_mirror_to_wagtail(*, profile: Profile) -> None:
    """Wagtail's admin reads its own per-user language and time zone; keep them the portal's.

    Call after saving the profile, also when HR edits it in the admin.
    """
    wagtail_profile = UserProfile.get_for_user(profile.user)
    wagtail_profile.preferred_language = profile.language
    wagtail_profile.current_time_zone = str(profile.timezone) if profile.timezone else ""
    wagtail_profile.save(update_fields=["preferred_language", "current_time_zone"])


def profile_set_language(*, user: User, language: str) -> Profile:
    profile = profile_ensure(user=user)
    return profile_update(user=user, language=language, timezone_name=profile.timezone)


def check_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("%(language)s is not a language the portal speaks."), params={"language": language}
        )
    return language
