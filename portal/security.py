"""Small views that keep the site's surface to what it means to offer."""

from __future__ import annotations

import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

CSP_REPORT_MAX_BYTES = 16 * 1024


@login_not_required
def not_offered(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """A page a library offers that the portal does not (such as changing one's own email)."""
    raise Http404


@login_not_required
@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log what the Content-Security-Policy blocked, one line per report, never the page body.

    Browsers post these without cookies or a CSRF token; anyone can post one, so the body is
    bounded, parsed defensively and only a few short fields are logged.
    """
    if int(request.headers.get("Content-Length") or 0) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        report = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    body = report.get("csp-report") if isinstance(report, dict) else None
    if not isinstance(body, dict):
        return HttpResponse(status=400)

    def field(name: str) -> str:
        return str(body.get(name, ""))[:200]

    logger.warning(
        "CSP violation: %s blocked %s on %s",
        field("violated-directive") or field("effective-directive"),
        field("blocked-uri"),
        field("document-uri"),
    )
    return HttpResponse(status=204)
