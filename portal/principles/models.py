"""What the portal keeps about principles beyond their pages.

A principle is one page in several languages (one Wagtail translation key). Its *version*
counts its material changes: acknowledging version 3 says nothing about version 4. Every
publication of any of its pages is a release, material or minor, kept with its text so a
reader can be shown what changed since the version they acknowledged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Principle(models.Model):
    """A principle across its languages: its current version, and who it asks.

    The audience is copied from the default language's page when it is published, so that
    every language asks the same people.
    """

    translation_key = models.UUIDField(unique=True, editable=False)
    live = models.BooleanField(_("published"), default=False)
    version = models.PositiveIntegerField(_("version"), default=0)
    version_published_at = models.DateTimeField(_("version published"), null=True, blank=True)
    first_published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    everyone = models.BooleanField(_("everyone"), default=True)
    departments = models.ManyToManyField(
        "portal.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    groups = models.ManyToManyField(
        "auth.Group", verbose_name=_("groups"), blank=True, related_name="+"
    )
    # The default language's page: what reports and messages name the principle by.
    page = models.ForeignKey(
        "portal.PrinciplePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["first_published_at", "pk"]
        verbose_name = _("principle state")
        verbose_name_plural = _("principle states")

    def __str__(self) -> str:
        return self.page.title if self.page_id else str(self.translation_key)


class PrincipleRelease(models.Model):
    """One publication of one language's page of a principle."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="releases")
    page = models.ForeignKey(
        "portal.PrinciplePage", on_delete=models.CASCADE, related_name="releases"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"))
    material = models.BooleanField(_("material change"))
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=255)
    statement = models.CharField(_("statement"), max_length=200)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("principle release")
        verbose_name_plural = _("principle releases")
        indexes = [models.Index(fields=["principle", "language", "-published_at"])]

    def __str__(self) -> str:
        return f"{self.title} v{self.version} ({self.language})"


class PublicationChoice(models.Model):
    """What the approver said of a revision: a material change or a minor one."""

    revision = models.OneToOneField(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+"
    )
    material = models.BooleanField()
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.revision_id}: {'material' if self.material else 'minor'}"


class Acknowledgement(models.Model):
    """One person asked to acknowledge one version of a principle, and whether they did.

    The row is made when they are first asked (the publication, or later when they join the
    audience) or when they acknowledge, whichever comes first; the reminders count on it.
    """

    principle = models.ForeignKey(
        Principle, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="principle_acks"
    )
    version = models.PositiveIntegerField(_("version"))
    asked_at = models.DateTimeField(_("asked"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # The page and release the person read when they acknowledged.
    release = models.ForeignKey(
        PrincipleRelease, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    manager_told_at = models.DateTimeField(_("manager told"), null=True, blank=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "user", "version"], name="principle_ack_once_per_version"
            )
        ]
        indexes = [models.Index(fields=["user", "principle", "version"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.principle} v{self.version}"
