"""Reads for the daily customer voice: a department's pool, the choice, previews, the archive.

The rules are in stories/voice.py. Every read here costs a fixed number of queries per
department, whatever the size of the pool: each kind's best item is one ordered query with
LIMIT 1 (an index on the date walks it), asked at most twice (in the department's languages,
then in any), and for at most two cycles.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet

from portal.models import Department
from stories.models import Concern, DailyVoice, FeedbackItem, Polarity, Story, VoiceRoute
from stories.voice import needs_a_positive

KINDS = (DailyVoice.Kind.FEEDBACK, DailyVoice.Kind.STORY, DailyVoice.Kind.CONCERN)
HANGUL = r"[가-힣]"


@dataclass(frozen=True)
class Choice:
    kind: str
    item: object
    polarity: str
    cycle: int

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.item.pk)

    @property
    def when(self) -> datetime.datetime:
        return _when(self.kind, self.item)


def _when(kind: str, item) -> datetime.datetime:
    if kind == DailyVoice.Kind.FEEDBACK:
        return item.received_at
    if kind == DailyVoice.Kind.STORY:
        return item.first_published_at or item.created_at
    return item.created_at


DATE_FIELD = {
    DailyVoice.Kind.FEEDBACK: "received_at",
    DailyVoice.Kind.STORY: "first_published_at",
    DailyVoice.Kind.CONCERN: "created_at",
}


def covered_touchpoint_ids(department: Department) -> list[int]:
    """The touchpoints the department's ambassadors cover today."""
    Appointment = apps.get_model("ambassadors", "Appointment")
    return list(
        Appointment.objects.active()
        .filter(department=department)
        .values_list("touchpoints", flat=True)
        .exclude(touchpoints=None)
        .distinct()
    )


def route_q(route: VoiceRoute) -> Q | None:
    """The feedback one routing rule matches: every condition it names (None if it names none)."""
    conditions = Q()
    if route.touchpoint_id:
        conditions &= Q(touchpoint_id=route.touchpoint_id)
    if route.product:
        conditions &= Q(product__iexact=route.product)
    if route.tag:
        conditions &= Q(tags__icontains=f",{route.tag},")
    if route.market:
        conditions &= Q(market=route.market.upper())
    if route.keyword:
        conditions &= Q(text__icontains=route.keyword)
    return conditions if conditions else None


def route_matches(route: VoiceRoute) -> int:
    """How many feedback items a rule matches (the preview beside each rule)."""
    conditions = route_q(route)
    return FeedbackItem.objects.filter(conditions).count() if conditions else 0


def pools(department: Department) -> dict[str, QuerySet]:
    """The department's pool, one queryset a kind (3 queries: touchpoints, rules)."""
    touchpoints = covered_touchpoint_ids(department)
    feedback = Q(department=department)
    if touchpoints:
        feedback |= Q(touchpoint_id__in=touchpoints)
    for route in VoiceRoute.objects.filter(department=department):
        conditions = route_q(route)
        if conditions:
            feedback |= conditions
    stories = Q(departments=department)
    if touchpoints:
        stories |= Q(touchpoint_id__in=touchpoints)
    return {
        DailyVoice.Kind.FEEDBACK: FeedbackItem.objects.filter(feedback),
        DailyVoice.Kind.STORY: Story.objects.filter(live=True).filter(stories).distinct(),
        DailyVoice.Kind.CONCERN: Concern.objects.filter(merged_into=None).filter(
            Q(department=department) | Q(owner_department=department)
        ),
    }


def _in_languages(kind: str, languages: list[str]) -> Q:
    if kind == DailyVoice.Kind.CONCERN:  # concerns have no language: Hangul in the title is ko
        korean = Q(title__regex=HANGUL)
        if "ko" in languages:
            return korean if len(languages) == 1 else Q()
        return ~korean
    return Q(language__in=languages)


def _polarity_q(kind: str, *, non_negative: bool) -> Q | None:
    """None when no item of the kind can be wanted."""
    if not non_negative:
        return Q()
    if kind == DailyVoice.Kind.CONCERN:
        return None
    if kind == DailyVoice.Kind.FEEDBACK:
        return ~Q(polarity=Polarity.NEGATIVE)
    return Q()


def polarity_of_item(kind: str, item) -> str:
    if kind == DailyVoice.Kind.FEEDBACK:
        return item.polarity
    return Polarity.POSITIVE if kind == DailyVoice.Kind.STORY else Polarity.NEGATIVE


