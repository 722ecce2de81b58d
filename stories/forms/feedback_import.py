"""The admin's feedback upload: a file and how to read it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stories.models import ScoreScale
from stories.services.feedback_import import SOURCE

MAX_UPLOAD = 512 * 1024 * 1024


class FeedbackImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns external_id, received_at and text are required; see the sample file. CSV "
            "may be UTF-8 or CP949 (EUC-KR)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=50,
        required=False,
        help_text=_("For rows without a source column value, e.g. nps-survey or zendesk."),
    )
    score_scale = forms.ChoiceField(
        label=_("Score scale"),
        required=False,
        choices=[
            ("", _("NPS for a source named nps…, otherwise a 1–5 rating")),
            *ScoreScale.choices,
        ],
    )
    dry_run = forms.BooleanField(
        label=_("Check only"), required=False, help_text=_("Count and report; write nothing.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 512 MB: split it."))
        return upload

    def clean_source(self):
        source = self.cleaned_data["source"].strip().lower()
        if source and not SOURCE.match(source):
            raise forms.ValidationError(
                _("A source is lower-case letters, digits, - and _, e.g. zendesk.")
            )
        return source
