"""Reads for the onboarding dashboards: who needs help, where people stop, which questions
trip them up.

Who sees whom: HR (`onboarding.view_enrolment`) every learner; a manager
(portal.auth.VIEW_DIRECT_REPORTS) only their own direct reports. Every function answers in a
constant number of queries, whatever the number of learners.

Risk is days overdue × failed attempts: the learner most behind who has also failed most is
first. Someone overdue who has not failed yet has no risk but comes before those on track.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    When,
)
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onboarding.models import Enrolment, ModuleProgress, QuizAttempt
from onboarding.pages import ModulePage, ProgrammePage
from onboarding.services import grade_one
from portal import fragments, lookups
from portal.auth import VIEW_DIRECT_REPORTS
from portal.models import User

VIEW_ALL = "onboarding.view_enrolment"
# The funnel and the hardest questions read every attempt of a programme: they are kept in the
# fragments cache under this generation, which every change to progress or attempts starts
# anew (services.enrolments_summarise), and under the hour.
GENERATION = "onboarding-progress"
# A page of the learners dashboard (its rows, and how many there are in all) is kept in the
# lookups cache until a learner's progress changes (progress_changed), or a person, profile,
# department or programme is saved: asked again, as HR pages, sorts and filters, it costs no
# query (bench/README.md).
LEARNER_PAGES = lookups.register(
    "onboarding-learner-pages",
    models=(
        "portal.User",
        "portal.Profile",
        "portal.Department",
        "onboarding.ProgrammePage",
        "wagtailcore.Page",
    ),
)


# How many rows a filtered dashboard has changes with an enrolment, a person or a profile,
# not with progress: kept apart, so that a page read anew after a learner's progress changed
# need not count again.
ENROLLED = lookups.register(
    "onboarding-enrolled",
    models=("onboarding.Enrolment", "portal.User", "portal.Profile"),
)


def progress_changed() -> None:
    fragments.bump(GENERATION)
    lookups.forget(LEARNER_PAGES.name)


def scope(user: User) -> str:
    """Whom this person may follow, as a part of a cache key."""
    return "all" if user.has_perm(VIEW_ALL) else f"manager:{user.pk}"


def _kept(name: str, user: User, compute):
    return fragments.kept_for_the_hour(
        f"onboarding:{name}:{scope(user)}:{get_language()}",
        generation_of=GENERATION,
        compute=compute,
        now=timezone.now(),
    )


def may_view(user: User) -> bool:
    return user.has_perm(VIEW_ALL) or user.has_perm(VIEW_DIRECT_REPORTS)


def enrolments_visible(user: User) -> QuerySet[Enrolment]:
    """The enrolments this person may follow: all for HR, their direct reports' for a
    manager, none for anyone else."""
    # Everyone but the people who left, asked as "not among those who left": the dashboard
    # sorts every enrolment, and joining each to its person to ask whether they are active
    # cost more than the sort; the few who left are one small hashed list (bench/README.md).
    rows = Enrolment.objects.exclude(user__in=User.objects.filter(is_active=False))
    if user.has_perm(VIEW_ALL):
        return rows
    if user.has_perm(VIEW_DIRECT_REPORTS):
        return rows.filter(user__profile__manager=user)
    return rows.none()


def learners(user: User, *, today: datetime.date) -> QuerySet:
    """One row per learner and programme, with their progress and risk (one query, on the
    counts each enrolment keeps: services.enrolments_summarise), as values. It joins nothing:
    with thousands of rows, joining people, profiles and pages to every row before the sort
    cost more than the sort; `learner_rows` names a page of them."""
    behind = DaysBefore(today, F("next_due_on"))
    return (
        enrolments_visible(user)
        .annotate(
            total=F("modules_total"),
            done=F("modules_done"),
            failed=F("failed_attempts"),
            behind=Case(
                When(next_due_on__lt=today, then=behind), default=None, output_field=IntegerField()
            ),
        )
        .annotate(risk=ExpressionWrapper(F("behind") * F("failed"), output_field=IntegerField()))
        # Values: a page of model instances with all their columns cost more than its sort.
        .values(*ROW_VALUES)
    )


ROW_VALUES = (
    "pk",
    "user_id",
    "programme_id",
    "started_on",
    "completed_at",
    "next_due_on",
    "total",
    "done",
    "failed",
    "behind",
    "risk",
)


@dataclass(frozen=True)
class LearnerRow:
    """One row of the learners dashboard, as it is shown and exported."""

    pk: int
    user_id: int
    learner_name: str
    learner_email: str
    department_name: str
    programme_title: str
    started_on: datetime.date | None
    done: int
    total: int
    next_due_on: datetime.date | None
    days_overdue: int
    failed: int
    risk_score: int
    completed_at: datetime.datetime | None


def learner_rows(
    enrolments, *, departments: dict[int, str], programmes: dict[int, str]
) -> list[LearnerRow]:
    """The rows of `learners` (values) as the dashboard shows them, with their learners' names
    and departments (one query, for these rows only), the departments and programmes named
    from `departments` and `programmes` (id → name, kept by the caller); a programme not
    among them (a page in another locale) is read, in one query."""
    enrolments = list(enrolments)
    people = {
        pk: (" ".join(filter(None, (first, last))) or email or username, email, department)
        for pk, first, last, email, username, department in User.objects.filter(
            pk__in={row["user_id"] for row in enrolments}
        ).values_list("pk", "first_name", "last_name", "email", "username", "profile__department")
    }
    missing = {row["programme_id"] for row in enrolments if row["programme_id"] not in programmes}
    missing.discard(None)
    if missing:
        programmes = {
            **programmes,
            **dict(ProgrammePage.objects.filter(pk__in=missing).values_list("pk", "title")),
        }
    return [
        LearnerRow(
            pk=row["pk"],
            user_id=row["user_id"],
            learner_name=person[0],
            learner_email=person[1],
            department_name=departments.get(person[2], ""),
            programme_title=programmes.get(row["programme_id"], ""),
            started_on=row["started_on"],
            done=row["done"],
            total=row["total"],
            next_due_on=row["next_due_on"],
            days_overdue=row["behind"] or 0,
            failed=row["failed"],
            risk_score=row["risk"] or 0,
            completed_at=row["completed_at"],
        )
        for row in enrolments
        for person in [people.get(row["user_id"], ("", "", None))]
    ]


def kept_page(user: User, key: str, load):
    """A page of the learners dashboard for this person (`load()` when not kept)."""
    return lookups.remembered(LEARNER_PAGES.name, f"{scope(user)}:{key}", load)


def kept_count(user: User, key: str, count) -> int:
    """How many rows the dashboard has for this person and filter (`count()` when not
    kept)."""
    return lookups.remembered(ENROLLED.name, f"count:{scope(user)}:{key}", count)


class DaysBefore(Func):
    """The whole days from a date column to `today` (below zero when the date is later), in
    SQL so that the dashboard sorts by it: an integer, where Django's date subtraction makes
    an interval (PostgreSQL) or microseconds (SQLite) that cost more to sort by and to read.
    Written here as Django has no function for it; PostgreSQL and SQLite, the two databases
    the portal runs on."""

    output_field = IntegerField()

    def __init__(self, today: datetime.date, expression, **extra):
        super().__init__(expression, **extra)
        self.today = today

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"(%s::date - {column})", [self.today, *params]  # date - date: days

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        sql = f"CAST(julianday(%s) - julianday({column}) AS INTEGER)"
        return sql, [self.today.isoformat(), *params]


def start_months(user: User) -> list[datetime.date]:
    """The months people visible to this person started in, newest first (one query)."""
    return list(enrolments_visible(user).dates("started_on", "month", order="DESC"))


@dataclass(frozen=True)
class Step:
    label: str
    count: int
    share: int  # of those enrolled, in whole percent


def funnel(user: User, programme: ProgrammePage) -> list[Step]:
    """Enrolled → each module done (completed or excused) → programme completed (four
    queries, kept). Modules are the programme's current ones, in order."""
    return _kept(f"funnel:{programme.pk}", user, lambda: _funnel(user, programme))


