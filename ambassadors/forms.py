"""The admin's appointment forms; saving goes through ambassadors.services, never form.save()."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from ambassadors.models import Appointment
from portal.models import User

# The service's argument names, and the form fields that carry them.
SERVICE_FIELDS = {
    "person_id": "person",
    "department_id": "department",
    "touchpoint_ids": "touchpoints",
    "starts_on": "starts_on",
    "ends_on": "ends_on",
    "reason": "reason",
}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        # Two people may share a name; the email tells them apart.
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name else obj.email


class AppointmentAdminForm(WagtailAdminModelForm):
    person = PersonChoiceField(queryset=User.objects.none(), label=_("Person"))

    class Meta:
        model = Appointment
        fields = ["person", "department", "touchpoints", "starts_on", "ends_on", "reason"]
        widgets = {"touchpoints": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.person_id if self.instance.pk else None
        # Current employees, and whoever the appointment already names (left since or not).
        self.fields["person"].queryset = User.objects.filter(
            Q(is_active=True) | Q(pk=current)
        ).order_by("first_name", "last_name", "email")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            # Said here, beside the field, before the model's constraint says it less kindly.
            self.add_error("ends_on", _("The term cannot end before it starts."))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "person_id": data["person"].pk,
            "department_id": data["department"].pk,
            "touchpoint_ids": [touchpoint.pk for touchpoint in data["touchpoints"]],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "reason": data["reason"],
        }


class EndTermForm(forms.Form):
    on = forms.DateField(
        label=_("No longer an ambassador from"),
        help_text=_(
            "The term's last day becomes the day before. A term that would not have begun by "
            "then is withdrawn."
        ),
        widget=AdminDateInput,
    )


def add_service_errors(form: forms.Form, error, fields: dict[str, str]) -> None:
    """Put a service's ValidationError beside the fields it names (else above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        name = fields.get(key)
        form.add_error(name if name in form.fields else None, messages)
