"""Concern forms: filing, the list's filters, and one small form per action on a concern.

Fields carry the services' argument names (stories.services.concern), so a service's
ValidationError maps back onto them with `add_service_errors`. The services validate; these
only turn the request into typed values. Action forms take `auto_id="id_<action>_%s"` so that
several of them on one page keep unique ids while posting the services' own field names.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stories.models import Concern, Severity
from stories.selectors import concern as selectors
from stories.services import concern as services

ACTION_AUTO_ID = "id_%(action)s_%%s"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors beside the fields they name; the rest above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages in error.message_dict.items():
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(field, message)


class ConcernForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=services.MAX_TITLE,
        help_text=_("In a few words, what went wrong for the customer."),
        error_messages={"required": services.TITLE_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("What the customer experienced"),
        max_length=services.MAX_DESCRIPTION,
        help_text=_("What happened, when, and what it meant for them. Their words help."),
        error_messages={"required": services.DESCRIPTION_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    customer_reference = forms.CharField(
        label=_("Customer reference"),
        required=False,
        max_length=services.MAX_REFERENCE,
        help_text=_("An account, order or ticket number. Only the CX team and the owner see it."),
    )
    touchpoint_id = forms.ModelChoiceField(
        label=_("Touchpoint"),
        queryset=selectors.touchpoints(),
        empty_label=_("Choose…"),
        error_messages={"required": services.TOUCHPOINT_REQUIRED},
    )
    department_id = forms.ModelChoiceField(
        label=_("Department where it was seen"),
        queryset=selectors.departments(),
        empty_label=_("Choose…"),
        error_messages={"required": services.DEPARTMENT_REQUIRED},
    )
    severity = forms.ChoiceField(
        label=_("How bad it is"),
        choices=Severity.choices,
        initial=Severity.MEDIUM,
        widget=forms.RadioSelect,
        help_text=_("Critical alerts leadership and the CX team at once."),
        error_messages={"required": services.SEVERITY_REQUIRED},
    )
    # Set when the person has seen the similar open concerns and files theirs anyway.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "customer_reference": data["customer_reference"],
            "touchpoint_id": data["touchpoint_id"].pk,
            "department_id": data["department_id"].pk,
            "severity": data["severity"],
        }


class ConcernFilterForm(forms.Form):
    """The list's filters, read from the query string; anything unknown is ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), required=False)
    kind = forms.ChoiceField(label=_("Classification"), required=False)
    touchpoint = forms.TypedChoiceField(
        label=_("Touchpoint"), required=False, coerce=int, empty_value=None
    )
    department = forms.TypedChoiceField(
        label=_("Seen in"), required=False, coerce=int, empty_value=None
    )
    owner = forms.TypedChoiceField(
        label=_("Owner department"), required=False, coerce=int, empty_value=None
    )
    involving = forms.TypedChoiceField(
        label=_("Seen in or owned by"), required=False, coerce=int, empty_value=None
    )
    mine = forms.BooleanField(label=_("Filed or followed by me"), required=False)

    def __init__(self, *args, touchpoints, departments, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["state"].choices = [
            *anything,
            ("open", _("Open (new, acknowledged, in progress)")),
            *Concern.State.choices,
        ]
        self.fields["severity"].choices = [*anything, *Severity.choices]
        self.fields["kind"].choices = [
            *anything,
            (Concern.Kind.SYSTEMIC, Concern.Kind.SYSTEMIC.label),
            (Concern.Kind.INDIVIDUAL, Concern.Kind.INDIVIDUAL.label),
            ("unclassified", Concern.Kind.UNCLASSIFIED.label),
        ]
        self.fields["touchpoint"].choices = [*anything, *((t.pk, str(t)) for t in touchpoints)]
        department_choices = [*anything, *((d.pk, d.name) for d in departments)]
        for name in ("department", "owner", "involving"):
            self.fields[name].choices = department_choices

    def filters(self) -> dict:
        """Keyword arguments for selectors.concern_list; invalid values count as "any"."""
        self.is_valid()  # cleans what it can: a field in error is left out, as "any"
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "state": data.get("state") or "",
            "severity": data.get("severity") or "",
            "kind": data.get("kind") or "",
            "touchpoint_id": data.get("touchpoint"),
            "department_id": data.get("department"),
            "owner_department_id": data.get("owner"),
            "involving_department_id": data.get("involving"),
            "mine": bool(data.get("mine")),
        }


