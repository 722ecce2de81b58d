"""Customer voice pages: one feedback item, a department's voices, the customer metrics.

Everyone signed in reads them (hearing customers is the point); customer identifiers are
masked for everyone but the CX team, as everywhere (stories/masking.py).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from portal.models import Department
from portal.selectors import viewer_profile
from stories import rules
from stories.masking import mask_identifiers, mask_reference
from stories.models import FeedbackItem, Polarity
from stories.selectors import metrics
from stories.selectors import voice as selectors
from stories.views.concern import viewer_zone
from stories.voice_blocks import voice_where, voice_words

PER_PAGE = 30


def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(FeedbackItem.objects.select_related("touchpoint"), pk=pk)
    sees = rules.may_triage(request.user)
    context = {
        "item": item,
        "text": item.text if sees else mask_identifiers(item.text),
        "customer": item.customer if sees else mask_reference(item.customer),
        "sees_identifiers": sees,
        "zone": viewer_zone(request.user),
        "voices": item.voices.select_related("department").exclude(outbox_message=None)[:20],
    }
    return render(request, "stories/feedback_detail.html", context)


def voices_home(request: HttpRequest) -> HttpResponse:
    """My department's voices, or the list of departments for someone without one."""
    profile = viewer_profile(user=request.user)
    if profile and profile.department_id:
        return redirect("stories:voice_archive", profile.department.slug)
    return render(
        request, "stories/voice_departments.html", {"departments": Department.objects.all()}
    )


def voice_archive(request: HttpRequest, slug: str) -> HttpResponse:
    department = get_object_or_404(Department, slug=slug)
    page = Paginator(selectors.department_archive(department), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "voice": voice,
            "words": voice_words(voice.kind, voice.item),
            "where": voice_where(voice.kind, voice.item),
        }
        for voice in page.object_list
    ]
    return render(
        request,
        "stories/voice_archive.html",
        {
            "department": department,
            "departments": Department.objects.all(),
            "page": page,
            "rows": rows,
        },
    )


PERIODS = (12, 24, 48)


def voice_metrics(request: HttpRequest) -> HttpResponse:
    try:
        months = int(request.GET.get("months", PERIODS[0]))
    except ValueError:
        months = PERIODS[0]
    if months not in PERIODS:
        months = PERIODS[0]
    since = metrics.since_months(months)
    monthly = metrics.by_month(since)
    total = metrics.totals(since)
    markets = metrics.by_market(since)
    departments = metrics.by_department(since)
    context = {
        "months": months,
        "periods": PERIODS,
        "total": total,
        "monthly": monthly,
        "markets": markets,
        "departments": departments,
        "market_chart": [(row.label, row.nps) for row in markets if row.nps is not None],
        "department_chart": [(row.label, row.nps) for row in departments if row.nps is not None],
        "nps_chart": [(row.label, row.nps) for row in monthly if row.nps is not None],
        "rating_chart": [(row.label, row.rating) for row in monthly if row.rating is not None],
        "polarity_chart": [
            (Polarity.POSITIVE.label, total.positive),
            (Polarity.NEUTRAL.label, total.neutral),
            (Polarity.NEGATIVE.label, total.negative),
        ]
        if total.items
        else [],
        "negative_chart": [
            (row.label, round(100 * row.negative / row.items)) for row in monthly if row.items
        ],
    }
    return render(request, "stories/voice_metrics.html", context)


urlpatterns = [
    path("voices/metrics/", voice_metrics, name="voice_metrics"),
    path("voices/", voices_home, name="voices"),
    path("voices/feedback/<int:pk>/", feedback_detail, name="feedback_detail"),
    path("voices/department/<slug:slug>/", voice_archive, name="voice_archive"),
]
