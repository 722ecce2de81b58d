"""Reminders: from 09:00 local on working days, at most one a day, email without Slack, and
the manager told once when a module is a week overdue."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django_celery_beat.models import PeriodicTask

from onboarding.models import ModuleProgress
from onboarding.reminders import onboarding_reminders_send
from onboarding.services import module_due_extend, onboarding_enrol
from portal.models import OutboxMessage, Profile
from tests.factories import DepartmentFactory, UserFactory
from tests.onboarding.helpers import module, programme

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Monday 7 December 2026.
MONDAY = datetime.date(2026, 12, 7)


def at(day: datetime.date, hour: int, zone=SEOUL, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


@pytest.fixture
def genesis():
    page = programme()
    module(page, "Our history", due_day=1)
    module(page, "CX removes the cause", due_day=3)
    module(page, "Talking to customers", due_day=10)
    return page


def _learner(email, *, department, start, slack="", manager=None):
    person = UserFactory(email=email, department=department)
    Profile.objects.filter(user=person).update(
        start_date=start, slack_user_id=slack, manager=manager
    )
    return person


@pytest.fixture
def seoul():
    return DepartmentFactory(slug="seoul-team", timezone="Asia/Seoul")


def _to(person):
    slack = Profile.objects.get(user=person).slack_user_id
    rows = OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:")
    return [m for m in rows if m.channel == (slack or person.email)]


def test_a_learner_is_reminded_once_a_day_from_nine_on_working_days(genesis, seoul):
    learner = _learner("learner@example.com", department=seoul, start=MONDAY, slack="U0LEARN")
    onboarding_enrol(user=learner, programme=genesis)
    # Before 09:00 in Seoul: nothing yet.
    assert onboarding_reminders_send(now=at(MONDAY, 8, minute=59)) == 0
    assert onboarding_reminders_send(now=at(MONDAY, 9)) == 1
    (message,) = _to(learner)
    # Due within two working days: Monday's and Wednesday's modules, not the one due later.
    assert "Our history" in message.text and "CX removes the cause" in message.text
    assert "Talking to customers" not in message.text
    assert message.blocks[-1]["elements"][0]["action_id"] == "portal_open_link:onboarding"
    # Again the same day, later in it: nothing more.
    assert onboarding_reminders_send(now=at(MONDAY, 9, minute=30)) == 0
    assert onboarding_reminders_send(now=at(MONDAY, 17)) == 0
    assert len(_to(learner)) == 1
    # The next day, a new one.
    assert onboarding_reminders_send(now=at(MONDAY + datetime.timedelta(days=1), 9)) == 1
    # Saturday and Sunday are not working days in Seoul.
    saturday = MONDAY + datetime.timedelta(days=5)
    assert onboarding_reminders_send(now=at(saturday, 10)) == 0
    assert onboarding_reminders_send(now=at(saturday + datetime.timedelta(days=1), 10)) == 0
    assert len(_to(learner)) == 2


def test_nine_is_in_each_learners_own_time_zone(genesis, seoul):
    new_york = DepartmentFactory(slug="ny-team", timezone="America/New_York")
    in_seoul = _learner("seoul@example.com", department=seoul, start=MONDAY, slack="U0SEOUL")
    in_ny = _learner("ny@example.com", department=new_york, start=MONDAY, slack="U0NEWYO")
    for person in (in_seoul, in_ny):
        onboarding_enrol(user=person, programme=genesis)
    # 09:00 Monday in Seoul is 19:00 Sunday in New York: only Seoul is reminded.
    onboarding_reminders_send(now=at(MONDAY, 9))
    assert len(_to(in_seoul)) == 1 and _to(in_ny) == []
    # 09:00 Monday in New York.
    onboarding_reminders_send(now=at(MONDAY, 9, zone=NEW_YORK))
    assert len(_to(in_ny)) == 1 and len(_to(in_seoul)) == 1


def test_email_without_a_slack_id_and_nothing_for_what_is_done(genesis, seoul):
    learner = _learner("mail@example.com", department=seoul, start=MONDAY)
    enrolment = onboarding_enrol(user=learner, programme=genesis)
    onboarding_reminders_send(now=at(MONDAY, 9))
    (email,) = _to(learner)
    assert email.transport == OutboxMessage.Transport.EMAIL
    # Everything due soon done or excused: no reminder the next day.
    enrolment.modules.filter(position__lt=2).update(excused_at=at(MONDAY, 10))
    assert onboarding_reminders_send(now=at(MONDAY + datetime.timedelta(days=1), 9)) == 0


def test_the_manager_is_told_once_when_a_module_is_a_week_overdue(genesis, seoul, hr):
    boss = _learner("boss@example.com", department=seoul, start=None, slack="U0BOSS1")
    learner = _learner(
        "late@example.com", department=seoul, start=MONDAY, slack="U0LATE1", manager=boss
    )
    enrolment = onboarding_enrol(user=learner, programme=genesis)
    first = enrolment.modules.get(position=0)  # due Monday 7 December
    six_days = MONDAY + datetime.timedelta(days=6)
    onboarding_reminders_send(now=at(six_days, 9))
    assert _to(boss) == []
    week = MONDAY + datetime.timedelta(days=7)
    onboarding_reminders_send(now=at(week, 9))
    (note,) = _to(boss)
    assert "late@example.com" in note.text or "Person" in note.text
    assert "Our history" in note.text and "7 days overdue" in note.text
    first.refresh_from_db()
    assert first.manager_told_at is not None
    onboarding_reminders_send(now=at(week + datetime.timedelta(days=1), 9))
    assert len(_to(boss)) == 1
    # HR moves the date: a new week before the manager hears of it again.
    module_due_extend(by=hr, progress=first, due_on=week, reason="Was on leave")
    onboarding_reminders_send(now=at(week + datetime.timedelta(days=8), 9))
    about_first = [
        m for m in _to(boss) if m.idempotency_key.startswith(f"onboarding:manager:{first.pk}:")
    ]
    assert len(about_first) == 2


def test_the_run_is_on_the_beat():
    task = PeriodicTask.objects.get(name="Onboarding reminders")
    assert task.task == "onboarding.reminders" and task.enabled
    assert task.crontab.minute == "0,30"


def test_a_repeated_run_writes_nothing_twice(genesis, seoul):
    people = [
        _learner(f"p{i}@example.com", department=seoul, start=MONDAY, slack=f"U0P{i:04d}")
        for i in range(5)
    ]
    for person in people:
        onboarding_enrol(user=person, programme=genesis)
    assert onboarding_reminders_send(now=at(MONDAY, 10)) == 5
    assert onboarding_reminders_send(now=at(MONDAY, 10)) == 0
    assert OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:").count() == 5
    assert ModuleProgress.objects.filter(manager_told_at__isnull=False).count() == 0
