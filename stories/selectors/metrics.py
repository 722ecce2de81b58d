"""Customer metrics from imported feedback: NPS and average rating by month, market and
department, and the volume of feedback by polarity.

NPS is the share of promoters (9–10) minus the share of detractors (0–6) among NPS answers,
from −100 to 100. The average rating is over 1–5 ratings. Months are calendar months in the
site's time zone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portal.models import Department
from stories.models import FeedbackItem, Polarity, ScoreScale
from stories.selectors.voice import pools

NPS_COUNTS = {
    "answers": Count("pk", filter=Q(score_scale=ScoreScale.NPS)),
    "promoters": Count("pk", filter=Q(score_scale=ScoreScale.NPS, score__gte=9)),
    "detractors": Count("pk", filter=Q(score_scale=ScoreScale.NPS, score__lte=6)),
    "rating": Avg("score", filter=Q(score_scale=ScoreScale.RATING)),
    "ratings": Count("pk", filter=Q(score_scale=ScoreScale.RATING)),
    "items": Count("pk"),
    "positive": Count("pk", filter=Q(polarity=Polarity.POSITIVE)),
    "neutral": Count("pk", filter=Q(polarity=Polarity.NEUTRAL)),
    "negative": Count("pk", filter=Q(polarity=Polarity.NEGATIVE)),
}


@dataclass(frozen=True)
class Row:
    label: str
    answers: int
    nps: int | None
    rating: float | None
    ratings: int
    items: int
    positive: int
    neutral: int
    negative: int


def _row(label: str, values: dict) -> Row:
    answers = values["answers"] or 0
    nps = round(100 * (values["promoters"] - values["detractors"]) / answers) if answers else None
    rating = round(values["rating"], 2) if values["rating"] is not None else None
    return Row(
        label=label,
        answers=answers,
        nps=nps,
        rating=rating,
        ratings=values["ratings"] or 0,
        items=values["items"] or 0,
        positive=values["positive"] or 0,
        neutral=values["neutral"] or 0,
        negative=values["negative"] or 0,
    )


def since_months(months: int, *, today: datetime.date | None = None) -> datetime.datetime:
    today = today or timezone.localdate()
    year, month = today.year, today.month - months + 1
    while month <= 0:
        month += 12
        year -= 1
    return timezone.make_aware(datetime.datetime(year, month, 1))


def by_month(since: datetime.datetime) -> list[Row]:
    rows = (
        FeedbackItem.objects.filter(received_at__gte=since)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(**NPS_COUNTS)
        .order_by("month")
    )
    return [_row(row["month"].strftime("%Y-%m"), row) for row in rows]


def by_market(since: datetime.datetime) -> list[Row]:
    rows = (
        FeedbackItem.objects.filter(received_at__gte=since)
        .exclude(market="")
        .values("market")
        .annotate(**NPS_COUNTS)
        .order_by("-items", "market")
    )
    return [_row(row["market"], row) for row in rows]


def by_department(since: datetime.datetime) -> list[Row]:
    """Each department's pool of feedback (stories.selectors.voice.pools): one query each."""
    found = []
    for department in Department.objects.order_by("name"):
        values = (
            pools(department)["feedback"].filter(received_at__gte=since).aggregate(**NPS_COUNTS)
        )
        found.append(_row(department.name, values))
    return found


def totals(since: datetime.datetime) -> Row:
    return _row("", FeedbackItem.objects.filter(received_at__gte=since).aggregate(**NPS_COUNTS))
