"""The ambassador directory and the monthly recognition page (sign-in is the middleware's)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ambassadors import recognition as recognition_logic
from ambassadors.selectors import ambassador_directory


@require_http_methods(["GET", "HEAD"])
def directory(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ambassadors/directory.html",
        {"directory": ambassador_directory(), "today": timezone.localdate()},
    )


@require_http_methods(["GET", "HEAD"])
def recognition(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    asked = request.GET.get("month", "")
    month, understood = recognition_logic.parse_month(asked, today=today)
    if not understood:
        messages.warning(
            request,
            _(
                "“%(value)s” is not a month written as YYYY-MM (for example %(example)s): "
                "here is this month instead."
            )
            % {"value": asked[:20], "example": today.strftime("%Y-%m")},
        )
    return render(
        request,
        "ambassadors/recognition.html",
        {
            "recognition": recognition_logic.monthly_recognition(month=month, today=today),
            "badges": recognition_logic.BADGES,
        },
    )