def _best(
    department: Department,
    pool: dict[str, QuerySet],
    *,
    used: dict[str, set[int]],
    used_cycle: int | None,
    non_negative: bool,
) -> tuple[str, object] | None:
    """The best item of the pool not used (in `used_cycle`, and not in `used`)."""
    languages = list(department.voice_languages or [])
    found = []  # (in a wanted language, when, kind, item)
    for kind in KINDS:
        wanted = _polarity_q(kind, non_negative=non_negative)
        if wanted is None:
            continue
        queryset = pool[kind].filter(wanted)
        if used.get(kind):
            queryset = queryset.exclude(pk__in=used[kind])
        if used_cycle is not None:
            sent = DailyVoice.objects.filter(department=department, cycle=used_cycle).exclude(
                **{kind: None}
            )
            queryset = queryset.exclude(pk__in=sent.values(f"{kind}_id"))
        order = [f"-{DATE_FIELD[kind]}", "-pk"]
        item = None
        if languages:
            item = queryset.filter(_in_languages(kind, languages)).order_by(*order).first()
            if item is not None:
                found.append((True, _when(kind, item), kind, item))
                continue
        item = queryset.order_by(*order).first()
        if item is not None:
            found.append((not languages, _when(kind, item), kind, item))
    if not found:
        return None
    _match, _when_found, kind, item = max(found, key=lambda row: (row[0], row[1]))
    return kind, item


def choose_voice(
    department: Department,
    *,
    history: list[tuple[str, int]] | None = None,
    planned: list[Choice] = (),
) -> Choice | None:
    """The voice the department gets next (stories/voice.py has the rules).

    `history` is (polarity, cycle) of its voices, newest first (read when not given);
    `planned` are choices ahead of it in a preview, treated as already sent.
    """
    if history is None:
        history = recent_history(department)
    recent = [choice.polarity for choice in reversed(planned)] + [p for p, _c in history]
    cycle = planned[-1].cycle if planned else (history[0][1] if history else 1)
    pool = pools(department)
    non_negative = needs_a_positive(recent)

    def planned_in(which: int) -> dict[str, set[int]]:
        used: dict[str, set[int]] = {}
        for choice in planned:
            if choice.cycle == which:
                used.setdefault(choice.kind, set()).add(choice.item.pk)
        return used

    def pick(*, which: int, non_negative: bool, across_cycles: bool = False) -> Choice | None:
        best = _best(
            department,
            pool,
            used={} if across_cycles else planned_in(which),
            used_cycle=None if across_cycles else which,
            non_negative=non_negative,
        )
        if best is None:
            return None
        kind, item = best
        return Choice(kind, item, polarity_of_item(kind, item), which)

    if non_negative:
        found = pick(which=cycle, non_negative=True) or pick(
            which=cycle, non_negative=True, across_cycles=True
        )
        if found:
            return found
    found = pick(which=cycle, non_negative=False)
    if found:
        return found
    # The pool is used up: the next cycle begins.
    return pick(which=cycle + 1, non_negative=non_negative) or pick(
        which=cycle + 1, non_negative=False
    )


def recent_history(department: Department, *, before: datetime.date | None = None):
    """(polarity, cycle) of its last voices, newest first."""
    voices = DailyVoice.objects.filter(department=department)
    if before is not None:
        voices = voices.filter(local_date__lt=before)
    return list(voices.order_by("-local_date").values_list("polarity", "cycle")[:2])


def voice_preview(department: Department, days: list[datetime.date]) -> list[tuple]:
    """(date, pinned voice or Choice or None) for each day, as the sends would choose them."""
    pinned = {
        voice.local_date: voice
        for voice in DailyVoice.objects.filter(
            department=department, local_date__in=days
        ).select_related("feedback", "story", "concern")
    }
    history = recent_history(department, before=days[0]) if days else []
    planned: list[Choice] = []
    rows = []
    for day in days:
        if day in pinned:
            voice = pinned[day]
            planned.append(Choice(voice.kind, voice.item, voice.polarity, voice.cycle))
            rows.append((day, voice))
            continue
        choice = choose_voice(department, history=history, planned=planned)
        if choice is not None:
            planned.append(choice)
        rows.append((day, choice))
    return rows


def voice_today(department: Department | None, day: datetime.date) -> DailyVoice | None:
    """The voice the department got (or is to get, pinned) on its local date."""
    if department is None:
        return None
    return (
        DailyVoice.objects.filter(department=department, local_date=day)
        .exclude(outbox_message=None)
        .select_related("feedback", "story", "concern")
        .first()
    )


def department_archive(department: Department) -> QuerySet:
    """The voices the department received, newest first."""
    return (
        DailyVoice.objects.filter(department=department)
        .exclude(outbox_message=None)
        .select_related("feedback", "story", "concern")
        .order_by("-local_date")
    )
