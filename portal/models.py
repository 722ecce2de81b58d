import datetime
import functools
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page, Site
from wagtail.search import index

from portal import lookups
from portal.translations import FallbackRouteMixin

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
WORKING_WEEK = [0, 1, 2, 3, 4]

slack_channel_validator = RegexValidator(
    r"^[CG][A-Z0-9]{6,}$",
    _("Enter a Slack channel ID such as C0123ABCD (not the channel's #name)."),
)
slack_user_validator = RegexValidator(
    r"^[UW][A-Z0-9]{6,}$", _("Enter a Slack member ID such as U0123ABCD.")
)


def default_weekdays() -> list[int]:
    return list(WORKING_WEEK)


@functools.lru_cache(maxsize=256)
def public_holidays(country: str, year: int) -> frozenset[datetime.date]:
    """A country's public holidays in a year, from the `holidays` package."""
    import holidays

    return frozenset(holidays.country_holidays(country, years=year))


def validate_holiday_country(value: str) -> None:
    import holidays

    if value and value not in holidays.list_supported_countries():
        raise ValidationError(
            _("%(code)s is not a country the holidays calendar knows: use a code such as KR.")
            % {"code": value}
        )


def validate_days_off(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Days off are a list of dates."))
    for day in value:
        try:
            datetime.date.fromisoformat(day)
        except (TypeError, ValueError):
            raise ValidationError(
                _("%(day)s is not a date such as 2026-12-24.") % {"day": day}
            ) from None


def validate_weekdays(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one weekday."))
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in value):
        raise ValidationError(_("Weekdays are numbers from 0 (Monday) to 6 (Sunday)."))


class User(AbstractUser):
    """The portal's person: signs in with a unique work email."""

    email = models.EmailField(_("email address"), unique=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username


class Department(index.Indexed, models.Model):
    """A team with its own Slack channel and working day, where the daily voice lands."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    slack_channel_id = models.CharField(
        _("Slack channel ID"),
        max_length=20,
        blank=True,
        validators=[slack_channel_validator],
        help_text=_("Where the daily customer voice is posted, e.g. C0123ABCD."),
    )
    timezone = TimeZoneField(_("time zone"), default="UTC", use_pytz=False)
    voice_time = models.TimeField(
        _("daily voice time"),
        default=datetime.time(9, 30),
        help_text=_("Local time in the department's time zone."),
    )
    voice_weekdays = models.JSONField(
        _("daily voice weekdays"), default=default_weekdays, validators=[validate_weekdays]
    )
    holiday_country = models.CharField(
        _("public holidays of"),
        max_length=2,
        blank=True,
        validators=[validate_holiday_country],
        help_text=_("A country code such as KR, JP or US: no daily voice on its public holidays."),
    )
    extra_days_off = models.JSONField(
        _("other days off"), default=list, blank=True, validators=[validate_days_off]
    )
    voice_paused = models.BooleanField(
        _("daily voice paused"), default=False, help_text=_("Nothing is posted while paused.")
    )
    voice_languages = models.JSONField(
        _("languages of the daily voice"),
        default=list,
        blank=True,
        help_text=_("Voices in these languages come first; none chosen means any language."),
    )
    # What Slack last said when a voice could not be posted (channel_not_found,
    # not_in_channel...): shown on the department in the admin, cleared by the next success.
    voice_problem = models.CharField(_("daily voice problem"), max_length=255, blank=True)
    voice_problem_at = models.DateTimeField(null=True, blank=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    @property
    def weekday_labels(self) -> str:
        names = dict(WEEKDAYS)
        return ", ".join(str(names[day]) for day in sorted(self.voice_weekdays))

    def local_now(self, now: datetime.datetime | None = None) -> datetime.datetime:
        return (now or timezone.now()).astimezone(self.timezone)

    def is_day_off(self, day: datetime.date) -> bool:
        """A public holiday of its country, or one of its other days off."""
        if day.isoformat() in (self.extra_days_off or []):
            return True
        return bool(self.holiday_country) and day in public_holidays(self.holiday_country, day.year)

    def is_voice_day(self, day: datetime.date) -> bool:
        """A local working day: one of its weekdays, and not a day off."""
        return day.weekday() in self.voice_weekdays and not self.is_day_off(day)

    @property
    def voice_status(self) -> str:
        if self.voice_paused:
            return str(_("Paused"))
        if not self.slack_channel_id:
            return str(_("Needs a Slack channel"))
        if self.voice_problem:
            return str(_("Slack refused: %(reason)s") % {"reason": self.voice_problem})
        return str(_("Posting"))


class Profile(models.Model):
    """What the portal knows of a person beyond sign-in: where they work and how they read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    slack_user_id = models.CharField(
        _("Slack member ID"), max_length=20, blank=True, validators=[slack_user_validator]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    timezone = TimeZoneField(
        _("time zone"),
        blank=True,
        null=True,
        use_pytz=False,
        help_text=_("Leave empty to use your department's time zone."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["slack_user_id"],
                condition=~models.Q(slack_user_id=""),
                name="profile_unique_slack_user_id",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        if self.manager_id and self.manager_id == self.user_id:
            raise ValidationError({"manager": _("A person cannot be their own manager.")})

    @property
    def effective_timezone(self) -> zoneinfo.ZoneInfo:
        if self.timezone:
            return self.timezone
        if self.department_id:
            return self.department.timezone
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """What this company calls itself and its programme, editable without a deploy."""

    company_name = models.CharField(_("company name"), max_length=120, default="Example Co.")
    programme_name = models.CharField(
        _("programme name"), max_length=120, default="Customer for Life"
    )
    mascot_name = models.CharField(_("mascot name"), max_length=60, blank=True)
    mascot_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("mascot image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    company_channel_id = models.CharField(
        _("company channel"),
        max_length=20,
        blank=True,
        validators=[slack_channel_validator],
        help_text=_("The Slack channel ID where every new or changed principle is announced."),
    )

    panels = [
        FieldPanel("company_name"),
        FieldPanel("programme_name"),
        FieldPanel("mascot_name"),
        FieldPanel("mascot_image"),
        FieldPanel("company_channel_id"),
    ]

    class Meta:
        verbose_name = _("portal settings")

    @classmethod
    def for_request(cls, request):
        """The settings of the request's site, kept in the shared cache (portal/lookups.py) by
        host and port: every portal page draws them in its header, and Wagtail reads the site
        and then its settings, two queries a page, while a portal page not served by Wagtail
        needs the site for nothing else."""
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request, attr_name):
            # Wagtail's own way of naming the site a request is for (Site._find_for_request).
            where = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
            site_settings = lookups.remembered(
                SITE_SETTINGS.name, where, lambda: cls.for_site(Site.find_for_request(request))
            )
            site_settings._request = request
            setattr(request, attr_name, site_settings)
        return getattr(request, attr_name)


# The host-to-site mapping and each site's settings.
SITE_SETTINGS = lookups.register(
    "site-settings", models=("wagtailcore.Site", "portal.PortalSettings")
)


class HomePage(FallbackRouteMixin, Page):
    """The portal's front page: what needs the signed-in person's attention today.

    There is one per language (the site's root page and its translations).
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    # Each feature's index page names the home page as its parent (the principles, onboarding):
    # the portal names no feature here.

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from portal.selectors import home_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(home_sections(user=request.user))
        return context


class OutboxMessage(models.Model):
    """One message the portal means to post to Slack, written with the change that caused it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        PREVIEW = "preview", _("Held (preview mode)")

    class Transport(models.TextChoices):
        SLACK = "slack", _("Slack")
        EMAIL = "email", _("Email")

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    transport = models.CharField(
        _("sent by"), max_length=10, choices=Transport.choices, default=Transport.SLACK
    )
    # A Slack channel ID, a Slack member ID (a direct message) or, by email, an address.
    channel = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    blocks = models.JSONField(_("blocks"), default=list, blank=True)
    thread_ts = models.CharField(_("thread"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    slack_ts = models.CharField(_("Slack message ts"), max_length=40, blank=True)
    # Set when a delivery may have reached Slack without the portal hearing back (a worker
    # died mid-send, or the connection broke): the next delivery looks for the message in
    # the channel's history before posting it again.
    verify_before_send = models.BooleanField(
        _("check Slack before sending again"), default=False, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return self.idempotency_key

    @property
    def preview_text(self) -> str:
        from portal.slack.text import slack_to_plain

        return slack_to_plain(self.text)

    @property
    def preview_excerpt(self) -> str:
        return Truncator(self.preview_text).chars(80)


# The principles' pages and records live in their own package (portal/principles/).
from portal.principles.models import (  # noqa: E402
    Acknowledgement,
    Principle,
    PrincipleRelease,
    PublicationChoice,
)
from portal.principles.pages import (  # noqa: E402
    LeadershipApprovalTask,
    PrinciplePage,
    PrinciplesIndexPage,
)

__all__ = [
    "Acknowledgement",
    "Department",
    "HomePage",
    "LeadershipApprovalTask",
    "OutboxMessage",
    "PortalSettings",
    "Principle",
    "PrinciplePage",
    "PrincipleRelease",
    "PrinciplesIndexPage",
    "Profile",
    "PublicationChoice",
    "User",
]
