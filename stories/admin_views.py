"""The CX team's admin pages for concerns: the triage queue (a report) and systemic candidates.

Leadership may open both to look and export, not act; what they see has customer identifiers
masked (stories.rules.may_see_identifiers), in the page and in the export alike.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict

import django_filters
from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.permission_policies import ModelPermissionPolicy

from portal.models import Department
from portal.spreadsheets import LOCAL_DATETIMES, csv_safe
from stories import rules
from stories.forms.triage import (
    ANY,
    KIND_CHOICES,
    LABELS,
    STATE_CHOICES,
    triage_filters,
    with_open_state,
)
from stories.masking import mask_identifiers, mask_reference
from stories.models import Concern, Severity
from stories.selectors import triage as selectors
from stories.selectors.triage import STATE_ALL, STATE_OPEN


def concern_url(pk: int) -> str:
    """The concern's page in the portal, where the CX team acts on it."""
    return reverse("stories:concern_detail", args=[pk])


def show_for(user, concern: Concern) -> Concern:
    """Set what this person may read of the concern on it: shown_title, _reference, _description.

    The CX team and the concern's owner department read it as typed; everyone else (leadership
    looking at the queue) gets customer identifiers masked.
    """
    if rules.may_see_identifiers(user, concern):
        concern.shown_title = concern.title
        concern.shown_reference = concern.customer_reference
        concern.shown_description = concern.description
    else:
        concern.shown_title = mask_identifiers(concern.title)
        concern.shown_reference = mask_reference(concern.customer_reference)
        concern.shown_description = mask_identifiers(concern.description)
    return concern


# --- the triage queue -----------------------------------------------------------------------


def _touchpoints(request):
    return apps.get_model("ambassadors", "Touchpoint").objects.all()


def _departments(request):
    return Department.objects.order_by("name")


class TriageFilterSet(WagtailFilterSet):
    """The queue's filters as the admin report takes them; it filters with the portal queue's
    selector (stories.forms.triage, stories.selectors.triage)."""

    state = django_filters.ChoiceFilter(
        label=LABELS["state"],
        choices=STATE_CHOICES,
        empty_label=None,
        initial=STATE_OPEN,
        widget=forms.RadioSelect,
    )
    severity = django_filters.MultipleChoiceFilter(
        label=LABELS["severity"], choices=Severity.choices, widget=forms.CheckboxSelectMultiple
    )
    kind = django_filters.ChoiceFilter(
        label=LABELS["kind"], choices=KIND_CHOICES, empty_label=ANY, widget=forms.RadioSelect
    )
    touchpoint = django_filters.ModelChoiceFilter(
        label=LABELS["touchpoint"], queryset=_touchpoints, empty_label=ANY
    )
    department = django_filters.ModelChoiceFilter(
        label=LABELS["department"], queryset=_departments, empty_label=ANY
    )
    owner_department = django_filters.ModelChoiceFilter(
        label=LABELS["owner_department"], queryset=_departments, empty_label=ANY
    )
    overdue = django_filters.BooleanFilter(label=LABELS["overdue"], widget=BooleanRadioSelect)
    waiting_for_owner = django_filters.BooleanFilter(
        label=LABELS["waiting_for_owner"], widget=BooleanRadioSelect
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=LABELS["created_at"], widget=DateRangePickerWidget
    )

    class Meta:
        model = Concern
        fields = [
            "state",
            "severity",
            "kind",
            "touchpoint",
            "department",
            "owner_department",
            "overdue",
            "waiting_for_owner",
            "created_at",
        ]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(with_open_state(data), *args, **kwargs)

    def triage_filters(self) -> selectors.TriageFilters:
        """What is asked for; a filter in error counts as "any"."""
        self.is_valid()
        return triage_filters(getattr(self.form, "cleaned_data", {}))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return selectors.filter_concerns(queryset, self.triage_filters(), now=timezone.now())