# --- actions on one concern ---------------------------------------------------------------


class ActionForm(forms.Form):
    """An action's form: `concern` and `user` are known to the view, not posted."""

    def __init__(self, *args, concern: Concern, user, action: str, **kwargs):
        kwargs.setdefault("auto_id", ACTION_AUTO_ID % {"action": action})
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.user = user


def _note(label, *, required: bool, message=None, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=services.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else None,
    )


class AcknowledgeForm(ActionForm):
    note = _note(_("Note to the person who raised it (optional)"), required=False)


class ClassifyForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("Classification"),
        choices=[
            (Concern.Kind.SYSTEMIC, _("Systemic: the product or a process must change")),
            (Concern.Kind.INDIVIDUAL, _("Individual: one customer needs care")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": services.CHOOSE_KIND},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.concern.kind:
            self.fields["kind"].initial = self.concern.kind


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        department = getattr(getattr(person, "profile", None), "department", None)
        return f"{person} — {department.name}" if department else str(person)


class SetOwnerForm(ActionForm):
    owner_department_id = forms.ModelChoiceField(
        label=_("Owner department"),
        queryset=selectors.departments(),
        empty_label=_("Choose…"),
        error_messages={"required": services.CHOOSE_DEPARTMENT},
    )
    assignee_id = PersonChoiceField(
        label=_("Assignee (optional)"),
        queryset=selectors.assignable_people(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("Someone in the owner department."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_department_id"].initial = self.concern.owner_department_id

    def service_arguments(self) -> dict:
        assignee = self.cleaned_data["assignee_id"]
        return {
            "owner_department_id": self.cleaned_data["owner_department_id"].pk,
            "assignee_id": assignee.pk if assignee else None,
        }


class AssignForm(ActionForm):
    assignee_id = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose…"),
        error_messages={"required": services.CHOOSE_PERSON},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee_id"]
        if self.concern.owner_department_id:
            field.queryset = selectors.department_members(
                department_id=self.concern.owner_department_id
            )
        field.initial = self.concern.assignee_id

    def service_arguments(self) -> dict:
        return {"assignee_id": self.cleaned_data["assignee_id"].pk}


class StartForm(ActionForm):
    note = _note(_("Note (optional)"), required=False)


class ResolveForm(ActionForm):
    what_we_did = _note(
        _("What we did"), required=True, message=services.WHAT_WE_DID_REQUIRED, rows=4
    )


class DeclineForm(ActionForm):
    reason = _note(
        _("Why it won't be fixed"), required=True, message=services.REASON_REQUIRED, rows=4
    )


class CloseForm(ActionForm):
    pass


class ReopenForm(ActionForm):
    note = _note(_("Why it is reopened"), required=True, message=services.REOPEN_NOTE_REQUIRED)


class MergeForm(ActionForm):
    into = forms.IntegerField(
        label=_("Merge into concern number"),
        min_value=1,
        help_text=_("The concern this one repeats; its number is in its address."),
        error_messages={"required": _("Give the number of the concern to merge into.")},
    )


class NoteForm(ActionForm):
    note = _note(_("Note"), required=True, message=services.NOTE_REQUIRED)
    internal = forms.BooleanField(
        label=_("Internal: only the CX team and the owner department see it"), required=False
    )

    def __init__(self, *args, may_write_internal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_write_internal:
            del self.fields["internal"]


class FollowForm(ActionForm):
    pass


class UnfollowForm(ActionForm):
    pass
