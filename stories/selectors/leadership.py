"""Reads for the weekly leadership digest: what customers said, and what was done about it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet

from stories.models import Concern, DailyVoice
from stories.selectors.concern import you_said_we_did


@dataclass(frozen=True)
class WeekInReview:
    voices: list[DailyVoice]  # the most-answered voices of the week, most first
    voices_sent: int
    opened: int
    resolved: int
    fixes: list[Concern]  # systemic fixes shipped in the week, newest first
    fixes_count: int


def most_answered_voices(
    *, since: datetime.datetime, until: datetime.datetime, limit: int
) -> QuerySet[DailyVoice]:
    """Voices posted in the window with at least one answer (thanks, "we'll look into it" or
    an emoji), the most answered first."""
    return (
        DailyVoice.objects.filter(sent_at__gte=since, sent_at__lt=until)
        .exclude(outbox_message=None)
        .annotate(answers=F("thanks_count") + F("look_into_count") + F("reaction_count"))
        .filter(answers__gt=0)
        .select_related("department", "feedback", "story", "concern")
        .order_by("-answers", "-sent_at", "-pk")[:limit]
    )


def week_in_review(
    *, since: datetime.datetime, until: datetime.datetime, limit: int = 5
) -> WeekInReview:
    """Six queries, whatever the week held."""
    merged = Concern.objects.filter(merged_into=None)
    fixes = you_said_we_did().filter(resolved_at__gte=since, resolved_at__lt=until)
    return WeekInReview(
        voices=list(most_answered_voices(since=since, until=until, limit=limit)),
        voices_sent=DailyVoice.objects.filter(sent_at__gte=since, sent_at__lt=until)
        .exclude(outbox_message=None)
        .count(),
        opened=merged.filter(created_at__gte=since, created_at__lt=until).count(),
        resolved=merged.filter(resolved_at__gte=since, resolved_at__lt=until).count(),
        fixes=list(fixes[:limit]),
        fixes_count=fixes.count(),
    )
