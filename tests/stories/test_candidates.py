"""Systemic candidates: five or more similar open individual concerns offered as one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import OutboxMessage
from stories.models import Concern, ConcernEvent, ConcernFollower
from stories.selectors.triage import systemic_candidates
from stories.services.candidates import candidate_accept
from tests.factories import DepartmentFactory, UserFactory
from tests.stories.test_triage_selectors import make_concern, touchpoint

pytestmark = pytest.mark.django_db

CANDIDATES = "/admin/concerns/candidates/"
PAYMENT_TITLES = [
    "Card payment declined at checkout in Japan",
    "Payment declined at checkout (Germany)",
    "Checkout payment fails with card declined",
    "Customer in Brazil: card payment declined at checkout",
    "Card declined at checkout, payment gateway error",
    "Payment declined at checkout again",
]


def _payment_concerns(count: int, *, at=None, **fields) -> list[Concern]:
    return [
        make_concern(
            title=title,
            at=at,
            kind=Concern.Kind.INDIVIDUAL,
            submitted_by=UserFactory(email=f"filer{n}@example.com"),
            **fields,
        )
        for n, title in enumerate(PAYMENT_TITLES[:count])
    ]


def _noise():
    for title in ("Refund not received after cancellation", "Delivery arrived late"):
        make_concern(title=title, kind=Concern.Kind.INDIVIDUAL)


def test_five_similar_individual_concerns_are_a_candidate(django_assert_max_num_queries):
    concerns = _payment_concerns(5)
    _noise()
    with django_assert_max_num_queries(1):
        candidates = systemic_candidates()
    assert len(candidates) == 1
    candidate = candidates[0]
    assert candidate.concern_ids == [c.pk for c in concerns]
    assert candidate.touchpoint.slug == "billing"
    assert [d.name for d in candidate.departments] == ["Customer Support"]
    assert candidate.markets == ["BR", "DE", "JP"]


def test_four_are_not_enough():
    _payment_concerns(4)
    _noise()
    assert systemic_candidates() == []


def test_similar_concerns_at_different_touchpoints_are_not_one_candidate():
    _payment_concerns(3)
    shop = touchpoint("shop", "Online shop")
    for n, title in enumerate(PAYMENT_TITLES[3:5]):
        make_concern(
            title=title,
            at=shop,
            kind=Concern.Kind.INDIVIDUAL,
            submitted_by=UserFactory(email=f"shopper{n}@example.com"),
        )
    assert systemic_candidates() == []


def test_only_open_individual_concerns_count():
    _payment_concerns(4)
    make_concern(title="Payment declined at checkout today", kind=Concern.Kind.SYSTEMIC)
    make_concern(title="Payment declined at checkout once", kind="")
    make_concern(
        title="Payment declined at checkout long ago",
        kind=Concern.Kind.INDIVIDUAL,
        state=Concern.State.RESOLVED,
    )
    assert systemic_candidates() == []


def test_korean_concerns_make_a_candidate_too():
    titles = [
        "카드 결제가 거절되었어요",
        "결제 카드 거절 오류",
        "카드 결제 거절됨",
        "일본 고객 카드 결제 거절",
        "카드 결제가 계속 거절돼요",
    ]
    for n, title in enumerate(titles):
        make_concern(
            title=title,
            kind=Concern.Kind.INDIVIDUAL,
            submitted_by=UserFactory(email=f"k{n}@example.com"),
        )
    candidates = systemic_candidates()
    assert len(candidates) == 1
    assert len(candidates[0].concerns) == 5
    assert candidates[0].markets == ["JP"]


# --- accepting ------------------------------------------------------------------------------


def test_accepting_leaves_one_systemic_concern_with_every_follower(cx_lead, department):
    owner = DepartmentFactory(slug="payments", name="Payments")
    concerns = _payment_concerns(5, followers=1)
    followers = set(
        ConcernFollower.objects.filter(concern__in=concerns).values_list("user_id", flat=True)
    )
    primary = concerns[2]
    result = candidate_accept(
        user=cx_lead,
        concern_ids=[c.pk for c in concerns],
        primary_id=primary.pk,
        owner_department_id=owner.pk,
    )
    assert result.pk == primary.pk
    assert result.kind == Concern.Kind.SYSTEMIC
    assert result.owner_department == owner
    assert result.is_open
    assert set(result.follows.values_list("user_id", flat=True)) == followers
    others = Concern.objects.exclude(pk=primary.pk)
    assert set(others.values_list("state", flat=True)) == {Concern.State.CLOSED}
    assert set(others.values_list("merged_into", flat=True)) == {primary.pk}
    assert ConcernEvent.objects.filter(concern=primary, kind="duplicate_merged").count() == 4
    # Each merged concern's submitter is told once where it went (concern_merge's message).
    for concern in concerns:
        if concern.pk == primary.pk:
            continue
        merged = ConcernEvent.objects.get(concern=concern, kind="merged")
        key = f"stories:concern:{concern.pk}:event:{merged.pk}:user:{concern.submitted_by_id}"
        assert OutboxMessage.objects.filter(idempotency_key=key).count() == 1
    assert systemic_candidates() == []


def test_accepting_without_an_owner_keeps_it_waiting_for_one(cx_lead):
    concerns = _payment_concerns(5)
    result = candidate_accept(
        user=cx_lead,
        concern_ids=[c.pk for c in concerns],
        primary_id=concerns[0].pk,
        owner_department_id=None,
    )
    assert result.kind == Concern.Kind.SYSTEMIC
    assert result.owner_department is None


@pytest.mark.parametrize("persona", ["leader", "hr", "ambassador", "new_hire", "outsider"])
def test_only_the_cx_team_accepts(request, persona):
    user = request.getfixturevalue(persona)
    concerns = _payment_concerns(5)
    with pytest.raises(PermissionDenied):
        candidate_accept(
            user=user,
            concern_ids=[c.pk for c in concerns],
            primary_id=concerns[0].pk,
            owner_department_id=None,
        )
    assert not Concern.objects.filter(merged_into__isnull=False).exists()


def test_accepting_validates_its_arguments(cx_lead):
    concerns = _payment_concerns(5)
    ids = [c.pk for c in concerns]
    with pytest.raises(ValidationError) as caught:
        candidate_accept(user=cx_lead, concern_ids=ids, primary_id=999999, owner_department_id=None)
    assert set(caught.value.message_dict) == {"primary_id"}
    with pytest.raises(ValidationError) as caught:
        candidate_accept(user=cx_lead, concern_ids=ids, primary_id=ids[0], owner_department_id=9999)
    assert set(caught.value.message_dict) == {"owner_department_id"}
    with pytest.raises(ValidationError) as caught:
        candidate_accept(user=cx_lead, concern_ids=ids[:1], primary_id=ids[0])
    assert set(caught.value.message_dict) == {"concern_ids"}
    Concern.objects.filter(pk=ids[3]).update(state=Concern.State.CLOSED)
    with pytest.raises(ValidationError) as caught:
        candidate_accept(user=cx_lead, concern_ids=ids, primary_id=ids[0])
    assert set(caught.value.message_dict) == {"concern_ids"}
    assert not Concern.objects.filter(merged_into__isnull=False).exists()
    assert Concern.objects.get(pk=ids[0]).kind == Concern.Kind.INDIVIDUAL


# --- the page -------------------------------------------------------------------------------


def test_page_lists_candidates_and_the_cx_team_accepts_one(client, cx_lead, department):
    concerns = _payment_concerns(5)
    client.force_login(cx_lead)
    body = client.get(CANDIDATES).content.decode()
    assert "5 similar concerns at Billing" in body
    assert "Customer Support" in body
    assert "BR, DE, JP" in body
    assert "Make this one systemic concern" in body
    for concern in concerns:
        assert f'href="/concerns/{concern.pk}/"' in body
    response = client.post(
        CANDIDATES,
        {
            "concern_ids": [c.pk for c in concerns],
            "primary_id": concerns[1].pk,
            "owner_department_id": department.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/concerns/{concerns[1].pk}/"
    primary = Concern.objects.get(pk=concerns[1].pk)
    assert primary.kind == Concern.Kind.SYSTEMIC
    assert primary.owner_department == department
    assert Concern.objects.filter(merged_into=primary).count() == 4
    assert "No group of similar individual concerns" in client.get(CANDIDATES).content.decode()


def test_page_shows_the_services_error_and_keeps_the_choice(client, cx_lead):
    concerns = _payment_concerns(5)
    client.force_login(cx_lead)
    response = client.post(
        CANDIDATES,
        {
            "concern_ids": [c.pk for c in concerns],
            "primary_id": concerns[1].pk,
            "owner_department_id": "999999",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The concerns were not merged" in body
    assert "Select a valid choice" in body or "Choose a department from the list." in body
    assert f'value="{concerns[1].pk}" id="primary-' in body
    assert not Concern.objects.filter(merged_into__isnull=False).exists()


def test_leadership_sees_candidates_masked_and_cannot_act(client, leader):
    concerns = _payment_concerns(4)
    make_concern(
        title="Payment declined at checkout for jane.doe@example.com",
        kind=Concern.Kind.INDIVIDUAL,
        customer_reference="ORDER-77",
    )
    client.force_login(leader)
    body = client.get(CANDIDATES).content.decode()
    assert "5 similar concerns at Billing" in body
    assert "jane.doe@example.com" not in body and "ORDER-77" not in body
    assert "[email hidden]" in body
    assert "Make this one systemic concern" not in body
    response = client.post(
        CANDIDATES, {"concern_ids": [c.pk for c in concerns], "primary_id": concerns[0].pk}
    )
    assert response.status_code in {302, 403}
    assert not Concern.objects.filter(merged_into__isnull=False).exists()


def test_page_says_so_when_there_is_no_candidate(client, cx_lead):
    _payment_concerns(4)
    client.force_login(cx_lead)
    body = client.get(CANDIDATES).content.decode()
    assert "No group of similar individual concerns" in body
