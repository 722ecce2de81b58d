"""Who may do what with stories and concerns, in one place for pages, admin and Slack."""

from __future__ import annotations

from portal import groups
from portal.auth import group_names
from portal.selectors import viewer_profile
from stories.models import Concern


def is_cx(user) -> bool:
    """In the CX team (or a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or groups.CX_TEAM in group_names(user)


def department_id_of(user) -> int | None:
    """The person's department."""
    profile = viewer_profile(user=user)
    return profile.department_id if profile is not None else None


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
