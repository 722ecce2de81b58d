"""The daily customer voice: its home section, its navigation, and the CX team's admin
(routing rules with how many items each matches, and each department's next seven voices,
where a voice can be pinned for a day)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.home import HOOK, Item, Section
from portal.ui import NAV_HOOK, NavItem
from portal.wagtail_hooks import PermissionMenuItem, ViewersOnlyChooserViewSet
from stories.models import VoiceRoute
from stories.selectors.voice import route_matches, voice_today
from stories.voice_admin import VoicePreviewView
from stories.voice_blocks import voice_item_path, voice_where, voice_words
from stories.wagtail_hooks.feedback import FEEDBACK_MENU_HOOK

EXCERPT = 280


@hooks.register(HOOK)
def voice_section(*, user, profile) -> Section:
    department = profile.department if profile else None
    voice = voice_today(department, department.local_now().date()) if department else None
    items = []
    if voice is not None:
        words = " ".join(voice_words(voice.kind, voice.item).split())
        if len(words) > EXCERPT:
            words = words[: EXCERPT - 1] + "…"
        items.append(
            Item(
                text=f"“{words}”",
                url=voice_item_path(voice.kind, voice.item),
                detail=voice_where(voice.kind, voice.item),
            )
        )
    return Section(
        key="voice",
        title=_("Today's customer voice"),
        items=items,
        empty=_("No customer voice has been shared with your department today.")
        if department
        else _("Join a department to hear a customer every working day."),
        order=10,
        url=reverse("stories:voices"),
    )


@hooks.register(NAV_HOOK)
def voices_nav(*, user) -> NavItem:
    return NavItem(key="voices", label=_("Voices"), url=reverse("stories:voices"), order=55)


class MatchesColumn(Column):
    """How many feedback items the rule matches: one count per rule on the page."""

    def get_value(self, instance):
        return route_matches(instance)


class VoiceRouteViewSet(SnippetViewSet):
    model = VoiceRoute
    chooser_viewset_class = ViewersOnlyChooserViewSet
    icon = "resubmit"
    url_prefix = "voices/routes"
    menu_label = gettext_lazy("Routing rules")
    list_display = [
        "department",
        "touchpoint",
        "product",
        "tag",
        "market",
        "keyword",
        MatchesColumn("matches", label=gettext_lazy("Items it matches")),
    ]
    list_filter = ["department"]
    list_per_page = 50
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("department"),
            FieldPanel("touchpoint"),
            FieldPanel("product"),
            FieldPanel("tag"),
            FieldPanel("market"),
            FieldPanel("keyword"),
        ]
    )

    def get_queryset(self, request):
        return VoiceRoute.objects.select_related("department", "touchpoint")


register_snippet(VoiceRouteViewSet)


@hooks.register("register_admin_urls")
def voice_urls():
    return [path("voices/preview/", VoicePreviewView.as_view(), name="stories_voice_preview")]


@hooks.register(FEEDBACK_MENU_HOOK)
def routes_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Routing rules"),
        reverse("wagtailsnippets_stories_voiceroute:list"),
        name="stories-voice-routes",
        icon_name="resubmit",
        order=30,
        permission="stories.view_voiceroute",
    )


@hooks.register(FEEDBACK_MENU_HOOK)
def preview_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Next voices"),
        reverse("stories_voice_preview"),
        name="stories-voice-preview",
        icon_name="date",
        order=40,
        permission="stories.add_dailyvoice",
    )
