from wagtail import hooks

from portal.home import HOOK, Section


@hooks.register(HOOK)
def door_section(*, user, profile):
    # Only people in a department see it, to show that a hook may return nothing.
    if profile is None or profile.department is None:
        return None
    return Section(
        key="door",
        title="Through the door",
        items=[f"Welcome, {profile.department.name}"],
        empty="Never shown: there is always an item.",
        order=60,
    )
