import datetime
import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.models import WEEKDAYS, Profile

# Zones people live in, named Region/City; the legacy aliases (US/Eastern, Etc/GMT+9, …)
# would only make the list longer to search.
_REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe",
            "Indian", "Pacific")  # fmt: skip


@functools.cache
def timezone_names() -> tuple[str, ...]:
    return tuple(
        sorted(name for name in zoneinfo.available_timezones() if name.startswith(_REGIONS))
    )


class TimeZoneInput(forms.TextInput):
    """A text box that suggests zones as one types ("Seoul" finds Asia/Seoul), instead of a
    select of six hundred lines; the browser's own <datalist> does the searching."""

    template_name = "portal/widgets/timezone_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["choices"] = timezone_names()
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-choices"
        return context

    def format_value(self, value):
        return str(value) if value else ""


class ProfileForm(forms.ModelForm):
    timezone = forms.CharField(
        label=_("Time zone"),
        required=False,
        widget=TimeZoneInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    class Meta:
        model = Profile
        fields = ["language", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.instance.department if self.instance.department_id else None
        field = self.fields["timezone"]
        if department:
            # Django does not escape help texts; the department's name is typed by people.
            field.widget.attrs["placeholder"] = str(department.timezone)
            field.help_text = _(
                "Type a city, such as Seoul. Leave empty to use %(department)s's time zone "
                "(%(zone)s)."
            ) % {"department": escape(department.name), "zone": department.timezone}
        else:
            field.help_text = _("Type a city, such as Seoul. Leave empty to use UTC.")

    def clean_timezone(self):
        name = self.cleaned_data["timezone"].strip()
        if not name:
            return None
        matches = [zone for zone in timezone_names() if zone.lower() == name.lower()]
        if not matches:
            raise forms.ValidationError(
                _("%(name)s is not a time zone. Type a city and pick one of the suggestions."),
                params={"name": name},
            )
        return zoneinfo.ZoneInfo(matches[0])


class DaysOffField(forms.CharField):
    """Dates typed one a line, kept as a sorted list of ISO dates; a bad line is named."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        days = set()
        for line in (value or "").splitlines():
            text = line.strip()
            if not text:
                continue
            try:
                days.add(datetime.date.fromisoformat(text).isoformat())
            except ValueError:
                raise forms.ValidationError(
                    _("%(day)s is not a date such as 2026-12-24.") % {"day": text}
                ) from None
        return sorted(days)


class DepartmentAdminForm(WagtailAdminModelForm):
    voice_weekdays = forms.TypedMultipleChoiceField(
        label=_("Daily voice weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one weekday.")},
    )

    extra_days_off = DaysOffField(
        label=_("Other days off"),
        required=False,
        help_text=_("One date a line, such as 2026-12-24: company days, local closures."),
    )
    voice_languages = forms.MultipleChoiceField(
        label=_("Languages of the daily voice"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Voices in these languages come first; none chosen means any language."),
    )

    def clean_voice_weekdays(self) -> list[int]:
        return sorted(set(self.cleaned_data["voice_weekdays"]))

    def clean_holiday_country(self) -> str:
        return self.cleaned_data["holiday_country"].strip().upper()


class ProfileAdminForm(WagtailAdminModelForm):
    """HR edits profiles; the Slack member ID of someone with admin powers is not theirs to set.

    The portal trusts Slack's member ID as the person in Slack (buttons, modals): pointing an
    administrator's profile at another member would let that member act as them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from portal.groups import holds_admin_powers

        person = self.instance.user if self.instance.pk else None
        field = self.fields.get("slack_user_id")
        if field and person and not self.for_user.is_superuser and holds_admin_powers(person):
            field.disabled = True
            field.help_text = _("Only an administrator changes this for someone with admin powers.")
