"""Appointments through the services: permission, validation, and the Ambassadors group in step."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import Site

from ambassadors import services
from ambassadors.models import Appointment
from portal.groups import AMBASSADORS
from portal.models import OutboxMessage
from stories.models import CXSettings
from tests.ambassadors.conftest import appoint
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def ambassadors() -> set[int]:
    return set(Group.objects.get(name=AMBASSADORS).user_set.values_list("pk", flat=True))


def arguments(person, department, touchpoints, today, **changes):
    values = {
        "person_id": person.pk,
        "department_id": department.pk,
        "touchpoint_ids": [touchpoint.pk for touchpoint in touchpoints],
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=365),
        "reason": "Hears every customer call in support.",
    }
    values.update(changes)
    return values


@pytest.fixture
def cx_channel(db):
    settings = CXSettings.for_site(Site.objects.get(is_default_site=True))
    settings.cx_channel_id = "C0CXTEAM01"
    settings.save()
    return settings.cx_channel_id


# --- create ------------------------------------------------------------------------------


def test_cx_lead_appoints_and_the_person_becomes_an_ambassador(
    cx_lead, outsider, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints[:2], today)
    )
    assert appointment.appointed_by == cx_lead
    assert set(appointment.touchpoints.all()) == set(touchpoints[:2])
    assert appointment.reason == "Hears every customer call in support."
    assert outsider.pk in ambassadors()


def test_a_term_that_starts_later_joins_the_group_on_its_first_day(
    cx_lead, outsider, department, touchpoints, today
):
    services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today, starts_on=today + DAY)
    )
    assert outsider.pk not in ambassadors()
    assert services.ambassadors_sync(today=today + DAY) == ([outsider.pk], [])
    assert outsider.pk in ambassadors()


def test_a_superuser_may_appoint(administrator, outsider, department, touchpoints, today):
    services.appointment_create(
        user=administrator, **arguments(outsider, department, touchpoints, today)
    )
    assert outsider.pk in ambassadors()


@pytest.mark.parametrize("persona", ["hr", "leader", "ambassador", "new_hire", "outsider"])
def test_only_the_cx_team_appoints(request, persona, department, touchpoints, today):
    user = request.getfixturevalue(persona)
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.appointment_create(user=user, **arguments(person, department, touchpoints, today))
    assert not Appointment.objects.exists()


def test_every_mistake_is_named_by_its_argument(cx_lead, department, touchpoints, today):
    with pytest.raises(ValidationError) as caught:
        services.appointment_create(
            user=cx_lead,
            person_id=999_999,
            department_id=999_999,
            touchpoint_ids=[],
            starts_on=today,
            ends_on=today - DAY,
            reason="   ",
        )
    errors = caught.value.message_dict
    assert set(errors) == {"person_id", "department_id", "touchpoint_ids", "ends_on", "reason"}
    assert errors["ends_on"] == ["The term cannot end before it starts."]
    assert errors["touchpoint_ids"] == ["Choose at least one touchpoint."]
    assert not Appointment.objects.exists()


def test_unknown_touchpoints_are_named(cx_lead, outsider, department, touchpoints, today):
    with pytest.raises(ValidationError) as caught:
        services.appointment_create(
            user=cx_lead,
            **arguments(
                outsider, department, touchpoints, today, touchpoint_ids=[touchpoints[0].pk, 424242]
            ),
        )
    assert caught.value.message_dict == {
        "touchpoint_ids": ["These touchpoints do not exist (any more): 424242."]
    }


def test_dates_must_be_dates(cx_lead, outsider, department, touchpoints, today):
    with pytest.raises(ValidationError) as caught:
        services.appointment_create(
            user=cx_lead,
            **arguments(
                outsider, department, touchpoints, today, starts_on="2026-01-01", ends_on=None
            ),
        )
    assert set(caught.value.message_dict) == {"starts_on", "ends_on"}


def test_a_deactivated_person_cannot_be_appointed(cx_lead, department, touchpoints, today):
    gone = UserFactory(first_name="Gone", last_name="Away", is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.appointment_create(user=cx_lead, **arguments(gone, department, touchpoints, today))
    assert caught.value.message_dict["person_id"] == [
        "Gone Away's account is deactivated: only current employees can be appointed."
    ]


def test_no_two_overlapping_terms_for_one_person_and_department(
    cx_lead, outsider, department, touchpoints, today
):
    services.appointment_create(user=cx_lead, **arguments(outsider, department, touchpoints, today))
    with pytest.raises(ValidationError) as caught:
        services.appointment_create(
            user=cx_lead,
            **arguments(outsider, department, touchpoints, today, starts_on=today + DAY * 30),
        )
    assert "is already appointed for Customer Support" in caught.value.message_dict["starts_on"][0]
    # Another department is another appointment.
    other = DepartmentFactory(name="Billing")
    services.appointment_create(user=cx_lead, **arguments(outsider, other, touchpoints, today))
    assert Appointment.objects.filter(person=outsider).count() == 2


# --- update ------------------------------------------------------------------------------


def test_changing_the_person_moves_the_group_membership(
    cx_lead, outsider, new_hire, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today)
    )
    services.appointment_update(
        user=cx_lead,
        appointment=appointment,
        **arguments(new_hire, department, touchpoints[1:], today, reason="Better placed"),
    )
    appointment.refresh_from_db()
    assert appointment.person == new_hire
    assert appointment.appointed_by == cx_lead
    assert list(appointment.touchpoints.all()) == touchpoints[1:]
    assert new_hire.pk in ambassadors()
    assert outsider.pk not in ambassadors()


def test_update_needs_the_right_to_change(hr, cx_lead, outsider, department, touchpoints, today):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today)
    )
    with pytest.raises(PermissionDenied):
        services.appointment_update(
            user=hr, appointment=appointment, **arguments(outsider, department, touchpoints, today)
        )


def test_someone_who_left_may_stay_on_their_appointment_when_it_is_corrected(
    cx_lead, department, touchpoints, today
):
    person = UserFactory()
    appointment = services.appointment_create(
        user=cx_lead, **arguments(person, department, touchpoints, today)
    )
    person.is_active = False
    person.save()
    services.appointment_update(
        user=cx_lead,
        appointment=appointment,
        **arguments(person, department, touchpoints, today, ends_on=today),
    )
    appointment.refresh_from_db()
    assert appointment.ends_on == today
    # A deactivated account is never in the group.
    assert person.pk not in ambassadors()


def test_update_validates_like_create(cx_lead, outsider, department, touchpoints, today):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today)
    )
    with pytest.raises(ValidationError) as caught:
        services.appointment_update(
            user=cx_lead,
            appointment=appointment,
            **arguments(outsider, department, [], today, reason=""),
        )
    assert set(caught.value.message_dict) == {"touchpoint_ids", "reason"}


# --- end and delete ----------------------------------------------------------------------


def test_ending_today_leaves_yesterday_as_the_last_day(
    cx_lead, outsider, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today - DAY * 10)
    )
    ended = services.appointment_end(user=cx_lead, appointment=appointment)
    assert ended.ends_on == today - DAY
    assert outsider.pk not in ambassadors()


def test_ending_on_a_later_day_keeps_them_until_then(
    cx_lead, outsider, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today - DAY * 10)
    )
    ended = services.appointment_end(user=cx_lead, appointment=appointment, on=today + DAY * 5)
    assert ended.ends_on == today + DAY * 4
    assert outsider.pk in ambassadors()


def test_ending_a_term_that_has_not_begun_withdraws_it(
    cx_lead, outsider, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today + DAY * 3)
    )
    assert (
        services.appointment_end(user=cx_lead, appointment=appointment, on=today + DAY * 3) is None
    )
    assert not Appointment.objects.exists()


def test_ending_the_day_after_it_starts_leaves_a_one_day_term(
    cx_lead, outsider, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today)
    )
    ended = services.appointment_end(user=cx_lead, appointment=appointment, on=today + DAY)
    assert (ended.starts_on, ended.ends_on) == (today, today)


def test_ending_never_lengthens_a_term(cx_lead, outsider, department, touchpoints, today):
    appointment = services.appointment_create(
        user=cx_lead,
        **arguments(outsider, department, touchpoints, today - DAY * 30, ends_on=today - DAY * 2),
    )
    ended = services.appointment_end(user=cx_lead, appointment=appointment, on=today + DAY * 30)
    assert ended.ends_on == today - DAY * 2


def test_ending_needs_the_right_to_change(
    leader, cx_lead, outsider, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today)
    )
    with pytest.raises(PermissionDenied):
        services.appointment_end(user=leader, appointment=appointment)
    with pytest.raises(ValidationError) as caught:
        services.appointment_end(user=cx_lead, appointment=appointment, on="tomorrow")
    assert set(caught.value.message_dict) == {"on"}


def test_deleting_takes_them_out_of_the_group(
    cx_lead, hr, outsider, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today)
    )
    with pytest.raises(PermissionDenied):
        services.appointment_delete(user=hr, appointment=appointment)
    services.appointment_delete(user=cx_lead, appointment=appointment)
    assert not Appointment.objects.exists()
    assert outsider.pk not in ambassadors()


def test_one_of_two_terms_ending_keeps_the_person_in(
    cx_lead, outsider, department, touchpoints, today
):
    first = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today - DAY)
    )
    services.appointment_create(
        user=cx_lead, **arguments(outsider, DepartmentFactory(), touchpoints, today)
    )
    services.appointment_end(user=cx_lead, appointment=first)
    assert outsider.pk in ambassadors()


# --- the sync ----------------------------------------------------------------------------


def test_sync_makes_the_group_exactly_the_active_appointments(
    ambassador, outsider, new_hire, department, touchpoints, today
):
    # The ambassador persona was put in the group by hand, with no appointment.
    appoint(outsider, department, touchpoints, starts_on=today, ends_on=today + DAY)
    appoint(new_hire, department, touchpoints, starts_on=today - DAY * 9, ends_on=today - DAY)
    gone = UserFactory(is_active=False)
    appoint(gone, department, touchpoints, starts_on=today, ends_on=today + DAY)
    assert services.ambassadors_sync(today=today) == ([outsider.pk], [ambassador.pk])
    assert ambassadors() == {outsider.pk}
    assert services.ambassadors_sync(today=today) == ([], [])


def test_a_term_ends_by_itself_the_day_after_its_last_day(outsider, department, touchpoints, today):
    appoint(outsider, department, touchpoints, starts_on=today - DAY, ends_on=today + DAY)
    services.ambassadors_sync(today=today + DAY)
    assert outsider.pk in ambassadors()  # the last day is part of the term
    services.ambassadors_sync(today=today + DAY * 2)
    assert outsider.pk not in ambassadors()


def test_sync_one_person(outsider, department, touchpoints, today):
    appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    assert services.ambassador_sync_person(person_id=outsider.pk, today=today) is True
    assert outsider.pk in ambassadors()
    assert services.ambassador_sync_person(person_id=outsider.pk, today=today + DAY) is False
    assert outsider.pk not in ambassadors()


# --- the daily round ---------------------------------------------------------------------


def test_the_cx_team_hears_of_a_term_14_days_before_it_ends_once(
    cx_channel, outsider, new_hire, department, touchpoints, today
):
    near = appoint(outsider, department, touchpoints, starts_on=today, ends_on=today + DAY * 14)
    appoint(new_hire, department, touchpoints, starts_on=today, ends_on=today + DAY * 15)
    result = services.appointments_daily(today=today)
    assert result == {"added": 2, "removed": 0, "ending": 1, "notices": 1}
    services.appointments_daily(today=today)
    message = OutboxMessage.objects.get()
    assert message.channel == cx_channel
    key = f"ambassadors:appointment:{near.pk}:ending:{near.ends_on.isoformat()}"
    assert message.idempotency_key == key
    assert "ends in 14 days" in message.text
    assert f"/admin/snippets/ambassadors/appointment/edit/{near.pk}/" in message.text
    # The other one is told the next day, once too, and the first is not told again.
    services.appointments_daily(today=today + DAY)
    services.appointments_daily(today=today + DAY)
    assert OutboxMessage.objects.count() == 2


def test_an_extended_term_is_told_again_near_its_new_end(
    cx_channel, cx_lead, outsider, department, touchpoints, today
):
    appointment = services.appointment_create(
        user=cx_lead, **arguments(outsider, department, touchpoints, today, ends_on=today + DAY)
    )
    services.appointments_daily(today=today)
    assert "ends tomorrow" in OutboxMessage.objects.get().text
    services.appointment_update(
        user=cx_lead,
        appointment=appointment,
        **arguments(outsider, department, touchpoints, today, ends_on=today + DAY * 40),
    )
    services.appointments_daily(today=today + DAY)
    assert OutboxMessage.objects.count() == 1
    services.appointments_daily(today=today + DAY * 40)
    texts = list(OutboxMessage.objects.order_by("pk").values_list("text", flat=True))
    assert len(texts) == 2
    assert "ends today" in texts[1]


def test_names_are_escaped_in_the_notice(cx_channel, department, touchpoints, today):
    mischief = UserFactory(first_name="<!channel>", last_name="& <@U123>")
    department.name = "Support <!here>"
    department.save()
    appoint(mischief, department, touchpoints, starts_on=today, ends_on=today + DAY * 3)
    services.appointments_daily(today=today)
    text = OutboxMessage.objects.get().text
    assert "<!channel>" not in text and "<!here>" not in text and "<@U123>" not in text
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in text
    assert "Support &lt;!here&gt;" in text


def test_without_a_cx_channel_nothing_is_written_and_it_is_logged(
    caplog, outsider, department, touchpoints, today
):
    appoint(outsider, department, touchpoints, starts_on=today, ends_on=today + DAY)
    with caplog.at_level(logging.WARNING, logger="ambassadors.services"):
        result = services.appointments_daily(today=today)
    assert result["notices"] == 0 and result["ending"] == 1
    assert not OutboxMessage.objects.exists()
    assert "no CX channel is set" in caplog.text
    assert outsider.pk in ambassadors()
