"""The CX team's triage queue in the portal: every concern, filtered, counted by state, twenty
a page, each row a link to the concern's page, where the CX team acts on it.

The admin keeps the same queue as a Wagtail report (stories.admin_views.TriageReportView) with
the same filters and parameters: the CSV and XLSX exports come from there, and this page links
to them with its filters. This page is the one the CX team works from every day, drawn as a
portal page: an empty Wagtail admin page costs twice an empty portal page, and the report
more than twice this page (bench/README.md). Leadership may look (with customer identifiers
masked), not act.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from portal.ui import Column, sort_param
from stories import rules
from stories.admin_views import state_links
from stories.forms.triage import TriageFilterForm
from stories.selectors import concern as concern_selectors
from stories.selectors import triage as selectors
from stories.views.concern import (
    concern_rows,
    date_text,
    due_cell,
    severity_badge,
    state_badge,
    title_cell,
    viewer_zone,
)

PER_PAGE = 20
DEFAULT_SORT = "due"
SORTS = ("title", "state", "severity", "filed", "due")
COLUMNS = [
    Column("title", gettext_lazy("Concern"), sortable=True),
    Column("state", gettext_lazy("State"), sortable=True),
    Column("severity", gettext_lazy("Severity"), sortable=True),
    Column("kind", gettext_lazy("Classification")),
    Column("touchpoint", gettext_lazy("Touchpoint")),
    Column("department", gettext_lazy("Seen in")),
    Column("owner", gettext_lazy("Owner")),
    Column("assignee", gettext_lazy("Assignee")),
    Column("filed", gettext_lazy("Filed"), sortable=True),
    Column("due", gettext_lazy("Due"), sortable=True),
    Column("followers", gettext_lazy("Followers"), numeric=True),
]
# Parameters of this page that are not filters (the export link leaves them out).
NOT_FILTERS = ("page", "sort")


def _row(user, concern, zone, now) -> list:
    return [
        title_cell(user, concern),
        state_badge(concern),
        severity_badge(concern),
        concern.get_kind_display() if concern.kind else "—",
        str(concern.touchpoint),
        concern.department.name,
        concern.owner_department.name
        if concern.owner_department_id
        else (_("Waiting for an owner") if concern.is_open else "—"),
        str(concern.assignee) if concern.assignee_id else "—",
        date_text(timezone.localtime(concern.created_at, zone).date()),
        due_cell(concern, zone, now),
        concern.follower_count,
    ]


@require_GET
def triage_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("stories.view_concern"):
        raise PermissionDenied
    departments, touchpoints = concern_selectors.filter_choices()
    form = TriageFilterForm(request.GET, touchpoints=touchpoints, departments=departments)
    filters = form.filters()
    sort = sort_param(request, SORTS, default=DEFAULT_SORT)
    rows = selectors.triage_queryset(related=("assignee",))
    concerns = concern_selectors.ordered(
        selectors.filter_concerns(rows, filters, now=timezone.now()), sort
    )
    query = request.GET.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    links = state_links(filters, query, reverse("stories:triage"))
    paginator = Paginator(concerns, PER_PAGE)
    # The counts by state have counted this page's concerns already (the current state's).
    paginator.count = next(link["count"] for link in links if link["current"])
    page = paginator.get_page(request.GET.get("page"))
    zone, now = viewer_zone(user), timezone.now()
    shown = list(page.object_list)
    concern_selectors.attach_places(shown, departments, touchpoints)
    rows = concern_rows(
        user,
        shown,
        zone=zone,
        now=now,
        draw=lambda concern: _row(user, concern, zone, now),
        name="triage-row",
        shows=lambda concern: (str(concern.assignee or ""), concern.follower_count),
    )
    export = f"{reverse('stories_triage')}?{query.urlencode()}{'&' if query else ''}export="
    return render(
        request,
        "stories/triage_queue.html",
        {
            "form": form,
            "columns": COLUMNS,
            "rows": rows,
            "page": page,
            "sort": sort,
            "state_links": links,
            "may_triage": rules.may_triage(user),
            "export_csv": export + "csv",
            "export_xlsx": export + "xlsx",
            "filtered": form.asks_for_any(request.GET),
        },
    )


urlpatterns = [
    path("concerns/triage/", triage_queue, name="triage"),
]
