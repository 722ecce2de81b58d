"""The home page's places for stories and concerns cost the same with 10 rows or 200."""

import pytest
from django.utils import timezone

from ambassadors.models import Touchpoint
from portal.models import Profile
from stories.models import Concern, ConcernFollower, Story
from tests.portal.test_home import QUERIES

pytestmark = pytest.mark.django_db

# The whole home page, as tests/portal/test_home.py counts it.
HOME_QUERIES = QUERIES


def _rows(n: int, *, person, department, touchpoint) -> None:
    now = timezone.now()
    stories = Story.objects.bulk_create(
        Story(
            title=f"Story {i}",
            what_happened="What happened",
            customer_words="Thank you",
            outcome="Renewed",
            touchpoint=touchpoint,
            language="en",
            submitted_by=person,
            live=True,
            first_published_at=now,
            review_status=Story.ReviewStatus.PUBLISHED,
        )
        for i in range(n)
    )
    for story in stories:
        story.departments.add(department)
    concerns = Concern.objects.bulk_create(
        Concern(
            title=f"Concern {i} <b>bold</b>",
            description="The customer at kim@example.com waited",
            touchpoint=touchpoint,
            department=department,
            owner_department=department if i % 2 else None,
            submitted_by=person,
        )
        for i in range(n)
    )
    ConcernFollower.objects.bulk_create(
        ConcernFollower(concern=concern, user=person) for concern in concerns
    )


@pytest.mark.parametrize("rows", [10, 200])
def test_home_costs_the_same_whatever_the_rows(
    client, ambassador, department, rows, django_assert_max_num_queries
):
    touchpoint = Touchpoint.objects.create(name="Support", slug="support")
    _rows(rows, person=ambassador, department=department, touchpoint=touchpoint)
    client.force_login(ambassador)
    client.get("/")
    with django_assert_max_num_queries(HOME_QUERIES):
        body = client.get("/").content.decode()
    assert "Story 0" in body or f"Story {rows - 1}" in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body
    assert "<b>bold</b>" not in body
    assert Profile.objects.get(user=ambassador).department == department
