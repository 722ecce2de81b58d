"""The portal's groups and what each may do, as code (run after every migrate)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page

NEW_HIRES = "New hires"
AMBASSADORS = "Ambassadors"
CX_TEAM = "CX team"
LEADERSHIP = "Leadership"
HR = "HR"

# app_label.codename for each group. Later features add their own permissions here.
GROUP_PERMISSIONS: dict[str, list[str]] = {
    NEW_HIRES: [],
    AMBASSADORS: [],
    CX_TEAM: [
        "wagtailadmin.access_admin",
        "portal.view_department",
        "portal.change_department",
        "portal.view_profile",
        "portal.view_outboxmessage",
        "portal.change_outboxmessage",
    ],
    LEADERSHIP: [
        "wagtailadmin.access_admin",
        "portal.view_department",
        "portal.view_profile",
        "portal.change_portalsettings",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
    HR: [
        "wagtailadmin.access_admin",
        "portal.add_user",
        "portal.change_user",
        "portal.view_user",
        "portal.view_department",
        "portal.view_profile",
        "portal.change_profile",
    ],
}

# Page permissions on the whole tree: leadership publishes the portal's pages.
GROUP_PAGE_PERMISSIONS: dict[str, list[str]] = {
    LEADERSHIP: ["add_page", "change_page", "publish_page"],
}


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def groups_sync() -> dict[str, Group]:
    """Create the groups and set exactly their listed permissions; safe to run again."""
    groups = {}
    root = Page.get_first_root_node()
    for name, dotted in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(item) for item in dotted])
        if root is not None:
            for codename in GROUP_PAGE_PERMISSIONS.get(name, []):
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root,
                    permission=_permission(f"wagtailcore.{codename}"),
                )
        groups[name] = group
    return groups


def groups_sync_after_migrate(**kwargs) -> None:
    # post_migrate reaches apps in INSTALLED_APPS order, so permissions of apps listed after
    # the portal do not exist yet; make them first, as auth would a moment later.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    groups_sync()
