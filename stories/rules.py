"""Who may do what with stories and concerns, in one place for pages, admin and Slack."""

from __future__ import annotations

from portal import groups
from stories.models import Concern


def is_cx(user) -> bool:
    """In the CX team (or a superuser). Remembered on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_stories_is_cx", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=groups.CX_TEAM).exists()
        user._stories_is_cx = cached
    return cached


def department_id_of(user) -> int | None:
    """The person's department, remembered on the user object for the request."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_stories_department_id", False)
    if cached is False:
        from portal.models import Profile

        cached = (
            Profile.objects.filter(user_id=user.pk).values_list("department_id", flat=True).first()
        )
        user._stories_department_id = cached
    return cached


def remember_profile(user, profile) -> None:
    """Let department_id_of use a profile the caller has already loaded (saves a query)."""
    if profile is not None and user.is_authenticated:
        user._stories_department_id = profile.department_id


def is_owner(user, concern: Concern) -> bool:
    """A member of the concern's owner department."""
    return bool(concern.owner_department_id) and department_id_of(user) == (
        concern.owner_department_id
    )


def may_see_identifiers(user, concern: Concern | None = None) -> bool:
    """Customer references, emails and phone numbers: the CX team, and a concern's owners."""
    return is_cx(user) or (concern is not None and is_owner(user, concern))


def may_triage(user) -> bool:
    """Acknowledge, classify, route, assign, merge, close: the CX team only."""
    return is_cx(user)


def may_move_forward(user, concern: Concern) -> bool:
    """Start work on, resolve or decline a concern: the CX team and the owner department."""
    return is_cx(user) or is_owner(user, concern)


def may_see_internal(user, concern: Concern) -> bool:
    """Internal timeline notes: the CX team and the owner department."""
    return may_move_forward(user, concern)
