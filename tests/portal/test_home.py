import dataclasses

import pytest
from wagtail import hooks

from portal.home import HOOK, Section, sections_for
from portal.selectors import profile_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Session, user, permissions (and whether the person manages anyone), site, the reader's
# locale (Wagtail routes through the home page in their language), page and its view
# restrictions, profile, portal settings; the principles to acknowledge (one query in the
# default language, two in another); then the installed apps' places: my onboarding (one
# query; two when enrolled), latest stories, my open concerns, my department's concerns and
# whether the person is in the CX team (which decides what is masked).
QUERIES = 18


def test_a_section_is_frozen_and_has_no_link_unless_given():
    section = Section(key="k", title="T", items=[], empty="E", order=1)
    assert section.url is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        section.title = "Other"


def test_sections_come_in_order_whatever_order_the_hooks_run(new_hire):
    def first(*, user, profile):
        return Section(key="first", title="First", items=[], empty="-", order=-1)

    with hooks.register_temporarily(HOOK, first):
        keys = [s.key for s in sections_for(user=new_hire, profile=profile_for(user=new_hire))]
    assert keys[0] == "first"
    assert keys[1:] == [
        "voice",
        "onboarding",
        "principles",
        "stories",
        "my_stories",
        "my_concerns",
        "concerns",
        "door",
    ]


def test_the_home_page_costs_the_same_queries_whoever_signs_in(
    client, new_hire, django_assert_max_num_queries
):
    client.force_login(new_hire)
    client.get("/")
    with django_assert_max_num_queries(QUERIES):
        assert client.get("/").status_code == 200
    for n in range(5):
        UserFactory(
            email=f"colleague{n}@example.com", department=profile_for(user=new_hire).department
        )
    with django_assert_max_num_queries(QUERIES):
        assert client.get("/").status_code == 200
