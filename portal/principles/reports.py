"""Reads for the acknowledgement reports: who was asked, who acknowledged, who is late.

Counts are of the current version of each principle and of active people: someone who left
the company is neither pending nor overdue. A person is *overdue* when they were asked more
than OVERDUE_AFTER ago and have not acknowledged (the day their manager is told). Every
function here answers in a constant number of queries, whatever the number of people.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils import timezone

from portal.models import Department
from portal.principles.models import Acknowledgement, Principle, PrincipleRelease

OVERDUE_AFTER = datetime.timedelta(days=14)


def _counts(prefix: str, *, now: datetime.datetime, current: Q) -> dict:
    """Count annotations over the acknowledgements reached through `prefix`."""
    done = current & Q(**{f"{prefix}__acknowledged_at__isnull": False})
    waiting = current & Q(**{f"{prefix}__acknowledged_at__isnull": True})
    late = waiting & Q(**{f"{prefix}__asked_at__lte": now - OVERDUE_AFTER})
    return {
        "asked": Count(prefix, filter=current),
        "acknowledged": Count(prefix, filter=done),
        "overdue": Count(prefix, filter=late),
        "last_acknowledged_at": Max(f"{prefix}__acknowledged_at", filter=done),
    }


def principle_report(
    *, department_id: int | None = None, now: datetime.datetime | None = None
) -> QuerySet[Principle]:
    """Every published principle with its counts (of one department's people, if given)."""
    now = now or timezone.now()
    current = Q(acknowledgements__version=F("version"), acknowledgements__user__is_active=True)
    if department_id:
        current &= Q(acknowledgements__user__profile__department_id=department_id)
    return (
        Principle.objects.filter(version__gte=1, page__isnull=False)
        .select_related("page")
        .annotate(**_counts("acknowledgements", now=now, current=current))
        .annotate(pending=F("asked") - F("acknowledged"))
    )


def department_report(
    *, principle: Principle | None = None, now: datetime.datetime | None = None
) -> QuerySet[Department]:
    """Every department with its people's counts, for one principle or all published ones."""
    now = now or timezone.now()
    prefix = "members__user__principle_acks"
    current = Q(
        **{
            f"{prefix}__version": F(f"{prefix}__principle__version"),
            f"{prefix}__principle__version__gte": 1,
            f"{prefix}__principle__page__isnull": False,
            "members__user__is_active": True,
        }
    )
    if principle is not None:
        current &= Q(**{f"{prefix}__principle": principle})
    return Department.objects.annotate(**_counts(prefix, now=now, current=current)).annotate(
        pending=F("asked") - F("acknowledged")
    )


def days_to_everyone(published_at: datetime.datetime | None, row) -> int | None:
    """Days from publication until the last person asked acknowledged; None while anyone is
    pending (or nobody was asked). Day 0 is the day of publication."""
    if published_at is None or not row.asked or row.pending:
        return None
    elapsed = (row.last_acknowledged_at - published_at).total_seconds()
    return max(0, math.ceil(elapsed / 86400))


def share(row) -> int:
    """The acknowledged share, in whole percent."""
    return round(100 * row.acknowledged / row.asked) if row.asked else 0


@dataclass(frozen=True)
class Curve:
    version: int
    published_at: datetime.datetime
    asked: int
    points: list[tuple[str, float]]  # ("day N", cumulative % acknowledged)


def acknowledgement_curves(principle: Principle, *, days: int = 30) -> list[Curve]:
    """For each version (newest first): the share of the people asked who had acknowledged
    it, day by day after it was published (day 0 is its first 24 hours). Two queries."""
    published = {
        release["version"]: release["published_at"]
        for release in PrincipleRelease.objects.filter(principle=principle, material=True)
        .values("version")
        .annotate(published_at=Min("published_at"))
        .order_by()
    }
    if principle.version_published_at:
        published[principle.version] = principle.version_published_at
    asked: dict[int, int] = defaultdict(int)
    by_day: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for version, acknowledged_at in Acknowledgement.objects.filter(
        principle=principle, user__is_active=True
    ).values_list("version", "acknowledged_at"):
        asked[version] += 1
        if acknowledged_at is not None and version in published:
            day = max(0, (acknowledged_at - published[version]) // datetime.timedelta(days=1))
            by_day[version][day] += 1
    curves = []
    for version in sorted(asked, reverse=True):
        if version not in published:
            continue
        counts = by_day[version]
        span = min(days, max(counts, default=0) + 1)
        done, points = 0, []
        for day in range(span):
            done += counts.get(day, 0)
            points.append((str(day), round(100 * done / asked[version], 1)))
        curves.append(
            Curve(
                version=version,
                published_at=published[version],
                asked=asked[version],
                points=points,
            )
        )
    return curves
