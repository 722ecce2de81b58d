"""A quiz's answers, posted to its module's page (ModulePage.serve)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from onboarding.forms import QuizForm
from onboarding.models import QuizAttempt
from onboarding.services import quiz_submit
from portal.principles.selectors import route_path


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
