"""Story forms: the filing form (also for resubmitting), the list's filters, the admin's form.

The filing form's fields carry the names of stories.services.story's arguments; it only reads
what was typed, and the service says what is wrong (in the same words as in Slack).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.utils import get_accept_attributes

from stories.selectors.story import FilterOptions
from stories.services.story import NAME_WITHOUT_CONSENT

# Marked as required on the page; the service is what refuses them empty.
REQUIRED = (
    "title",
    "what_happened",
    "customer_words",
    "outcome",
    "touchpoint_id",
    "department_ids",
    "language",
)
SERVICE_ARGUMENTS = (
    "title",
    "what_happened",
    "customer_words",
    "outcome",
    "touchpoint_id",
    "department_ids",
    "tags",
    "language",
    "customer_name",
    "customer_may_be_named",
    "image",
)
CHOOSE_IMAGE_AGAIN = _(
    "Choose the image again if you want it: browsers do not keep a chosen file when a form is "
    "shown again."
)


def split_tags(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    what_happened = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the customer needed, and what we did about it."),
    )
    customer_words = forms.CharField(
        label=_("The customer's own words"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Quote them as closely as you can. Email addresses and phone numbers are hidden "
            "from everyone outside the CX team."
        ),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it ended for the customer, and for us."),
    )
    touchpoint_id = forms.TypedChoiceField(
        label=_("Touchpoint"), coerce=int, empty_value=None, choices=()
    )
    department_ids = forms.TypedMultipleChoiceField(
        label=_("Departments"),
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The teams this story is about, or should reach."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=1000,
        help_text=_("A few words, separated by commas: refund, onboarding, 야간지원."),
    )
    language = forms.ChoiceField(label=_("Language of the story"), choices=settings.LANGUAGES)
    customer_may_be_named = forms.BooleanField(label=_("The customer agreed to be named"))
    customer_name = forms.CharField(
        label=_("Customer's name"),
        max_length=500,
        help_text=_("Only if they agreed; otherwise leave it empty and no name is ever shown."),
    )
    image = forms.FileField(
        label=_("Image"),
        widget=forms.FileInput(attrs={"accept": get_accept_attributes()}),
    )

    def __init__(self, *args, options: FilterOptions, **kwargs):
        super().__init__(*args, **kwargs)
        touchpoint_field = self.fields["touchpoint_id"]
        touchpoint_field.choices = [("", _("Choose a touchpoint")), *options.touchpoint_choices]
        self.fields["department_ids"].choices = options.department_choices
        self.has_touchpoints = bool(options.touchpoint_choices)
        # Wagtail's own words for what it accepts (formats, maximum size).
        self.fields["image"].help_text = WagtailImageField().help_text
        for name in REQUIRED:
            self.fields[name].required = True
        for name in set(self.fields) - set(REQUIRED):
            self.fields[name].required = False

    def full_clean(self):
        # Required fields are marked on the page, but the service says what is missing (the
        # same words as in Slack, and every problem at once): the form only reads the values.
        marked = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            for name, required in marked.items():
                self.fields[name].required = required

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {name: data.get(name) for name in SERVICE_ARGUMENTS}
        arguments["title"] = arguments["title"] or ""
        for name in ("what_happened", "customer_words", "outcome", "customer_name"):
            arguments[name] = arguments[name] or ""
        arguments["department_ids"] = arguments["department_ids"] or []
        arguments["tags"] = split_tags(data.get("tags") or "")
        arguments["language"] = arguments["language"] or ""
        arguments["customer_may_be_named"] = bool(arguments["customer_may_be_named"])
        return arguments

    def add_service_error(self, error: ValidationError) -> None:
        """The service's errors beside the fields they name, the others above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)

    def note_dropped_file(self, files) -> None:
        """A file chosen before an error is not sent again by the browser: say so."""
        if files.get("image") and self.errors:
            self.add_error("image", str(CHOOSE_IMAGE_AGAIN))


class StoryEditForm(StoryForm):
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)

    def __init__(self, *args, has_image: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_image:
            del self.fields["remove_image"]
        else:
            self.fields["image"].label = _("Replace the image")

    def service_arguments(self) -> dict:
        arguments = super().service_arguments()
        arguments["remove_image"] = bool(self.cleaned_data.get("remove_image"))
        return arguments


def initial_from(story) -> dict:
    """The filing form's values for a story being edited."""
    return {
        "title": story.title,
        "what_happened": story.what_happened,
        "customer_words": story.customer_words,
        "outcome": story.outcome,
        "touchpoint_id": story.touchpoint_id,
        "department_ids": [department.pk for department in story.departments.all()],
        "tags": ", ".join(tag.name for tag in story.tags.all()),
        "language": story.language,
        "customer_may_be_named": story.customer_may_be_named,
        "customer_name": story.customer_name,
    }


class StoryFilterForm(forms.Form):
    """The list's filters (GET). A value that is not among the choices is not applied."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    department = forms.ChoiceField(label=_("Department"), required=False)
    touchpoint = forms.ChoiceField(label=_("Touchpoint"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, options: FilterOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["type"] = "search"
        self.fields["department"].choices = [("", _("All departments")), *options.departments]
        self.fields["touchpoint"].choices = [("", _("All touchpoints")), *options.touchpoints]
        self.fields["tag"].choices = [("", _("All tags")), *options.tags]
        self.fields["language"].choices = [("", _("All languages")), *settings.LANGUAGES]

    def filters(self) -> dict[str, str]:
        """The valid filters; an unknown value is dropped (and its error shown beside it)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in self.fields if data.get(name)}

    @property
    def active(self) -> bool:
        return bool(self.filters())


class StoryAdminForm(WagtailAdminModelForm):
    """The CX team's edit form in the admin: the same rule on the customer's name."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("customer_name", "").strip() and not cleaned.get("customer_may_be_named"):
            self.add_error("customer_name", str(NAME_WITHOUT_CONSENT))
        return cleaned
