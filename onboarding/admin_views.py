"""Onboarding in the admin: the learners dashboard (HR sees everyone, a manager their direct
reports), a learner's page with HR's actions (enrol, move a due date, excuse a module), the
one-click nudge, and each programme's funnel with its hardest questions.

Wagtail report views and admin templates; every change goes through onboarding.services.
Registered by onboarding/wagtail_hooks.py.
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, QuerySet
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale

from onboarding import reports, services
from onboarding.models import Enrolment, ModuleProgress, QuizAttempt
from onboarding.pages import ProgrammePage
from onboarding.selectors import local_today
from portal import fragments, lookups
from portal.admin_tables import (
    CountColumn,
    DayColumn,
    PlainTable,
    TextColumn,
    text,
    urls_with_id,
)
from portal.models import Department, User
from portal.spreadsheets import csv_safe

MANAGE = services.MANAGE


def learner_url(user_id: int) -> str:
    return reverse("onboarding_learner", args=[user_id])


def _programmes():
    return ProgrammePage.objects.filter(locale=Locale.get_default()).order_by("path")


def _departments():
    return Department.objects.order_by("name")


# The programmes, departments and start months the filters offer (the months of the people
# this reader may follow), kept in the shared cache until one of them changes, or an
# enrolment, a person or a profile (portal/lookups.py).
FILTER_CHOICES = lookups.register(
    "onboarding-filter-choices",
    models=(
        "portal.Department",
        "onboarding.ProgrammePage",
        "wagtailcore.Page",
        "onboarding.Enrolment",
        "portal.User",
        "portal.Profile",
    ),
)


def _filter_choices(user: User | None) -> dict[str, list]:
    return {
        "programme": list(_programmes().values_list("pk", "title")),
        "department": list(_departments().values_list("pk", "name")),
        "months": reports.start_months(user) if user is not None else [],
    }


class LearnerFilterSet(WagtailFilterSet):
    # Choices of (id, name) pairs, not model choices: three programme pages and the departments
    # built as whole models for a select cost the dashboard more than its rows (bench/README.md).
    programme = django_filters.ChoiceFilter(
        label=gettext_lazy("Programme"),
        field_name="programme_id",
        choices=[],
        empty_label=gettext_lazy("Every programme"),
    )
    department = django_filters.ChoiceFilter(
        label=gettext_lazy("Department"),
        field_name="user__profile__department_id",
        choices=[],
        empty_label=gettext_lazy("Every department"),
    )
    started = django_filters.ChoiceFilter(
        label=gettext_lazy("Start month"),
        choices=[],
        method="filter_started",
        empty_label=gettext_lazy("Any month"),
    )

    # Plain choices, so its drawing is kept (portal/templatetags/portal_admin.py).
    remember_drawn = True

    class Meta:
        model = Enrolment
        fields = ["programme", "department", "started"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.choices = choices = lookups.remembered(
            FILTER_CHOICES.name,
            f"learners:{reports.scope(user) if user is not None else ''}",
            lambda: _filter_choices(user),
        )
        self.filters["programme"].extra["choices"] = choices["programme"]
        self.filters["department"].extra["choices"] = choices["department"]
        self.filters["started"].extra["choices"] = [
            (f"{month:%Y-%m}", date_format(month, "YEAR_MONTH_FORMAT"))
            for month in choices["months"]
        ]

    def filter_started(self, queryset, name, value):
        try:
            month = datetime.date.fromisoformat(f"{value}-01")
        except ValueError:
            return queryset
        return queryset.filter(started_on__year=month.year, started_on__month=month.month)


class NudgeColumn(Column):
    """A one-click nudge: a small form posting to the nudge action, drawn without templates."""

    def render_cell_html(self, instance, parent_context):
        if instance.done >= instance.total:
            return SafeString("<td></td>")
        request = parent_context["request"]
        if not hasattr(request, "_onboarding_nudge"):
            # What follows every row's action, the same on the whole page: escaped once.
            request._onboarding_nudge_url = urls_with_id("onboarding_nudge")
            request._onboarding_nudge = format_html(
                '"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="next" value="{}"><button type="submit" '
                'class="button button-small button-secondary">{}</button></form></td>',
                get_token(request),
                request.get_full_path(),
                _("Nudge"),
            )
        action = request._onboarding_nudge_url(instance.pk)  # escaped by urls_with_id
        return SafeString(f'<td><form method="post" action="{action}{request._onboarding_nudge}')


class LearnerColumn(Column):
    """The learner's name, a link to their page, drawn without the template engine."""

    def render_cell_html(self, instance, parent_context):
        request = parent_context["request"]
        if not hasattr(request, "_onboarding_learner_url"):
            request._onboarding_learner_url = urls_with_id("onboarding_learner")
        url = request._onboarding_learner_url(instance.user_id)  # escaped by urls_with_id
        return SafeString(
            f'<td class="title"><div class="title-wrapper"><a href="{url}">'
            f"{text(instance.learner_name)}</a></div></td>"
        )


