"""The triage transitions: who may, from which state, with what input, and the timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import Profile
from stories import sla
from stories.models import Concern
from stories.services import concern as services
from tests.factories import UserFactory
from tests.stories.test_concern_services import file_concern

pytestmark = pytest.mark.django_db

State = Concern.State


@pytest.fixture
def billing(db):
    from tests.factories import DepartmentFactory

    return DepartmentFactory(
        name="Billing", slug="billing", timezone="America/New_York", slack_channel_id="CBILLING1"
    )


@pytest.fixture
def biller(ambassador, billing):
    """The ambassador, moved to Billing: a member of the owner department in these tests."""
    Profile.objects.filter(user=ambassador).update(department=billing)
    return ambassador


@pytest.fixture
def concern(new_hire, department):
    return file_concern(new_hire, department=department)


@pytest.fixture
def owned(concern, cx_lead, billing, biller):
    """Acknowledged and routed to Billing, where the ambassador works."""
    services.concern_acknowledge(user=cx_lead, concern=concern)
    services.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=billing.pk)
    return concern


def _state(concern, state):
    Concern.objects.filter(pk=concern.pk).update(state=state)
    concern.refresh_from_db()
    return concern


# --- acknowledge --------------------------------------------------------------------------


def test_the_cx_team_acknowledges_a_new_concern(concern, cx_lead):
    result = services.concern_acknowledge(user=cx_lead, concern=concern, note="Seen")
    assert result is concern  # the caller's instance is brought up to date
    assert concern.state == State.ACKNOWLEDGED and concern.acknowledged_at
    event = concern.events.get(kind="acknowledged")
    assert (event.actor, event.note, event.internal) == (cx_lead, "Seen", False)


@pytest.mark.parametrize("persona", ["new_hire", "ambassador", "outsider", "leader", "hr"])
def test_only_the_cx_team_acknowledges(persona, concern, request):
    with pytest.raises(PermissionDenied):
        services.concern_acknowledge(user=request.getfixturevalue(persona), concern=concern)


@pytest.mark.parametrize("state", ["acknowledged", "in_progress", "resolved", "wont_fix", "closed"])
def test_acknowledge_only_from_new(state, concern, cx_lead):
    _state(concern, state)
    with pytest.raises(ValidationError) as caught:
        services.concern_acknowledge(user=cx_lead, concern=concern)
    assert list(caught.value.message_dict) == ["state"]
    assert not concern.events.filter(kind="acknowledged").exists()


def test_the_transition_reads_the_locked_row_not_the_callers_copy(concern, cx_lead):
    stale = Concern.objects.get(pk=concern.pk)
    services.concern_acknowledge(user=cx_lead, concern=concern)
    with pytest.raises(ValidationError):
        services.concern_acknowledge(user=cx_lead, concern=stale)


# --- classify -----------------------------------------------------------------------------


def test_classify_records_the_change_and_choosing_the_same_again_changes_nothing(concern, cx_lead):
    services.concern_classify(user=cx_lead, concern=concern, kind="systemic")
    services.concern_classify(user=cx_lead, concern=concern, kind="systemic")
    services.concern_classify(user=cx_lead, concern=concern, kind="individual")
    assert concern.kind == "individual"
    assert [e.data for e in concern.events.filter(kind="classified")] == [
        {"kind": "systemic", "from": ""},
        {"kind": "individual", "from": "systemic"},
    ]


def test_classify_validates_the_kind_and_the_state(concern, cx_lead, biller):
    with pytest.raises(ValidationError) as caught:
        services.concern_classify(user=cx_lead, concern=concern, kind="urgent")
    assert list(caught.value.message_dict) == ["kind"]
    with pytest.raises(PermissionDenied):
        services.concern_classify(user=biller, concern=concern, kind="systemic")
    _state(concern, "resolved")
    with pytest.raises(ValidationError) as caught:
        services.concern_classify(user=cx_lead, concern=concern, kind="systemic")
    assert list(caught.value.message_dict) == ["state"]


# --- owner and assignee -------------------------------------------------------------------


def test_setting_the_owner_recomputes_the_due_date_in_the_owners_calendar(
    concern, cx_lead, billing
):
    services.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=billing.pk)
    assert concern.owner_department == billing
    assert concern.due_at == sla.due_at(
        severity=concern.severity, filed_at=concern.created_at, department=billing
    )
    local = concern.due_at.astimezone(billing.timezone)
    assert (local.hour, local.minute) == (0, 0)  # a New York midnight
    event = concern.events.get(kind="owner_set")
    assert event.data["department"] == "Billing"


def test_the_owner_may_come_with_an_assignee_from_that_department(
    concern, cx_lead, billing, biller
):
    services.concern_set_owner(
        user=cx_lead, concern=concern, owner_department_id=billing.pk, assignee_id=biller.pk
    )
    assert concern.assignee == biller
    assert concern.events.get(kind="assigned").data["assignee_id"] == biller.pk


def test_an_assignee_outside_the_owner_department_or_inactive_is_refused(
    concern, cx_lead, billing, new_hire
):
    with pytest.raises(ValidationError) as caught:
        services.concern_set_owner(
            user=cx_lead, concern=concern, owner_department_id=billing.pk, assignee_id=new_hire.pk
        )
    assert list(caught.value.message_dict) == ["assignee_id"]
    assert "is not in Billing" in caught.value.message_dict["assignee_id"][0]
    gone = UserFactory(email="gone@example.com", department=billing)
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError):
        services.concern_set_owner(
            user=cx_lead, concern=concern, owner_department_id=billing.pk, assignee_id=gone.pk
        )
    concern.refresh_from_db()
    assert concern.owner_department is None


def test_set_owner_validates_the_department(concern, cx_lead):
    for value in (None, "", "x", 999999):
        with pytest.raises(ValidationError) as caught:
            services.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=value)
        assert list(caught.value.message_dict) == ["owner_department_id"]


def test_a_new_owner_drops_the_old_owners_assignee(owned, cx_lead, biller, department):
    services.concern_assign(user=biller, concern=owned, assignee_id=biller.pk)
    services.concern_set_owner(user=cx_lead, concern=owned, owner_department_id=department.pk)
    assert owned.assignee is None


def test_a_new_owner_may_keep_the_same_assignee_when_named_again(owned, cx_lead, biller, billing):
    services.concern_assign(user=cx_lead, concern=owned, assignee_id=biller.pk)
    other = billing.__class__.objects.create(name="Payments", slug="payments")
    Profile.objects.filter(user=biller).update(department=other)
    services.concern_set_owner(
        user=cx_lead, concern=owned, owner_department_id=other.pk, assignee_id=biller.pk
    )
    assert (owned.owner_department, owned.assignee) == (other, biller)
    assert owned.events.filter(kind="assigned").count() == 1


def test_only_the_cx_team_sets_the_owner(concern, biller, leader, billing):
    for person in (biller, leader):
        with pytest.raises(PermissionDenied):
            services.concern_set_owner(user=person, concern=concern, owner_department_id=billing.pk)


def test_the_owner_department_assigns_within_itself(owned, biller, billing, new_hire):
    colleague = UserFactory(email="colleague@example.com", department=billing)
    services.concern_assign(user=biller, concern=owned, assignee_id=colleague.pk)
    assert owned.assignee == colleague
    with pytest.raises(PermissionDenied):
        services.concern_assign(user=new_hire, concern=owned, assignee_id=colleague.pk)
    with pytest.raises(ValidationError) as caught:
        services.concern_assign(user=biller, concern=owned, assignee_id=new_hire.pk)
    assert list(caught.value.message_dict) == ["assignee_id"]


def test_assigning_needs_an_owner_first(concern, cx_lead):
    with pytest.raises(ValidationError) as caught:
        services.concern_assign(user=cx_lead, concern=concern, assignee_id=cx_lead.pk)
    assert caught.value.message_dict == {"assignee_id": ["Set an owner department first."]}


# --- start, resolve, decline --------------------------------------------------------------


def test_the_owner_department_starts_and_resolves(owned, biller):
    services.concern_start(user=biller, concern=owned, note="Calling the PG")
    assert owned.state == State.IN_PROGRESS
    services.concern_resolve(user=biller, concern=owned, what_we_did="Replaced the gateway.")
    assert owned.state == State.RESOLVED
    assert owned.what_we_did == "Replaced the gateway." and owned.resolved_at
    assert [e.kind for e in owned.events.all()] == [
        "filed",
        "acknowledged",
        "owner_set",
        "started",
        "resolved",
    ]
    assert owned.events.get(kind="resolved").note == "Replaced the gateway."


@pytest.mark.parametrize("persona", ["new_hire", "outsider", "leader", "hr"])
def test_people_outside_cx_and_the_owner_cannot_move_it_forward(persona, owned, request):
    person = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.concern_start(user=person, concern=owned)
    with pytest.raises(PermissionDenied):
        services.concern_resolve(user=person, concern=owned, what_we_did="x")
    with pytest.raises(PermissionDenied):
        services.concern_decline(user=person, concern=owned, reason="x")


def test_the_submitter_cannot_resolve_their_own_concern(owned, new_hire):
    with pytest.raises(PermissionDenied):
        services.concern_resolve(user=new_hire, concern=owned, what_we_did="Fixed it myself")


def test_resolving_needs_what_we_did(owned, biller):
    with pytest.raises(ValidationError) as caught:
        services.concern_resolve(user=biller, concern=owned, what_we_did="   ")
    assert caught.value.message_dict == {
        "what_we_did": ["Say what was done: the person who raised it will read it."]
    }


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("start", {"acknowledged"}),
        ("resolve", {"acknowledged", "in_progress"}),
        ("decline", {"new", "acknowledged", "in_progress"}),
        ("close", {"resolved", "wont_fix"}),
        ("reopen", {"resolved", "wont_fix", "closed"}),
    ],
)
def test_each_transition_applies_to_its_states_only(action, allowed, concern, cx_lead):
    arguments = {
        "start": {},
        "resolve": {"what_we_did": "Done"},
        "decline": {"reason": "Not ours"},
        "close": {},
        "reopen": {"note": "Back"},
    }[action]
    service = getattr(services, f"concern_{action}")
    for state in State.values:
        _state(concern, state)
        if state in allowed:
            service(user=cx_lead, concern=concern, **arguments)
        else:
            with pytest.raises(ValidationError) as caught:
                service(user=cx_lead, concern=concern, **arguments)
            assert list(caught.value.message_dict) == ["state"], (action, state)


def test_decline_needs_a_reason_and_keeps_it(owned, biller):
    with pytest.raises(ValidationError) as caught:
        services.concern_decline(user=biller, concern=owned, reason="")
    assert list(caught.value.message_dict) == ["reason"]
    services.concern_decline(user=biller, concern=owned, reason="The bank's rule.")
    assert (owned.state, owned.wont_fix_reason) == (State.WONT_FIX, "The bank's rule.")


# --- close and reopen ---------------------------------------------------------------------


def test_only_the_cx_team_closes_and_reopens(owned, biller, cx_lead):
    services.concern_resolve(user=biller, concern=owned, what_we_did="Done")
    with pytest.raises(PermissionDenied):
        services.concern_close(user=biller, concern=owned)
    services.concern_close(user=cx_lead, concern=owned)
    assert owned.state == State.CLOSED and owned.closed_at
    with pytest.raises(PermissionDenied):
        services.concern_reopen(user=biller, concern=owned, note="Again")
    with pytest.raises(ValidationError) as caught:
        services.concern_reopen(user=cx_lead, concern=owned, note="")
    assert list(caught.value.message_dict) == ["note"]
    services.concern_reopen(user=cx_lead, concern=owned, note="It came back")
    assert owned.state == State.ACKNOWLEDGED
    assert (owned.what_we_did, owned.resolved_at, owned.closed_at) == ("", None, None)
    assert owned.due_at > owned.created_at
    assert owned.events.filter(kind="resolved").get().note == "Done"  # kept on the timeline


def test_a_merged_duplicate_is_not_reopened(cx_lead, new_hire, department):
    a = file_concern(new_hire, department=department, title="A")
    b = file_concern(new_hire, department=department, title="B")
    services.concern_merge(user=cx_lead, duplicate=a, into=b)
    with pytest.raises(ValidationError) as caught:
        services.concern_reopen(user=cx_lead, concern=a, note="Why")
    assert list(caught.value.message_dict) == ["state"]


def test_signed_out_or_inactive_people_act_on_nothing(concern, cx_lead):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.concern_acknowledge(user=AnonymousUser(), concern=concern)
    cx_lead.is_active = False
    cx_lead.save()
    with pytest.raises(PermissionDenied):
        services.concern_acknowledge(user=cx_lead, concern=concern)
