"""Error pages that render without the database, since the database may be what failed."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

# The 503 page says "try again in a minute"; browsers and crawlers read the same from this.
RETRY_AFTER_SECONDS = 60


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 when the database cannot be reached, 500 for anything else.

    Django calls this inside its except block and logs the exception at ERROR itself
    (django.request) once this returns, so nothing is logged here.
    """
    if _database_unreachable(sys.exc_info()[1]):
        response = _page("503.html", request, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = _page("500.html", request, status=500)
    add_never_cache_headers(response)
    return response


def _database_unreachable(exc: BaseException | None) -> bool:
    # OperationalError/InterfaceError: no connection, a dropped one, or one that timed out.
    # Follow explicit `raise … from` chains, where a library re-raises the database's error.
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__
    return False


def _page(template_name: str, request: HttpRequest, *, status: int) -> HttpResponse:
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "retry_path": request.get_full_path()}
    try:
        # No request: its context processors (Wagtail settings, the user, messages) would
        # query the database.
        body = loader.render_to_string(template_name, context)
    except Exception:
        # An error page must not fail in turn; Django would answer with a bare traceback.
        logger.exception("could not render %s", template_name)
        heading = escape(gettext("Something went wrong"))
        body = f"<!DOCTYPE html><title>{heading}</title><h1>{heading}</h1>"
    return HttpResponse(body, status=status)
