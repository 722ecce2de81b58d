"""The CX team's triage in the admin: the queue, systemic candidates, SLAs and a dashboard panel.

Everything here opens for people with `stories.view_concern` (the CX team; leadership may look
and export); acting (merging a candidate) is for the CX team only (stories.rules.may_triage).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.wagtail_hooks import PermissionMenuItem, ViewersOnlyChooserViewSet
from stories.admin_views import CandidatesView, TriageReportView, concern_url, show_for
from stories.models import SeveritySLA
from stories.selectors.triage import triage_summary

CONCERNS_MENU_HOOK = "register_stories_concerns_menu_item"
VIEW_CONCERN = "stories.view_concern"


@hooks.register("register_admin_urls")
def triage_urls():
    return [
        path("concerns/triage/", TriageReportView.as_view(), name="stories_triage"),
        path(
            "concerns/triage/results/",
            TriageReportView.as_view(results_only=True),
            name="stories_triage_results",
        ),
        path("concerns/candidates/", CandidatesView.as_view(), name="stories_candidates"),
    ]


@hooks.register("register_admin_menu_item")
def concerns_menu():
    return SubmenuMenuItem(
        _("Concerns"),
        Menu(register_hook_name=CONCERNS_MENU_HOOK),
        name="stories-concerns",
        icon_name="warning",
        order=150,
    )


@hooks.register(CONCERNS_MENU_HOOK)
def triage_menu_item():
    return PermissionMenuItem(
        _("Triage queue"),
        reverse("stories_triage"),
        name="stories-triage",
        icon_name="list-ul",
        order=10,
        permission=VIEW_CONCERN,
    )


@hooks.register(CONCERNS_MENU_HOOK)
def candidates_menu_item():
    return PermissionMenuItem(
        _("Systemic candidates"),
        reverse("stories_candidates"),
        name="stories-candidates",
        icon_name="group",
        order=20,
        permission=VIEW_CONCERN,
    )


@hooks.register(CONCERNS_MENU_HOOK)
def cx_channels_menu_item():
    return PermissionMenuItem(
        _("CX channels"),
        reverse("wagtailsettings:edit", args=["stories", "cxsettings"]),
        name="stories-cx-channels",
        icon_name="comment",
        order=40,
        permission="stories.change_cxsettings",
    )


# --- the SLAs -------------------------------------------------------------------------------


class SeveritySLAPermissionPolicy(ModelPermissionPolicy):
    """The four SLAs come from a migration, one per severity: they are edited, never added."""

    def user_has_permission(self, user, action):
        if action in {"add", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(SeveritySLA, SeveritySLAPermissionPolicy(SeveritySLA))


class SeveritySLAViewSet(SnippetViewSet):
    model = SeveritySLA
    chooser_viewset_class = ViewersOnlyChooserViewSet
    icon = "time"
    menu_label = _("SLAs by severity")
    menu_order = 30
    menu_hook = CONCERNS_MENU_HOOK
    url_prefix = "concerns/slas"
    list_display = ["severity", "working_days"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("severity", read_only=True),
            FieldPanel(
                "working_days",
                help_text=_(
                    "Working days the owner department has to resolve a concern of this "
                    "severity, counted in that department's working week and time zone: "
                    "0 means by the end of the day it was filed, 1 by the end of the next "
                    "working day. A change applies to concerns filed from now on."
                ),
            ),
        ]
    )


register_snippet(SeveritySLAViewSet)


# --- the dashboard --------------------------------------------------------------------------


class ConcernsToTriagePanel(Component):
    """For the CX team (and leadership, who may look): what waits in the triage queue."""

    name = "stories_concerns_to_triage"
    order = 80
    template_name = "stories/admin/triage_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        summary = triage_summary(now=timezone.now())
        for concern in summary.oldest_new:
            show_for(self.user, concern)
            concern.url = concern_url(concern.pk)
        queue = reverse("stories:triage")  # the portal's queue: where the CX team works
        return {
            "title": _("Concerns to triage"),
            "summary": summary,
            "rows": summary.oldest_new,
            "queue_url": queue,
            "new_url": f"{queue}?{urlencode({'state': 'new'})}",
            "overdue_url": f"{queue}?{urlencode({'overdue': 'true'})}",
            "waiting_url": f"{queue}?{urlencode({'waiting_for_owner': 'true'})}",
        }


@hooks.register("construct_homepage_panels")
def add_triage_panel(request, panels):
    if request.user.has_perm(VIEW_CONCERN):
        panels.append(ConcernsToTriagePanel(request.user))
