"""When a concern is due: working days per severity, in a department's week and time zone."""

from __future__ import annotations

import datetime

from portal.models import Department
from stories.models import Severity, SeveritySLA

# Used until the CX team sets a severity's SLA in the admin (the migration sets all four).
FALLBACK_WORKING_DAYS = {
    Severity.CRITICAL: 1,
    Severity.HIGH: 3,
    Severity.MEDIUM: 5,
    Severity.LOW: 10,
}


def working_days_for(severity: str) -> int:
    days = SeveritySLA.objects.filter(severity=severity).values_list("working_days", flat=True)
    found = days.first()
    return found if found is not None else FALLBACK_WORKING_DAYS.get(severity, 5)


def due_at(
    *, severity: str, filed_at: datetime.datetime, department: Department
) -> datetime.datetime:
    """The end of the Nth working day after filing, in the department's time zone.

    The department's working week is its weekdays (Department.voice_weekdays). A concern filed
    on a day off counts from the next working day. The result is the first instant of the
    following local day (an aware datetime), so "due 25 Nov" means before midnight in Seoul
    for a Seoul team and before midnight in New York for a New York team.
    """
    tz = department.timezone
    weekdays = set(department.voice_weekdays or [0, 1, 2, 3, 4])
    day = filed_at.astimezone(tz).date()
    while day.weekday() not in weekdays:
        day += datetime.timedelta(days=1)
    remaining = working_days_for(severity)
    while remaining:
        day += datetime.timedelta(days=1)
        if day.weekday() in weekdays:
            remaining -= 1
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=tz)
