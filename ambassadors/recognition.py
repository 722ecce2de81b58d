"""Recognition: the monthly ranking of people and departments, and badges (reads only).

What counts, in a month:
- a story: a published story (live) whose first publication falls in the month;
- a fix: a systemic concern resolved in the month (state resolved or closed, resolved_at in
  the month). Its submitter gets it, and so does the submitter of each concern merged into
  it: their report was part of what got fixed. One fix counts once per person, however many
  of its duplicates they filed.

A person's department is the one on their profile today.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Department, User
from stories.models import Concern, Story

FIXED_STATES = (Concern.State.RESOLVED, Concern.State.CLOSED)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


# --- badges ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    key: str
    label: str
    how: str


FIRST_STORY = Badge("first_story", _("First story"), _("Your first customer story was published."))
TEN_STORIES = Badge(
    "ten_stories", _("Ten stories"), _("Ten of your customer stories were published.")
)
ROOT_CAUSE_FIXER = Badge(
    "root_cause_fixer",
    _("Root-cause fixer"),
    _("A concern you filed was fixed at its root (resolved as systemic)."),
)
BADGES = (FIRST_STORY, TEN_STORIES, ROOT_CAUSE_FIXER)


def earned_badges(*, published_stories: int, root_fixed: bool) -> list[Badge]:
    earned = []
    if published_stories >= 1:
        earned.append(FIRST_STORY)
    if published_stories >= 10:
        earned.append(TEN_STORIES)
    if root_fixed:
        earned.append(ROOT_CAUSE_FIXER)
    return earned


def _fixed_systemic(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}kind": Concern.Kind.SYSTEMIC,
            f"{prefix}state__in": FIXED_STATES,
            f"{prefix}resolved_at__isnull": False,
        }
    )


def with_badge_counts(queryset):
    """Users annotated with `published_stories` and `root_fixed`, in the same query."""
    published = (
        Story.objects.filter(submitted_by=OuterRef("pk"), live=True)
        .order_by()
        .values("submitted_by")
        .annotate(n=Count("pk"))
        .values("n")
    )
    root_fixed = Concern.objects.filter(submitted_by=OuterRef("pk")).filter(
        _fixed_systemic() | _fixed_systemic("merged_into__")
    )
    return queryset.annotate(
        published_stories=Coalesce(Subquery(published, output_field=IntegerField()), 0),
        root_fixed=Exists(root_fixed),
    )


def badges_for(*, user: User) -> list[Badge]:
    """The badges this person has earned, in one query."""
    row = (
        with_badge_counts(User.objects.filter(pk=user.pk))
        .values("published_stories", "root_fixed")
        .first()
    )
    if row is None:
        return []
    return earned_badges(published_stories=row["published_stories"], root_fixed=row["root_fixed"])


# --- months ------------------------------------------------------------------------------


def parse_month(value: str | None, *, today: datetime.date) -> tuple[datetime.date, bool]:
    """The first day of the month written as YYYY-MM, and whether the value was usable.

    No value means this month; a value that is not a month also gives this month, with False
    so the page can say so.
    """
    this_month = today.replace(day=1)
    if not value:
        return this_month, True
    match = _MONTH.fullmatch(value.strip())
    if match is None:
        return this_month, False
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), 1), True
    except ValueError:
        return this_month, False


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as [start, end) instants, in the portal's time zone."""
    start = datetime.datetime.combine(month, datetime.time.min)
    end = datetime.datetime.combine(next_month(month), datetime.time.min)
    return timezone.make_aware(start), timezone.make_aware(end)


# --- the monthly ranking -----------------------------------------------------------------


@dataclass
class PersonScore:
    user: User
    department: Department | None
    stories: int
    fixes: int
    badges: list[Badge] = field(default_factory=list)
    rank: int = 0

    @property
    def total(self) -> int:
        return self.stories + self.fixes

    @property
    def name(self) -> str:
        return str(self.user)


@dataclass
class DepartmentScore:
    department: Department
    stories: int = 0
    fixes: int = 0
    people: int = 0
    rank: int = 0

    @property
    def total(self) -> int:
        return self.stories + self.fixes

    @property
    def name(self) -> str:
        return self.department.name


@dataclass
class MonthlyRecognition:
    month: datetime.date
    previous: datetime.date
    next: datetime.date | None
    people: list[PersonScore]
    departments: list[DepartmentScore]


def _ranked(scores: list) -> list:
    """Most first (stories and fixes together; fixes break ties, then the name).

    Equal totals share a rank ("1, 1, 3").
    """
    scores.sort(key=lambda s: (-s.total, -s.fixes, s.name.casefold()))
    for index, score in enumerate(scores):
        previous = scores[index - 1] if index else None
        score.rank = previous.rank if previous and previous.total == score.total else index + 1
    return scores


def stories_in_month(month: datetime.date) -> Counter:
    start, end = month_bounds(month)
    rows = (
        Story.objects.filter(live=True, first_published_at__gte=start, first_published_at__lt=end)
        .order_by()
        .values_list("submitted_by_id")
        .annotate(n=Count("pk"))
    )
    return Counter(dict(rows))


def fixes_in_month(month: datetime.date) -> Counter:
    """Per person, the systemic fixes of the month they filed, or filed a duplicate of."""
    start, end = month_bounds(month)
    fixed = Concern.objects.filter(
        _fixed_systemic(), resolved_at__gte=start, resolved_at__lt=end
    ).values("pk")
    credits = (
        Concern.objects.filter(Q(pk__in=fixed) | Q(merged_into__in=fixed))
        .order_by()
        .values_list("submitted_by_id", Coalesce("merged_into_id", "pk"))
        .distinct()
    )
    return Counter(person_id for person_id, _fix in set(credits))


def monthly_recognition(*, month: datetime.date, today: datetime.date) -> MonthlyRecognition:
    """The month's ranking of people and of departments, in three queries."""
    stories = stories_in_month(month)
    fixes = fixes_in_month(month)
    people_ids = set(stories) | set(fixes)
    users = (
        with_badge_counts(User.objects.filter(pk__in=people_ids)).select_related(
            "profile__department"
        )
        if people_ids
        else []
    )
    people: list[PersonScore] = []
    departments: dict[int, DepartmentScore] = {}
    for user in users:
        profile = getattr(user, "profile", None)
        department = profile.department if profile is not None else None
        score = PersonScore(
            user=user,
            department=department,
            stories=stories.get(user.pk, 0),
            fixes=fixes.get(user.pk, 0),
            badges=earned_badges(
                published_stories=user.published_stories, root_fixed=user.root_fixed
            ),
        )
        people.append(score)
        if department is not None:
            total = departments.setdefault(department.pk, DepartmentScore(department=department))
            total.stories += score.stories
            total.fixes += score.fixes
            total.people += 1
    this_month = today.replace(day=1)
    following = next_month(month)
    return MonthlyRecognition(
        month=month,
        previous=previous_month(month),
        next=following if following <= this_month else None,
        people=_ranked(people),
        departments=_ranked(list(departments.values())),
    )
