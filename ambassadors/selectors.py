"""Reads for ambassadors: the directory (coverage grid and cards) and terms ending soon.

Every function here costs a fixed number of queries, whatever the number of ambassadors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ambassadors.models import Appointment, Touchpoint
from portal.models import Department
from stories.models import Concern, Story


def _count_by_submitter(queryset: QuerySet, person_field: str = "person_id") -> Coalesce:
    """A correlated count of rows submitted by the appointment's person (0 when none)."""
    counted = (
        queryset.filter(submitted_by=OuterRef(person_field))
        .order_by()
        .values("submitted_by")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def active_appointments(*, today: datetime.date | None = None) -> QuerySet[Appointment]:
    """Today's appointments of current employees, with what their cards show, in one query.

    Touchpoints come in one more query (prefetched, in their own order).
    """
    today = timezone.localdate() if today is None else today
    return (
        Appointment.objects.active_on(today)
        .filter(person__is_active=True)
        .select_related("person", "person__wagtail_userprofile", "department")
        .prefetch_related(Prefetch("touchpoints", queryset=Touchpoint.objects.order_by()))
        .annotate(
            stories_published=_count_by_submitter(Story.objects.filter(live=True)),
            concerns_filed=_count_by_submitter(Concern.objects.all()),
        )
        .order_by("department__name", "person__first_name", "person__last_name", "pk")
    )


@dataclass
class AmbassadorCard:
    appointment: Appointment
    name: str
    initials: str
    avatar_url: str
    department: Department
    touchpoints: list[Touchpoint]
    starts_on: datetime.date
    ends_on: datetime.date
    stories_published: int
    concerns_filed: int


@dataclass
class GridCell:
    touchpoint: Touchpoint
    names: list[str] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return not self.names


@dataclass
class GridRow:
    department: Department
    cells: list[GridCell]


@dataclass
class Directory:
    touchpoints: list[Touchpoint]
    rows: list[GridRow]
    gap_count: int
    cards: list[AmbassadorCard]

    @property
    def cell_count(self) -> int:
        return len(self.rows) * len(self.touchpoints)


def initials_of(user) -> str:
    parts = [user.first_name, user.last_name] if user.first_name else [str(user)]
    letters = "".join(part.strip()[:1] for part in parts if part and part.strip())
    return letters.upper()[:2] or "?"


def _avatar_url(user) -> str:
    # The reverse one-to-one is select_related, so a person without a Wagtail profile costs
    # no query here (its DoesNotExist is an AttributeError too).
    profile = getattr(user, "wagtail_userprofile", None)
    return profile.avatar.url if profile is not None and profile.avatar else ""


def _card(appointment: Appointment, touchpoint_order: dict[int, int]) -> AmbassadorCard:
    person = appointment.person
    touchpoints = sorted(appointment.touchpoints.all(), key=lambda t: touchpoint_order.get(t.pk, 0))
    return AmbassadorCard(
        appointment=appointment,
        name=str(person),
        initials=initials_of(person),
        avatar_url=_avatar_url(person),
        department=appointment.department,
        touchpoints=touchpoints,
        starts_on=appointment.starts_on,
        ends_on=appointment.ends_on,
        stories_published=appointment.stories_published,
        concerns_filed=appointment.concerns_filed,
    )


def ambassador_directory(*, today: datetime.date | None = None) -> Directory:
    """The coverage grid (every department × every touchpoint) and a card per appointment."""
    departments = list(Department.objects.order_by("name"))
    touchpoints = list(Touchpoint.objects.all())
    order = {touchpoint.pk: index for index, touchpoint in enumerate(touchpoints)}
    cards = [_card(appointment, order) for appointment in active_appointments(today=today)]

    covered: dict[tuple[int, int], list[str]] = {}
    for card in cards:
        for touchpoint in card.touchpoints:
            covered.setdefault((card.department.pk, touchpoint.pk), []).append(card.name)
    rows = [
        GridRow(
            department=department,
            cells=[
                GridCell(
                    touchpoint=touchpoint, names=covered.get((department.pk, touchpoint.pk), [])
                )
                for touchpoint in touchpoints
            ],
        )
        for department in departments
    ]
    gaps = sum(cell.is_gap for row in rows for cell in row.cells)
    return Directory(touchpoints=touchpoints, rows=rows, gap_count=gaps, cards=cards)


def terms_ending_soon(
    *, today: datetime.date | None = None, within_days: int = 14
) -> QuerySet[Appointment]:
    """Active appointments whose last day is within `within_days` of today, soonest first."""
    today = timezone.localdate() if today is None else today
    return (
        Appointment.objects.active_on(today)
        .filter(ends_on__lte=today + datetime.timedelta(days=within_days))
        .select_related("person", "department")
        .order_by("ends_on", "pk")
    )
