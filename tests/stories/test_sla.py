"""Due dates: working days per severity, counted in the department's week and time zone."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from stories.models import SeveritySLA
from stories.sla import FALLBACK_WORKING_DAYS, due_at, working_days_for
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def seoul(db):
    return DepartmentFactory(name="Seoul support", slug="seoul", timezone="Asia/Seoul")


@pytest.fixture
def new_york(db):
    return DepartmentFactory(name="New York sales", slug="new-york", timezone="America/New_York")


def local(value: datetime.datetime, zone) -> datetime.datetime:
    return value.astimezone(zone).replace(tzinfo=None)


def test_the_default_slas_come_from_the_table():
    assert {s.severity: s.working_days for s in SeveritySLA.objects.all()} == {
        "critical": 1,
        "high": 3,
        "medium": 5,
        "low": 10,
    }
    SeveritySLA.objects.filter(severity="high").update(working_days=2)
    assert working_days_for("high") == 2
    SeveritySLA.objects.all().delete()
    assert working_days_for("low") == FALLBACK_WORKING_DAYS["low"]


def test_friday_evening_in_seoul_is_friday_morning_in_new_york(seoul, new_york):
    # Friday 27 November 2026, 19:00 in Seoul = 10:00 UTC = 05:00 in New York, also Friday.
    filed = datetime.datetime(2026, 11, 27, 19, 0, tzinfo=SEOUL)
    in_seoul = due_at(severity="critical", filed_at=filed, department=seoul)
    in_new_york = due_at(severity="critical", filed_at=filed, department=new_york)
    # One working day: Monday, so due before Tuesday begins, each in its own zone.
    assert local(in_seoul, SEOUL) == datetime.datetime(2026, 12, 1, 0, 0)
    assert local(in_new_york, NEW_YORK) == datetime.datetime(2026, 12, 1, 0, 0)
    assert in_seoul == datetime.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert in_new_york == datetime.datetime(2026, 12, 1, 5, 0, tzinfo=UTC)


def test_friday_evening_in_new_york_is_already_saturday_in_seoul(seoul, new_york):
    # Friday 27 November 2026, 19:00 in New York = Saturday 28, 09:00 in Seoul.
    filed = datetime.datetime(2026, 11, 27, 19, 0, tzinfo=NEW_YORK)
    # New York: Friday counts from Friday; one working day is Monday.
    assert local(due_at(severity="critical", filed_at=filed, department=new_york), NEW_YORK) == (
        datetime.datetime(2026, 12, 1, 0, 0)
    )
    # Seoul: filed on a Saturday, so counting starts on Monday; one working day is Tuesday.
    assert local(due_at(severity="critical", filed_at=filed, department=seoul), SEOUL) == (
        datetime.datetime(2026, 12, 2, 0, 0)
    )


def test_weekends_are_skipped_for_longer_slas(seoul):
    filed = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=SEOUL)  # a Wednesday
    # Medium, five working days: Thu, Fri, Mon, Tue, Wed → due before Thursday 3 December.
    assert local(due_at(severity="medium", filed_at=filed, department=seoul), SEOUL) == (
        datetime.datetime(2026, 12, 3, 0, 0)
    )
    # Low, ten working days: two full weeks → before Thursday 10 December.
    assert local(due_at(severity="low", filed_at=filed, department=seoul), SEOUL) == (
        datetime.datetime(2026, 12, 10, 0, 0)
    )


def test_zero_working_days_means_by_the_end_of_the_working_day_it_was_filed(seoul):
    SeveritySLA.objects.filter(severity="critical").update(working_days=0)
    wednesday = datetime.datetime(2026, 11, 25, 14, 0, tzinfo=SEOUL)
    assert local(due_at(severity="critical", filed_at=wednesday, department=seoul), SEOUL) == (
        datetime.datetime(2026, 11, 26, 0, 0)
    )
    # Late on a Wednesday in UTC is already Thursday in Seoul.
    late_utc = datetime.datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
    assert local(due_at(severity="critical", filed_at=late_utc, department=seoul), SEOUL) == (
        datetime.datetime(2026, 11, 27, 0, 0)
    )
    # Filed on a Sunday: by the end of Monday.
    sunday = datetime.datetime(2026, 11, 29, 11, 0, tzinfo=SEOUL)
    assert local(due_at(severity="critical", filed_at=sunday, department=seoul), SEOUL) == (
        datetime.datetime(2026, 12, 1, 0, 0)
    )


def test_the_end_of_daylight_saving_time_in_new_york(new_york):
    # New York leaves daylight saving time on Sunday 1 November 2026.
    filed = datetime.datetime(2026, 10, 30, 10, 0, tzinfo=NEW_YORK)  # Friday, EDT (UTC-4)
    due = due_at(severity="critical", filed_at=filed, department=new_york)
    assert local(due, NEW_YORK) == datetime.datetime(2026, 11, 3, 0, 0)
    assert due == datetime.datetime(2026, 11, 3, 5, 0, tzinfo=UTC)  # EST, UTC-5
    assert due.utcoffset() == datetime.timedelta(hours=-5)


def test_the_start_of_daylight_saving_time_in_new_york(new_york):
    # New York starts daylight saving time on Sunday 8 March 2026.
    filed = datetime.datetime(2026, 3, 6, 16, 0, tzinfo=NEW_YORK)  # Friday, EST (UTC-5)
    due = due_at(severity="critical", filed_at=filed, department=new_york)
    assert local(due, NEW_YORK) == datetime.datetime(2026, 3, 10, 0, 0)
    assert due == datetime.datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # EDT, UTC-4


def test_a_department_with_another_working_week(db):
    sunday_to_thursday = DepartmentFactory(
        name="Dubai", slug="dubai", timezone="Asia/Dubai", voice_weekdays=[6, 0, 1, 2, 3]
    )
    dubai = zoneinfo.ZoneInfo("Asia/Dubai")
    thursday = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=dubai)
    # One working day after Thursday is Sunday (Friday and Saturday are the weekend).
    assert local(
        due_at(severity="critical", filed_at=thursday, department=sunday_to_thursday), dubai
    ) == datetime.datetime(2026, 11, 30, 0, 0)


def test_the_due_date_is_an_aware_instant(seoul):
    filed = datetime.datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert due_at(severity="high", filed_at=filed, department=seoul).tzinfo is not None
