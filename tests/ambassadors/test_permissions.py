"""Who may open the ambassadors' pages and admin views: every persona, and signed out."""

from __future__ import annotations

import pytest

from ambassadors import groups
from portal.groups import CX_TEAM, HR, LEADERSHIP
from tests.ambassadors.conftest import appoint

pytestmark = pytest.mark.django_db

PERSONAS = ["new_hire", "ambassador", "outsider", "cx_lead", "leader", "hr", "administrator"]
EVERYONE = set(PERSONAS)
CX = {"cx_lead", "administrator"}
VIEWERS = CX | {"leader", "hr"}

LIST = "/admin/snippets/ambassadors/appointment/"
TOUCHPOINTS = "/admin/snippets/ambassadors/touchpoint/"

# (what, URL, who gets the page). {appointment} and {touchpoint} are filled per test.
MATRIX: list[tuple[str, str, set[str]]] = [
    ("ambassador directory", "/ambassadors/", EVERYONE),
    ("recognition, this month", "/recognition/", EVERYONE),
    ("recognition, another month", "/recognition/?month=2025-01", EVERYONE),
    ("appointments: list", LIST, VIEWERS),
    ("appointments: inspect", LIST + "inspect/{appointment}/", VIEWERS),
    ("appointments: add", LIST + "add/", CX),
    ("appointments: edit", LIST + "edit/{appointment}/", CX),
    ("appointments: end term", LIST + "end/{appointment}/", CX),
    ("appointments: delete", LIST + "delete/{appointment}/", CX),
    ("touchpoints: list", TOUCHPOINTS, CX),
    ("touchpoints: add", TOUCHPOINTS + "add/", CX),
    ("touchpoints: edit", TOUCHPOINTS + "edit/{touchpoint}/", CX),
    ("touchpoints: delete", TOUCHPOINTS + "delete/{touchpoint}/", CX),
]


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.mark.parametrize(("what", "url", "allowed"), MATRIX, ids=[row[0] for row in MATRIX])
def test_matrix(client, everyone, department, touchpoints, today, what, url, allowed):
    appointment = appoint(
        everyone["outsider"], department, touchpoints, starts_on=today, ends_on=today
    )
    url = url.format(appointment=appointment.pk, touchpoint=touchpoints[0].pk)
    got = {}
    for name, user in everyone.items():
        client.force_login(user)
        got[name] = client.get(url).status_code
    client.logout()
    assert {name for name, status in got.items() if status == 200} == allowed, got
    assert all(status in {200, 302, 403} for status in got.values()), got
    signed_out = client.get(url)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")


def test_group_permissions_declared():
    assert "ambassadors.add_appointment" in groups.GROUP_PERMISSIONS[CX_TEAM]
    assert "ambassadors.change_touchpoint" in groups.GROUP_PERMISSIONS[CX_TEAM]
    assert groups.GROUP_PERMISSIONS[LEADERSHIP] == ["ambassadors.view_appointment"]
    assert groups.GROUP_PERMISSIONS[HR] == ["ambassadors.view_appointment"]


def test_persona_rights(cx_lead, hr, leader, ambassador):
    assert cx_lead.has_perm("ambassadors.add_appointment")
    assert cx_lead.has_perm("ambassadors.delete_touchpoint")
    assert hr.has_perm("ambassadors.view_appointment")
    assert not hr.has_perm("ambassadors.add_appointment")
    assert not leader.has_perm("ambassadors.change_appointment")
    assert not ambassador.has_perm("ambassadors.view_appointment")
