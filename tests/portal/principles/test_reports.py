"""The acknowledgement reports: their numbers, filters, exports, the curve, and their cost."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.principles.models import Acknowledgement, Principle
from portal.principles.reminders import principle_ask
from portal.principles.reports import counts_changed
from portal.principles.services import principle_acknowledge
from tests.factories import DepartmentFactory, UserFactory
from tests.portal.principles.helpers import principle

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def company(hr, department):
    """Support: HR and Sam. Sales: Kai, Kim, and Lee who has left. Two principles."""
    sales = DepartmentFactory(name="Sales", slug="sales")
    sam = UserFactory(email="sam@example.com", first_name="Sam", department=department)
    kai = UserFactory(email="kai@example.com", first_name="Kai", department=sales)
    kim = UserFactory(email="kim@example.com", first_name="Kim", department=sales)
    lee = UserFactory(email="lee@example.com", first_name="Lee", department=sales)
    first = Principle.objects.get(translation_key=principle().translation_key)
    second = Principle.objects.get(
        translation_key=principle("Remove the cause", "Fix why it happened.").translation_key
    )
    Acknowledgement.objects.all().delete()
    first.version_published_at = NOW - 20 * DAY
    second.version_published_at = NOW - 3 * DAY
    first.save()
    second.save()
    principle_ask(principle_id=first.pk, version=1, now=NOW - 20 * DAY)
    principle_ask(principle_id=second.pk, version=1, now=NOW - 3 * DAY)
    lee.is_active = False
    lee.save()

    def acknowledge(who, what, when):
        Acknowledgement.objects.filter(user=who, principle=what).update(acknowledged_at=when)

    acknowledge(sam, first, NOW - 19 * DAY)
    acknowledge(kai, first, NOW - 18 * DAY)
    for who in (hr, sam, kai, kim):
        acknowledge(who, second, NOW - 3 * DAY + datetime.timedelta(hours=12))
    acknowledge(kim, second, NOW - DAY)  # the last one: on the third day
    counts_changed()  # a bulk update sends no signal
    return {"sales": sales, "first": first, "second": second}


def _rows(response) -> dict[str, list[str]]:
    """The export's rows by their first cell."""
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    return {line.split(",")[0]: line.split(",")[1:] for line in lines[1:]}


def test_per_principle_acknowledged_pending_overdue_and_days_to_everyone(client, hr, company):
    client.force_login(hr)
    rows = _rows(client.get("/admin/principles/report/?export=csv"))
    # version, published, asked, acknowledged, pending, overdue, share, days to 100%
    first = rows["Help clients succeed"]
    assert first[0] == "1" and first[2:] == ["4", "2", "2", "2", "50", ""]
    second = rows["Remove the cause"]
    assert second[2:] == ["4", "4", "0", "0", "100", "2"]
    html = client.get("/admin/principles/report/").content.decode()
    assert "Help clients succeed" in html and "Days to 100%" in html


def test_the_department_filter_counts_its_people_only(client, hr, company):
    client.force_login(hr)
    url = f"/admin/principles/report/?export=csv&department={company['sales'].pk}"
    first = _rows(client.get(url))["Help clients succeed"]
    assert first[2:6] == ["2", "1", "1", "1"]


def test_per_department_for_all_principles_or_one(client, hr, company):
    client.force_login(hr)
    rows = _rows(client.get("/admin/principles/departments/?export=csv"))
    # asked, acknowledged, pending, overdue, share, days to 100%
    assert rows["Customer Support"] == ["4", "3", "1", "1", "75", ""]
    assert rows["Sales"] == ["4", "3", "1", "1", "75", ""]
    url = f"/admin/principles/departments/?export=csv&principle={company['second'].pk}"
    rows = _rows(client.get(url))
    assert rows["Customer Support"] == ["2", "2", "0", "0", "100", "1"]
    assert rows["Sales"] == ["2", "2", "0", "0", "100", "2"]


def test_the_xlsx_export_opens(client, hr, company):
    client.force_login(hr)
    response = client.get("/admin/principles/report/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_the_curve_after_each_publication(client, hr, company):
    client.force_login(hr)
    url = f"/admin/principles/report/{company['second'].pk}/"
    html = client.get(url).content.decode()
    assert "Version 1, published" in html and "4 people asked" in html
    assert "Share acknowledged, by day after publication" in html
    assert "chart-line" in html
    # Day 0: three of four (75%); on day 2 the last one (100%).
    assert (
        '<th scope="row">0</th><td>75%</td></tr><tr><th scope="row">1</th><td>75%</td></tr>'
        '<tr><th scope="row">2</th><td>100%</td>'
    ) in html


def test_the_reports_are_for_cx_leadership_and_hr(client, company, everyone_but_hr, hr):
    urls = [
        "/admin/principles/report/",
        "/admin/principles/departments/",
        f"/admin/principles/report/{company['first'].pk}/",
    ]
    allowed = {"cx_lead", "leader", "administrator"}
    for url in urls:
        client.force_login(hr)
        assert client.get(url).status_code == 200, url
        for name, user in everyone_but_hr.items():
            client.force_login(user)
            status = client.get(url).status_code
            assert (status == 200) == (name in allowed), (url, name, status)


@pytest.fixture
def everyone_but_hr(request):
    names = ["new_hire", "ambassador", "outsider", "cx_lead", "leader", "administrator"]
    return {name: request.getfixturevalue(name) for name in names}


def _queries(client, url) -> int:
    counts_changed()  # counted afresh, not read from the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/admin/principles/report/", "/admin/principles/departments/"])
def test_a_report_costs_the_same_queries_with_more_principles_and_people(client, hr, company, url):
    client.force_login(hr)
    client.get(url)
    before = _queries(client, url)
    for n in range(5):
        UserFactory(email=f"more{n}@example.com", department=company["sales"])
    for n in range(3):
        made = principle(f"Principle {n}", f"Statement {n}.")
        state = Principle.objects.get(translation_key=made.translation_key)
        principle_ask(principle_id=state.pk, version=1)
    assert _queries(client, url) == before


def test_the_counts_kept_change_as_soon_as_someone_acknowledges(client, hr, company):
    client.force_login(hr)
    first = _rows(client.get("/admin/principles/report/?export=csv"))["Help clients succeed"]
    assert first[3] == "2"
    principle_acknowledge(user=hr, principle=company["first"], version=1)
    again = _rows(client.get("/admin/principles/report/?export=csv"))["Help clients succeed"]
    assert again[3:6] == ["3", "1", "1"]
