"""Reads for concern pages: filters, sorting, search, timelines, home places; masking helpers."""

from __future__ import annotations

import pytest

from stories.models import Concern
from stories.selectors import concern as selectors
from stories.services import concern as services
from stories.services import concern_triage
from tests.factories import DepartmentFactory, UserFactory
from tests.stories.test_concern_services import file_concern

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing(db):
    return DepartmentFactory(name="Billing", slug="billing", timezone="America/New_York")


def pks(queryset) -> list[int]:
    return [concern.pk for concern in queryset]


def test_sorting_by_severity_state_due_and_title(ambassador, department, cx_lead):
    low = file_concern(ambassador, department=department, title="B low", severity="low")
    critical = file_concern(ambassador, department=department, title="C crit", severity="critical")
    medium = file_concern(ambassador, department=department, title="A medium")
    services.concern_acknowledge(user=cx_lead, concern=medium)
    Concern.objects.filter(pk=low.pk).update(due_at=None)
    listed = selectors.concern_list
    assert pks(listed(user=ambassador, sort="severity")) == [critical.pk, medium.pk, low.pk]
    assert pks(listed(user=ambassador, sort="-severity")) == [low.pk, medium.pk, critical.pk]
    assert pks(listed(user=ambassador, sort="title")) == [medium.pk, low.pk, critical.pk]
    assert pks(listed(user=ambassador, sort="-filed")) == [medium.pk, critical.pk, low.pk]
    assert pks(listed(user=ambassador, sort="state"))[-1] == medium.pk
    # No due date goes last either way.
    assert pks(listed(user=ambassador, sort="due"))[-1] == low.pk
    assert pks(listed(user=ambassador, sort="-due"))[-1] == low.pk
    assert pks(listed(user=ambassador, sort="nonsense")) == pks(listed(user=ambassador))


def test_mine_is_what_i_filed_or_follow(ambassador, new_hire, department):
    filed = file_concern(new_hire, department=department, title="Filed")
    followed = file_concern(ambassador, department=department, title="Followed")
    file_concern(ambassador, department=department, title="Neither")
    services.concern_follow(user=new_hire, concern=followed)
    assert set(pks(selectors.concern_list(user=new_hire, mine=True))) == {filed.pk, followed.pk}


def test_search_uses_the_index_and_the_title(ambassador, department):
    by_words = file_concern(
        ambassador, department=department, title="Checkout", description="gateway timeout"
    )
    by_title = file_concern(ambassador, department=department, title="환불이 늦어요")
    file_concern(ambassador, department=department, title="Other", description="nothing")
    assert pks(selectors.concern_list(user=ambassador, q="gateway")) == [by_words.pk]
    assert pks(selectors.concern_list(user=ambassador, q="환불")) == [by_title.pk]


def test_the_timeline_hides_internal_lines_from_others(ambassador, new_hire, cx_lead, billing):
    concern = file_concern(new_hire, department=billing)
    services.concern_add_note(user=cx_lead, concern=concern, note="inside", internal=True)
    services.concern_add_note(user=cx_lead, concern=concern, note="outside", internal=False)
    assert [e.note for e in selectors.concern_timeline(concern=concern, user=cx_lead)] == [
        "",
        "inside",
        "outside",
    ]
    assert [e.note for e in selectors.concern_timeline(concern=concern, user=new_hire)] == [
        "",
        "outside",
    ]
    member = UserFactory(email="biller@example.com", department=billing)
    concern_triage.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=billing.pk)
    concern.refresh_from_db()
    assert "inside" in [e.note for e in selectors.concern_timeline(concern=concern, user=member)]


def test_shown_masks_for_everyone_but_cx_and_the_owner(new_hire, cx_lead, billing, department):
    concern = file_concern(
        new_hire, department=department, title="x@example.com", customer_reference="REF-1"
    )
    member = UserFactory(email="biller@example.com", department=billing)
    assert selectors.shown(new_hire, concern, concern.title) == "[email hidden]"
    assert selectors.shown(cx_lead, concern, concern.title) == "x@example.com"
    assert selectors.shown_reference(member, concern) == "[hidden]"
    concern_triage.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=billing.pk)
    assert selectors.shown_reference(member, concern) == "REF-1"