LABELS = {
    "learner": gettext_lazy("Learner"),
    "email": gettext_lazy("Email"),
    "department": gettext_lazy("Department"),
    "programme": gettext_lazy("Programme"),
    "started_on": gettext_lazy("Start date"),
    "done": gettext_lazy("Modules done"),
    "total": gettext_lazy("Modules"),
    "next_due_on": gettext_lazy("Next due"),
    "days_overdue": gettext_lazy("Days overdue"),
    "failed": gettext_lazy("Failed attempts"),
    "risk_score": gettext_lazy("Risk"),
    "completed_at": gettext_lazy("Completed"),
}


class _MayView:
    def dispatch(self, request, *args, **kwargs):
        if not reports.may_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class LearnersReportView(_MayView, ReportView):
    """Every learner HR may follow (a manager: their direct reports), the riskiest first."""

    page_title = gettext_lazy("Onboarding learners")
    header_icon = "group"
    index_url_name = "onboarding_learners"
    index_results_url_name = "onboarding_learners_results"
    filterset_class = LearnerFilterSet
    table_class = PlainTable
    default_ordering = "-risk"
    paginate_by = 20
    columns = [
        LearnerColumn("learner", label=LABELS["learner"], sort_key="user__last_name"),
        TextColumn(
            "department",
            label=LABELS["department"],
            accessor="department_name",
            sort_key="user__profile__department__name",
        ),
        TextColumn("programme", label=LABELS["programme"], accessor="programme_title"),
        DayColumn("started_on", label=LABELS["started_on"], sort_key="started_on"),
        CountColumn("done", label=LABELS["done"], sort_key="done"),
        CountColumn("total", label=LABELS["total"]),
        DayColumn("next_due_on", label=LABELS["next_due_on"], sort_key="next_due_on"),
        CountColumn("days_overdue", label=LABELS["days_overdue"]),
        CountColumn("failed", label=LABELS["failed"], sort_key="failed"),
        CountColumn("risk_score", label=LABELS["risk_score"], sort_key="risk"),
        NudgeColumn("nudge", label=""),
    ]
    list_export = [
        "learner_name",
        "learner_email",
        "department_name",
        "programme_title",
        "started_on",
        "done",
        "total",
        "next_due_on",
        "days_overdue",
        "failed",
        "risk_score",
        "completed_at",
    ]
    export_headings = {
        "learner_name": LABELS["learner"],
        "learner_email": LABELS["email"],
        **LABELS,
    }
    export_headings["department_name"] = LABELS["department"]
    export_headings["programme_title"] = LABELS["programme"]
    custom_field_preprocess = {
        name: {ReportView.FORMAT_CSV: csv_safe}
        for name in ("learner_name", "learner_email", "department_name", "programme_title")
    }

    def get_filename(self):
        return "onboarding-learners"

    def get_base_queryset(self):
        today = timezone.localdate()
        return reports.learners(self.request.user, today=today)

    def get_valid_orderings(self):
        return [*super().get_valid_orderings(), "-risk"]

    def order_queryset(self, queryset):
        if self.ordering == "-risk":
            # The riskiest first; among equals, the furthest behind, then who failed most,
            # then who started first (not by name: that would join every row to its person).
            return queryset.order_by(
                F("risk").desc(nulls_last=True),
                F("behind").desc(nulls_last=True),
                "-failed",
                "started_on",
                "pk",
            )
        return super().order_queryset(queryset)

    def paginate_queryset(self, queryset, page_size):
        # The page's rows and the count, kept until something they show changes
        # (reports.LEARNER_PAGES, reports.ENROLLED): the same page asked again costs no query,
        # and after a learner's progress changed only the page is read, not counted.
        query = self.request.GET
        filtered = sorted((name, query.getlist(name)) for name in self.filters.form.fields)
        key = fragments.digest(timezone.localdate(), sorted(query.lists()), page_size)

        def paginator():
            return self.get_paginator(
                queryset,
                page_size,
                orphans=self.get_paginate_orphans(),
                allow_empty_first_page=self.get_allow_empty(),
            )

        def load():
            pages = paginator()
            pages.count = reports.kept_count(
                self.request.user, fragments.digest(filtered), queryset.count
            )
            page = pages.get_page(query.get(self.page_kwarg))
            return pages.count, page.number, self.rows(page.object_list)

        count, number, rows = reports.kept_page(self.request.user, key, load)
        pages = paginator()
        pages.count = count  # known: the paginator need not count again
        page = pages._get_page(rows, number, pages)
        return pages, page, rows, page.has_other_pages()

    def rows(self, enrolments) -> list[reports.LearnerRow]:
        choices = self.filters.choices  # the filters' choices name the rows' too
        return reports.learner_rows(
            enrolments,
            departments=dict(choices["department"]),
            programmes=dict(choices["programme"]),
        )

    def decorate_paginated_queryset(self, object_list):
        # A page is made of rows already (paginate_queryset); an export is every enrolment.
        return self.rows(object_list) if isinstance(object_list, QuerySet) else object_list


