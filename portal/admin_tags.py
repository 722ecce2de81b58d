"""Wagtail's admin sidebar props (`{% sidebar_props %}` of `wagtailadmin_tags`), kept in the
shared cache (portal/lookups.py).

Every admin page draws the sidebar: its menu (each item asked whether the person may see it)
and search area, packed for the sidebar's script. That is about half of an empty admin page's
time (bench/README.md), and it changes only with the person's rights, name and language, so it
is kept per person under a lookup that every change to groups, permissions, page and collection
rights, people and profiles starts anew. The sidebar marks the current page itself, in the
browser. Written here because Wagtail keeps nothing of it between requests and no library
does. `install` (PortalConfig.ready, as portal/admin_csp.py) puts the tag in the place of
Wagtail's own in Wagtail's tag library; the lookup is registered in every process, so a
worker's change of a permission starts its new generation too.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags as wagtail_tags

from portal import fragments, lookups

WAGTAIL_SIDEBAR_PROPS = wagtail_tags.sidebar_props
SIDEBAR_LOOKUP = lookups.register(
    "admin-sidebar",
    models=(
        "auth.Group",
        "auth.Permission",
        "contenttypes.ContentType",
        settings.AUTH_USER_MODEL,
        "portal.Profile",
        "wagtailcore.GroupPagePermission",
        "wagtailcore.GroupCollectionPermission",
        "wagtailusers.UserProfile",
    ),
    relations=(
        (settings.AUTH_USER_MODEL, "groups"),
        (settings.AUTH_USER_MODEL, "user_permissions"),
        ("auth.Group", "permissions"),
    ),
)


def sidebar_props(context):
    user = context["request"].user
    key = f"{user.pk}:{get_language()}:{fragments.release()}"
    return mark_safe(  # noqa: S308 (Wagtail's own json_script output, kept as text)
        lookups.remembered(SIDEBAR_LOOKUP.name, key, lambda: str(WAGTAIL_SIDEBAR_PROPS(context)))
    )


def install() -> None:
    wagtail_tags.register.simple_tag(sidebar_props, takes_context=True, name="sidebar_props")
