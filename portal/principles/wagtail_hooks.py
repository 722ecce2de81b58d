"""The principles in the admin: the acknowledgement reports and their place in the menu.

Loaded by portal/wagtail_hooks.py (Wagtail reads one wagtail_hooks module per app).
"""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.principles.admin_views import (
    VIEW_ACKNOWLEDGEMENT,
    DepartmentReportView,
    PrincipleCurveView,
    PrincipleReportView,
)
from portal.wagtail_hooks import PermissionMenuItem


@hooks.register("register_admin_urls")
def principles_report_urls():
    return [
        path("principles/report/", PrincipleReportView.as_view(), name="principles_report"),
        path(
            "principles/report/results/",
            PrincipleReportView.as_view(results_only=True),
            name="principles_report_results",
        ),
        path(
            "principles/departments/",
            DepartmentReportView.as_view(),
            name="principles_departments",
        ),
        path(
            "principles/departments/results/",
            DepartmentReportView.as_view(results_only=True),
            name="principles_departments_results",
        ),
        path("principles/report/<int:pk>/", PrincipleCurveView.as_view(), name="principles_curve"),
    ]


@hooks.register("register_reports_menu_item")
def principles_report_menu_item():
    return PermissionMenuItem(
        _("Acknowledgements by principle"),
        reverse("principles_report"),
        name="principles-report",
        icon_name="tick-inverse",
        order=300,
        permission=VIEW_ACKNOWLEDGEMENT,
    )


@hooks.register("register_reports_menu_item")
def principles_departments_menu_item():
    return PermissionMenuItem(
        _("Acknowledgements by department"),
        reverse("principles_departments"),
        name="principles-departments",
        icon_name="group",
        order=310,
        permission=VIEW_ACKNOWLEDGEMENT,
    )
