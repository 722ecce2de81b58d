from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.models import WEEKDAYS, Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["language", "timezone"]
        help_texts = {"timezone": _("Leave empty to use your department's time zone.")}


class DepartmentAdminForm(WagtailAdminModelForm):
    voice_weekdays = forms.TypedMultipleChoiceField(
        label=_("Daily voice weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one weekday.")},
    )

    def clean_voice_weekdays(self) -> list[int]:
        return sorted(set(self.cleaned_data["voice_weekdays"]))
