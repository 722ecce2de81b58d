"""The CX team's feedback in the admin: the imported items, the import form and its progress.

Imports run in a Celery task (stories.feedback_import); the progress page refreshes itself
(a meta refresh, since the admin's CSP allows no inline script) until the task is done.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from stories.forms.feedback_import import FeedbackImportForm
from stories.models import FeedbackImport
from stories.services.feedback_import import import_start

IMPORT_PERMISSION = "stories.add_feedbackimport"
RECENT_IMPORTS = 20
REFRESH_SECONDS = 2


class _ImportersOnly:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]


class FeedbackImportView(_ImportersOnly, WagtailAdminTemplateMixin, FormView):
    template_name = "stories/admin/feedback_import.html"
    page_title = _("Import feedback")
    header_icon = "upload"
    form_class = FeedbackImportForm

    def form_valid(self, form):
        job = import_start(
            user=self.request.user,
            upload=form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            scale=form.cleaned_data["score_scale"],
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("stories_feedback_import_detail", job.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = FeedbackImport.objects.select_related("started_by")[:RECENT_IMPORTS]
        return context


class FeedbackImportDetailView(_ImportersOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "stories/admin/feedback_import_detail.html"
    page_title = _("Feedback import")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = get_object_or_404(
            FeedbackImport.objects.select_related("started_by"), pk=kwargs["pk"]
        )
        context["job"] = job
        context["running"] = job.state in (
            FeedbackImport.State.QUEUED,
            FeedbackImport.State.RUNNING,
        )
        context["refresh_seconds"] = REFRESH_SECONDS
        context["import_url"] = reverse("stories_feedback_import")
        return context


def feedback_import_report(request, pk: int):
    """The invalid rows of an import, as CSV: only to those who may import."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    job = get_object_or_404(FeedbackImport, pk=pk)
    if not job.report:
        raise Http404
    return FileResponse(
        job.report.open("rb"),
        as_attachment=True,
        filename=f"feedback-import-{job.pk}-invalid-rows.csv",
        content_type="text/csv; charset=utf-8",
    )
