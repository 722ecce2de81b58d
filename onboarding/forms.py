"""The quiz form: one field per question drawn, radio buttons or checkboxes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.blocks import SINGLE


class QuizForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, attempt, **kwargs):
        super().__init__(*args, initial={"token": attempt.token}, **kwargs)
        self.attempt = attempt
        for number, question in enumerate(attempt.questions):
            choices = [(i, answer["text"]) for i, answer in enumerate(question["answers"])]
            messages = {"required": _("Answer this question.")}
            if question["kind"] == SINGLE:
                field = forms.TypedChoiceField(
                    choices=choices, coerce=int, widget=forms.RadioSelect, error_messages=messages
                )
            else:
                field = forms.TypedMultipleChoiceField(
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=messages,
                )
            field.label = question["question"]
            self.fields[f"q{number}"] = field

    def answers(self) -> list[list[int]]:
        chosen = []
        for number in range(len(self.attempt.questions)):
            value = self.cleaned_data[f"q{number}"]
            chosen.append(list(value) if isinstance(value, list) else [value])
        return chosen
