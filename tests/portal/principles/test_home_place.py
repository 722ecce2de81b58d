"""The home page's "principles to acknowledge": what it lists, and at most two queries
whatever the number of principles, in either language."""

from __future__ import annotations

import pytest
from django.utils import translation

from portal.home import principles_section
from portal.models import Profile
from portal.principles.models import Principle
from portal.principles.services import principle_acknowledge
from tests.portal.principles.helpers import principle, translate

pytestmark = pytest.mark.django_db


def _place(user, django_assert_max_num_queries, language="en"):
    profile = Profile.objects.select_related("department").get(user=user)
    with translation.override(language), django_assert_max_num_queries(2):
        return principles_section(user=user, profile=profile)


@pytest.mark.parametrize("count", [1, 12])
def test_two_queries_whatever_the_number(new_hire, django_assert_max_num_queries, count):
    pages = [principle(f"Principle {n}", f"Statement {n}.") for n in range(count)]
    for page in pages[: count // 2]:
        translate(page, title=f"원칙 {page.pk}", statement=f"원칙 문장 {page.pk}.")
    place = _place(new_hire, django_assert_max_num_queries)
    assert len(place.items) == count
    korean = _place(new_hire, django_assert_max_num_queries, language="ko")
    assert sum(item.text.startswith("원칙") for item in korean.items) == count // 2


def test_it_lists_what_is_pending_and_marks_a_changed_one(new_hire, django_assert_max_num_queries):
    done = principle("Done", "Acknowledged already.")
    principle("Waiting", "Still to acknowledge.")
    principle_acknowledge(
        user=new_hire,
        principle=Principle.objects.get(translation_key=done.translation_key),
        version=1,
    )
    place = _place(new_hire, django_assert_max_num_queries)
    assert [item.text for item in place.items] == ["Waiting"]
    assert place.items[0].badge == "New"
    assert place.items[0].url == "/principles/waiting/"


def test_the_index_costs_the_same_queries_with_more_principles(client, new_hire):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/principles/").status_code == 200
        return len(captured)

    client.force_login(new_hire)
    principle("First", "One.")
    client.get("/principles/")
    few = queries()
    for n in range(6):
        translate(principle(f"More {n}", f"More {n}."), title=f"더 {n}", statement=f"더 {n}.")
    assert queries() == few
