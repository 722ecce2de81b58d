"""The directory's reads: coverage grid, gaps, cards with counts, terms ending soon."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ambassadors.selectors import ambassador_directory, initials_of, terms_ending_soon
from tests.ambassadors.conftest import appoint, bulk_appoint, bulk_people, concern, story
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_grid_covers_every_department_and_touchpoint_and_counts_gaps(
    outsider, department, touchpoints, today
):
    billing = DepartmentFactory(name="Accounts", slug="accounts")
    appoint(outsider, department, touchpoints[:2], starts_on=today, ends_on=today)
    # Ended and not yet begun terms cover nothing.
    appoint(UserFactory(), billing, touchpoints, starts_on=today - DAY * 5, ends_on=today - DAY)
    appoint(UserFactory(), billing, touchpoints, starts_on=today + DAY, ends_on=today + DAY * 5)
    directory = ambassador_directory(today=today)
    assert [row.department for row in directory.rows] == [billing, department]
    assert directory.touchpoints == touchpoints
    support_row = directory.rows[1]
    assert [cell.names for cell in support_row.cells] == [
        ["Outsider Tester"],
        ["Outsider Tester"],
        [],
    ]
    assert directory.gap_count == 4  # all three in Accounts, billing in Support
    assert directory.cell_count == 6
    assert [card.name for card in directory.cards] == ["Outsider Tester"]


def test_deactivated_people_are_not_shown(department, touchpoints, today):
    gone = UserFactory(is_active=False)
    appoint(gone, department, touchpoints, starts_on=today, ends_on=today)
    directory = ambassador_directory(today=today)
    assert directory.cards == []
    assert directory.gap_count == 3


def test_card_counts_published_stories_and_filed_concerns(
    outsider, ambassador, department, touchpoints, today
):
    appoint(outsider, department, touchpoints[1:], starts_on=today, ends_on=today + DAY)
    now = timezone.now()
    story(outsider, touchpoints[0], published_at=now)
    story(outsider, touchpoints[0], published_at=now)
    story(outsider, touchpoints[0], live=False)
    story(ambassador, touchpoints[0], published_at=now)
    concern(outsider, touchpoints[0], department)
    concern(ambassador, touchpoints[0], department)
    (card,) = ambassador_directory(today=today).cards
    assert (card.stories_published, card.concerns_filed) == (2, 1)
    assert card.touchpoints == touchpoints[1:]
    assert card.initials == "OT"
    assert card.avatar_url == ""
    assert (card.starts_on, card.ends_on) == (today, today + DAY)


def test_card_uses_the_wagtail_avatar(outsider, department, touchpoints, today, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.users.models import UserProfile

    settings.MEDIA_ROOT = str(tmp_path)
    profile = UserProfile.get_for_user(outsider)
    profile.avatar.save("face.png", ContentFile(b"not really a png"), save=True)
    appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    (card,) = ambassador_directory(today=today).cards
    assert card.avatar_url.startswith("/media/") and card.avatar_url.endswith(".png")


def test_initials():
    assert initials_of(UserFactory.build(first_name="mina", last_name="park")) == "MP"
    assert initials_of(UserFactory.build(first_name="", last_name="", email="x@example.com")) == "X"


def test_directory_costs_the_same_for_10_or_200_ambassadors(
    department, touchpoints, today, django_assert_max_num_queries
):
    def add(count):
        people = bulk_people(count, department)
        bulk_appoint(people, department, touchpoints, starts_on=today, ends_on=today)

    add(10)
    with django_assert_max_num_queries(4):
        assert len(ambassador_directory(today=today).cards) == 10
    add(190)
    with django_assert_max_num_queries(4):
        assert len(ambassador_directory(today=today).cards) == 200


def test_terms_ending_soon(outsider, new_hire, department, touchpoints, today):
    soon = appoint(outsider, department, touchpoints, starts_on=today, ends_on=today + DAY * 14)
    later = appoint(new_hire, department, touchpoints, starts_on=today, ends_on=today + DAY * 15)
    assert list(terms_ending_soon(today=today)) == [soon]
    assert list(terms_ending_soon(today=today + DAY)) == [soon, later]
    assert list(terms_ending_soon(today=today + DAY * 15)) == [later]
    assert list(terms_ending_soon(today=today + DAY * 16)) == []
