"""Reads for a learner's certificate: a programme they finished, as it stands today.

A certificate is drawn from the enrolment and its module progress, never stored: the
programme's page edited, translated or given a module later still shows the same completion.
Only modules done (completed or excused) are listed: one added after the programme was
finished was not part of it.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page

from onboarding.models import Enrolment, ModuleProgress
from portal.models import Profile, User


@dataclass(frozen=True)
class CertifiedModule:
    title: str
    completed_on: datetime.date | None
    excused_on: datetime.date | None


@dataclass(frozen=True)
class Certificate:
    programme_key: uuid.UUID
    name: str
    programme_title: str
    completed_on: datetime.date
    modules: list[CertifiedModule]


def titles_in_active_language(defaults: dict[uuid.UUID, str]) -> dict[uuid.UUID, str]:
    """Page titles by translation key: the live translation's in the active language where
    there is one, else the given default language's (one query, none in the default language).
    """
    titles = dict(defaults)
    try:
        language = get_supported_content_language_variant(translation.get_language() or "")
    except LookupError:
        return titles
    if not titles or language == get_supported_content_language_variant(settings.LANGUAGE_CODE):
        return titles
    translated = (
        Page.objects.live()
        .filter(translation_key__in=list(titles), locale__language_code=language)
        .values_list("translation_key", "title")
    )
    titles.update(translated)
    return titles


def _local_date(moment: datetime.datetime | None, zone) -> datetime.date | None:
    return timezone.localtime(moment, zone).date() if moment else None


def certificate_for(
    *, user: User, programme_key: uuid.UUID, profile: Profile | None
) -> Certificate | None:
    """The person's own certificate for a programme they completed, dates in their time zone
    (`profile`, loaded by the caller with its department); None when they have not completed
    it or are not enrolled in it: nobody sees another person's certificate. Three queries."""
    if not user.is_authenticated:
        return None
    enrolment = (
        Enrolment.objects.filter(user=user, programme_key=programme_key, completed_at__isnull=False)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=ModuleProgress.objects.select_related("module").order_by("position"),
            )
        )
        .first()
    )
    if enrolment is None:
        return None
    done = [m for m in enrolment.modules.all() if m.done]
    defaults = {m.module_key: m.module.title for m in done if m.module is not None}
    if enrolment.programme is not None:
        defaults[enrolment.programme_key] = enrolment.programme.title
    titles = titles_in_active_language(defaults)
    zone = profile.effective_timezone if profile else timezone.get_default_timezone()
    return Certificate(
        programme_key=enrolment.programme_key,
        name=user.get_full_name() or user.email,
        programme_title=titles.get(enrolment.programme_key) or _("Onboarding programme"),
        completed_on=_local_date(enrolment.completed_at, zone),
        modules=[
            CertifiedModule(
                title=titles.get(m.module_key) or _("A module no longer offered"),
                completed_on=_local_date(m.completed_at, zone),
                excused_on=_local_date(m.excused_at, zone),
            )
            for m in done
        ],
    )