# --- one learner, and HR's actions on their onboarding -------------------------------------


def _learner_for(request, user_id: int) -> User:
    """The learner, when this person may follow them: HR anyone, a manager their reports."""
    learner = get_object_or_404(User.objects.select_related("profile__department"), pk=user_id)
    if request.user.has_perm(reports.VIEW_ALL):
        return learner
    profile = getattr(learner, "profile", None)
    if reports.may_view(request.user) and profile and profile.manager_id == request.user.pk:
        return learner
    raise PermissionDenied


class _LearnerPage(WagtailAdminTemplateMixin):
    header_icon = "user"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("onboarding_learners"), "label": LearnersReportView.page_title},
            {"url": learner_url(self.learner.pk), "label": str(self.learner)},
            *([{"url": "", "label": self.get_page_title()}] if self.is_action else []),
        ]

    is_action = True


class LearnerView(_LearnerPage, TemplateView):
    """A learner's programmes, modules (due, done, excused, and why) and every quiz attempt
    with its answers; HR's actions beside them."""

    template_name = "onboarding/admin/learner.html"
    is_action = False

    def dispatch(self, request, *args, **kwargs):
        self.learner = _learner_for(request, kwargs["user_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.learner)

    def get_page_subtitle(self):
        return _("Onboarding")

    def get_context_data(self, **kwargs):
        from onboarding.selectors import my_onboarding

        context = super().get_context_data(**kwargs)
        profile = getattr(self.learner, "profile", None)
        attempts = QuizAttempt.objects.filter(user=self.learner).select_related("module")
        context.update(
            learner=self.learner,
            profile=profile,
            programmes=my_onboarding(user=self.learner, with_changes=True),
            today=local_today(profile),
            attempts=[(attempt, _answered(attempt)) for attempt in attempts],
            can_manage=self.request.user.has_perm(MANAGE),
            enrol_url=reverse("onboarding_enrol", args=[self.learner.pk]),
        )
        return context


def _answered(attempt: QuizAttempt) -> list[dict]:
    """Each question of an attempt with the answers chosen, and whether it was right."""
    rows = []
    for index, question in enumerate(attempt.questions):
        chosen = attempt.answers[index] if attempt.answers else []
        rows.append(
            {
                "question": question["question"],
                "chosen": [question["answers"][i]["text"] for i in chosen],
                "right": services.grade_one(question, chosen) if attempt.answers else None,
            }
        )
    return rows


class EnrolForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"), queryset=ProgrammePage.objects.none()
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        help_text=gettext_lazy("Kept with the enrolment: why by hand, not by the rules."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _programmes().live()


class ExtendForm(forms.Form):
    due_on = forms.DateField(label=gettext_lazy("New due date"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class ExcuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        help_text=gettext_lazy("For example: already did it at a previous job in the group."),
    )


class _ActionView(_LearnerPage, FormView):
    """An HR action on a learner's onboarding: a form, a service, back to the learner."""

    template_name = "onboarding/admin/action.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        self.setup_object(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            learner=self.learner,
            action_url=self.request.path,
            cancel_url=learner_url(self.learner.pk),
            explanation=self.explanation(),
            submit_label=self.get_page_title(),
        )
        return context

    def form_valid(self, form):
        try:
            done = self.act(form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, done)
        return redirect(learner_url(self.learner.pk))

    def explanation(self) -> str:
        return ""


class EnrolView(_ActionView):
    form_class = EnrolForm
    page_title = gettext_lazy("Enrol in a programme")

    def setup_object(self, **kwargs):
        self.learner = get_object_or_404(User, pk=kwargs["user_id"])

    def explanation(self):
        return _("Due dates count from %(person)s's start date in their own working days.") % {
            "person": self.learner
        }

    def act(self, data):
        services.onboarding_enrol_by_hand(
            by=self.request.user,
            user=self.learner,
            programme=data["programme"],
            reason=data["reason"],
        )
        return _("%(person)s is enrolled in %(programme)s.") % {
            "person": self.learner,
            "programme": data["programme"].title,
        }


class _ProgressAction(_ActionView):
    def setup_object(self, **kwargs):
        self.progress = get_object_or_404(
            ModuleProgress.objects.select_related("enrolment__user", "module"), pk=kwargs["pk"]
        )
        self.learner = self.progress.enrolment.user

    def module_title(self) -> str:
        return self.progress.module.title if self.progress.module else ""


class ExtendView(_ProgressAction):
    form_class = ExtendForm
    page_title = gettext_lazy("Move the due date")

    def get_initial(self):
        return {"due_on": self.progress.due_on}

    def explanation(self):
        return _("%(module)s is due on %(date)s.") % {
            "module": self.module_title(),
            "date": date_format(self.progress.due_on, "DATE_FORMAT"),
        }

    def act(self, data):
        services.module_due_extend(
            by=self.request.user,
            progress=self.progress,
            due_on=data["due_on"],
            reason=data["reason"],
        )
        return _("%(module)s is now due on %(date)s.") % {
            "module": self.module_title(),
            "date": date_format(data["due_on"], "DATE_FORMAT"),
        }


class ExcuseView(_ProgressAction):
    form_class = ExcuseForm
    page_title = gettext_lazy("Excuse from the module")

    def explanation(self):
        return _(
            "%(person)s will not have to take %(module)s; the programme completes without it."
        ) % {"person": self.learner, "module": self.module_title()}

    def act(self, data):
        services.module_excuse(by=self.request.user, progress=self.progress, reason=data["reason"])
        return _("%(person)s is excused from %(module)s.") % {
            "person": self.learner,
            "module": self.module_title(),
        }


def nudge(request, pk: int):
    """The dashboard's one-click nudge (POST): HR, or the learner's manager."""
    if request.method != "POST":
        raise PermissionDenied
    enrolment = get_object_or_404(Enrolment.objects.select_related("user"), pk=pk)
    try:
        services.onboarding_nudge(by=request.user, enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(person)s is asked to continue.") % {"person": enrolment.user}
        )
    back = request.POST.get("next", "")
    if not back.startswith("/admin/") or back.startswith("//"):
        back = reverse("onboarding_learners")
    return redirect(back)


# --- a programme's funnel and its hardest questions -----------------------------------------


class FunnelView(_MayView, WagtailAdminTemplateMixin, TemplateView):
    """How far the learners of one programme have come, module by module, and the questions
    fewest got right the first time."""

    template_name = "onboarding/admin/funnel.html"
    page_title = gettext_lazy("Onboarding funnel")
    header_icon = "list-ol"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programmes = list(_programmes())
        chosen = None
        wanted = self.request.GET.get("programme", "")
        if wanted.isdigit():
            chosen = next((p for p in programmes if p.pk == int(wanted)), None)
        chosen = chosen or (programmes[0] if programmes else None)
        steps = reports.funnel(self.request.user, chosen) if chosen else []
        context.update(
            programmes=programmes,
            programme=chosen,
            steps=steps,
            chart=[(step.label, step.share) for step in steps],
            questions=reports.hardest_questions(self.request.user, chosen) if chosen else [],
        )
        return context
