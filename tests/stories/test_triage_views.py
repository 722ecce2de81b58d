"""The CX team's triage queue in the portal (/concerns/triage/): who may open it, its filters
(the admin report's, under the same parameters), counts by state, the export links, masking,
escaping, fresh rows after a change, and its cost at 10 and 200 concerns."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Department
from stories.models import Concern, Severity
from stories.services import concern as services
from tests.stories.test_triage_admin import filter_cases, shown_titles
from tests.stories.test_triage_selectors import make_concern

pytestmark = pytest.mark.django_db

QUEUE = "/concerns/triage/"
PERSONAS = ["new_hire", "ambassador", "outsider", "cx_lead", "leader", "hr", "administrator"]
CX_AND_LEADERSHIP = {"cx_lead", "leader", "administrator"}
EMAIL = "jane.doe@example.com"


def _body(client, **params) -> str:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_url_has_its_name():
    assert reverse("stories:triage") == QUEUE


def test_only_the_cx_team_and_leadership_open_it(client, request):
    got = {}
    for name in PERSONAS:
        client.force_login(request.getfixturevalue(name))
        got[name] = client.get(QUEUE).status_code
    assert {name for name, status in got.items() if status == 200} == CX_AND_LEADERSHIP, got
    assert {status for name, status in got.items() if name not in CX_AND_LEADERSHIP} == {403}
    client.logout()
    signed_out = client.get(QUEUE)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")


def test_the_concern_list_links_to_it_for_those_who_may_open_it(client, cx_lead, leader, hr):
    for user, linked in ((cx_lead, True), (leader, True), (hr, False)):
        client.force_login(user)
        assert (f'href="{QUEUE}"' in client.get("/concerns/").content.decode()) is linked


def test_it_opens_on_open_concerns_most_urgent_first_with_the_columns(client, cx_lead, department):
    now = timezone.now()
    make_concern(title="Later one", due_at=now + datetime.timedelta(days=3))
    make_concern(
        title="Refund never arrived",
        severity=Severity.HIGH,
        kind=Concern.Kind.INDIVIDUAL,
        owner_department=department,
        assignee=cx_lead,
        due_at=now - datetime.timedelta(hours=2),
        followers=2,
    )
    make_concern(title="Already closed", state=Concern.State.CLOSED)
    client.force_login(cx_lead)
    body = _body(client)
    assert "Already closed" not in body
    assert body.index("Refund never arrived") < body.index("Later one")
    for shown in ("High", "Individual", "Billing", "Customer Support", str(cx_lead), "Overdue"):
        assert shown in body
    assert "Waiting for an owner" in body  # the later one has no owner yet
    assert '<td class="numeric">3</td>' in body  # followers: the submitter and two


def test_filters_are_the_admin_reports(client, cx_lead):
    cases = filter_cases()
    client.force_login(cx_lead)
    for params, expected in cases:
        assert shown_titles(_body(client, **params)) == expected, params
    other = Department.objects.get(slug="billing-team")
    old = cases[-1][0]["created_at_from"]
    # The chosen values stay in the form; a value that is not a choice is said beside it.
    body = _body(client, department=other.pk, created_at_from=old)
    assert f'<option value="{other.pk}" selected>' in body
    assert f'value="{old}"' in body
    assert "Select a valid choice" in _body(client, department="nope")


def test_the_filters_are_shown_open_when_any_is_asked_for(client, cx_lead):
    client.force_login(cx_lead)
    closed = '<details class="card concerns-filters">'
    assert closed in _body(client)
    for params in ({"created_at_from": "2026-01-01"}, {"severity": "high"}, {"overdue": "true"}):
        assert '<details class="card concerns-filters" open>' in _body(client, **params), params
    assert closed in _body(client, page="2", sort="-filed")  # not filters


def test_counts_by_state_follow_the_other_filters_and_the_pages_count(client, cx_lead):
    for n in range(3):
        make_concern(title=f"High {n}", severity=Severity.HIGH)
    make_concern(title="In progress", severity=Severity.HIGH, state=Concern.State.IN_PROGRESS)
    make_concern(title="Low", severity=Severity.LOW)
    make_concern(title="Closed", severity=Severity.HIGH, state=Concern.State.CLOSED)
    client.force_login(cx_lead)
    body = _body(client, severity="high")
    compact = " ".join(body.split())
    assert "New <strong>3</strong>" in compact
    assert "In progress <strong>1</strong>" in compact
    assert "Open <strong>4</strong>" in compact
    assert "All <strong>5</strong>" in compact
    assert f'href="{QUEUE}?severity=high&amp;state=closed"' in body
    assert "4 concerns" in body


def test_in_korean_every_state_count_has_its_own_name(client, cx_lead):
    make_concern(title="One")
    client.force_login(cx_lead)
    client.post("/language/", {"language": "ko", "next": QUEUE})
    labels = re.findall(r'<a class="badge[^>]*>([^<]*)<strong>', _body(client))
    assert "열림 " in labels and "진행 중 " in labels
    assert len(labels) == 8 and len(set(labels)) == 8, labels


def test_export_links_go_to_the_admin_report_with_the_filters(client, cx_lead):
    make_concern(title="One")
    client.force_login(cx_lead)
    body = _body(client, severity="high", sort="-filed", page="1")
    assert 'href="/admin/concerns/triage/?severity=high&amp;export=csv"' in body
    assert 'href="/admin/concerns/triage/?severity=high&amp;export=xlsx"' in body
    # and the report exports for whoever may open this page
    assert client.get("/admin/concerns/triage/?severity=high&export=csv").status_code == 200


def test_leadership_sees_identifiers_masked_and_the_cx_team_does_not(client, leader, cx_lead):
    make_concern(title=f"Write to {EMAIL}")
    client.force_login(leader)
    body = _body(client)
    assert EMAIL not in body and "[email hidden]" in body
    assert "the CX team triages" in body
    client.force_login(cx_lead)  # the same row, drawn apart for those who read identifiers
    assert EMAIL in _body(client)


def test_user_text_is_escaped(client, cx_lead):
    make_concern(title="<script>alert(1)</script>")
    client.force_login(cx_lead)
    body = _body(client)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_row_is_drawn_again_when_its_concern_or_a_name_changes(client, cx_lead, department):
    concern = make_concern(title="Card declined", department=department)
    client.force_login(cx_lead)
    assert ">New<" in _body(client)
    services.concern_acknowledge(user=cx_lead, concern=concern)
    body = _body(client)
    assert ">Acknowledged<" in body and ">New<" not in body
    department.name = "Customer Care"
    department.save()
    assert "Customer Care" in _body(client)


def test_it_costs_the_same_at_10_and_200_concerns(
    client, cx_lead, department, django_assert_max_num_queries
):
    def add(count):
        for n in range(count):
            make_concern(
                title=f"Concern {n} from {EMAIL}",
                owner_department=department if n % 2 else None,
                assignee=cx_lead if n % 3 else None,
                due_at=timezone.now() + datetime.timedelta(days=n % 5 - 2),
                followers=n % 2,
            )

    client.force_login(cx_lead)
    client.get(QUEUE)  # the first request makes the site's settings rows
    add(10)
    with django_assert_max_num_queries(20) as ten:
        assert client.get(QUEUE, {"severity": "medium"}).status_code == 200
    add(190)
    for params in ({}, {"page": 3, "sort": "-severity"}, {"state": "all", "overdue": "true"}):
        with django_assert_max_num_queries(len(ten.captured_queries)):
            assert client.get(QUEUE, params).status_code == 200