def state_links(filters: selectors.TriageFilters, query, url: str) -> list[dict]:
    """Counts by state over the other filters asked for, each a link that picks the state
    (keeping the other parameters of `query`, a QueryDict without the page)."""
    counts = selectors.triage_state_counts(filters, now=timezone.now())
    query = query.copy()
    links = []
    choices = [(STATE_OPEN, gettext("Open")), *Concern.State.choices, (STATE_ALL, gettext("All"))]
    for value, label in choices:
        query["state"] = value
        links.append(
            {
                "label": label,
                "count": counts.get(value, 0),
                "url": f"{url}?{query.urlencode()}",
                "current": value == filters.state,
            }
        )
    return links


class DueColumn(DateColumn):
    cell_template_name = "stories/admin/due_cell.html"


class TriageReportView(ReportView):
    """The CX team's queue: every concern, filtered, counted by state, exported."""

    page_title = _("Concerns to triage")
    header_icon = "warning"
    results_template_name = "stories/admin/triage_results.html"
    index_url_name = "stories_triage"
    index_results_url_name = "stories_triage_results"
    filterset_class = TriageFilterSet
    permission_policy = ModelPermissionPolicy(Concern)
    permission_required = "view"
    verbose_name = _("concern")
    verbose_name_plural = _("concerns")
    default_ordering = "due_at"
    # Wagtail listings show 20 rows; a report's 50 drew 600 cells (bench/README.md).
    paginate_by = 20
    columns = [
        TitleColumn(
            "shown_title",
            label=_("Title"),
            sort_key="title",
            get_url=lambda concern: concern_url(concern.pk),
        ),
        Column("get_state_display", label=_("State"), sort_key="state"),
        Column("get_severity_display", label=_("How bad it is"), sort_key="severity_rank"),
        Column("kind_label", label=_("Classification"), sort_key="kind"),
        Column("touchpoint", label=_("Touchpoint"), sort_key="touchpoint__name"),
        Column("department", label=_("Seen in"), sort_key="department__name"),
        Column("owner_label", label=_("Owner department"), sort_key="owner_department__name"),
        Column("assignee", label=_("Assignee")),
        Column("shown_reference", label=_("Customer reference")),
        DateColumn("created_at", label=_("Filed"), sort_key="created_at"),
        DueColumn("due_at", label=_("Due"), sort_key="due_at"),
        NumberColumn("follower_count", label=_("Followers"), sort_key="follower_count"),
    ]
    list_export = [
        "id",
        "title",
        "state",
        "severity",
        "kind",
        "touchpoint",
        "department",
        "owner_department",
        "assignee",
        "customer_reference",
        "description",
        "created_at",
        "due_at",
        "overdue",
        "followers",
        "url",
    ]
    export_headings = {
        "id": _("Number"),
        "title": _("Title"),
        "state": _("State"),
        "severity": _("How bad it is"),
        "kind": _("Classification"),
        "touchpoint": _("Touchpoint"),
        "department": _("Seen in"),
        "owner_department": _("Owner department"),
        "assignee": _("Assignee"),
        "customer_reference": _("Customer reference"),
        "description": _("What the customer experienced"),
        "created_at": _("Filed"),
        "due_at": _("Due"),
        "overdue": _("Past due"),
        "followers": _("Followers"),
        "url": _("Link"),
    }
    custom_field_preprocess = {
        name: {ReportView.FORMAT_CSV: csv_safe}
        for name in ("title", "customer_reference", "description", "assignee", "url")
    }
    custom_value_preprocess = LOCAL_DATETIMES

    def get_filename(self):
        return f"concerns-{timezone.localdate().isoformat()}"

    def get_base_queryset(self):
        return selectors.triage_queryset()

    def get_filtered_queryset(self):
        # BaseListingView.get_queryset filters already; ReportView would filter a second time.
        return self.get_queryset()

    def filter_queryset(self, queryset):
        # Wagtail filters only when every filter is valid, and otherwise lists (and exports)
        # every concern in every state. A filter in error counts as "any" here, as in the
        # portal's queue and in the counts by state: rows, counts and export agree.
        return self.filters.filter_queryset(queryset)

    def order_queryset(self, queryset):
        ordering = self.ordering
        if not ordering:
            return queryset
        name = ordering.lstrip("-")
        if ordering.startswith("-"):
            return queryset.order_by(F(name).desc(nulls_last=True), "-pk")
        return queryset.order_by(F(name).asc(nulls_last=True), "pk")

    @cached_property
    def now(self) -> datetime.datetime:
        return timezone.now()

    def decorate_paginated_queryset(self, object_list):
        user = self.request.user
        for concern in object_list:
            show_for(user, concern)
            concern.is_overdue = bool(
                concern.is_open and concern.due_at and concern.due_at < self.now
            )
            concern.kind_label = concern.get_kind_display() if concern.kind else ""
            concern.owner_label = concern.owner_department or (
                gettext("Waiting for an owner") if concern.is_open else ""
            )
        return object_list

    def to_row_dict(self, item):
        return OrderedDict(
            [
                ("id", item.pk),
                ("title", item.shown_title),
                ("state", item.get_state_display()),
                ("severity", item.get_severity_display()),
                ("kind", item.kind_label),
                ("touchpoint", str(item.touchpoint)),
                ("department", str(item.department)),
                ("owner_department", str(item.owner_department or "")),
                ("assignee", str(item.assignee or "")),
                ("customer_reference", item.shown_reference),
                ("description", item.shown_description),
                ("created_at", item.created_at),
                ("due_at", item.due_at),
                ("overdue", gettext("Yes") if item.is_overdue else ""),
                ("followers", item.follower_count),
                ("url", self.request.build_absolute_uri(concern_url(item.pk))),
            ]
        )

    def state_links(self) -> list[dict]:
        query = self.request.GET.copy()
        for param in (self.page_kwarg, "export", "_w_filter_fragment"):
            query.pop(param, None)
        return state_links(self.filters.triage_filters(), query, self.index_url)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if not self.is_export:
            context["state_links"] = self.state_links()
        return context


