"""The learner's own views: a quiz's answers and where they stopped reading, both posted to
the module's page (ModulePage.serve), and the certificate of a programme they finished."""

from __future__ import annotations

import uuid
from contextlib import suppress

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onboarding.certificates import certificate_for
from onboarding.forms import QuizForm
from onboarding.models import QuizAttempt
from onboarding.services import module_stop, quiz_submit
from portal.principles.selectors import route_path
from portal.selectors import viewer_profile


def quiz_answer(request, *, page):
    if not request.user.is_authenticated:
        raise PermissionDenied
    token = request.POST.get("token", "")
    attempt = (
        QuizAttempt.objects.filter(token=token, user=request.user).first()
        if _is_uuid(token)
        else None
    )
    if attempt is None:
        raise PermissionDenied  # nobody answers another person's attempt
    form = QuizForm(request.POST, attempt=attempt)
    if form.is_valid():
        try:
            attempt = quiz_submit(user=request.user, token=attempt.token, answers=form.answers())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            _reached(request.user, page, attempt.quiz_id)
            if attempt.passed:
                messages.success(
                    request,
                    _("You passed “%(quiz)s” with %(score)s%%.")
                    % {"quiz": attempt.title, "score": attempt.score},
                )
            return redirect(f"{route_path(page)}#quiz-{attempt.quiz_id}")
    context = page.get_context(request, failed_form=form)
    return TemplateResponse(request, page.get_template(request), context, status=400)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _reached(user, page, block_id: str) -> None:
    """A quiz submitted counts as reached (when the learner is enrolled and it is still there)."""
    with suppress(PermissionDenied, ValidationError):
        module_stop(user=user, module=page, block_id=block_id)


def module_stopped(request, *, page):
    """Where the learner stopped reading (onboarding.js, in the background): a bare status,
    never an error page."""
    try:
        module_stop(user=request.user, module=page, block_id=request.POST.get("stopped_at", ""))
    except PermissionDenied:
        return HttpResponse(status=403)
    except ValidationError:
        return HttpResponse(status=400)
    return HttpResponse(status=204)


@require_http_methods(["GET", "HEAD"])
def certificate(request, programme_key):
    """The signed-in person's certificate for a programme they finished; anyone else's, or one
    not finished, does not exist for them."""
    found = certificate_for(
        user=request.user,
        programme_key=programme_key,
        profile=viewer_profile(user=request.user),
    )
    if found is None:
        raise Http404
    return TemplateResponse(request, "onboarding/certificate.html", {"certificate": found})
