"""The principle pages: an index under the home page, and one page per principle.

Each page exists once per language (Wagtail's locales; translations made with
wagtail.contrib.simple_translation). A person is served the version in their language where
it is live, else the default language's (portal/translations.py).
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import AbstractGroupApprovalTask, Locale, Page, TaskState
from wagtail.search import index

from portal.blocks import RICH_TEXT_FEATURES
from portal.principles.blocks import CheckQuestionBlock, PrincipleBodyBlock
from portal.translations import FallbackRouteMixin


class PrinciplesIndexPage(FallbackRouteMixin, Page):
    """Every published principle, with where the reader stands on each."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.PrinciplePage"]
    max_count_per_parent = 1
    template = "portal/principles_index_page.html"

    class Meta:
        verbose_name = _("principles index")

    def get_context(self, request, *args, **kwargs):
        from portal.principles.selectors import principles_for_index

        context = super().get_context(request, *args, **kwargs)
        context["principles"] = principles_for_index(index=self, user=request.user)
        return context


class PrinciplePageForm(WagtailAdminPageForm):
    """What may not be published: no audience, or a translation still in the source's words."""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("audience_everyone") and not (
            cleaned.get("audience_departments") or cleaned.get("audience_groups")
        ):
            self.add_error(
                "audience_everyone",
                _("Ask everyone, or choose at least one department or group."),
            )
        if not self.is_deferred_validation:
            self._check_translated(cleaned)
        return cleaned

    def _check_translated(self, cleaned) -> None:
        page = self.instance
        statement = (cleaned.get("statement") or "").strip()
        default = Locale.get_default()
        if not statement or page.locale_id in (None, default.pk):
            return
        source = (
            PrinciplePage.objects.filter(translation_key=page.translation_key, locale=default)
            .exclude(pk=page.pk)
            .first()
        )
        if source is not None and source.statement.strip() == statement:
            self.add_error(
                "statement",
                _("This is still the statement of the %(language)s page: write it in %(own)s.")
                % {
                    "language": default.get_display_name(),
                    "own": page.locale.get_display_name(),
                },
            )


class PrinciplePage(FallbackRouteMixin, Page):
    """One principle: what we do, why it matters, how it looks in practice, a real case."""

    statement = models.CharField(
        _("statement"),
        max_length=200,
        help_text=_("One sentence everyone can repeat, in this page's language."),
    )
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    body = StreamField(PrincipleBodyBlock(), verbose_name=_("body"), blank=True)
    question = StreamField(
        [("question", CheckQuestionBlock())],
        verbose_name=_("check question"),
        blank=True,
        max_num=1,
        help_text=_("Optional: one question the reader answers right before acknowledging."),
    )
    audience_everyone = models.BooleanField(
        _("everyone acknowledges it"),
        default=True,
        help_text=_("Untick to ask only the departments and groups chosen below."),
    )
    audience_departments = ParentalManyToManyField(
        "portal.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    audience_groups = ParentalManyToManyField(
        "auth.Group", verbose_name=_("groups"), blank=True, related_name="+"
    )
    material_change = models.BooleanField(
        _("a material change"),
        default=True,
        help_text=_(
            "Ask everyone to acknowledge it again when this version is published. Untick for "
            "a typo or a wording fix. Leadership decides when approving."
        ),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("statement", boost=2),
        index.SearchField("why_it_matters"),
        index.SearchField("body"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("statement"),
        FieldPanel("why_it_matters"),
        FieldPanel("body"),
        FieldPanel("question"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("audience_everyone"),
                FieldPanel("audience_departments", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience_groups", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Who acknowledges it"),
        ),
        FieldPanel("material_change"),
        *Page.settings_panels,
    ]
    base_form_class = PrinciplePageForm

    parent_page_types = ["portal.PrinciplesIndexPage"]
    subpage_types: list[str] = []
    template = "portal/principle_page.html"

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    def serve(self, request, *args, **kwargs):
        localized = self.localized
        if localized.pk != self.pk and localized.url:
            # A translation whose slug differs from this page's.
            return redirect(localized.url)
        if request.method == "POST":
            from portal.principles.views import acknowledge

            return acknowledge(request, page=self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from portal.principles.selectors import reader_state

        context = super().get_context(request, *args, **kwargs)
        context.update(reader_state(page=self, user=request.user, form=kwargs.get("form")))
        return context


class LeadershipApprovalTask(AbstractGroupApprovalTask):
    """Wagtail's group approval, where the approver also says whether the change is material:
    a material change asks everyone to acknowledge the principle again, a minor one does not."""

    APPROVE_MATERIAL = "approve_material"
    APPROVE_MINOR = "approve_minor"

    class Meta:
        verbose_name = _("Leadership approval task")
        verbose_name_plural = _("Leadership approval tasks")

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        # The admin's workflow views pass the base Page, not the specific one.
        specific_class = getattr(obj, "specific_class", type(obj))
        if not actions or not (specific_class and issubclass(specific_class, PrinciplePage)):
            return actions
        return [
            ("reject", _("Request changes"), True),
            (self.APPROVE_MATERIAL, _("Approve: a material change (ask everyone again)"), True),
            (self.APPROVE_MINOR, _("Approve: a minor change (no new acknowledgement)"), True),
        ]

    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        if action_name in (self.APPROVE_MATERIAL, self.APPROVE_MINOR):
            from portal.principles.services import publication_choose

            publication_choose(
                revision=task_state.revision,
                material=action_name == self.APPROVE_MATERIAL,
                user=user,
            )
            action_name = "approve"
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Leadership approves, and says whether the change is material")
