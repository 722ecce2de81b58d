"""The triage queue's filters: the portal's form, and what it shares with the admin report.

The portal's queue (/concerns/triage/) and the admin report (its CSV and XLSX export) take the
same parameters; each reads them into a `TriageFilters` (stories.selectors.triage) and filters
with the same selector. The admin report needs a django-filter FilterSet, as Wagtail's report
views do; the portal's page is drawn on every visit of the CX team, and a FilterSet built per
request (deep copies of nine filters and their fields) cost it more than its rows, so the
portal draws a plain form with the same labels, choices and parameter names.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy
from django_filters.fields import DateRangeField
from django_filters.widgets import SuffixedMultiWidget
from wagtail.admin.widgets import BooleanRadioSelect

from stories.models import Concern, Severity
from stories.selectors.triage import STATE_ALL, STATE_OPEN, UNCLASSIFIED, TriageFilters

LABELS = {
    "state": gettext_lazy("State"),
    "severity": gettext_lazy("How bad it is"),
    "kind": gettext_lazy("Classification"),
    "touchpoint": gettext_lazy("Touchpoint"),
    "department": gettext_lazy("Department where it was seen"),
    "owner_department": gettext_lazy("Owner department"),
    "overdue": gettext_lazy("Past due"),
    "waiting_for_owner": gettext_lazy("Waiting for an owner"),
    "created_at": gettext_lazy("Filed"),
}
ANY = gettext_lazy("Any")
STATE_CHOICES = [
    (STATE_OPEN, gettext_lazy("Open (new, acknowledged, in progress)")),
    *Concern.State.choices,
    (STATE_ALL, gettext_lazy("Any state")),
]
KIND_CHOICES = [
    (UNCLASSIFIED, gettext_lazy("Not classified yet")),
    (Concern.Kind.SYSTEMIC, gettext_lazy("Systemic")),
    (Concern.Kind.INDIVIDUAL, gettext_lazy("Individual")),
]


def with_open_state(data):
    """The queue opens on the open concerns: no state asked for means "open"."""
    if data is not None and not data.get("state"):
        data = data.copy()
        data["state"] = STATE_OPEN
    return data


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


def triage_filters(cleaned_data: dict) -> TriageFilters:
    """TriageFilters from either form's cleaned data; a field in error (left out) is "any"."""
    filed = cleaned_data.get("created_at")
    return TriageFilters(
        state=cleaned_data.get("state") or STATE_OPEN,
        severities=tuple(cleaned_data.get("severity") or ()),
        kind=cleaned_data.get("kind") or "",
        touchpoint_id=_pk(cleaned_data.get("touchpoint")),
        department_id=_pk(cleaned_data.get("department")),
        owner_department_id=_pk(cleaned_data.get("owner_department")),
        overdue=cleaned_data.get("overdue"),
        waiting_for_owner=cleaned_data.get("waiting_for_owner"),
        filed_from=filed.start if filed else None,
        filed_until=filed.stop if filed else None,
    )


class DateRangeInput(SuffixedMultiWidget):
    """ "Filed" from and until as the browser's date inputs, under the parameter names of the
    admin report's date range picker (created_at_from, created_at_to)."""

    suffixes = ["from", "to"]
    use_fieldset = True

    def __init__(self, attrs=None):
        date = {"type": "date"}
        super().__init__(
            [
                forms.DateInput({**date, "aria-label": gettext_lazy("From")}, format="%Y-%m-%d"),
                forms.DateInput({**date, "aria-label": gettext_lazy("Until")}, format="%Y-%m-%d"),
            ],
            attrs,
        )

    def decompress(self, value):
        return [value.start, value.stop] if value else [None, None]


def _place_choice(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None)


def _yes_no(label) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=BooleanRadioSelect)


class TriageFilterForm(forms.Form):
    """The portal queue's filters, under the admin report's parameter names."""

    state = forms.ChoiceField(
        label=LABELS["state"], choices=STATE_CHOICES, required=False, widget=forms.RadioSelect
    )
    severity = forms.MultipleChoiceField(
        label=LABELS["severity"],
        choices=Severity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(
        label=LABELS["kind"],
        choices=[("", ANY), *KIND_CHOICES],
        required=False,
        widget=forms.RadioSelect,
    )
    touchpoint = _place_choice(LABELS["touchpoint"])
    department = _place_choice(LABELS["department"])
    owner_department = _place_choice(LABELS["owner_department"])
    overdue = _yes_no(LABELS["overdue"])
    waiting_for_owner = _yes_no(LABELS["waiting_for_owner"])
    created_at = DateRangeField(label=LABELS["created_at"], required=False, widget=DateRangeInput)

    def __init__(self, data=None, *, touchpoints, departments, **kwargs):
        super().__init__(with_open_state(data), **kwargs)
        anything = [("", ANY)]
        self.fields["touchpoint"].choices = [*anything, *((t.pk, str(t)) for t in touchpoints)]
        department_choices = [*anything, *((d.pk, d.name) for d in departments)]
        for name in ("department", "owner_department"):
            self.fields[name].choices = department_choices

    def asks_for_any(self, query) -> bool:
        """Whether the request's parameters ask for a filter (the filters are shown open)."""
        for name, field in self.fields.items():
            value = field.widget.value_from_datadict(query, {}, self.add_prefix(name))
            if any(value) if isinstance(value, list | tuple) else value:
                return True
        return False

    def filters(self) -> TriageFilters:
        self.is_valid()  # cleans what it can: a field in error is left out, as "any"
        return triage_filters(getattr(self, "cleaned_data", {}))
