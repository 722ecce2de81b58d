"""Two pieces of Wagtail's admin frame kept instead of drawn on every admin page: the sidebar
props (`{% sidebar_props %}` of `wagtailadmin_tags`), in the shared cache (portal/lookups.py),
and the keyboard shortcuts dialog (`{% keyboard_shortcuts_dialog %}`), in the process.

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
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags as wagtail_tags
from wagtail.admin.utils import get_keyboard_key_labels_from_request

from portal import fragments, lookups
from portal.templatetags.portal_admin import drawing_key, kept

WAGTAIL_SIDEBAR_PROPS = wagtail_tags.sidebar_props
WAGTAIL_SHORTCUTS = wagtail_tags.keyboard_shortcuts_dialog  # the inclusion tag's function
SHORTCUTS_TEMPLATE = "wagtailadmin/shared/keyboard_shortcuts_dialog.html"
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


# The keyboard shortcuts dialog: the same for everyone who reads the admin in one language, on
# one kind of keyboard (the key labels Wagtail reads off the browser), with shortcuts on or off
# and comments on or off. Drawing its forty rows costs every admin page about 3 ms, as much as
# the rest of an empty page's frame (bench/README.md), so each process draws each kind once,
# kept as a listing's filters and page links are (portal/templatetags/portal_admin.py).
def keyboard_shortcuts_dialog(context):
    request = context.get("request")
    profile = getattr(getattr(request, "user", None), "wagtail_userprofile", None)
    keys = vars(get_keyboard_key_labels_from_request(request)) if request else {}
    kind = (
        SHORTCUTS_TEMPLATE,
        sorted(keys.items()),
        bool(getattr(profile, "keyboard_shortcuts", True)) if profile is not None else True,
        wagtail_tags.get_comments_enabled(),
        get_script_prefix(),
    )
    return kept(
        drawing_key(*kind),
        lambda: get_template(SHORTCUTS_TEMPLATE).render(WAGTAIL_SHORTCUTS(context)),
    )


def install() -> None:
    wagtail_tags.register.simple_tag(sidebar_props, takes_context=True, name="sidebar_props")
    wagtail_tags.register.simple_tag(
        keyboard_shortcuts_dialog, takes_context=True, name="keyboard_shortcuts_dialog"
    )
