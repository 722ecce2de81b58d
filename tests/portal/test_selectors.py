import datetime

import pytest

from portal.models import Profile
from portal.selectors import greeting_for, home_sections

pytestmark = pytest.mark.django_db

# 23:30 UTC is 08:30 the next morning in Seoul and 18:30 in New York.
LATE_UTC = datetime.datetime(2026, 11, 23, 23, 30, tzinfo=datetime.UTC)


def test_greeting_follows_the_persons_local_time(new_hire):
    profile = Profile.objects.select_related("department").get(user=new_hire)
    assert greeting_for(user=new_hire, profile=profile, now=LATE_UTC) == "Good morning, New Hire"
    profile.timezone = "America/New_York"
    assert greeting_for(user=new_hire, profile=profile, now=LATE_UTC) == "Good evening, New Hire"
    noon_utc = LATE_UTC.replace(hour=12)
    assert greeting_for(user=new_hire, profile=None, now=noon_utc) == "Good afternoon, New Hire"


def test_home_sections_are_the_places_in_order(new_hire, django_assert_max_num_queries):
    # The profile, then one query for each place with rows (today's voice, my onboarding, the
    # principles to acknowledge, latest stories, my stories, my open concerns, my
    # department's concerns)
    # and four for the person's rights
    # (permissions, groups, and whether they manage anyone, which decide what is masked and
    # whether they open the admin; every page reads them for its navigation anyway), when
    # nothing is kept in the shared cache yet (portal/lookups.py).
    with django_assert_max_num_queries(12):
        context = home_sections(user=new_hire)
    # tests/door_app adds its own place after the portal's and the apps'.
    assert [s.key for s in context["sections"]] == [
        "voice",
        "onboarding",
        "principles",
        "stories",
        "my_stories",
        "my_concerns",
        "concerns",
        "door",
    ]
    assert all(s.items == [] and s.empty for s in context["sections"][:7])
    assert context["department"].name == "Customer Support"


def test_the_concerns_place_names_the_department_or_says_there_is_none(new_hire, outsider):
    def concerns(user):
        [section] = [s for s in home_sections(user=user)["sections"] if s.key == "concerns"]
        return section.empty

    assert concerns(new_hire) == "No concerns are open for Customer Support."
    assert concerns(outsider) == "You are not in a department yet. Ask HR to add you to one."
