from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AcknowledgeForm(forms.Form):
    """ "I have read it", with the version the page showed and the check question's answer."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, version: int, question: dict | None, **kwargs):
        super().__init__(*args, initial={"version": version}, **kwargs)
        self.question = question
        if question is not None:
            self.fields["answer"] = forms.TypedChoiceField(
                label=question["question"],
                choices=list(enumerate(question["choices"])),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )
