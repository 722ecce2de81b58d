"""Onboarding's place in the admin: the dashboards in the Reports menu, HR's actions.

Loaded by onboarding/wagtail_hooks.py (Wagtail reads one wagtail_hooks module per app).
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from onboarding import admin_views, reports
from portal.auth import MANAGER_ADMIN_VIEWS_HOOK


@hooks.register("register_admin_urls")
def onboarding_admin_urls():
    return [
        path(
            "onboarding/learners/",
            admin_views.LearnersReportView.as_view(),
            name="onboarding_learners",
        ),
        path(
            "onboarding/learners/results/",
            admin_views.LearnersReportView.as_view(results_only=True),
            name="onboarding_learners_results",
        ),
        path(
            "onboarding/learners/<int:user_id>/",
            admin_views.LearnerView.as_view(),
            name="onboarding_learner",
        ),
        path(
            "onboarding/learners/<int:user_id>/enrol/",
            admin_views.EnrolView.as_view(),
            name="onboarding_enrol",
        ),
        path(
            "onboarding/modules/<int:pk>/due-date/",
            admin_views.ExtendView.as_view(),
            name="onboarding_extend",
        ),
        path(
            "onboarding/modules/<int:pk>/excuse/",
            admin_views.ExcuseView.as_view(),
            name="onboarding_excuse",
        ),
        path("onboarding/enrolments/<int:pk>/nudge/", admin_views.nudge, name="onboarding_nudge"),
        path("onboarding/funnel/", admin_views.FunnelView.as_view(), name="onboarding_funnel"),
    ]


@hooks.register(MANAGER_ADMIN_VIEWS_HOOK)
def onboarding_manager_views():
    """What a manager opens in the admin: their reports' progress, the funnel, the nudge."""
    return [
        "onboarding_learners",
        "onboarding_learners_results",
        "onboarding_learner",
        "onboarding_nudge",
        "onboarding_funnel",
    ]


class FollowersMenuItem(MenuItem):
    """Shown to HR and to managers (people with direct reports)."""

    def is_shown(self, request):
        return reports.may_view(request.user)


@hooks.register("register_reports_menu_item")
def onboarding_learners_menu_item():
    return FollowersMenuItem(
        _("Onboarding learners"),
        reverse("onboarding_learners"),
        name="onboarding-learners",
        icon_name="group",
        order=400,
    )


@hooks.register("register_reports_menu_item")
def onboarding_funnel_menu_item():
    return FollowersMenuItem(
        _("Onboarding funnel"),
        reverse("onboarding_funnel"),
        name="onboarding-funnel",
        icon_name="list-ol",
        order=410,
    )
