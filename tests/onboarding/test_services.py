"""Enrolment: automatic for new hires given a start date and a department, due dates in their
own working days, and nothing lost when a programme changes."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from onboarding.models import Enrolment, ModuleProgress
from onboarding.services import due_on, onboarding_enrol, onboarding_enrol_automatically
from portal.models import Profile
from tests.factories import DepartmentFactory, UserFactory
from tests.onboarding.helpers import module, programme

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


def test_due_dates_count_the_departments_working_days():
    seoul = DepartmentFactory(slug="seoul", timezone="Asia/Seoul", extra_days_off=["2026-12-02"])
    # Day 1 is the start date; Wednesday 2 December is a day off in Seoul.
    assert due_on(MONDAY, 1, seoul) == MONDAY
    assert due_on(MONDAY, 3, seoul) == datetime.date(2026, 12, 3)
    assert due_on(MONDAY, 5, seoul) == datetime.date(2026, 12, 7)  # over the weekend
    saturday = datetime.date(2026, 12, 5)
    assert due_on(saturday, 1, seoul) == datetime.date(2026, 12, 7)


def test_a_new_hire_is_enrolled_when_given_a_start_date_and_a_department(
    django_capture_on_commit_callbacks,
):
    genesis = programme()
    module(genesis, "Our history", due_day=1)
    module(genesis, "Systemic or individual", due_day=5)
    sales = DepartmentFactory(slug="sales", timezone="America/New_York")
    person = UserFactory(email="new@example.com")
    assert not Enrolment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        profile = Profile.objects.get(user=person)
        profile.start_date = timezone.localdate()
        profile.save()
    assert not Enrolment.objects.exists()  # no department yet
    with django_capture_on_commit_callbacks(execute=True):
        profile.department = sales
        profile.save()
    enrolment = Enrolment.objects.get(user=person)
    assert enrolment.programme == genesis
    titles = [m.module.title for m in enrolment.modules.all()]
    assert titles == ["Our history", "Systemic or individual"]
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()  # saved again: enrolled once
    assert Enrolment.objects.filter(user=person).count() == 1
    assert ModuleProgress.objects.filter(enrolment__user=person).count() == 2


def test_people_who_started_long_ago_are_not_enrolled_automatically():
    programme()
    veteran = UserFactory(email="veteran@example.com", department=DepartmentFactory(slug="d"))
    Profile.objects.filter(user=veteran).update(start_date=datetime.date(2020, 1, 6))
    assert onboarding_enrol_automatically(user=veteran) == []


def test_a_programme_for_chosen_departments_enrols_only_them():
    sales = DepartmentFactory(slug="sales")
    support = DepartmentFactory(slug="support-x")
    programme("Sales Genesis", departments=[sales])
    seller = UserFactory(email="seller@example.com", department=sales)
    helper = UserFactory(email="helper@example.com", department=support)
    for person in (seller, helper):
        Profile.objects.filter(user=person).update(start_date=MONDAY)
    today = MONDAY + datetime.timedelta(days=1)
    assert len(onboarding_enrol_automatically(user=seller, today=today)) == 1
    assert onboarding_enrol_automatically(user=helper, today=today) == []


def test_a_module_added_later_joins_and_nothing_is_undone():
    genesis = programme()
    first = module(genesis, "Our history", due_day=1)
    person = UserFactory(email="learner@example.com", department=DepartmentFactory(slug="e"))
    Profile.objects.filter(user=person).update(start_date=MONDAY)
    enrolment = onboarding_enrol(user=person, programme=genesis)
    done_at = timezone.now()
    enrolment.modules.filter(module=first).update(completed_at=done_at)
    module(genesis, "The guarantee", due_day=4)
    first.title = "Our history, told again"
    first.save_revision().publish()
    onboarding_enrol(user=person, programme=genesis)
    rows = list(enrolment.modules.order_by("position"))
    assert [r.module.title for r in rows] == ["Our history, told again", "The guarantee"]
    assert rows[0].completed_at == done_at and rows[1].completed_at is None
    assert rows[1].due_on == datetime.date(2026, 12, 3)


def test_a_module_published_later_joins_unfinished_enrolments_only(
    django_capture_on_commit_callbacks, eager_tasks
):
    genesis = programme()
    module(genesis, "Our history", due_day=1)
    department = DepartmentFactory(slug="joiners")
    learning = UserFactory(email="learning@example.com", department=department)
    finished = UserFactory(email="finished@example.com", department=department)
    for person in (learning, finished):
        Profile.objects.filter(user=person).update(start_date=MONDAY)
        onboarding_enrol(user=person, programme=genesis)
    done = Enrolment.objects.get(user=finished)
    done.modules.update(completed_at=timezone.now())
    Enrolment.objects.filter(pk=done.pk).update(completed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        module(genesis, "The guarantee", due_day=4)
    assert [m.module.title for m in Enrolment.objects.get(user=learning).modules.all()] == [
        "Our history",
        "The guarantee",
    ]
    assert Enrolment.objects.get(user=learning).modules_total == 2
    finished_enrolment = Enrolment.objects.get(user=finished)
    assert finished_enrolment.modules.count() == 1 and finished_enrolment.completed_at
