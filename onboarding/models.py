"""Who is enrolled in what, and how far they are.

Programmes and modules are pages in several languages (onboarding/pages.py); enrolments and
progress name them by their translation key, so a learner reading Korean and one reading
English are on the same module, and a page edited or translated later changes nobody's
progress. The default language's page is kept beside the key for names and links.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.pages import ModulePage, OnboardingIndexPage, ProgrammePage


class Enrolment(models.Model):
    """One person in one programme, from their start date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="onboarding_enrolments",
    )
    programme_key = models.UUIDField(editable=False)
    programme = models.ForeignKey(
        ProgrammePage,
        verbose_name=_("programme"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("start date"))
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Kept from its modules and the learner's attempts by services.enrolments_summarise, so
    # the dashboards sort and filter thousands of learners on one table (bench/README.md).
    modules_total = models.PositiveSmallIntegerField(default=0, editable=False)
    modules_done = models.PositiveSmallIntegerField(default=0, editable=False)
    next_due_on = models.DateField(null=True, blank=True, editable=False)
    failed_attempts = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme_key"], name="onboarding_enrolled_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.programme or self.programme_key}"


class ModuleProgress(models.Model):
    """One module of one enrolment: when it is due, and whether it is done or excused."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="modules")
    module_key = models.UUIDField(editable=False)
    module = models.ForeignKey(
        ModulePage,
        verbose_name=_("module"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    due_on = models.DateField(_("due"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    excused_at = models.DateTimeField(_("excused"), null=True, blank=True)
    # Who last moved the due date or excused the module, and why (HR).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # When the learner's manager was told the module is a week overdue (onboarding/reminders.py).
    manager_told_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Where the learner stopped reading (a block id of the module's body).
    stopped_at = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["enrolment", "position"]
        verbose_name = _("module progress")
        verbose_name_plural = _("module progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "module_key"], name="onboarding_module_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.module or self.module_key}"

    @property
    def done(self) -> bool:
        return self.completed_at is not None or self.excused_at is not None


class QuizAttempt(models.Model):
    """One attempt at one quiz of a module: the questions drawn (as they were then) and the
    answers given. Every attempt is kept; an edit of the module later changes none."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    module_key = models.UUIDField(editable=False)
    module = models.ForeignKey(
        ModulePage,
        verbose_name=_("module"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quiz_id = models.CharField(max_length=64)  # the quiz block's id in the module's body
    title = models.CharField(_("quiz"), max_length=120)
    number = models.PositiveSmallIntegerField(_("attempt"))
    questions = models.JSONField(default=list)
    answers = models.JSONField(null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"))
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)
    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module_key", "quiz_id", "number"], name="onboarding_attempt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.title} #{self.number}"


__all__ = [
    "QuizAttempt",
    "Enrolment",
    "ModulePage",
    "ModuleProgress",
    "OnboardingIndexPage",
    "ProgrammePage",
]
