"""Who gets what: every concern URL and every action, for each persona and signed out.

The ambassador is moved to Billing, and Billing owns the concerns acted on, so "a member of the
owner department" is a real person here and the other personas (all in Customer Support, where
the concerns are seen) are not owners. The new hire raised the concerns.
"""

from __future__ import annotations

import itertools

import pytest

from portal.models import Profile
from stories.models import Concern, ConcernEvent
from stories.services import concern as services
from tests.factories import DepartmentFactory
from tests.stories.test_concern_services import file_concern

pytestmark = pytest.mark.django_db

PERSONAS = ["new_hire", "ambassador", "outsider", "cx_lead", "leader", "hr"]
EVERYONE = set(PERSONAS)
CX = {"cx_lead"}
OWNER = {"cx_lead", "ambassador"}  # the CX team and the owner department (Billing)
SUBMITTER = "new_hire"


@pytest.fixture
def billing(db):
    return DepartmentFactory(name="Billing", slug="billing", timezone="America/New_York")


@pytest.fixture
def everyone(request, billing):
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    Profile.objects.filter(user=people["ambassador"]).update(department=billing)
    return people


_numbers = itertools.count(1)


def _concern(everyone, department, billing, stage: str, title: str = "A concern") -> Concern:
    cx_lead = everyone["cx_lead"]
    # A distinct title each time: the same words within a minute would be the same concern.
    title = f"{title} {next(_numbers)}"
    concern = file_concern(everyone[SUBMITTER], department=department, title=title)
    if stage in ("owned", "resolved"):
        services.concern_acknowledge(user=cx_lead, concern=concern)
        services.concern_set_owner(user=cx_lead, concern=concern, owner_department_id=billing.pk)
    if stage == "resolved":
        services.concern_resolve(user=cx_lead, concern=concern, what_we_did="Done")
    return Concern.objects.get(pk=concern.pk)


# (action, stage the concern is in, what is posted, who may)
ACTIONS = [
    ("acknowledge", "new", {"note": "Seen"}, CX),
    ("classify", "new", {"kind": "systemic"}, CX),
    ("set-owner", "new", {"owner_department_id": "{billing}"}, CX),
    ("assign", "owned", {"assignee_id": "{ambassador}"}, OWNER),
    ("start", "owned", {"note": ""}, OWNER),
    ("resolve", "owned", {"what_we_did": "Replaced the gateway"}, OWNER),
    ("decline", "owned", {"reason": "Not ours to fix"}, OWNER),
    ("close", "resolved", {}, CX),
    ("reopen", "resolved", {"note": "It came back"}, CX),
    ("merge", "owned", {"into": "{other}"}, CX),
    ("note", "owned", {"note": "A word"}, OWNER | {SUBMITTER}),
    ("follow", "owned", {}, EVERYONE),
    ("unfollow", "owned", {}, EVERYONE - {SUBMITTER}),
]


@pytest.mark.parametrize(
    ("name", "stage", "data", "allowed"), ACTIONS, ids=[row[0] for row in ACTIONS]
)
def test_every_action_for_every_persona(
    client, everyone, department, billing, name, stage, data, allowed
):
    got = {}
    for persona, person in everyone.items():
        concern = _concern(everyone, department, billing, stage)
        other = _concern(everyone, department, billing, "new", title="Another")
        posted = {
            key: value.format(
                billing=billing.pk, ambassador=everyone["ambassador"].pk, other=other.pk
            )
            for key, value in data.items()
        }
        before = ConcernEvent.objects.filter(concern=concern).count()
        client.force_login(person)
        response = client.post(f"/concerns/{concern.pk}/{name}/", posted)
        got[persona] = response.status_code
        changed = ConcernEvent.objects.filter(concern=concern).count() != before
        if response.status_code == 403:
            assert not changed, (name, persona)
    assert {p for p, status in got.items() if status == 302} == allowed, got
    refused = {p: status for p, status in got.items() if p not in allowed}
    # Refused for want of the right (403); the submitter's unfollow is a plain error (400).
    assert all(
        status == (400 if (name, p) == ("unfollow", SUBMITTER) else 403)
        for p, status in refused.items()
    ), got


@pytest.mark.parametrize(("name", "stage", "data", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_signed_out_people_are_sent_to_sign_in_for_every_action(
    client, everyone, department, billing, name, stage, data, allowed
):
    concern = _concern(everyone, department, billing, stage)
    response = client.post(f"/concerns/{concern.pk}/{name}/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Concern.objects.get(pk=concern.pk).state == concern.state


PAGES = [
    ("list", "/concerns/"),
    ("list, filtered", "/concerns/?state=open&mine=on&q=concern&sort=-due"),
    ("new", "/concerns/new/"),
    ("similar", "/concerns/similar/?title=a+concern"),
    ("similar, json", "/concerns/similar/?title=a+concern&format=json"),
    ("detail", "/concerns/{concern}/"),
    ("you said, we did", "/you-said-we-did/"),
]


@pytest.mark.parametrize(("what", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_is_open_to_everyone_signed_in_and_to_nobody_signed_out(
    client, everyone, department, billing, what, url
):
    concern = _concern(everyone, department, billing, "owned")
    url = url.format(concern=concern.pk)
    for persona, person in everyone.items():
        client.force_login(person)
        assert client.get(url).status_code == 200, (what, persona)
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_filing_is_open_to_everyone_signed_in(client, everyone, department):
    from tests.stories.test_concern_services import make_touchpoint

    for n, (persona, person) in enumerate(everyone.items()):
        client.force_login(person)
        response = client.post(
            "/concerns/new/",
            {
                "title": f"Distinct concern number {n} {persona}",
                "description": "What happened.",
                "touchpoint_id": make_touchpoint().pk,
                "department_id": department.pk,
                "severity": "low",
                "confirm": "1",
            },
        )
        assert response.status_code == 302, persona
    client.logout()
    assert client.post("/concerns/new/", {})["Location"].startswith("/accounts/login/")
    assert Concern.objects.count() == len(everyone)


# What each persona is offered on an owned, acknowledged concern the new hire raised.
OFFERED = {
    "cx_lead": {"classify", "set-owner", "assign", "start", "resolve", "decline", "merge", "note",
                "follow"},
    "ambassador": {"assign", "start", "resolve", "decline", "note", "follow"},
    "new_hire": {"note"},
    "outsider": {"follow"},
    "leader": {"follow"},
    "hr": {"follow"},
}  # fmt: skip
ALL_ACTIONS = {row[0] for row in ACTIONS} | {"acknowledge"}


def test_the_page_offers_each_persona_what_they_may_do(client, everyone, department, billing):
    concern = _concern(everyone, department, billing, "owned")
    for persona, person in everyone.items():
        client.force_login(person)
        body = client.get(f"/concerns/{concern.pk}/").content.decode()
        offered = {name for name in ALL_ACTIONS if f"/concerns/{concern.pk}/{name}/" in body}
        assert offered == OFFERED[persona], persona


def test_only_the_cx_team_and_the_owner_are_offered_an_internal_note(
    client, everyone, department, billing
):
    concern = _concern(everyone, department, billing, "owned")
    for persona in ("cx_lead", "ambassador", "new_hire"):
        client.force_login(everyone[persona])
        body = client.get(f"/concerns/{concern.pk}/").content.decode()
        assert ('name="internal"' in body) == (persona != "new_hire"), persona
    # The submitter's "internal" note is a public reply: the form has no such field.
    client.force_login(everyone["new_hire"])
    client.post(f"/concerns/{concern.pk}/note/", {"note": "Thanks", "internal": "on"})
    assert ConcernEvent.objects.get(concern=concern, kind="note").internal is False
