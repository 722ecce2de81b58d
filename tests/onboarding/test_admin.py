"""The dashboards and HR's actions: HR sees every learner by risk, a manager only their own
reports; enrol, move a due date and excuse keep their reason; the nudge; funnel, hardest
questions, export."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding import reports, services
from onboarding.models import Enrolment, ModuleProgress, QuizAttempt
from onboarding.services import enrolments_summarise, onboarding_enrol
from portal.models import OutboxMessage, Profile
from tests.factories import DepartmentFactory, UserFactory
from tests.onboarding.helpers import module, programme

pytestmark = pytest.mark.django_db

LEARNERS = reverse("onboarding_learners")


@pytest.fixture
def genesis():
    page = programme()
    module(page, "Our history", due_day=1)
    module(page, "CX removes the cause", due_day=3)
    return page


@pytest.fixture
def boss(department):
    return UserFactory(email="boss@example.com", department=department)


def _learner(email, *, department, days_ago, manager=None, failed=0, programme_page=None):
    person = UserFactory(email=email, department=department, first_name=email.split("@")[0])
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    Profile.objects.filter(user=person).update(start_date=start, manager=manager)
    enrolment = onboarding_enrol(user=person, programme=programme_page)
    first = enrolment.modules.get(position=0)
    for number in range(1, failed + 1):
        QuizAttempt.objects.create(
            user=person,
            module_key=first.module_key,
            module=first.module,
            quiz_id="q",
            title="Quiz",
            number=number,
            questions=[],
            answers=[],
            pass_mark=80,
            score=0,
            passed=False,
            submitted_at=timezone.now(),
        )
    enrolments_summarise(Enrolment.objects.filter(user=person))  # attempts made past services
    return person


def _refused(response) -> bool:
    """Wagtail answers a refused admin view by sending the person to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def _names(response) -> list[str]:
    return [row.learner_name.removesuffix(" Tester") for row in response.context["object_list"]]


def test_hr_sees_every_learner_riskiest_first(client, hr, genesis, department, boss):
    other = DepartmentFactory(slug="sales-team")
    _learner("ontrack@example.com", department=department, days_ago=0, programme_page=genesis)
    _learner("late@example.com", department=department, days_ago=20, programme_page=genesis)
    _learner(
        "struggling@example.com",
        department=other,
        days_ago=20,
        failed=2,
        programme_page=genesis,
        manager=boss,
    )
    _learner("slightly@example.com", department=other, days_ago=9, failed=1, programme_page=genesis)
    client.force_login(hr)
    response = client.get(LEARNERS)
    assert response.status_code == 200
    names = _names(response)
    assert names[:2] == ["struggling", "slightly"]
    assert names[2] == "late" and names[-1] == "ontrack"
    assert b"Nudge" in response.content
    struggling = Enrolment.objects.get(user__email="struggling@example.com")
    nudge = reverse("onboarding_nudge", args=[struggling.pk])
    assert f'action="{nudge}"' in response.content.decode()
    by_department = client.get(LEARNERS, {"department": other.pk})
    assert sorted(_names(by_department)) == ["slightly", "struggling"]
    month = (timezone.localdate() - datetime.timedelta(days=20)).strftime("%Y-%m")
    by_month = client.get(LEARNERS, {"started": month})
    assert "struggling" in _names(by_month)
    assert "ontrack" not in _names(by_month) or month == timezone.localdate().strftime("%Y-%m")
    sales = programme("Sales Genesis")
    assert _names(client.get(LEARNERS, {"programme": sales.pk})) == []


def test_people_who_left_are_not_on_the_dashboard(client, hr, genesis, department):
    _learner("stays@example.com", department=department, days_ago=9, programme_page=genesis)
    left = _learner("left@example.com", department=department, days_ago=9, programme_page=genesis)
    left.is_active = False
    left.save()
    client.force_login(hr)
    response = client.get(LEARNERS)
    assert _names(response) == ["stays"]
    assert response.context["paginator"].count == 1


