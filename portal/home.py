"""The home page's places: sections that apps register, drawn by the home page and Slack's App Home.

An app comes in by registering a function with the Wagtail hook `register_home_section`:

    @hooks.register("register_home_section")
    def my_section(*, user, profile):
        return Section(key="mine", title=_("Mine"), items=[...], empty=_("Nothing yet."), order=60)

It receives the signed-in person and their profile (None when they have none, with its
department already loaded) and returns a Section, or None to show nothing to this person.
It must not query per item: the home page's query count stays the same whatever is shown.

The profile page has places of its own, drawn the same way from the hook
`register_profile_section` (PROFILE_HOOK): what the person filed, their badges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from wagtail import hooks

if TYPE_CHECKING:
    from portal.models import Profile, User

HOOK = "register_home_section"
PROFILE_HOOK = "register_profile_section"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: Sequence[Any]
    empty: str
    order: int
    url: str | None = None


def sections_for(*, user: User, profile: Profile | None, hook_name: str = HOOK) -> list[Section]:
    """What this person's home (or profile) shows, in order; the caller loaded the profile."""
    sections = [hook(user=user, profile=profile) for hook in hooks.get_hooks(hook_name)]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, s.key))


# The principles live in the portal itself, so their place is registered here.
@hooks.register(HOOK)
def principles_section(*, user: User, profile: Profile | None) -> Section:
    return Section(
        key="principles",
        title=_("Principles to acknowledge"),
        items=[],
        empty=_("You have acknowledged every published principle."),
        order=30,
    )
