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
