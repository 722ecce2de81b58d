"""Customer feedback in the admin: the imported items (view only) and their import."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.wagtail_hooks import (
    PermissionMenuItem,
    ViewersOnlyChooserViewSet,
    ViewOnlyPermissionPolicy,
)
from stories.feedback_admin import (
    IMPORT_PERMISSION,
    FeedbackImportDetailView,
    FeedbackImportView,
    feedback_import_report,
)
from stories.models import FeedbackItem

FEEDBACK_MENU_HOOK = "register_stories_feedback_menu_item"


@hooks.register("register_admin_urls")
def feedback_urls():
    return [
        path("feedback/import/", FeedbackImportView.as_view(), name="stories_feedback_import"),
        path(
            "feedback/import/<int:pk>/",
            FeedbackImportDetailView.as_view(),
            name="stories_feedback_import_detail",
        ),
        path(
            "feedback/import/<int:pk>/report/",
            feedback_import_report,
            name="stories_feedback_import_report",
        ),
    ]


register_permission_policy(FeedbackItem, ViewOnlyPermissionPolicy(FeedbackItem))


class FeedbackItemViewSet(SnippetViewSet):
    model = FeedbackItem
    chooser_viewset_class = ViewersOnlyChooserViewSet
    icon = "openquote"
    url_prefix = "feedback/items"
    menu_label = _("Feedback")
    list_display = [
        Column("excerpt", label=_("What the customer said")),
        "source",
        "market",
        "score",
        Column("get_polarity_display", label=_("Polarity"), sort_key="polarity"),
        "received_at",
    ]
    list_filter = ["polarity", "source", "market", "language", "touchpoint", "received_at"]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = [
        "text",
        "source",
        "external_id",
        "received_at",
        "market",
        "language",
        "score",
        "score_scale",
        "polarity",
        "product",
        "tags",
        "customer",
        "touchpoint",
        "department",
        "link",
        "submitted_by",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return FeedbackItem.objects.select_related("touchpoint")


register_snippet(FeedbackItemViewSet)


@hooks.register("register_admin_menu_item")
def feedback_menu():
    return SubmenuMenuItem(
        _("Customer feedback"),
        Menu(register_hook_name=FEEDBACK_MENU_HOOK),
        name="stories-feedback",
        icon_name="openquote",
        order=160,
    )


@hooks.register(FEEDBACK_MENU_HOOK)
def feedback_items_menu_item():
    return PermissionMenuItem(
        _("Feedback"),
        reverse("wagtailsnippets_stories_feedbackitem:list"),
        name="stories-feedback-items",
        icon_name="openquote",
        order=10,
        permission="stories.view_feedbackitem",
    )


@hooks.register(FEEDBACK_MENU_HOOK)
def feedback_import_menu_item():
    return PermissionMenuItem(
        _("Import feedback"),
        reverse("stories_feedback_import"),
        name="stories-feedback-import",
        icon_name="upload",
        order=20,
        permission=IMPORT_PERMISSION,
    )
