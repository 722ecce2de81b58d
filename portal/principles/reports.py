"""Reads for the acknowledgement reports: who was asked, who acknowledged, who is late.

Counts are of the current version of each principle and of active people: someone who left
the company is neither pending nor overdue. A person is *overdue* when they were asked more
than OVERDUE_AFTER ago and have not acknowledged (the day their manager is told).

Counting 20 principles × 5,000 people means reading 100,000 rows, which costs more than the
whole admin page (bench/README.md), so the counts are kept in the fragments cache
(portal/fragments.py) under a generation that every write to acknowledgements, principles,
people and profiles starts anew (portal/principles/signals.py; bulk writes call `counts_changed`),
and under the hour, which is as fine as "overdue" is counted. Every function here answers in
a constant number of queries, whatever the number of people.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils import timezone

from portal import fragments
from portal.models import Department
from portal.principles.models import Acknowledgement, Principle

OVERDUE_AFTER = datetime.timedelta(days=14)
GENERATION = "principle-acknowledgements"


def counts_changed() -> None:
    """Acknowledgements, audiences or people changed: counts kept so far are not used again."""
    fragments.bump(GENERATION)


@dataclass(frozen=True)
class Counts:
    asked: int = 0
    acknowledged: int = 0
    overdue: int = 0
    last_acknowledged_at: datetime.datetime | None = None

    @property
    def pending(self) -> int:
        return self.asked - self.acknowledged

    @property
    def share(self) -> int:
        """The acknowledged share, in whole percent."""
        return round(100 * self.acknowledged / self.asked) if self.asked else 0

    def days_to_everyone(self, published_at: datetime.datetime | None) -> int | None:
        """Days from publication until the last person asked acknowledged; None while anyone
        is pending (or nobody was asked)."""
        if published_at is None or not self.asked or self.pending:
            return None
        elapsed = (self.last_acknowledged_at - published_at).total_seconds()
        return max(0, math.ceil(elapsed / 86400))


def _current() -> QuerySet[Acknowledgement]:
    return Acknowledgement.objects.filter(
        version=F("principle__version"),
        principle__version__gte=1,
        principle__page__isnull=False,
        user__is_active=True,
    )


def _count(rows: QuerySet, group: str, now: datetime.datetime) -> dict:
    late = Q(acknowledged_at__isnull=True, asked_at__lte=now - OVERDUE_AFTER)
    return {
        row[group]: Counts(
            asked=row["asked"],
            acknowledged=row["acknowledged"],
            overdue=row["overdue"],
            last_acknowledged_at=row["last"],
        )
        for row in rows.values(group)
        .annotate(
            asked=Count("pk"),
            acknowledged=Count("acknowledged_at"),
            overdue=Count("pk", filter=late),
            last=Max("acknowledged_at"),
        )
        .order_by()
    }


def _kept(name: str, compute, now: datetime.datetime):
    return fragments.kept_for_the_hour(name, generation_of=GENERATION, compute=compute, now=now)


def counts_by_principle(
    *, department_id: int | None = None, now: datetime.datetime | None = None
) -> dict[int, Counts]:
    """{principle id: counts} of one department's people, or everyone's (one query, kept)."""
    now = now or timezone.now()

    def compute():
        rows = _current()
        if department_id:
            rows = rows.filter(user__profile__department_id=department_id)
        return _count(rows, "principle_id", now)

    return _kept(f"principle-counts:{department_id or ''}", compute, now)


def counts_by_department(
    *, principle_id: int | None = None, now: datetime.datetime | None = None
) -> dict[int | None, Counts]:
    """{department id: counts} for one principle or all published ones (one query, kept)."""
    now = now or timezone.now()

    def compute():
        rows = _current()
        if principle_id:
            rows = rows.filter(principle_id=principle_id)
        return _count(rows, "user__profile__department_id", now)

    return _kept(f"department-counts:{principle_id or ''}", compute, now)


def principle_report() -> QuerySet[Principle]:
    """The principles the report lists (their counts come from `counts_by_principle`)."""
    return Principle.objects.filter(version__gte=1, page__isnull=False).select_related("page")


def department_report(*, principle_id: int | None = None) -> QuerySet[Department]:
    """The departments with anyone asked (their counts come from `counts_by_department`)."""
    ids = [pk for pk in counts_by_department(principle_id=principle_id) if pk is not None]
    return Department.objects.filter(pk__in=ids)


@dataclass(frozen=True)
class Curve:
    version: int
    published_at: datetime.datetime
    asked: int
    points: list[tuple[str, float]]  # ("day N", cumulative % acknowledged)


def acknowledgement_curves(principle: Principle, *, days: int = 30) -> list[Curve]:
    """For each version (newest first): the share of the people asked who had acknowledged
    it, day by day after it was published (day 0 is its first 24 hours). Two queries, kept."""
    now = timezone.now()
    return _kept(f"curves:{principle.pk}:{days}", lambda: _curves(principle, days), now)


def _curves(principle: Principle, days: int) -> list[Curve]:
    published = {
        release["version"]: release["published_at"]
        for release in principle.releases.filter(material=True)
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