def test_the_learners_dashboard_costs_the_same_for_more_learners(
    client, hr, genesis, department, django_assert_max_num_queries
):
    client.force_login(hr)
    _learner("one@example.com", department=department, days_ago=5, programme_page=genesis)
    client.get(LEARNERS)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Both asked right after a change of progress, as the first look after a change is.
    reports.progress_changed()
    with CaptureQueriesContext(connection) as few:
        client.get(LEARNERS)
    for i in range(8):
        _learner(f"more{i}@example.com", department=department, days_ago=i, programme_page=genesis)
    with CaptureQueriesContext(connection) as many:
        client.get(LEARNERS)
    assert len(many) == len(few)


def _queries(client, url, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    return response, [query["sql"] for query in queries]


def test_a_page_of_learners_is_kept_until_what_it_shows_changes(
    client, hr, genesis, department, kept_lookups
):
    late = _learner("late@example.com", department=department, days_ago=20, programme_page=genesis)
    _learner("ontrack@example.com", department=department, days_ago=0, programme_page=genesis)
    client.force_login(hr)
    kept_lookups.commit()
    client.get(LEARNERS)  # what every admin page keeps (permissions, the sidebar) is kept
    reports.progress_changed()
    kept_lookups.commit()
    first, cold = _queries(client, LEARNERS)
    again, warm = _queries(client, LEARNERS)
    assert _names(again) == _names(first) == ["late", "ontrack"]
    # Neither counted nor read again.
    assert [sql for sql in cold if '"onboarding_enrolment"' in sql]
    assert not [sql for sql in warm if '"onboarding_enrolment"' in sql]
    assert again.context["paginator"].count == 2
    # Another page, order or filter is a page of its own.
    by_name, _count = _queries(client, LEARNERS, ordering="user__last_name")
    assert by_name.context["ordering"] == "user__last_name"
    # Progress: the late learner is excused from both modules and done.
    for progress in ModuleProgress.objects.filter(enrolment__user=late):
        services.module_excuse(by=hr, progress=progress, reason="Did it at a previous job")
    kept_lookups.commit()
    after, read = _queries(client, LEARNERS)
    row = next(row for row in after.context["object_list"] if row.user_id == late.pk)
    assert row.done == row.total == 2 and row.days_overdue == 0
    # Read anew, but not counted again: progress does not change who is enrolled.
    assert [sql for sql in read if '"onboarding_enrolment"' in sql]
    assert not [sql for sql in read if "COUNT(*)" in sql]
    # A new enrolment is counted.
    _learner("new@example.com", department=department, days_ago=1, programme_page=genesis)
    kept_lookups.commit()
    more, _sql = _queries(client, LEARNERS)
    assert more.context["paginator"].count == 3 and "new" in _names(more)
    # A person renamed is shown by their new name.
    late.first_name = "punctual"
    late.save()
    kept_lookups.commit()
    renamed, _count = _queries(client, LEARNERS)
    assert "punctual" in _names(renamed)


def test_a_manager_sees_only_their_own_reports(client, boss, genesis, department, hr):
    mine = _learner(
        "mine@example.com", department=department, days_ago=9, manager=boss, programme_page=genesis
    )
    theirs = _learner(
        "theirs@example.com", department=department, days_ago=9, programme_page=genesis
    )
    client.force_login(boss)
    response = client.get(LEARNERS)
    assert response.status_code == 200
    assert _names(response) == ["mine"]
    assert client.get(reverse("onboarding_learner", args=[mine.pk])).status_code == 200
    assert _refused(client.get(reverse("onboarding_learner", args=[theirs.pk])))
    funnel = client.get(reverse("onboarding_funnel"))
    assert [step.count for step in funnel.context["steps"]][0] == 1
    # A manager follows, nudges, but does not change anyone's onboarding.
    progress = ModuleProgress.objects.filter(enrolment__user=mine).first()
    assert _refused(client.get(reverse("onboarding_extend", args=[progress.pk])))
    assert _refused(client.get(reverse("onboarding_excuse", args=[progress.pk])))
    assert _refused(client.get(reverse("onboarding_enrol", args=[mine.pk])))
    their_enrolment = Enrolment.objects.get(user=theirs)
    client.post(reverse("onboarding_nudge", args=[their_enrolment.pk]))
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:nudge").exists()
    client.post(reverse("onboarding_nudge", args=[Enrolment.objects.get(user=mine).pk]))
    assert OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:nudge").count() == 1


def test_someone_who_manages_nobody_and_is_not_hr_sees_nothing(client, new_hire, genesis):
    client.force_login(new_hire)
    assert client.get(LEARNERS).status_code == 403  # no admin access at all
    assert client.get(reverse("onboarding_funnel")).status_code == 403


def test_hr_moves_a_due_date_and_excuses_with_the_reason_kept(client, hr, genesis, department):
    learner = _learner("l@example.com", department=department, days_ago=10, programme_page=genesis)
    first, second = ModuleProgress.objects.filter(enrolment__user=learner).order_by("position")
    client.force_login(hr)
    page = client.get(reverse("onboarding_learner", args=[learner.pk]))
    assert page.status_code == 200 and b"Move the due date" in page.content
    url = reverse("onboarding_extend", args=[first.pk])
    new_date = timezone.localdate() + datetime.timedelta(days=5)
    # No reason: a clear error where it was typed, the date kept.
    response = client.post(url, {"due_on": new_date.isoformat(), "reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert response.context["form"]["due_on"].value() == new_date.isoformat()
    response = client.post(url, {"due_on": new_date.isoformat(), "reason": "Was on leave"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.due_on == new_date and first.change_reason == "Was on leave"
    assert first.changed_by == hr
    client.post(reverse("onboarding_excuse", args=[first.pk]), {"reason": "Knows it"})
    client.post(reverse("onboarding_excuse", args=[second.pk]), {"reason": "Not for the role"})
    second.refresh_from_db()
    assert second.excused_at is not None and second.change_reason == "Not for the role"
    # The learner's page says why, and who.
    page = client.get(reverse("onboarding_learner", args=[learner.pk])).content.decode()
    assert f"Not for the role ({hr})" in page
    # Every module done or excused: the programme is complete, and the dashboard says so.
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.completed_at is not None
    assert (enrolment.modules_done, enrolment.modules_total, enrolment.next_due_on) == (2, 2, None)
    again = client.post(
        reverse("onboarding_extend", args=[second.pk]), {"due_on": new_date, "reason": "x"}
    )
    assert again.status_code == 200 and again.context["form"].errors


def test_hr_enrols_by_hand_with_a_reason(client, hr, genesis, department):
    veteran = UserFactory(email="veteran@example.com", department=department)
    Profile.objects.filter(user=veteran).update(start_date=datetime.date(2020, 1, 6))
    client.force_login(hr)
    url = reverse("onboarding_enrol", args=[veteran.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"programme": genesis.pk, "reason": "Moved to Support"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=veteran)
    assert enrolment.reason == "Moved to Support" and enrolment.enrolled_by == hr
    twice = client.post(url, {"programme": genesis.pk, "reason": "Again"})
    assert twice.status_code == 200 and twice.context["form"].errors["programme"]


def test_the_nudge_sends_once_a_day(client, hr, genesis, department):
    learner = _learner("n@example.com", department=department, days_ago=3, programme_page=genesis)
    enrolment = Enrolment.objects.get(user=learner)
    client.force_login(hr)
    assert _refused(client.get(reverse("onboarding_nudge", args=[enrolment.pk])))
    response = client.post(reverse("onboarding_nudge", args=[enrolment.pk]), {"next": LEARNERS})
    assert response.status_code == 302 and response["Location"] == LEARNERS
    (message,) = OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:nudge")
    assert "asks you to continue" in message.text and "Our history" in message.text
    client.post(reverse("onboarding_nudge", args=[enrolment.pk]), {"next": "https://evil.example"})
    assert OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:nudge").count() == 1


def test_funnel_and_hardest_questions(client, hr, genesis, department):
    people = [
        _learner(f"f{i}@example.com", department=department, days_ago=3, programme_page=genesis)
        for i in range(4)
    ]
    first_module = ModuleProgress.objects.filter(enrolment__user=people[0]).first()
    ModuleProgress.objects.filter(enrolment__user__in=people[:3], position=0).update(
        completed_at=timezone.now()
    )
    easy = {
        "question": "Easy",
        "kind": "single",
        "lesson_anchor": "",
        "answers": [
            {"text": "a", "correct": True, "explanation": ""},
            {"text": "b", "correct": False, "explanation": ""},
        ],
    }
    hard = {**easy, "question": "Hard"}
    for i, person in enumerate(people):
        QuizAttempt.objects.create(
            user=person,
            module_key=first_module.module_key,
            module=first_module.module,
            quiz_id="q",
            title="Quiz",
            number=1,
            questions=[easy, hard],
            answers=[[0], [0] if i == 0 else [1]],
            pass_mark=50,
            score=50,
            passed=True,
            submitted_at=timezone.now(),
        )
    client.force_login(hr)
    response = client.get(reverse("onboarding_funnel"))
    assert response.status_code == 200
    assert [(s.count, s.share) for s in response.context["steps"]] == [
        (4, 100),
        (3, 75),
        (0, 0),
        (0, 0),
    ]
    questions = response.context["questions"]
    assert [(q.text, q.rate) for q in questions] == [("Hard", 25), ("Easy", 100)]


def test_the_dashboard_exports(client, hr, genesis, department):
    _learner(
        "=cmd@example.com", department=department, days_ago=9, failed=1, programme_page=genesis
    )
    client.force_login(hr)
    csv = client.get(LEARNERS, {"export": "csv"})
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "Risk" in text.splitlines()[0]
    assert "'=cmd@example.com" in text
    xlsx = client.get(LEARNERS, {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_learners_page_and_the_funnel_cost_the_same_for_more_rows(
    client, hr, genesis, department
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    learner = _learner(
        "rows@example.com", department=department, days_ago=9, failed=1, programme_page=genesis
    )
    client.force_login(hr)
    page = reverse("onboarding_learner", args=[learner.pk])
    funnel = reverse("onboarding_funnel")

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries(page), queries(funnel)
    first, second = ModuleProgress.objects.filter(enrolment__user=learner).order_by("position")
    client.post(reverse("onboarding_excuse", args=[first.pk]), {"reason": "Knows it"})
    client.post(
        reverse("onboarding_extend", args=[second.pk]),
        {"due_on": timezone.localdate().isoformat(), "reason": "On leave"},
    )
    module(genesis, "Talking to customers", due_day=6)
    onboarding_enrol(user=learner, programme=genesis)
    for i in range(4):
        _learner(
            f"funnel{i}@example.com",
            department=department,
            days_ago=i,
            failed=i,
            programme_page=genesis,
        )
    content = client.get(page).content.decode()
    assert "Knows it" in content and "On leave" in content
    assert (queries(page), queries(funnel)) == few


def test_excusing_without_a_reason_is_refused_where_it_was_typed(client, hr, genesis, department):
    learner = _learner("why@example.com", department=department, days_ago=3, programme_page=genesis)
    progress = ModuleProgress.objects.filter(enrolment__user=learner).first()
    client.force_login(hr)
    response = client.post(reverse("onboarding_excuse", args=[progress.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    progress.refresh_from_db()
    assert progress.excused_at is None