def _funnel(user: User, programme: ProgrammePage) -> list[Step]:
    enrolments = enrolments_visible(user).filter(programme_key=programme.translation_key)
    enrolled = enrolments.count()
    modules = ModulePage.objects.child_of(programme).live().order_by("path")
    done = dict(
        ModuleProgress.objects.filter(enrolment__in=enrolments)
        .filter(Q(completed_at__isnull=False) | Q(excused_at__isnull=False))
        .values("module_key")
        .annotate(n=Count("pk"))
        .values_list("module_key", "n")
        .order_by()
    )
    completed = enrolments.filter(completed_at__isnull=False).count()

    def share(count):
        return round(100 * count / enrolled) if enrolled else 0

    steps = [Step(_("Enrolled"), enrolled, share(enrolled))]
    for module in modules:
        count = done.get(module.translation_key, 0)
        steps.append(Step(module.title, count, share(count)))
    steps.append(Step(_("Completed"), completed, share(completed)))
    return steps


@dataclass(frozen=True)
class Question:
    text: str
    module: str
    quiz: str
    asked: int
    right: int

    @property
    def rate(self) -> int:
        return round(100 * self.right / self.asked) if self.asked else 0


def hardest_questions(user: User, programme: ProgrammePage, *, limit: int = 10) -> list[Question]:
    """The questions of the programme's quizzes people got wrong most on their first attempt
    (the lowest first-try pass rate first), as they were asked (one query, kept)."""
    return _kept(f"hardest:{programme.pk}:{limit}", user, lambda: _hardest(user, programme, limit))


def _hardest(user: User, programme: ProgrammePage, limit: int) -> list[Question]:
    people = enrolments_visible(user).filter(programme_key=programme.translation_key)
    keys = ModulePage.objects.child_of(programme).values_list("translation_key", flat=True)
    attempts = QuizAttempt.objects.filter(
        user__in=people.values("user"),
        module_key__in=keys,
        number=1,
        submitted_at__isnull=False,
    ).select_related("module")
    asked: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for attempt in attempts.only("questions", "answers", "title", "module__title"):
        module = attempt.module.title if attempt.module else ""
        for question, chosen in zip(attempt.questions, attempt.answers or [], strict=False):
            counts = asked[(question["question"], module, attempt.title)]
            counts[0] += 1
            counts[1] += grade_one(question, chosen)
    rows = [
        Question(text=text, module=module, quiz=quiz, asked=n, right=right)
        for (text, module, quiz), (n, right) in asked.items()
    ]
    rows.sort(key=lambda q: (q.rate, -q.asked, q.text))
    return rows[:limit]
