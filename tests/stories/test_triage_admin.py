"""The CX team's triage in the admin: the queue, its export, the SLAs, the menu and the panel."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Site

from stories.models import Concern, Severity, SeveritySLA
from tests.factories import DepartmentFactory
from tests.stories.test_triage_selectors import make_concern, touchpoint

pytestmark = pytest.mark.django_db

QUEUE = "/admin/concerns/triage/"
PORTAL_QUEUE = "/concerns/triage/"  # where the dashboard panel and the digest send the CX team
RESULTS = "/admin/concerns/triage/results/"
CANDIDATES = "/admin/concerns/candidates/"
SLAS = "/admin/concerns/slas/"
PERSONAS = ["new_hire", "ambassador", "outsider", "cx_lead", "leader", "hr", "administrator"]
CX = {"cx_lead", "administrator"}
CX_AND_LEADERSHIP = {"cx_lead", "leader", "administrator"}
EMAIL = "jane.doe@example.com"
PHONE = "010-1234-5678"


@pytest.fixture
def everyone(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


def _sla(severity=Severity.HIGH) -> SeveritySLA:
    return SeveritySLA.objects.get_or_create(severity=severity, defaults={"working_days": 3})[0]


def _matrix_urls():
    return [
        ("triage queue", QUEUE, CX_AND_LEADERSHIP),
        ("triage queue results", RESULTS, CX_AND_LEADERSHIP),
        ("triage queue CSV", QUEUE + "?export=csv", CX_AND_LEADERSHIP),
        ("systemic candidates", CANDIDATES, CX_AND_LEADERSHIP),
        ("SLAs: list", SLAS, CX),
        ("SLAs: edit", SLAS + "edit/{sla}/", CX),
        ("SLAs: add", SLAS + "add/", set()),
        ("SLAs: delete", SLAS + "delete/{sla}/", set()),
        ("CX channels", "/admin/settings/stories/cxsettings/{site}/", CX),
    ]


@pytest.mark.parametrize(("what", "url", "allowed"), _matrix_urls(), ids=lambda v: str(v))
def test_permission_matrix(client, everyone, what, url, allowed):
    url = url.format(sla=_sla().pk, site=Site.objects.get(is_default_site=True).pk)
    got = {}
    for name, user in everyone.items():
        client.force_login(user)
        got[name] = client.get(url).status_code
    client.logout()
    assert {name for name, status in got.items() if status == 200} == allowed, got
    assert all(status in {302, 403} for name, status in got.items() if name not in allowed), got
    signed_out = client.get(url)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_cx_team_merges_a_candidate(client, request, persona):
    from tests.stories.test_candidates import _payment_concerns

    concerns = _payment_concerns(5)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        CANDIDATES,
        {"concern_ids": [c.pk for c in concerns], "primary_id": concerns[0].pk},
    )
    merged = Concern.objects.filter(merged_into=concerns[0]).count()
    if persona in CX:
        assert response.status_code == 302
        assert merged == 4
    else:
        assert response.status_code in {302, 403}
        assert response.get("Location", "") != f"/concerns/{concerns[0].pk}/"
        assert merged == 0
    client.logout()
    response = client.post(CANDIDATES, {"concern_ids": [concerns[1].pk]})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_people_without_admin_access_get_the_no_access_page(client, new_hire, ambassador, outsider):
    for user in (new_hire, ambassador, outsider):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
        assert client.get(CANDIDATES).status_code == 403


def test_menu_shows_concerns_to_those_who_may_see_them(client, cx_lead, leader, hr):
    client.force_login(cx_lead)
    body = client.get("/admin/").content.decode()
    assert QUEUE in body and CANDIDATES in body and SLAS in body
    assert "/admin/settings/stories/cxsettings/" in body
    client.force_login(leader)
    body = client.get("/admin/").content.decode()
    assert QUEUE in body and CANDIDATES in body
    assert SLAS not in body
    client.force_login(hr)
    body = client.get("/admin/").content.decode()
    assert QUEUE not in body and CANDIDATES not in body and SLAS not in body


# --- the queue --------------------------------------------------------------------------------


def _titles(client, **params) -> str:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


def test_queue_opens_on_open_concerns_with_the_columns(client, cx_lead, department):
    make_concern(
        title="Refund never arrived",
        severity=Severity.HIGH,
        kind=Concern.Kind.INDIVIDUAL,
        owner_department=department,
        assignee=cx_lead,
        customer_reference="ORDER-4411",
        due_at=timezone.now() - datetime.timedelta(hours=2),
        followers=2,
    )
    make_concern(title="Already closed", state=Concern.State.CLOSED)
    client.force_login(cx_lead)
    body = _titles(client)
    assert "Refund never arrived" in body
    assert "Already closed" not in body
    for shown in ("High", "Individual", "Billing", "Customer Support", str(cx_lead), "ORDER-4411"):
        assert shown in body
    assert "Past due" in body
    assert ">3<" in body.replace(" ", "").replace("\n", "")  # followers: submitter and two


def test_queue_links_each_title_to_the_concern_page(client, cx_lead):
    concern = make_concern(title="Refund never arrived")
    client.force_login(cx_lead)
    assert f'href="/concerns/{concern.pk}/"' in _titles(client)


def filter_cases() -> list[tuple[dict, set[str]]]:
    """Four concerns, and (filters, the titles' first words they show): the admin report and
    the portal's queue take the same filters under the same parameters."""
    other = DepartmentFactory(slug="billing-team", name="Billing team")
    shop = touchpoint("shop", "Online shop")
    now = timezone.now()
    make_concern(title="Alpha new low", severity=Severity.LOW)
    make_concern(
        title="Bravo critical systemic",
        severity=Severity.CRITICAL,
        kind=Concern.Kind.SYSTEMIC,
        state=Concern.State.ACKNOWLEDGED,
        owner_department=other,
        due_at=now - datetime.timedelta(days=1),
    )
    make_concern(title="Charlie at the shop", at=shop, department=other)
    make_concern(
        title="Delta resolved",
        state=Concern.State.RESOLVED,
        created_at=now - datetime.timedelta(days=40),
    )
    old = (now - datetime.timedelta(days=41)).date().isoformat()
    older = (now - datetime.timedelta(days=39)).date().isoformat()
    return [
        ({}, {"Alpha", "Bravo", "Charlie"}),
        ({"state": "resolved"}, {"Delta"}),
        ({"state": "all"}, {"Alpha", "Bravo", "Charlie", "Delta"}),
        ({"state": "acknowledged"}, {"Bravo"}),
        ({"severity": ["critical", "low"]}, {"Alpha", "Bravo"}),
        ({"kind": "unclassified"}, {"Alpha", "Charlie"}),
        ({"kind": "systemic"}, {"Bravo"}),
        ({"touchpoint": shop.pk}, {"Charlie"}),
        ({"department": other.pk}, {"Charlie"}),
        ({"owner_department": other.pk}, {"Bravo"}),
        ({"overdue": "true"}, {"Bravo"}),
        ({"waiting_for_owner": "true"}, {"Alpha", "Charlie"}),
        ({"waiting_for_owner": "false"}, {"Bravo"}),
        ({"state": "all", "created_at_from": old, "created_at_to": older}, {"Delta"}),
    ]


def shown_titles(body: str) -> set[str]:
    return {t for t in ("Alpha", "Bravo", "Charlie", "Delta") if f"{t} " in body}


def test_queue_filters(client, cx_lead, department):
    cases = filter_cases()
    client.force_login(cx_lead)
    for params, expected in cases:
        assert shown_titles(_titles(client, **params)) == expected, params


def test_counts_by_state_follow_the_other_filters_and_link_to_their_state(client, cx_lead):
    make_concern(title="One", severity=Severity.HIGH)
    make_concern(title="Two", severity=Severity.HIGH, state=Concern.State.IN_PROGRESS)
    make_concern(title="Three", severity=Severity.LOW)
    make_concern(title="Four", severity=Severity.HIGH, state=Concern.State.CLOSED)
    client.force_login(cx_lead)
    body = _titles(client, severity="high")
    compact = " ".join(body.split())
    assert "New <strong>1</strong>" in compact
    assert "In progress <strong>1</strong>" in compact
    assert "Closed <strong>1</strong>" in compact
    assert "Open <strong>2</strong>" in compact
    assert "All <strong>3</strong>" in compact
    assert f'href="{QUEUE}?severity=high&amp;state=closed"' in body


def test_a_filter_in_error_counts_as_any_in_rows_counts_and_export(client, cx_lead):
    make_concern(title="Alpha high", severity=Severity.HIGH)
    make_concern(title="Bravo low", severity=Severity.LOW)
    make_concern(title="Charlie closed", severity=Severity.HIGH, state=Concern.State.CLOSED)
    client.force_login(cx_lead)
    params = {"severity": "high", "department": "nope"}
    body = _titles(client, **params)
    assert "Select a valid choice" in body
    assert "Alpha high" in body and "Bravo" not in body and "Charlie" not in body
    compact = " ".join(body.split())
    assert "Open <strong>1</strong>" in compact and "All <strong>2</strong>" in compact
    assert [row["Title"] for row in _csv(client, **params)] == ["Alpha high"]


def test_queue_costs_the_same_at_10_and_200_concerns(
    client, cx_lead, department, django_assert_max_num_queries
):
    def add(count):
        for n in range(count):
            make_concern(
                title=f"Concern {n}",
                owner_department=department if n % 2 else None,
                assignee=cx_lead if n % 3 else None,
                due_at=timezone.now() + datetime.timedelta(days=n % 5 - 2),
                followers=n % 2,
            )

    client.force_login(cx_lead)
    client.get(QUEUE)  # the first request makes the site's settings rows
    add(10)
    with django_assert_max_num_queries(20) as ten:
        assert client.get(QUEUE, {"p": 1}).status_code == 200
    add(190)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        response = client.get(QUEUE)
    assert response.status_code == 200
    with django_assert_max_num_queries(len(ten.captured_queries)):
        export = client.get(QUEUE, {"export": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(rows) == 201


def _csv(client, **params) -> list[dict]:
    response = client.get(QUEUE, {"export": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def _xlsx(client, **params) -> list[dict]:
    response = client.get(QUEUE, {"export": "xlsx", **params})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_csv_and_xlsx_export_the_filtered_rows_whole_for_the_cx_team(client, cx_lead):
    concern = make_concern(
        title=f"Write to {EMAIL}",
        description=f"Call back on {PHONE}",
        customer_reference="ORDER-4411",
        severity=Severity.HIGH,
        due_at=timezone.now() - datetime.timedelta(hours=1),
        followers=1,
    )
    make_concern(title="Low one", severity=Severity.LOW)
    client.force_login(cx_lead)
    for rows in (_csv(client, severity="high"), _xlsx(client, severity="high")):
        assert len(rows) == 1
        row = rows[0]
        assert str(row["Number"]) == str(concern.pk)
        assert row["Title"] == f"Write to {EMAIL}"
        assert row["What the customer experienced"] == f"Call back on {PHONE}"
        assert row["Customer reference"] == "ORDER-4411"
        assert row["How bad it is"] == "High"
        assert row["State"] == "New"
        assert row["Touchpoint"] == "Billing"
        assert row["Past due"] == "Yes"
        assert str(row["Followers"]) == "2"
        assert row["Link"].endswith(f"/concerns/{concern.pk}/")
        assert row["Filed"]


def test_leadership_sees_and_exports_identifiers_masked(client, leader):
    make_concern(
        title=f"Write to {EMAIL}",
        description=f"Call back on {PHONE}",
        customer_reference="ORDER-4411",
    )
    client.force_login(leader)
    body = _titles(client)
    assert EMAIL not in body and "ORDER-4411" not in body
    assert "[email hidden]" in body and "[hidden]" in body
    for rows in (_csv(client), _xlsx(client)):
        row = rows[0]
        assert row["Title"] == "Write to [email hidden]"
        assert row["What the customer experienced"] == "Call back on [phone hidden]"
        assert row["Customer reference"] == "[hidden]"


def test_leader_who_owns_a_concern_sees_its_identifiers(client, leader, department):
    make_concern(title="Owned", customer_reference="ORDER-1", owner_department=department)
    make_concern(title="Not owned", customer_reference="ORDER-2")
    client.force_login(leader)
    references = {row["Title"]: row["Customer reference"] for row in _csv(client)}
    assert references == {"Owned": "ORDER-1", "Not owned": "[hidden]"}


def test_csv_does_not_let_a_title_run_as_a_formula(client, cx_lead):
    make_concern(title='=HYPERLINK("http://evil.example","click")')
    client.force_login(cx_lead)
    assert _csv(client)[0]["Title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert _xlsx(client)[0]["Title"] == '=HYPERLINK("http://evil.example","click")'


def test_queue_escapes_user_text(client, cx_lead):
    make_concern(title="<script>alert(1)</script>")
    client.force_login(cx_lead)
    body = _titles(client)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- the SLAs and the CX channels -----------------------------------------------------------


def test_cx_team_edits_an_sla(client, cx_lead):
    sla = _sla(Severity.CRITICAL)
    client.force_login(cx_lead)
    page = client.get(f"{SLAS}edit/{sla.pk}/").content.decode()
    assert "Working days the owner department has to resolve" in page
    response = client.post(f"{SLAS}edit/{sla.pk}/", {"working_days": "2"})
    assert response.status_code == 302
    sla.refresh_from_db()
    assert sla.working_days == 2
    assert sla.severity == Severity.CRITICAL


def test_sla_list_shows_the_four_severities(client, cx_lead):
    client.force_login(cx_lead)
    body = client.get(SLAS).content.decode()
    for label in ("Critical", "High", "Medium", "Low"):
        assert label in body
    assert f'href="{SLAS}add/"' not in body


def test_cx_team_sets_the_cx_channel(client, cx_lead):
    from stories.channels import cx_channels

    site = Site.objects.get(is_default_site=True)
    client.force_login(cx_lead)
    response = client.post(
        f"/admin/settings/stories/cxsettings/{site.pk}/",
        {"cx_channel_id": "C0CXTEAM01", "leadership_channel_id": ""},
    )
    assert response.status_code == 302
    assert cx_channels().cx == "C0CXTEAM01"


# --- the dashboard panel --------------------------------------------------------------------


def test_dashboard_panel_for_the_cx_team(client, cx_lead, hr, department):
    now = timezone.now()
    make_concern(title=f"Oldest new for {EMAIL}", created_at=now - datetime.timedelta(days=9))
    for n in range(5):
        make_concern(title=f"New {n}", created_at=now - datetime.timedelta(days=n))
    make_concern(
        title="Late one",
        state=Concern.State.IN_PROGRESS,
        owner_department=department,
        due_at=now - datetime.timedelta(days=1),
    )
    client.force_login(cx_lead)
    body = " ".join(client.get("/admin/").content.decode().split())
    assert "Concerns to triage" in body
    assert "6 new concerns" in body
    assert "1 past its SLA" in body
    assert "6 waiting for an owner" in body
    assert f'href="{PORTAL_QUEUE}?state=new"' in body
    assert f'href="{PORTAL_QUEUE}?overdue=true"' in body
    assert f'href="{PORTAL_QUEUE}?waiting_for_owner=true"' in body
    assert f"Oldest new for {EMAIL}" in body
    assert "New 4" in body and "New 0" not in body  # the five oldest only
    client.force_login(hr)
    assert "Concerns to triage" not in client.get("/admin/").content.decode()


def test_dashboard_panel_masks_for_leadership_and_says_when_nothing_waits(client, leader):
    client.force_login(leader)
    assert "Nothing is waiting for triage." in client.get("/admin/").content.decode()
    make_concern(title=f"Write to {EMAIL}")
    body = client.get("/admin/").content.decode()
    assert EMAIL not in body
    assert "Write to [email hidden]" in body
