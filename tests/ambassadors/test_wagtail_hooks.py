"""Touchpoints and appointments in the admin: every save goes through the services."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from ambassadors.models import Appointment, Touchpoint
from portal.groups import AMBASSADORS
from tests.ambassadors.conftest import appoint, bulk_appoint, bulk_people
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
LIST = "/admin/snippets/ambassadors/appointment/"
ADD = LIST + "add/"
TOUCHPOINTS = "/admin/snippets/ambassadors/touchpoint/"


def ambassadors() -> set[int]:
    return set(Group.objects.get(name=AMBASSADORS).user_set.values_list("pk", flat=True))


def form_data(person, department, touchpoints, today, **changes):
    data = {
        "person": person.pk,
        "department": department.pk,
        "touchpoints": [touchpoint.pk for touchpoint in touchpoints],
        "starts_on": today.isoformat(),
        "ends_on": (today + DAY * 180).isoformat(),
        "reason": "Hears every customer call.",
    }
    data.update(changes)
    return data


# --- create and edit ---------------------------------------------------------------------


def test_cx_lead_appoints_through_the_admin(
    client, cx_lead, outsider, department, touchpoints, today
):
    client.force_login(cx_lead)
    form = client.get(ADD)
    assert form.status_code == 200
    body = form.content.decode()
    assert 'type="checkbox" name="touchpoints"' in body
    assert "(outsider@example.com)" in body
    response = client.post(ADD, form_data(outsider, department, touchpoints[:2], today))
    assert response.status_code == 302, response.content.decode()[:2000]
    appointment = Appointment.objects.get()
    assert appointment.appointed_by == cx_lead
    assert list(appointment.touchpoints.all()) == touchpoints[:2]
    assert outsider.pk in ambassadors()
    assert ModelLogEntry.objects.filter(action="wagtail.create", user=cx_lead).exists()


def test_the_admin_form_keeps_what_was_typed_and_shows_errors_beside_fields(
    client, cx_lead, outsider, department, touchpoints, today
):
    client.force_login(cx_lead)
    response = client.post(
        ADD,
        form_data(
            outsider,
            department,
            [],
            today,
            ends_on=(today - DAY).isoformat(),
            reason="Typed with care",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ends_on"] == ["The term cannot end before it starts."]
    assert "touchpoints" in form.errors
    assert "Typed with care" in response.content.decode()
    assert not Appointment.objects.exists()


def test_service_errors_land_beside_the_field(
    client, cx_lead, outsider, department, touchpoints, today
):
    appoint(outsider, department, touchpoints, starts_on=today, ends_on=today + DAY * 10)
    client.force_login(cx_lead)
    response = client.post(ADD, form_data(outsider, department, touchpoints, today))
    assert response.status_code == 200
    assert (
        "is already appointed for Customer Support"
        in response.context["form"].errors["starts_on"][0]
    )
    assert Appointment.objects.count() == 1


def test_editing_moves_the_group_membership(
    client, cx_lead, outsider, new_hire, department, touchpoints, today
):
    appointment = appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    Group.objects.get(name=AMBASSADORS).user_set.add(outsider)
    client.force_login(cx_lead)
    url = f"{LIST}edit/{appointment.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(new_hire, department, touchpoints[2:], today))
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.person == new_hire
    assert appointment.appointed_by is None  # as it was: only creating sets it
    assert list(appointment.touchpoints.all()) == touchpoints[2:]
    assert outsider.pk not in ambassadors() and new_hire.pk in ambassadors()


def test_hr_and_leadership_see_appointments_but_cannot_change_them(
    client, hr, leader, outsider, department, touchpoints, today
):
    appointment = appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    for user in (hr, leader):
        client.force_login(user)
        listing = client.get(LIST)
        assert listing.status_code == 200
        assert "Outsider Tester" in listing.content.decode()
        inspect = client.get(f"{LIST}inspect/{appointment.pk}/")
        assert inspect.status_code == 200
        assert "Knows customers" in inspect.content.decode()
        assert client.get(ADD).status_code in {302, 403}
        response = client.post(ADD, form_data(UserFactory(), department, touchpoints, today))
        assert response.status_code in {302, 403}
        assert client.get(f"{LIST}edit/{appointment.pk}/").status_code in {302, 403}
        assert client.get(f"{LIST}end/{appointment.pk}/").status_code in {302, 403}
        assert client.post(f"{LIST}delete/{appointment.pk}/").status_code in {302, 403}
    assert Appointment.objects.count() == 1


# --- end, delete -------------------------------------------------------------------------


def test_ending_a_term_from_the_admin(client, cx_lead, outsider, department, touchpoints, today):
    appointment = appoint(
        outsider, department, touchpoints, starts_on=today - DAY * 5, ends_on=today + DAY * 50
    )
    Group.objects.get(name=AMBASSADORS).user_set.add(outsider)
    client.force_login(cx_lead)
    listing = client.get(LIST).content.decode()
    assert f"{LIST}end/{appointment.pk}/" in listing
    url = f"{LIST}end/{appointment.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    assert "No longer an ambassador from" in form.content.decode()
    response = client.post(url, {"on": today.isoformat()}, follow=True)
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.ends_on == today - DAY
    assert outsider.pk not in ambassadors()
    assert "now ends on" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="ambassadors.end_term").exists()
    # An ended term offers no "End term" any more.
    assert f"{LIST}end/{appointment.pk}/" not in client.get(LIST).content.decode()


def test_ending_needs_a_date(client, cx_lead, outsider, department, touchpoints, today):
    appointment = appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    client.force_login(cx_lead)
    response = client.post(f"{LIST}end/{appointment.pk}/", {"on": "soon"})
    assert response.status_code == 200
    assert "on" in response.context["form"].errors


def test_deleting_in_the_admin_syncs(client, cx_lead, outsider, department, touchpoints, today):
    appointment = appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    Group.objects.get(name=AMBASSADORS).user_set.add(outsider)
    client.force_login(cx_lead)
    response = client.post(f"{LIST}delete/{appointment.pk}/")
    assert response.status_code == 302
    assert not Appointment.objects.exists()
    assert outsider.pk not in ambassadors()
    assert ModelLogEntry.objects.filter(action="wagtail.delete").exists()


def test_bulk_delete_goes_through_the_service(
    client, cx_lead, outsider, new_hire, department, touchpoints, today
):
    first = appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    second = appoint(new_hire, department, touchpoints, starts_on=today, ends_on=today)
    Group.objects.get(name=AMBASSADORS).user_set.add(outsider, new_hire)
    client.force_login(cx_lead)
    url = reverse("wagtail_bulk_action", args=("ambassadors", "appointment", "delete"))
    url += f"?id={first.pk}&id={second.pk}&next={LIST}"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Appointment.objects.exists()
    assert not ambassadors() & {outsider.pk, new_hire.pk}


def test_no_copy_view(client, cx_lead, outsider, department, touchpoints, today):
    appointment = appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    client.force_login(cx_lead)
    assert client.get(f"{LIST}copy/{appointment.pk}/").status_code == 404


def test_appointment_list_costs_the_same_for_10_or_200(
    client, cx_lead, department, touchpoints, today, django_assert_max_num_queries
):
    client.force_login(cx_lead)
    client.get(LIST)
    bulk_appoint(bulk_people(10), department, touchpoints, starts_on=today, ends_on=today)
    with django_assert_max_num_queries(60) as few:
        assert client.get(LIST).status_code == 200
    bulk_appoint(bulk_people(190), department, touchpoints, starts_on=today, ends_on=today)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST + "?per_page=200").status_code == 200


# --- touchpoints -------------------------------------------------------------------------


def test_cx_lead_edits_touchpoints(client, cx_lead, hr):
    client.force_login(cx_lead)
    response = client.post(
        TOUCHPOINTS + "add/",
        {"name": "Delivery", "name_ko": "배송", "slug": "delivery", "order": 4},
    )
    assert response.status_code == 302
    touchpoint = Touchpoint.objects.get(slug="delivery")
    assert client.get(TOUCHPOINTS + "?q=Deliv").status_code == 200
    client.force_login(hr)
    assert client.get(f"{TOUCHPOINTS}edit/{touchpoint.pk}/").status_code in {302, 403}


# --- dashboard ---------------------------------------------------------------------------


def test_cx_team_sees_terms_ending_soon_on_the_dashboard(
    client, cx_lead, hr, outsider, new_hire, department, touchpoints, today
):
    appoint(outsider, department, touchpoints, starts_on=today - DAY, ends_on=today + DAY * 3)
    appoint(new_hire, department, touchpoints, starts_on=today, ends_on=today + DAY * 30)
    client.force_login(cx_lead)
    body = client.get("/admin/").content.decode()
    assert "Ambassador terms ending within 14 days" in body
    assert "1 ambassador term ends within 14 days." in body
    assert "Outsider Tester" in body and "in 3 days" in body
    assert "New Hire Tester" not in body
    client.force_login(hr)
    assert "Ambassador terms ending within 14 days" not in client.get("/admin/").content.decode()


def test_dashboard_panel_when_nothing_ends(client, cx_lead):
    client.force_login(cx_lead)
    assert "No ambassador term ends in the next 14 days." in client.get("/admin/").content.decode()
