"""Wagtail's admin template tags (`{% load wagtailadmin_tags %}`), with the sidebar's props kept
in the shared cache (portal/lookups.py).

Every admin page draws the sidebar: its menu (each item asked whether the person may see it)
and search area, packed for the sidebar's script. That is about half of an empty admin page's
time (bench/README.md), and it changes only with the person's rights, name and language, so it
is kept per person under a lookup that every change to groups, permissions, page and collection
rights, people and profiles starts anew. The sidebar marks the current page itself, in the
browser. Written here because Wagtail keeps nothing of it between requests and no library
does; TEMPLATES names this module for `wagtailadmin_tags` (portal/settings.py), so every admin
template gets Wagtail's own tags and filters, this one tag replaced.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags as wagtail_tags

from portal import fragments, lookups

register = template.Library()
register.tags.update(wagtail_tags.register.tags)
register.filters.update(wagtail_tags.register.filters)

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


@register.simple_tag(takes_context=True)
def sidebar_props(context):
    user = context["request"].user
    key = f"{user.pk}:{get_language()}:{fragments.release()}"
    return mark_safe(  # noqa: S308 (Wagtail's own json_script output, kept as text)
        lookups.remembered(
            SIDEBAR_LOOKUP.name, key, lambda: str(wagtail_tags.sidebar_props(context))
        )
    )
