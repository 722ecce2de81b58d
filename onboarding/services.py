"""Writes for onboarding: enrolling people in the programmes meant for them."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Locale

from onboarding.models import Enrolment, ModuleProgress
from onboarding.pages import ModulePage, ProgrammePage
from portal.models import Profile, User
from portal.workdays import add_working_days


def due_on(start: datetime.date, working_day: int, department) -> datetime.date:
    """The date of the learner's `working_day`th working day, their start date being the
    first when it is a working day (day 0 or 1 is the start date itself)."""
    return add_working_days(start - datetime.timedelta(days=1), max(working_day, 1), department)


def programmes_for(profile: Profile) -> list[ProgrammePage]:
    """The live programmes (default language) meant for this person."""
    default = Locale.get_default()
    group_ids = set(Group.objects.filter(user=profile.user_id).values_list("pk", flat=True))
    chosen = []
    for programme in ProgrammePage.objects.live().filter(locale=default).order_by("path"):
        if programme.audience_everyone:
            chosen.append(programme)
            continue
        departments = set(programme.audience_departments.values_list("pk", flat=True))
        groups = set(programme.audience_groups.values_list("pk", flat=True))
        if profile.department_id in departments or group_ids & groups:
            chosen.append(programme)
    return chosen


def _modules(programme: ProgrammePage) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(programme).live().order_by("path"))


@transaction.atomic
def onboarding_enrol(
    *,
    user: User,
    programme: ProgrammePage,
    by: User | None = None,
    reason: str = "",
) -> Enrolment:
    """Enrol a person (again: nothing changes) with due dates from their start date, counted
    in their department's working days. Modules added since are added; none is taken away."""
    profile = Profile.objects.select_related("department").get(user=user)
    start = profile.start_date or datetime.date.today()
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user,
        programme_key=programme.translation_key,
        defaults={
            "programme": programme,
            "started_on": start,
            "enrolled_by": by,
            "reason": reason,
        },
    )
    have = set(enrolment.modules.values_list("module_key", flat=True))
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(
                enrolment=enrolment,
                module_key=module.translation_key,
                module=module,
                position=position,
                due_on=due_on(enrolment.started_on, module.due_day, profile.department),
            )
            for position, module in enumerate(_modules(programme))
            if module.translation_key not in have
        ]
    )
    return enrolment


# Automatic enrolment is for new hires: people who start within this many days, or later.
NEW_HIRE_WITHIN = datetime.timedelta(days=90)


def onboarding_enrol_automatically(
    *, user: User, today: datetime.date | None = None
) -> list[Enrolment]:
    """A new hire with a start date and a department is enrolled in what is meant for them
    (HR enrols anyone else by hand)."""
    today = today or datetime.date.today()
    profile = Profile.objects.filter(user=user).first()
    if profile is None or profile.start_date is None or profile.department_id is None:
        return []
    if profile.start_date < today - NEW_HIRE_WITHIN or not user.is_active:
        return []
    return [onboarding_enrol(user=user, programme=p) for p in programmes_for(profile)]
