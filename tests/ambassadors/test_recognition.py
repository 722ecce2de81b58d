"""The monthly ranking (stories published, systemic fixes) and badges."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ambassadors import recognition
from stories.models import Concern
from tests.ambassadors.conftest import bulk_people, bulk_stories, concern, fixed_systemic, story
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
TODAY = datetime.date(2026, 5, 17)


def at(day: int, month: int = 3, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, hour))


# --- months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", (datetime.date(2026, 5, 1), True)),
        (None, (datetime.date(2026, 5, 1), True)),
        ("2026-03", (MARCH, True)),
        (" 2025-12 ", (datetime.date(2025, 12, 1), True)),
        ("2026-13", (datetime.date(2026, 5, 1), False)),
        ("2026-00", (datetime.date(2026, 5, 1), False)),
        ("0000-01", (datetime.date(2026, 5, 1), False)),
        ("March", (datetime.date(2026, 5, 1), False)),
        ("2026-03-01", (datetime.date(2026, 5, 1), False)),
        ("<script>", (datetime.date(2026, 5, 1), False)),
    ],
)
def test_parse_month(value, expected):
    assert recognition.parse_month(value, today=TODAY) == expected


def test_months_around_the_new_year():
    assert recognition.next_month(datetime.date(2025, 12, 1)) == datetime.date(2026, 1, 1)
    assert recognition.previous_month(datetime.date(2026, 1, 1)) == datetime.date(2025, 12, 1)
    start, end = recognition.month_bounds(datetime.date(2026, 2, 1))
    assert (end - start).days == 28


def test_no_next_link_past_this_month():
    this = recognition.monthly_recognition(month=datetime.date(2026, 5, 1), today=TODAY)
    assert this.next is None and this.previous == datetime.date(2026, 4, 1)
    assert recognition.monthly_recognition(month=MARCH, today=TODAY).next == datetime.date(
        2026, 4, 1
    )


# --- the ranking -------------------------------------------------------------------------


@pytest.fixture
def people(department):
    sales = DepartmentFactory(name="Sales", slug="sales")
    return {
        "mina": UserFactory(first_name="Mina", last_name="Park", department=department),
        "jun": UserFactory(first_name="Jun", last_name="Lee", department=sales),
        "ada": UserFactory(first_name="Ada", last_name="Byron", department=department),
        "sol": UserFactory(first_name="Sol", last_name="Kim"),  # no department
    }


def test_ranks_people_and_departments_by_stories_and_fixes(people, department, touchpoints):
    mina, jun, ada, sol = people["mina"], people["jun"], people["ada"], people["sol"]
    touchpoint = touchpoints[0]
    # Stories: Mina 2 in March (one more in April, one unpublished), Jun 1.
    story(mina, touchpoint, published_at=at(1, hour=0))
    story(mina, touchpoint, published_at=at(31, hour=23))
    story(mina, touchpoint, published_at=at(1, month=4, hour=0))
    story(mina, touchpoint, live=False)
    story(jun, touchpoint, published_at=at(10))
    # Fixes: Ada filed a systemic concern fixed in March; Jun and Sol filed duplicates merged
    # into it; Sol filed two duplicates of it (one fix still); Jun's own concern was fixed
    # in February, and an individual one resolved in March does not count.
    fix = fixed_systemic(ada, touchpoint, department, resolved_at=at(20))
    concern(jun, touchpoint, department, merged_into=fix, state=Concern.State.CLOSED)
    concern(sol, touchpoint, department, merged_into=fix, state=Concern.State.CLOSED)
    concern(sol, touchpoint, department, merged_into=fix, state=Concern.State.CLOSED)
    fixed_systemic(jun, touchpoint, department, resolved_at=at(27, month=2))
    concern(
        jun,
        touchpoint,
        department,
        kind=Concern.Kind.INDIVIDUAL,
        state=Concern.State.RESOLVED,
        resolved_at=at(21),
    )
    # Closed after resolving counts; won't fix does not.
    fixed_systemic(mina, touchpoint, department, resolved_at=at(22), state=Concern.State.CLOSED)
    fixed_systemic(ada, touchpoint, department, resolved_at=at(23), state=Concern.State.WONT_FIX)

    result = recognition.monthly_recognition(month=MARCH, today=TODAY)
    rows = [(p.rank, p.name, p.stories, p.fixes) for p in result.people]
    assert rows == [
        (1, "Mina Park", 2, 1),
        (2, "Jun Lee", 1, 1),
        (3, "Ada Byron", 0, 1),
        (3, "Sol Kim", 0, 1),
    ]
    by_name = {p.name: p for p in result.people}
    assert [b.key for b in by_name["Mina Park"].badges] == ["first_story", "root_cause_fixer"]
    assert by_name["Sol Kim"].department is None
    departments = [(d.rank, d.name, d.people, d.stories, d.fixes) for d in result.departments]
    assert departments == [(1, "Customer Support", 2, 2, 2), (2, "Sales", 1, 1, 1)]


def test_an_empty_month(department):
    result = recognition.monthly_recognition(month=MARCH, today=TODAY)
    assert result.people == [] and result.departments == []


def test_ranking_costs_the_same_for_many_people(
    department, touchpoints, django_assert_max_num_queries
):
    def add(count):
        people = bulk_people(count, department)
        bulk_stories(people, touchpoints[0], published_at=at(5))
        for person in people[:5]:
            fixed_systemic(person, touchpoints[0], department, resolved_at=at(6))

    add(10)
    with django_assert_max_num_queries(3):
        assert len(recognition.monthly_recognition(month=MARCH, today=TODAY).people) == 10
    add(190)
    with django_assert_max_num_queries(3):
        assert len(recognition.monthly_recognition(month=MARCH, today=TODAY).people) == 200


# --- badges ------------------------------------------------------------------------------


def keys(user):
    return [badge.key for badge in recognition.badges_for(user=user)]


def test_no_badges_at_first(outsider):
    assert keys(outsider) == []


def test_story_badges(outsider, touchpoints):
    story(outsider, touchpoints[0], live=False)
    assert keys(outsider) == []
    story(outsider, touchpoints[0], published_at=at(2))
    assert keys(outsider) == ["first_story"]
    for _ in range(8):
        story(outsider, touchpoints[0], published_at=at(3))
    assert keys(outsider) == ["first_story"]
    story(outsider, touchpoints[0], published_at=at(4))
    assert keys(outsider) == ["first_story", "ten_stories"]


def test_root_cause_fixer(outsider, new_hire, department, touchpoints):
    touchpoint = touchpoints[0]
    # Open systemic, and an individual concern resolved: not yet.
    concern(outsider, touchpoint, department, kind=Concern.Kind.SYSTEMIC)
    concern(
        outsider,
        touchpoint,
        department,
        kind=Concern.Kind.INDIVIDUAL,
        state=Concern.State.RESOLVED,
        resolved_at=at(2),
    )
    assert keys(outsider) == []
    fixed = fixed_systemic(outsider, touchpoint, department, resolved_at=at(3))
    assert keys(outsider) == ["root_cause_fixer"]
    # A duplicate merged into a fixed systemic concern earns it too.
    concern(new_hire, touchpoint, department, merged_into=fixed, state=Concern.State.CLOSED)
    assert keys(new_hire) == ["root_cause_fixer"]


def test_badges_cost_one_query(outsider, django_assert_num_queries):
    with django_assert_num_queries(1):
        recognition.badges_for(user=outsider)
