from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal import health
from portal.forms import ProfileForm
from portal.home import PROFILE_HOOK, sections_for
from portal.middleware import remember_language
from portal.selectors import profile_for
from portal.services import organisation
from portal.slack.app import (
    handle_slack_request,
    preview_response,
    read_slack_request,
    slack_can_verify,
    verify_slack_request,
)
from portal.slack.client import slack_is_live


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health.check_all(timeout=settings.HEALTHZ_TIMEOUT)
    failing = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "ok" if not failing else "unavailable",
        "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
    }
    if failing:
        body["failing"] = failing
    response = JsonResponse(body, status=503 if failing else 200)
    if request.method == "HEAD":
        # Load balancers probe with HEAD: the status is the answer, the body is not sent.
        response.content = b""
    return response


@login_not_required
@csrf_exempt
@require_POST
def slack_events(request: HttpRequest) -> HttpResponse:
    if not slack_can_verify():
        return JsonResponse({"error": "slack_not_configured"}, status=503)
    if not verify_slack_request(request.body, request.headers):
        return JsonResponse({"error": "invalid_signature"}, status=401)
    if not slack_is_live():
        return preview_response(request.body)
    bolt_request = read_slack_request(request)
    if bolt_request is None:
        return JsonResponse({"error": "malformed_request"}, status=400)
    return handle_slack_request(bolt_request)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language for this browser and, for a signed-in person, on their profile."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_safe_next(request))
    try:
        organisation.check_language(language)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return response
    if request.user.is_authenticated:
        organisation.profile_set_language(user=request.user, language=language)
    return _speak(request, response, language)


def _speak(request: HttpRequest, response: HttpResponse, language: str) -> HttpResponse:
    """Use this language from the next page on: in the session and in the browser's cookie."""
    if request.user.is_authenticated:
        remember_language(request, language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    current = profile_for(user=request.user) or organisation.profile_ensure(user=request.user)
    form = ProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        updated = organisation.profile_update(
            user=request.user,
            language=form.cleaned_data["language"],
            timezone_name=form.cleaned_data["timezone"],
        )
        messages.success(request, _("Your profile has been saved."))
        return _speak(request, HttpResponseRedirect(request.path), updated.language)
    sections = sections_for(user=request.user, profile=current, hook_name=PROFILE_HOOK)
    return render(
        request,
        "portal/profile.html",
        {"form": form, "profile": current, "sections": sections},
    )


def no_access(request: HttpRequest) -> HttpResponse:
    """The admin, opened by a signed-in person who may not use it (AdminAccessMiddleware)."""
    return render(request, "portal/no_access.html", status=403)


# The error pages below render with the request, in the portal's look and the visitor's
# language; handler500 (portal/errors.py) renders without it, as the database may be down.


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404."""
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403."""
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. Django's reason is for developers and stays out of the page."""
    return render(request, "403_csrf.html", status=403)
