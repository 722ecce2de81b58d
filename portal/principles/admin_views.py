"""The acknowledgement reports in the admin: per principle, per department, and the curve.

Wagtail report views (filters, CSV and XLSX export); the numbers come from
portal.principles.reports. Open to people with `portal.view_acknowledgement` (the CX team,
Leadership, HR).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from portal.admin_tables import CountColumn, DayColumn, PlainTable
from portal.models import Department
from portal.principles import reports
from portal.principles.models import Acknowledgement, Principle
from portal.spreadsheets import LOCAL_DATETIMES, csv_safe

VIEW_ACKNOWLEDGEMENT = "portal.view_acknowledgement"

LABELS = {
    "title": _("Principle"),
    "department": _("Department"),
    "version": _("Version"),
    "version_published_at": _("Version published"),
    "asked": _("Asked"),
    "acknowledged": _("Acknowledged"),
    "pending": _("Pending"),
    "overdue": _("Overdue (14 days and more)"),
    "share": _("Acknowledged (%)"),
    "days_to_everyone": _("Days to 100%"),
}


def curve_url(principle: Principle) -> str:
    return reverse("principles_curve", args=[principle.pk])


def _unfiltered(queryset, name, value):
    # The choice changes what is counted, not which rows are listed (the view reads it).
    return queryset


def _departments(request):
    return Department.objects.order_by("name")


def _principles(request):
    return Principle.objects.filter(version__gte=1, page__isnull=False).select_related("page")


class PrincipleFilterSet(WagtailFilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("People of the department"),
        queryset=_departments,
        empty_label=_("Every department"),
        method=_unfiltered,
    )
    live = django_filters.BooleanFilter(
        label=_("Published now"),
        field_name="live",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Principle
        fields = ["department", "live"]


class DepartmentFilterSet(WagtailFilterSet):
    principle = django_filters.ModelChoiceFilter(
        label=_("Principle"),
        queryset=_principles,
        empty_label=_("Every published principle"),
        method=_unfiltered,
    )

    class Meta:
        model = Department
        fields = ["principle"]


# What both reports count, after the row's own name (not sortable: the counts are not columns
# of the listed rows but kept beside them, portal/principles/reports.py).
COUNT_COLUMNS = [
    CountColumn("asked", label=LABELS["asked"]),
    CountColumn("acknowledged", label=LABELS["acknowledged"]),
    CountColumn("pending", label=LABELS["pending"]),
    CountColumn("overdue", label=LABELS["overdue"]),
    CountColumn("share", label=LABELS["share"]),
    CountColumn("days_to_everyone", label=LABELS["days_to_everyone"]),
]
COUNT_EXPORT = ["asked", "acknowledged", "pending", "overdue", "share", "days_to_everyone"]


def with_counts(row, counts: reports.Counts, published_at):
    """Set a report row's counts on it, for its cells and its export."""
    row.asked, row.acknowledged, row.overdue = counts.asked, counts.acknowledged, counts.overdue
    row.pending, row.share = counts.pending, counts.share
    row.days_to_everyone = counts.days_to_everyone(published_at)
    return row


class _AcknowledgementReport(ReportView):
    permission_policy = ModelPermissionPolicy(Acknowledgement)
    permission_required = "view"
    header_icon = "tick-inverse"
    table_class = PlainTable
    paginate_by = 20
    custom_value_preprocess = LOCAL_DATETIMES

    def chosen(self, name: str):
        if self.filters is None or not self.filters.is_valid():
            return None
        return self.filters.form.cleaned_data.get(name)

    def decorate_paginated_queryset(self, object_list):
        counts = self.counts()
        return [
            with_counts(row, counts.get(row.pk, reports.Counts()), self.published_at(row))
            for row in object_list
        ]

    def counts(self) -> dict:
        raise NotImplementedError

    def published_at(self, row):
        raise NotImplementedError


class PrincipleReportView(_AcknowledgementReport):
    """One row per principle: its current version's acknowledgements."""

    page_title = _("Acknowledgements by principle")
    index_url_name = "principles_report"
    index_results_url_name = "principles_report_results"
    filterset_class = PrincipleFilterSet
    default_ordering = "page__title"
    columns = [
        TitleColumn(
            "title",
            label=LABELS["title"],
            accessor="page.title",
            sort_key="page__title",
            get_url=curve_url,
        ),
        CountColumn("version", label=LABELS["version"], sort_key="version"),
        DayColumn(
            "version_published_at",
            label=LABELS["version_published_at"],
            sort_key="version_published_at",
        ),
        *COUNT_COLUMNS,
    ]
    list_export = [
        "page.title",
        "version",
        "version_published_at",
        *COUNT_EXPORT,
    ]
    export_headings = {"page.title": LABELS["title"], **LABELS}
    custom_field_preprocess = {"page.title": {ReportView.FORMAT_CSV: csv_safe}}

    def get_filename(self):
        return "principle-acknowledgements"

    def get_base_queryset(self):
        return reports.principle_report()

    def counts(self):
        department = self.chosen("department")
        return reports.counts_by_principle(department_id=department.pk if department else None)

    def published_at(self, row):
        return row.version_published_at


class DepartmentReportView(_AcknowledgementReport):
    """One row per department: its people's acknowledgements of one principle, or of all."""

    page_title = _("Acknowledgements by department")
    index_url_name = "principles_departments"
    index_results_url_name = "principles_departments_results"
    filterset_class = DepartmentFilterSet
    default_ordering = "name"
    columns = [
        TitleColumn("name", label=LABELS["department"], sort_key="name"),
        *COUNT_COLUMNS,
    ]
    list_export = ["name", *COUNT_EXPORT]
    export_headings = {"name": LABELS["department"], **LABELS}
    custom_field_preprocess = {"name": {ReportView.FORMAT_CSV: csv_safe}}

    def get_filename(self):
        return "department-acknowledgements"

    def principle_id(self) -> int | None:
        principle = self.chosen("principle")
        return principle.pk if principle else None

    def get_base_queryset(self):
        return reports.department_report(principle_id=self.principle_id())

    def counts(self):
        return reports.counts_by_department(principle_id=self.principle_id())

    def published_at(self, row):
        # Days to 100% are counted for one principle at a time.
        principle = self.chosen("principle")
        return principle.version_published_at if principle else None


class PrincipleCurveView(WagtailAdminTemplateMixin, TemplateView):
    """How fast people acknowledged, day by day after each publication of one principle."""

    template_name = "portal/admin/principle_curve.html"
    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_ACKNOWLEDGEMENT):
            raise PermissionDenied
        self.principle = get_object_or_404(
            Principle.objects.select_related("page"), pk=kwargs["pk"], page__isnull=False
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.principle.page.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("principles_report"), "label": PrincipleReportView.page_title},
            {"url": "", "label": self.principle.page.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = reports.counts_by_principle().get(self.principle.pk)
        row = None
        if counts is not None:
            row = with_counts(self.principle, counts, self.principle.version_published_at)
        context.update(
            principle=self.principle,
            row=row,
            curves=reports.acknowledgement_curves(self.principle),
        )
        return context