# --- systemic candidates --------------------------------------------------------------------


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Choose concerns from the list.")) from exc


class CandidateAcceptForm(forms.Form):
    """Field names are candidate_accept's arguments, so its errors land beside their field."""

    concern_ids = IdListField()
    primary_id = forms.IntegerField(label=_("The concern that stays"))
    owner_department_id = forms.TypedChoiceField(
        label=_("Owner department"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_department_id"].choices = [
            ("", gettext("Decide later")),
            *((department.pk, department.name) for department in departments),
        ]


class CandidatesView(WagtailAdminTemplateMixin, TemplateView):
    """Open individual concerns that look like one problem, offered as one systemic concern."""

    template_name = "stories/admin/candidates.html"
    page_title = _("Systemic candidates")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("stories.view_concern"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    @cached_property
    def may_act(self) -> bool:
        return rules.may_triage(self.request.user)

    @cached_property
    def departments(self) -> list[Department]:
        return list(Department.objects.order_by("name")) if self.may_act else []

    def get_context_data(self, *, failed_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        candidates = selectors.systemic_candidates()
        failed_key = None
        if failed_form is not None:
            failed_key = "-".join(str(pk) for pk in failed_form.cleaned_data.get("concern_ids", []))
        rows = []
        for candidate in candidates:
            for concern in candidate.concerns:
                show_for(user, concern)
                concern.url = concern_url(concern.pk)
            form = None
            if self.may_act:
                if candidate.key == failed_key:
                    form = failed_form
                else:
                    form = CandidateAcceptForm(
                        initial={
                            "concern_ids": candidate.concern_ids,
                            "primary_id": candidate.concern_ids[0],
                        },
                        departments=self.departments,
                    )
            rows.append({"candidate": candidate, "form": form})
        context.update(
            {
                "rows": rows,
                "may_act": self.may_act,
                "min_size": selectors.CANDIDATE_MIN_SIZE,
                "triage_url": reverse("stories_triage"),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        from stories.services.candidates import candidate_accept

        if not self.may_act:
            raise PermissionDenied
        form = CandidateAcceptForm(request.POST, departments=self.departments)
        if form.is_valid():
            try:
                concern = candidate_accept(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    gettext("“%(title)s” is now one systemic concern.")
                    % {"title": show_for(request.user, concern).shown_title},
                )
                return redirect(concern_url(concern.pk))
        messages.error(request, gettext("The concerns were not merged: see the errors below."))
        return self.render_to_response(self.get_context_data(failed_form=form))
