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
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onboarding.models import Enrolment, ModuleProgress, QuizAttempt
from onboarding.pages import ModulePage, ProgrammePage
from onboarding.services import grade_one
from portal import fragments
from portal.auth import VIEW_DIRECT_REPORTS
from portal.models import User

VIEW_ALL = "onboarding.view_enrolment"
# The funnel and the hardest questions read every attempt of a programme: they are kept in the
# fragments cache under this generation, which every change to progress or attempts starts
# anew (services.enrolments_summarise), and under the hour.
GENERATION = "onboarding-progress"


def progress_changed() -> None:
    fragments.bump(GENERATION)


def _scope(user: User) -> str:
    return "all" if user.has_perm(VIEW_ALL) else f"manager:{user.pk}"


def _kept(name: str, user: User, compute):
    return fragments.kept_for_the_hour(
        f"onboarding:{name}:{_scope(user)}:{get_language()}",
        generation_of=GENERATION,
        compute=compute,
        now=timezone.now(),
    )


def may_view(user: User) -> bool:
    return user.has_perm(VIEW_ALL) or user.has_perm(VIEW_DIRECT_REPORTS)


def enrolments_visible(user: User) -> QuerySet[Enrolment]:
    """The enrolments this person may follow: all for HR, their direct reports' for a
    manager, none for anyone else."""
    rows = Enrolment.objects.filter(user__is_active=True)
    if user.has_perm(VIEW_ALL):
        return rows
    if user.has_perm(VIEW_DIRECT_REPORTS):
        return rows.filter(user__profile__manager=user)
    return rows.none()


def learners(user: User, *, today: datetime.date) -> QuerySet[Enrolment]:
    """One row per learner and programme, with their progress and risk (one query, on the
    counts each enrolment keeps: services.enrolments_summarise). It joins nothing it need not
    sort or filter by: with thousands of rows, joining people, profiles, departments and pages
    to every row before the sort cost more than the sort; `with_names` adds them to a page."""
    behind = ExpressionWrapper(
        Value(today, output_field=DateField()) - F("next_due_on"), output_field=DurationField()
    )
    return (
        enrolments_visible(user)
        .annotate(
            total=F("modules_total"),
            done=F("modules_done"),
            failed=F("failed_attempts"),
            behind=Case(
                When(next_due_on__lt=today, then=behind),
                default=None,
                output_field=DurationField(),
            ),
        )
        .annotate(
            risk=ExpressionWrapper(
                # An integer to SQLite, which multiplies a duration by IntegerField only.
                F("behind") * ExpressionWrapper(F("failed"), output_field=IntegerField()),
                output_field=DurationField(),
            )
        )
    )


def with_names(rows: list[Enrolment]) -> list[Enrolment]:
    """The rows of one page with their learner's name and email, department and programme
    (one query, of values: whole people, profiles and pages for each row cost more)."""
    names = {
        pk: (" ".join(part for part in (first, last) if part) or email or username, email, *rest)
        for pk, first, last, email, username, *rest in Enrolment.objects.filter(
            pk__in=[row.pk for row in rows]
        ).values_list(
            "pk",
            "user__first_name",
            "user__last_name",
            "user__email",
            "user__username",
            "user__profile__department__name",
            "programme__title",
        )
    }
    for row in rows:
        learner, email, department, programme = names.get(row.pk, ("", "", "", ""))
        row.learner_name, row.learner_email = learner, email
        row.department_name, row.programme_title = department or "", programme or ""
    return rows


def days(value: datetime.timedelta | None) -> int:
    return value.days if value else 0


def start_months(user: User) -> list[datetime.date]:
    """The months people visible to this person started in, newest first (one query)."""
    dates = enrolments_visible(user).dates("started_on", "month", order="DESC")
    return list(dates)


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
