"""Writes for raw customer feedback (FeedbackItem): filed from a Slack message for now.

The daily customer voice grows this with imports (surveys, tickets, reviews); the rules here
hold for every source: the same source and external id is one item, however often it is
filed, and what the customer said is kept as they said it.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from portal.models import Department
from stories.models import FeedbackItem
from stories.services.arguments import as_id, check_person, check_source_url

MAX_TEXT = 10000
TEXT_REQUIRED = gettext_lazy("Give the customer's words.")
LANGUAGE_REQUIRED = gettext_lazy("Choose the language the customer wrote in.")
CHOOSE_TOUCHPOINT = gettext_lazy("Choose a touchpoint from the list.")
CHOOSE_DEPARTMENT = gettext_lazy("Choose a department from the list.")


def feedback_check(
    *, user, text: str, language: str, touchpoint_id=None, department_id=None, link: str = ""
) -> dict:
    """What feedback_record would keep, checked (ValidationError keyed by argument name)."""
    check_person(user)
    errors: dict[str, list] = {}
    values: dict = {"text": (text or "").strip(), "language": language}
    if not values["text"]:
        errors["text"] = [TEXT_REQUIRED]
    elif len(values["text"]) > MAX_TEXT:
        errors["text"] = [
            gettext_lazy("Keep this to %(max)d characters or fewer.") % {"max": MAX_TEXT}
        ]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [LANGUAGE_REQUIRED]
    values["touchpoint"] = None
    if touchpoint_id not in (None, ""):
        pk = as_id(touchpoint_id)
        Touchpoint = apps.get_model("ambassadors", "Touchpoint")
        values["touchpoint"] = Touchpoint.objects.filter(pk=pk).first() if pk else None
        if values["touchpoint"] is None:
            errors["touchpoint_id"] = [CHOOSE_TOUCHPOINT]
    values["department"] = None
    if department_id not in (None, ""):
        pk = as_id(department_id)
        values["department"] = Department.objects.filter(pk=pk).first() if pk else None
        if values["department"] is None:
            errors["department_id"] = [CHOOSE_DEPARTMENT]
    values["link"] = check_source_url(link, errors)
    if "source_url" in errors:
        errors["link"] = errors.pop("source_url")
    if errors:
        raise ValidationError(errors)
    return values


def feedback_record(
    *,
    user,
    source: str,
    external_id: str,
    received_at: datetime.datetime,
    text: str,
    language: str,
    touchpoint_id=None,
    department_id=None,
    link: str = "",
) -> FeedbackItem:
    """Keep a customer's words; the same source and external id gives back the item kept."""
    values = feedback_check(
        user=user,
        text=text,
        language=language,
        touchpoint_id=touchpoint_id,
        department_id=department_id,
        link=link,
    )
    if not source or not external_id:
        raise ValidationError({"external_id": ["Feedback needs its source and external id."]})
    existing = FeedbackItem.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return FeedbackItem.objects.create(
                source=source,
                external_id=external_id,
                received_at=received_at,
                submitted_by=user,
                **values,
            )
    except IntegrityError:  # filed by another request a moment ago
        return FeedbackItem.objects.get(source=source, external_id=external_id)
