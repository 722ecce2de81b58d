"""Working days of a person: their department's week, less its public holidays and days off."""

from __future__ import annotations

import datetime

from portal.models import WORKING_WEEK, Department


def is_working_day(day: datetime.date, department: Department | None) -> bool:
    if department is None:
        return day.weekday() in WORKING_WEEK
    return department.is_voice_day(day)


def add_working_days(
    day: datetime.date, count: int, department: Department | None
) -> datetime.date:
    """The `count`th working day after `day` (a day off counts from the next working day)."""
    for _step in range(366):
        if count <= 0:
            break
        day += datetime.timedelta(days=1)
        if is_working_day(day, department):
            count -= 1
    return day
