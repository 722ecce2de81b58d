"""Panels for the admin's dashboard, one per role that has work waiting there."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from portal.models import OutboxMessage, Profile

PANEL_ROWS = 5


class OutboxFailuresPanel(Component):
    """For the CX team: Slack messages that did not go out and need a look."""

    name = "portal_outbox_failures"
    order = 90
    template_name = "portal/admin/panels/outbox_failures.html"

    def get_context_data(self, parent_context=None):
        failed = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED)
        return {
            "title": _("Slack messages that failed"),
            "count": failed.count(),
            "rows": list(failed.order_by("-created_at")[:PANEL_ROWS]),
            "list_url": reverse("wagtailsnippets_portal_outboxmessage:list")
            + f"?state={OutboxMessage.State.FAILED}",
        }


class PeopleToCompletePanel(Component):
    """For HR: people the portal cannot place yet (no department or no start date)."""

    name = "portal_people_to_complete"
    order = 90
    template_name = "portal/admin/panels/people_to_complete.html"

    def get_context_data(self, parent_context=None):
        incomplete = (
            Profile.objects.filter(user__is_active=True)
            .filter(Q(department__isnull=True) | Q(start_date__isnull=True))
            .select_related("user", "department")
            .order_by("user__last_name", "user__first_name")
        )
        return {
            "title": _("People missing a department or start date"),
            "count": incomplete.count(),
            "rows": list(incomplete[:PANEL_ROWS]),
            "list_url": reverse("wagtailsnippets_portal_profile:list"),
        }


class AwaitingApprovalPanel(Component):
    """For leadership: everything submitted for approval and not yet decided, oldest first."""

    name = "portal_awaiting_approval"
    order = 90
    template_name = "portal/admin/panels/awaiting_approval.html"

    def get_context_data(self, parent_context=None):
        waiting = (
            WorkflowState.objects.active()
            .select_related("workflow", "current_task_state__task", "requested_by")
            .order_by("created_at")
        )
        return {
            "title": _("Waiting for approval"),
            "count": waiting.count(),
            "rows": [
                {"state": state, "object": state.content_object} for state in waiting[:PANEL_ROWS]
            ],
        }