def test_department_and_personal_places(ambassador, new_hire, department, billing, cx_lead):
    seen = file_concern(ambassador, department=department, title="Seen")
    owned = file_concern(ambassador, department=billing, title="Owned")
    services.concern_set_owner(user=cx_lead, concern=owned, owner_department_id=department.pk)
    file_concern(ambassador, department=billing, title="Elsewhere")
    closed = file_concern(ambassador, department=department, title="Closed")
    services.concern_decline(user=cx_lead, concern=closed, reason="No")
    assert pks(selectors.department_concerns(department_id=department.pk)) == [owned.pk, seen.pk]
    assert pks(selectors.department_concerns(department_id=department.pk, limit=1)) == [owned.pk]
    services.concern_follow(user=new_hire, concern=seen)
    assert pks(selectors.my_open_concerns(user=new_hire)) == [seen.pk]
    assert len(selectors.concerns_filed_by(user=ambassador)) == 4


def test_you_said_we_did_keeps_fixed_systemic_ones_only(ambassador, department, cx_lead):
    fixed = file_concern(ambassador, department=department, title="Fixed")
    declined = file_concern(ambassador, department=department, title="Declined")
    for concern in (fixed, declined):
        services.concern_acknowledge(user=cx_lead, concern=concern)
        services.concern_classify(user=cx_lead, concern=concern, kind="systemic")
    services.concern_resolve(user=cx_lead, concern=fixed, what_we_did="Changed it")
    services.concern_decline(user=cx_lead, concern=declined, reason="No")
    services.concern_close(user=cx_lead, concern=declined)
    assert pks(selectors.you_said_we_did()) == [fixed.pk]
    services.concern_close(user=cx_lead, concern=fixed)
    assert pks(selectors.you_said_we_did()) == [fixed.pk]


def test_assignable_people_and_department_members(ambassador, billing, department):
    member = UserFactory(email="biller@example.com", department=billing)
    assert list(selectors.department_members(department_id=billing.pk)) == [member]
    people = list(selectors.assignable_people())
    assert member in people and ambassador in people
    assert all(person.profile.department_id for person in people)


def test_places_come_from_the_filters_choices_without_a_query(
    ambassador, department, billing, cx_lead, django_assert_num_queries
):
    concern = file_concern(ambassador, department=department, title="Where was it")
    concern_triage.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=billing.pk)
    departments, touchpoints = selectors.filter_choices()
    [listed] = list(selectors.concern_list(user=ambassador))
    with django_assert_num_queries(0):
        selectors.attach_places([listed], departments, touchpoints)
        assert listed.department.name == department.name
        assert listed.owner_department.name == "Billing"
        assert listed.touchpoint.pk == concern.touchpoint_id
    # One not in the lists (made since they were read) is read when it is used.
    [again] = list(selectors.concern_list(user=ambassador))
    selectors.attach_places([again], [department], touchpoints)
    with django_assert_num_queries(1):
        assert again.owner_department.name == "Billing"


def test_home_places_are_kept_until_a_concern_or_a_follower_changes(
    kept_lookups, ambassador, new_hire, department, django_assert_num_queries
):
    first = file_concern(ambassador, department=department, title="First")
    kept_lookups.commit()
    assert pks(selectors.department_concerns(department_id=department.pk)) == [first.pk]
    assert pks(selectors.my_open_concerns(user=new_hire)) == []
    with django_assert_num_queries(0):
        selectors.department_concerns(department_id=department.pk)
        selectors.my_open_concerns(user=new_hire)
    services.concern_follow(user=new_hire, concern=first)
    kept_lookups.commit()
    assert pks(selectors.my_open_concerns(user=new_hire)) == [first.pk]
    second = file_concern(ambassador, department=department, title="Second")
    kept_lookups.commit()
    assert pks(selectors.department_concerns(department_id=department.pk)) == [
        second.pk,
        first.pk,
    ]
