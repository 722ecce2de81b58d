import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Touchpoint(index.Indexed, models.Model):
    """Where the company meets its customers (sales, support, billing…); the CX team edits them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_ko = models.CharField(
        _("name in Korean"),
        max_length=100,
        blank=True,
        help_text=_("Shown to people who read the portal in Korean; the name is used if empty."),
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the language of the person reading."""
        if self.name_ko and translation.get_language() == "ko":
            return self.name_ko
        return self.name


class AppointmentQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "AppointmentQuerySet":
        """Appointments whose term covers the day (start and end dates both included)."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def active(self) -> "AppointmentQuerySet":
        return self.active_on(timezone.localdate())


class Appointment(models.Model):
    """A person appointed as ambassador for a department at one or more touchpoints, for a term.

    The term includes both dates: the appointment ends by itself after its end date. Create,
    change and end appointments through ambassadors.services, which keeps the person's place
    in the Ambassadors group in step.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="ambassador_appointments",
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="ambassador_appointments",
    )
    touchpoints = models.ManyToManyField(
        Touchpoint, verbose_name=_("touchpoints"), related_name="appointments"
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"), help_text=_("The last day of the term."))
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appointed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("why this person"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["department__name", "starts_on"]
        verbose_name = _("ambassador appointment")
        verbose_name_plural = _("ambassador appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="appointment_term_in_order"
            )
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.department}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on
