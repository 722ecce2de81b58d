"""Onboarding as pages: the programmes index under the home page, programmes, their modules.

In English and Korean like the principles (wagtail.contrib.simple_translation; a missing
translation falls back to the default language, portal/translations.py).
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from onboarding.blocks import ModuleBodyBlock
from portal.blocks import RICH_TEXT_FEATURES
from portal.translations import FallbackRouteMixin


class OnboardingIndexPage(FallbackRouteMixin, Page):
    """ "My onboarding": the programmes the reader is enrolled in, and their progress."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["onboarding.ProgrammePage"]
    max_count_per_parent = 1
    template = "onboarding/onboarding_index_page.html"

    class Meta:
        verbose_name = _("onboarding index")

    def get_context(self, request, *args, **kwargs):
        from django.utils.timezone import get_default_timezone

        from onboarding.selectors import local_today, module_state, my_onboarding
        from portal.selectors import viewer_profile

        context = super().get_context(request, *args, **kwargs)
        profile = viewer_profile(user=request.user)
        today = local_today(profile)
        programmes = my_onboarding(user=request.user)
        for programme in programmes:
            for row in programme.modules:
                row.badge, row.tone = module_state(row, today=today)
        context["programmes"] = programmes
        context["today"] = today
        context["zone"] = profile.effective_timezone if profile else get_default_timezone()
        return context


class ProgrammePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("audience_everyone") and not (
            cleaned.get("audience_departments") or cleaned.get("audience_groups")
        ):
            self.add_error(
                "audience_everyone",
                _("Enrol everyone, or choose at least one department or group."),
            )
        return cleaned


class ProgrammePage(FallbackRouteMixin, Page):
    """An orientation programme ("Genesis"): who it is for, and its modules in order."""

    summary = models.TextField(_("summary"), blank=True)
    audience_everyone = models.BooleanField(
        _("for every new hire"),
        default=True,
        help_text=_("Untick to enrol only new hires of the departments and groups below."),
    )
    audience_departments = ParentalManyToManyField(
        "portal.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    audience_groups = ParentalManyToManyField(
        "auth.Group", verbose_name=_("groups"), blank=True, related_name="+"
    )

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("audience_everyone"),
                FieldPanel("audience_departments", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience_groups", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Who is enrolled"),
        ),
        *Page.settings_panels,
    ]
    base_form_class = ProgrammePageForm
    parent_page_types = ["onboarding.OnboardingIndexPage"]
    subpage_types = ["onboarding.ModulePage"]
    template = "onboarding/programme_page.html"

    class Meta:
        verbose_name = _("onboarding programme")
        verbose_name_plural = _("onboarding programmes")


class ModulePage(FallbackRouteMixin, Page):
    """One module: lessons, customer voices, principles to acknowledge and quizzes."""

    summary = models.TextField(_("summary"), blank=True)
    due_day = models.PositiveSmallIntegerField(
        _("due on working day"),
        default=5,
        help_text=_("Counted in the learner's working days from their start date."),
    )
    body = StreamField(ModuleBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("due_day"),
        FieldPanel("body"),
    ]
    parent_page_types = ["onboarding.ProgrammePage"]
    subpage_types: list[str] = []
    template = "onboarding/module_page.html"

    class Meta:
        verbose_name = _("onboarding module")
        verbose_name_plural = _("onboarding modules")

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from onboarding.views import module_stopped, quiz_answer

            # onboarding.js posts where the learner stopped reading; a quiz posts its token.
            if "stopped_at" in request.POST and "token" not in request.POST:
                return module_stopped(request, page=self)
            return quiz_answer(request, page=self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from onboarding.selectors import continue_at
        from onboarding.services import module_visit

        context = super().get_context(request, *args, **kwargs)
        context.update(
            module_visit(page=self, user=request.user, failed_form=kwargs.get("failed_form"))
        )
        context["continue_at"] = continue_at(page=self, progress=context.get("progress"))
        return context
