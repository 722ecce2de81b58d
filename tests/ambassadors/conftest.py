"""Fixtures for the ambassadors app: touchpoints, appointments, stories and concerns as rows."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ambassadors.models import Appointment, Touchpoint
from stories.models import Concern, Story


@pytest.fixture
def touchpoints(db):
    return [
        Touchpoint.objects.create(name="Sales", name_ko="영업", slug="sales", order=1),
        Touchpoint.objects.create(name="Support", slug="support", order=2),
        Touchpoint.objects.create(name="Billing", slug="billing", order=3),
    ]


@pytest.fixture
def today():
    return timezone.localdate()


def appoint(person, department, touchpoints, *, starts_on, ends_on, reason="Knows customers"):
    """An appointment written straight to the database (reads don't need the service)."""
    appointment = Appointment.objects.create(
        person=person,
        department=department,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )
    appointment.touchpoints.set(touchpoints)
    return appointment


def story(person, touchpoint, *, published_at: datetime.datetime | None = None, live=True):
    return Story.objects.create(
        title="A happy customer",
        what_happened="We helped.",
        customer_words="Thank you!",
        outcome="They stayed.",
        touchpoint=touchpoint,
        language="en",
        submitted_by=person,
        live=live,
        first_published_at=published_at if live else None,
        review_status=Story.ReviewStatus.PUBLISHED if live else Story.ReviewStatus.DRAFT,
    )


def concern(person, touchpoint, department, **fields):
    return Concern.objects.create(
        title=fields.pop("title", "Payment failed"),
        description="The card was refused twice.",
        touchpoint=touchpoint,
        department=department,
        submitted_by=person,
        **fields,
    )


def fixed_systemic(person, touchpoint, department, *, resolved_at, **fields):
    return concern(
        person,
        touchpoint,
        department,
        kind=Concern.Kind.SYSTEMIC,
        state=fields.pop("state", Concern.State.RESOLVED),
        resolved_at=resolved_at,
        **fields,
    )


def bulk_people(count: int, department=None) -> list:
    """Many people at once, each with a profile (for the query-count tests: fast)."""
    from portal.models import Profile, User

    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            email=f"bulk{start + index}@example.com",
            username=f"bulk{start + index}",
            first_name=f"Bulk{start + index}",
            last_name="Person",
        )
        for index in range(count)
    )
    Profile.objects.bulk_create(Profile(user=user, department=department) for user in users)
    return users


def bulk_appoint(people, department, touchpoints, *, starts_on, ends_on) -> None:
    appointments = Appointment.objects.bulk_create(
        Appointment(
            person=person,
            department=department,
            starts_on=starts_on,
            ends_on=ends_on,
            reason="Knows customers",
        )
        for person in people
    )
    Through = Appointment.touchpoints.through
    Through.objects.bulk_create(
        Through(appointment=appointment, touchpoint=touchpoint)
        for appointment in appointments
        for touchpoint in touchpoints
    )


def bulk_stories(people, touchpoint, *, published_at) -> None:
    Story.objects.bulk_create(
        Story(
            title="A happy customer",
            what_happened="We helped.",
            customer_words="Thank you!",
            outcome="They stayed.",
            touchpoint=touchpoint,
            language="en",
            submitted_by=person,
            live=True,
            first_published_at=published_at,
            review_status=Story.ReviewStatus.PUBLISHED,
        )
        for person in people
    )
