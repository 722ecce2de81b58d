"""The portal's groups and what each may do, as code (run after every migrate)."""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.snippets.models import create_extra_permissions as create_snippet_permissions

NEW_HIRES = "New hires"
AMBASSADORS = "Ambassadors"
CX_TEAM = "CX team"
LEADERSHIP = "Leadership"
HR = "HR"
# Groups whose members a feature keeps in step by itself, never by hand.
MANAGED_GROUPS = [AMBASSADORS]

# app_label.codename for each group, for the portal's own models. A feature app declares what
# its models need in its own `groups.py` (a GROUP_PERMISSIONS dict of the same shape);
# `group_permissions` gathers them all.
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
        "portal.view_acknowledgement",
    ],
    LEADERSHIP: [
        "wagtailadmin.access_admin",
        "portal.view_department",
        "portal.view_profile",
        "portal.change_portalsettings",
        "portal.view_acknowledgement",
    ],
    HR: [
        "wagtailadmin.access_admin",
        "portal.add_user",
        "portal.change_user",
        "portal.view_user",
        "portal.view_department",
        "portal.view_profile",
        "portal.change_profile",
        "portal.view_acknowledgement",
    ],
}

# Page permissions on the whole tree: the CX team drafts and edits the portal's pages (the
# principles) and submits them to the "Leadership approval" workflow; Leadership publishes.
GROUP_PAGE_PERMISSIONS: dict[str, list[str]] = {
    CX_TEAM: ["add_page", "change_page"],
    LEADERSHIP: ["add_page", "change_page", "publish_page"],
}

# Wagtail checks image and document rights per collection, not per model: these hold on the
# root collection and so on every collection under it. Leadership and the CX team put images
# and documents on pages (principles, stories).
_MEDIA = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
GROUP_COLLECTION_PERMISSIONS: dict[str, list[str]] = {
    CX_TEAM: _MEDIA,
    LEADERSHIP: _MEDIA,
}


def group_permissions() -> dict[str, list[str]]:
    """Every group's permissions: the portal's, then each installed app's, in INSTALLED_APPS order.

    A feature may only add to the portal's groups, never make a group of its own: the groups
    are the portal's roles.
    """
    merged = {name: list(dotted) for name, dotted in GROUP_PERMISSIONS.items()}
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.groups"
        if app_config.name == "portal" or importlib.util.find_spec(name) is None:
            continue
        declared = getattr(importlib.import_module(name), "GROUP_PERMISSIONS", {})
        for group, dotted in declared.items():
            if group not in merged:
                raise ValueError(f"{name} names {group!r}, which is not one of the portal's groups")
            merged[group].extend(item for item in dotted if item not in merged[group])
    return merged


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def groups_sync() -> dict[str, Group]:
    """Create the groups and set exactly their listed permissions; safe to run again."""
    groups = {}
    root = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for name, dotted in group_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(item) for item in dotted])
        if root is not None:
            for codename in GROUP_PAGE_PERMISSIONS.get(name, []):
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root,
                    permission=_permission(f"wagtailcore.{codename}"),
                )
        if root_collection is not None:
            wanted = [_permission(item) for item in GROUP_COLLECTION_PERMISSIONS.get(name, [])]
            GroupCollectionPermission.objects.filter(group=group).exclude(
                collection=root_collection, permission__in=wanted
            ).delete()
            for permission in wanted:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        groups[name] = group
    return groups


# Who may grant what ------------------------------------------------------------------------


def admin_power_groups() -> QuerySet[Group]:
    """Groups that open the admin or carry page, image or document rights."""
    return Group.objects.filter(
        Q(permissions__content_type__app_label="wagtailadmin", permissions__codename="access_admin")
        | Q(page_permissions__isnull=False)
        | Q(collection_permissions__isnull=False)
    ).distinct()


def assignable_groups(*, by) -> QuerySet[Group]:
    """The groups this person may put others in: all for superusers, else none with powers.

    Today that leaves HR with New hires; a group that gains admin powers later drops out of
    HR's reach by itself. Ambassadors is never offered: ambassador appointments keep it
    (ambassadors.services), and a hand-made membership would be undone by their sync.
    """
    managed = Group.objects.filter(name__in=MANAGED_GROUPS)
    if by.is_superuser:
        return Group.objects.exclude(pk__in=managed.values("pk"))
    return Group.objects.exclude(pk__in=admin_power_groups().values("pk")).exclude(
        pk__in=managed.values("pk")
    )


def holds_admin_powers(user, *, power_group_ids: set[int] | None = None) -> bool:
    """A superuser, a member of a group with admin powers, or someone with rights of their own.

    Pass `power_group_ids` (and prefetch `groups`) to check many people without a query each.
    """
    if user.is_superuser:
        return True
    if power_group_ids is None:
        power_group_ids = set(admin_power_groups().values_list("pk", flat=True))
    if any(group.pk in power_group_ids for group in user.groups.all()):
        return True
    # .all() rather than .exists(): it reads a prefetched list instead of querying again.
    return bool(user.user_permissions.all())


def may_manage_user(actor, target, *, power_group_ids: set[int] | None = None) -> bool:
    """Whether `actor` may edit `target`'s account (email, name, groups, active, password).

    Superusers may edit anyone. Others with the right to change users (HR) may edit only
    people who hold no admin powers: otherwise changing their email or password would hand
    over their powers. That includes themselves.
    """
    if actor.is_superuser:
        return True
    if not actor.has_perm("portal.change_user"):
        return False
    return not holds_admin_powers(target, power_group_ids=power_group_ids)


def groups_sync_after_migrate(**kwargs) -> None:
    # post_migrate reaches apps in INSTALLED_APPS order, so permissions of apps listed after
    # the portal do not exist yet; make them first, as auth would a moment later.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    # Wagtail adds publish and lock rights for snippets with drafts (stories) the same way.
    create_snippet_permissions(apps.get_app_config("wagtailsnippets"))
    groups_sync()
