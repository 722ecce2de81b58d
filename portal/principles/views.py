"""The acknowledgement, posted from the end of a principle's page (PrinciplePage.serve)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.principles.blocks import check_question
from portal.principles.forms import AcknowledgeForm
from portal.principles.selectors import route_path
from portal.principles.services import principle_acknowledge, principle_for_page


def acknowledge(request, *, page):
    if not request.user.is_authenticated:
        raise PermissionDenied
    principle = principle_for_page(page)
    if principle is None:
        raise PermissionDenied
    question = check_question(page.question)
    form = AcknowledgeForm(request.POST, version=principle.version, question=question)
    if form.is_valid():
        try:
            principle_acknowledge(
                user=request.user,
                principle=principle,
                version=form.cleaned_data["version"],
                page=page,
                answer=form.cleaned_data.get("answer"),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("answer" if "answer" in form.fields else None, message)
        else:
            messages.success(
                request, _("Thank you: you have acknowledged “%(title)s”.") % {"title": page.title}
            )
            return redirect(route_path(page))
    context = page.get_context(request, form=form)
    return TemplateResponse(request, page.get_template(request), context, status=400)
