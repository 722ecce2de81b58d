"""The directory and recognition pages as people see them, and the doors into the portal."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.ambassadors.conftest import (
    appoint,
    bulk_appoint,
    bulk_people,
    bulk_stories,
    fixed_systemic,
    story,
)
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- directory ---------------------------------------------------------------------------


def test_directory_shows_the_grid_gaps_and_cards(
    client, outsider, new_hire, department, touchpoints, today
):
    appoint(outsider, department, touchpoints[:2], starts_on=today - DAY, ends_on=today + DAY * 30)
    story(outsider, touchpoints[0], published_at=timezone.now())
    body = page(client, new_hire, "/ambassadors/")
    assert "<h1>Ambassadors</h1>" in body
    assert "1 gap: one department and touchpoint has no ambassador." in body
    assert '<span class="badge badge-warning">Gap</span>' in body
    assert "no ambassador for Billing in Customer Support" in body
    assert body.count("<li>Outsider Tester</li>") == 2
    assert '<span class="ambassador-initials" aria-hidden="true">OT</span>' in body
    assert "1 active ambassador" in body
    assert "<dt>Stories published</dt><dd>1</dd>" in body
    assert "<dt>Concerns filed</dt><dd>0</dd>" in body
    assert 'href="/recognition/"' in body


def test_directory_with_full_coverage_says_so(client, outsider, department, touchpoints, today):
    appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    body = page(client, outsider, "/ambassadors/")
    assert "No gaps: every department has an ambassador at every touchpoint." in body


def test_directory_empty_states(client, outsider, department):
    body = page(client, outsider, "/ambassadors/")
    assert "There is nothing to cover yet" in body
    assert "Nobody is appointed at the moment." in body
    assert "0 active ambassadors" in body


def test_directory_escapes_names(client, outsider, touchpoints, today):
    sneaky = DepartmentFactory(name="<b>Ops</b>", slug="ops")
    person = UserFactory(first_name="<script>alert(1)</script>", last_name="Kim")
    appoint(person, sneaky, touchpoints[:1], starts_on=today, ends_on=today)
    body = page(client, outsider, "/ambassadors/")
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kim" in body
    assert "<b>Ops</b>" not in body
    assert "&lt;b&gt;Ops&lt;/b&gt;" in body


def test_directory_speaks_korean_touchpoint_names(client, outsider, department, touchpoints):
    outsider.profile.language = "ko"
    outsider.profile.save()
    client.force_login(outsider)
    session = client.session
    session["portal_language"] = "ko"
    session.save()
    body = client.get("/ambassadors/").content.decode()
    assert "영업" in body


def test_directory_costs_the_same_for_10_or_200_ambassadors(
    client, outsider, department, touchpoints, today, django_assert_max_num_queries
):
    def add(count):
        people = bulk_people(count, department)
        bulk_appoint(people, department, touchpoints[:2], starts_on=today, ends_on=today)

    client.force_login(outsider)
    client.get("/ambassadors/")  # the first page view makes the site's settings row
    add(10)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/ambassadors/").status_code == 200
    add(190)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/ambassadors/").content.decode()
    assert "200 active ambassadors" in body


def test_nav_has_ambassadors(client, outsider):
    body = page(client, outsider, "/profile/")
    assert '<a href="/ambassadors/">Ambassadors</a>' in body
    body = page(client, outsider, "/ambassadors/")
    assert '<a href="/ambassadors/" aria-current="page">Ambassadors</a>' in body


# --- recognition -------------------------------------------------------------------------


def test_recognition_defaults_to_this_month_with_a_link_back(client, outsider, today):
    body = page(client, outsider, "/recognition/")
    month = today.replace(day=1)
    previous = (month - DAY).replace(day=1)
    assert f'href="?month={previous:%Y-%m}" rel="prev"' in body
    assert 'rel="next"' not in body
    assert "No story was published and no concern was fixed at its root in this month." in body
    assert "Badges and how to earn them" in body


def test_recognition_of_a_past_month(client, outsider, department, touchpoints):
    mina = UserFactory(first_name="Mina", last_name="<i>Park</i>", department=department)
    when = timezone.make_aware(datetime.datetime(2025, 6, 10, 12))
    story(mina, touchpoints[0], published_at=when)
    fixed_systemic(mina, touchpoints[0], department, resolved_at=when)
    body = page(client, outsider, "/recognition/?month=2025-06")
    assert "Recognition: June 2025" in body
    assert 'href="?month=2025-05" rel="prev"' in body
    assert 'href="?month=2025-07" rel="next"' in body
    assert "Mina &lt;i&gt;Park&lt;/i&gt;" in body
    assert '<span class="badge badge-success">Root-cause fixer</span>' in body
    assert '<th scope="row">Customer Support</th>' in body


def test_a_bad_month_says_so_and_shows_this_month(client, outsider, today):
    body = page(client, outsider, "/recognition/?month=<b>2025-13</b>")
    assert "is not a month written as YYYY-MM" in body
    assert "&lt;b&gt;2025-13&lt;/b&gt;" in body
    assert "<b>2025-13</b>" not in body
    assert f"Recognition: {today:%B %Y}" in body


def test_recognition_costs_the_same_for_many_people(
    client, outsider, department, touchpoints, today, django_assert_max_num_queries
):
    when = timezone.now()

    def add(count):
        bulk_stories(bulk_people(count, department), touchpoints[0], published_at=when)

    client.force_login(outsider)
    client.get("/recognition/")  # the first page view makes the site's settings row
    add(10)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/recognition/").status_code == 200
    add(190)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/recognition/").status_code == 200


def test_only_get(client, outsider):
    client.force_login(outsider)
    assert client.post("/ambassadors/").status_code == 405
    assert client.post("/recognition/").status_code == 405


# --- profile badges ----------------------------------------------------------------------


def test_profile_shows_an_honest_empty_badge_section(client, outsider):
    body = page(client, outsider, "/profile/")
    assert "My badges" in body
    assert "No badges yet. The first comes with your first published customer story" in body


def test_profile_shows_earned_badges(client, outsider, touchpoints):
    story(outsider, touchpoints[0], published_at=timezone.now())
    body = page(client, outsider, "/profile/")
    assert '<span class="badge badge-success">First story</span> Your first customer story' in body
    assert "Ten stories</span>" not in body
