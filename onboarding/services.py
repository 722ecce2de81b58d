"""Writes for onboarding: enrolling people in the programmes meant for them; quizzes (an
attempt opened with questions drawn from the bank, graded once, HR told when the last
attempt allowed fails); a module completed when its quizzes are passed and its principles
acknowledged."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from onboarding.blocks import SINGLE
from onboarding.models import Enrolment, ModuleProgress, QuizAttempt
from onboarding.pages import ModulePage, ProgrammePage
from portal import groups
from portal.models import Profile, User
from portal.services.notify import notify_person
from portal.workdays import add_working_days


def due_on(start: datetime.date, working_day: int, department) -> datetime.date:
    """The date of the learner's `working_day`th working day, their start date being the
    first when it is a working day (day 0 or 1 is the start date itself)."""
    return add_working_days(start - datetime.timedelta(days=1), max(working_day, 1), department)


def programmes_for(profile: Profile) -> list[ProgrammePage]:
    """The live programmes (default language) meant for this person."""
    default = Locale.get_default()
    group_ids = set(Group.objects.filter(user=profile.user_id).values_list("pk", flat=True))
    chosen = []
    for programme in ProgrammePage.objects.live().filter(locale=default).order_by("path"):
        if programme.audience_everyone:
            chosen.append(programme)
            continue
        departments = set(programme.audience_departments.values_list("pk", flat=True))
        groups = set(programme.audience_groups.values_list("pk", flat=True))
        if profile.department_id in departments or group_ids & groups:
            chosen.append(programme)
    return chosen


def _modules(programme: ProgrammePage) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(programme).live().order_by("path"))


@transaction.atomic
def onboarding_enrol(
    *,
    user: User,
    programme: ProgrammePage,
    by: User | None = None,
    reason: str = "",
) -> Enrolment:
    """Enrol a person (again: nothing changes) with due dates from their start date, counted
    in their department's working days. Modules added since are added; none is taken away."""
    profile = Profile.objects.select_related("department").get(user=user)
    start = profile.start_date or datetime.date.today()
    enrolment, _created = Enrolment.objects.get_or_create(
        user=user,
        programme_key=programme.translation_key,
        defaults={
            "programme": programme,
            "started_on": start,
            "enrolled_by": by,
            "reason": reason,
        },
    )
    have = set(enrolment.modules.values_list("module_key", flat=True))
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(
                enrolment=enrolment,
                module_key=module.translation_key,
                module=module,
                position=position,
                due_on=due_on(enrolment.started_on, module.due_day, profile.department),
            )
            for position, module in enumerate(_modules(programme))
            if module.translation_key not in have
        ]
    )
    enrolments_summarise(Enrolment.objects.filter(pk=enrolment.pk))
    return enrolment


def enrolments_summarise(enrolments) -> None:
    """Count again what the dashboards sort on (modules done, the next due date, failed
    attempts) for these enrolments, in one UPDATE; after any change to their modules or
    their learners' attempts."""
    from onboarding.reports import progress_changed

    pending = Q(completed_at__isnull=True, excused_at__isnull=True)
    modules = ModuleProgress.objects.filter(enrolment=OuterRef("pk")).order_by().values("enrolment")
    failed = (
        QuizAttempt.objects.filter(user=OuterRef("user_id"), passed=False)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Enrolment.objects.filter(pk__in=enrolments.values("pk")).update(
        modules_total=Coalesce(Subquery(modules.annotate(n=Count("pk")).values("n")), 0),
        modules_done=Coalesce(
            Subquery(modules.exclude(pending).annotate(n=Count("pk")).values("n")), 0
        ),
        next_due_on=Subquery(modules.filter(pending).annotate(d=Min("due_on")).values("d")),
        failed_attempts=Coalesce(Subquery(failed), 0),
    )
    progress_changed()


def programme_sync(*, programme_id: int) -> int:
    """A module published in a programme joins every unfinished enrolment of it (due from each
    learner's own start date); a finished programme stays finished. Returns how many."""
    programme = ProgrammePage.objects.filter(pk=programme_id).first()
    if programme is None:
        return 0
    # The learners of the programme, whichever language's page the module was published in.
    default = programme.get_translation_or_none(Locale.get_default()) or programme
    enrolments = Enrolment.objects.filter(
        programme_key=programme.translation_key, completed_at__isnull=True
    ).select_related("user")
    count = 0
    for enrolment in enrolments:
        onboarding_enrol(user=enrolment.user, programme=default)
        count += 1
    return count


# Automatic enrolment is for new hires: people who start within this many days, or later.
NEW_HIRE_WITHIN = datetime.timedelta(days=90)


def onboarding_enrol_automatically(
    *, user: User, today: datetime.date | None = None
) -> list[Enrolment]:
    """A new hire with a start date and a department is enrolled in what is meant for them
    (HR enrols anyone else by hand)."""
    today = today or datetime.date.today()
    profile = Profile.objects.filter(user=user).first()
    if profile is None or profile.start_date is None or profile.department_id is None:
        return []
    if profile.start_date < today - NEW_HIRE_WITHIN or not user.is_active:
        return []
    return [onboarding_enrol(user=user, programme=p) for p in programmes_for(profile)]


# HR's hand on someone's onboarding: every change keeps who made it and why.

MANAGE = "onboarding.change_enrolment"


def _may_manage(by: User) -> None:
    if not by.has_perm(MANAGE):
        raise PermissionDenied


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why: the learner and their manager will see it.")})
    return reason


def onboarding_enrol_by_hand(
    *, by: User, user: User, programme: ProgrammePage, reason: str
) -> Enrolment:
    """HR enrols someone the rules did not (a transfer, a returner), with a reason kept."""
    _may_manage(by)
    reason = _reason(reason)
    if Enrolment.objects.filter(user=user, programme_key=programme.translation_key).exists():
        raise ValidationError(
            {"programme": _("%(person)s is already enrolled in it.") % {"person": user}}
        )
    return onboarding_enrol(user=user, programme=programme, by=by, reason=reason)


@transaction.atomic
def module_due_extend(
    *, by: User, progress: ModuleProgress, due_on: datetime.date, reason: str
) -> ModuleProgress:
    """Move a module's due date (later, or earlier again), with the reason kept."""
    _may_manage(by)
    reason = _reason(reason)
    progress = ModuleProgress.objects.select_for_update().get(pk=progress.pk)
    if progress.done:
        raise ValidationError({"due_on": _("This module is already done.")})
    if due_on < progress.enrolment.started_on:
        raise ValidationError({"due_on": _("A module cannot be due before its learner starts.")})
    progress.due_on = due_on
    progress.changed_by = by
    progress.change_reason = reason
    # A new date means a new week before the manager hears of it again.
    progress.manager_told_at = None
    progress.save(update_fields=["due_on", "changed_by", "change_reason", "manager_told_at"])
    enrolments_summarise(Enrolment.objects.filter(pk=progress.enrolment_id))
    return progress


@transaction.atomic
def module_excuse(*, by: User, progress: ModuleProgress, reason: str) -> ModuleProgress:
    """Excuse a learner from a module (they know it already, it does not apply to their role);
    the programme is complete when every other module is done."""
    _may_manage(by)
    reason = _reason(reason)
    progress = ModuleProgress.objects.select_for_update().get(pk=progress.pk)
    if progress.done:
        raise ValidationError({"reason": _("This module is already done.")})
    progress.excused_at = timezone.now()
    progress.changed_by = by
    progress.change_reason = reason
    progress.save(update_fields=["excused_at", "changed_by", "change_reason"])
    _enrolments_complete(user=progress.enrolment.user, module_key=progress.module_key)
    enrolments_summarise(Enrolment.objects.filter(pk=progress.enrolment_id))
    return progress


def onboarding_nudge(*, by: User, enrolment: Enrolment):
    """Ask a learner to continue (HR, or the learner's manager): one message listing what is
    left, at most once a day per programme."""
    from onboarding import reminders
    from onboarding.reports import enrolments_visible
    from onboarding.selectors import local_today
    from portal.models import OutboxMessage

    if not enrolments_visible(by).filter(pk=enrolment.pk).exists():
        raise PermissionDenied
    enrolment = Enrolment.objects.select_related("user__profile__department").get(pk=enrolment.pk)
    rows = list(
        enrolment.modules.filter(completed_at__isnull=True, excused_at__isnull=True).order_by(
            "position"
        )
    )
    if not rows:
        raise ValidationError(
            _("%(person)s has nothing left to do in it.") % {"person": enrolment.user}
        )
    today = local_today(enrolment.user.profile)
    if OutboxMessage.objects.filter(
        idempotency_key=reminders.nudge_key(enrolment.pk, today)
    ).exists():
        raise ValidationError(
            _("%(person)s has been nudged today already.") % {"person": enrolment.user}
        )
    message = reminders.nudge_send(by=by, enrolment=enrolment, rows=rows, today=today)
    if message is None:
        raise ValidationError(
            _("%(person)s has neither Slack nor an email address.") % {"person": enrolment.user}
        )
    return message


_draw = random.SystemRandom()


def quiz_blocks(module: ModulePage) -> list:
    return [block for block in module.body if block.block_type == "quiz"]


def _snapshot(question) -> dict:
    return {
        "question": str(question["question"]),
        "kind": str(question["kind"]),
        "lesson_anchor": str(question.get("lesson_anchor") or ""),
        "answers": [
            {
                "text": str(answer["text"]),
                "correct": bool(answer["correct"]),
                "explanation": str(answer.get("explanation") or ""),
            }
            for answer in question["answers"]
        ],
    }


def _attempts(user: User, module: ModulePage, quiz_id: str):
    return QuizAttempt.objects.filter(
        user=user, module_key=module.translation_key, quiz_id=quiz_id
    ).order_by("number")


@dataclass(frozen=True)
class QuizState:
    block: object
    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None
    allowed: int

    @property
    def passed(self) -> QuizAttempt | None:
        return next((a for a in self.attempts if a.passed), None)

    @property
    def last(self) -> QuizAttempt | None:
        submitted = [a for a in self.attempts if a.submitted_at]
        return submitted[-1] if submitted else None

    @property
    def exhausted(self) -> bool:
        return self.passed is None and self.open_attempt is None


@transaction.atomic
def quiz_open(*, user: User, module: ModulePage, block) -> QuizState:
    """The learner's state on one quiz, with an attempt open when they may take it."""
    value = block.value
    allowed = int(value["retries"])
    attempts = list(_attempts(user, module, block.id).select_for_update())
    passed = any(a.passed for a in attempts)
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if not passed and open_attempt is None and len(attempts) < allowed:
        bank = list(value["questions"])
        asked = min(int(value.get("ask") or len(bank)), len(bank))
        drawn = sorted(_draw.sample(range(len(bank)), asked))
        open_attempt = QuizAttempt.objects.create(
            user=user,
            module_key=module.translation_key,
            module=module,
            quiz_id=block.id,
            title=str(value["title"]),
            number=len(attempts) + 1,
            questions=[_snapshot(bank[i]) for i in drawn],
            pass_mark=int(value["pass_mark"]),
        )
        attempts.append(open_attempt)
    return QuizState(block=block, attempts=attempts, open_attempt=open_attempt, allowed=allowed)


def _right(question: dict) -> set[int]:
    return {i for i, answer in enumerate(question["answers"]) if answer["correct"]}


def grade_one(question: dict, chosen: list[int]) -> bool:
    """A question is answered right when exactly its right answers are chosen."""
    return set(chosen) == _right(question)


def grade(questions: list[dict], answers: list[list[int]]) -> int:
    """The score in whole percent of the questions answered right."""
    if not questions:
        return 0
    right = sum(
        1
        for question, chosen in zip(questions, answers, strict=True)
        if grade_one(question, chosen)
    )
    return round(100 * right / len(questions))


@transaction.atomic
def quiz_submit(*, user: User, token, answers: list[list[int]]) -> QuizAttempt:
    """Grade an attempt once: submitted again (a double click, the back button) it is the same
    attempt, unchanged. Only its learner may submit it."""
    attempt = QuizAttempt.objects.select_for_update().filter(token=token).first()
    if attempt is None or attempt.user_id != user.pk:
        raise PermissionDenied
    if attempt.submitted_at is not None:
        return attempt
    if len(answers) != len(attempt.questions):
        raise ValidationError(_("Answer every question."))
    for question, chosen in zip(attempt.questions, answers, strict=True):
        if not chosen:
            raise ValidationError(_("Answer every question."))
        if question["kind"] == SINGLE and len(chosen) != 1:
            raise ValidationError(_("Choose one answer to each question."))
        if any(i < 0 or i >= len(question["answers"]) for i in chosen):
            raise ValidationError(_("Answer every question."))
    attempt.answers = [sorted(set(chosen)) for chosen in answers]
    attempt.score = grade(attempt.questions, attempt.answers)
    attempt.passed = attempt.score >= attempt.pass_mark
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["answers", "score", "passed", "submitted_at"])
    if not attempt.passed:
        enrolments_summarise(Enrolment.objects.filter(user=user))
    if not attempt.passed and attempt.module is not None:
        _tell_hr_when_out_of_attempts(attempt)
    if attempt.passed and attempt.module is not None:
        module_complete_check(user=user, module=attempt.module)
    return attempt


def _tell_hr_when_out_of_attempts(attempt: QuizAttempt) -> None:
    module = attempt.module
    block = next((b for b in quiz_blocks(module) if b.id == attempt.quiz_id), None)
    allowed = int(block.value["retries"]) if block is not None else attempt.number
    if attempt.number < allowed:
        return
    learner = attempt.user
    for person in User.objects.filter(groups__name=groups.HR, is_active=True).distinct():
        notify_person(
            user=person,
            key=f"onboarding:out-of-attempts:{attempt.pk}:{person.pk}",
            compose=lambda: (
                _("Out of quiz attempts: %(person)s") % {"person": learner},
                _(
                    "%(person)s failed the last of %(count)s attempts at “%(quiz)s” in "
                    "%(module)s (%(score)s%%, pass mark %(mark)s%%)."
                )
                % {
                    "person": learner,
                    "count": allowed,
                    "quiz": attempt.title,
                    "module": module.title,
                    "score": attempt.score,
                    "mark": attempt.pass_mark,
                },
            ),
        )


def _principles(module: ModulePage) -> list:
    return [
        block.value["principle"]
        for block in module.body
        if block.block_type == "principle" and block.value.get("principle") is not None
    ]


def module_complete_check(*, user: User, module: ModulePage) -> bool:
    """Complete the module for the learner once every quiz is passed and every principle in
    it acknowledged (its current version). Once complete it stays complete."""
    from portal.principles.models import Acknowledgement, Principle

    quizzes = {block.id for block in quiz_blocks(module)}
    passed = set(
        QuizAttempt.objects.filter(
            user=user, module_key=module.translation_key, passed=True
        ).values_list("quiz_id", flat=True)
    )
    if not quizzes <= passed:
        return False
    keys = {page.translation_key for page in _principles(module)}
    if keys:
        current = Principle.objects.filter(translation_key__in=keys, live=True)
        acknowledged = Acknowledgement.objects.filter(
            user=user,
            principle__in=current,
            acknowledged_at__isnull=False,
            version=F("principle__version"),
        ).count()
        if acknowledged < current.count():
            return False
    changed = ModuleProgress.objects.filter(
        enrolment__user=user, module_key=module.translation_key, completed_at__isnull=True
    ).update(completed_at=timezone.now())
    if changed:
        _enrolments_complete(user=user, module_key=module.translation_key)
        enrolments_summarise(
            Enrolment.objects.filter(user=user, modules__module_key=module.translation_key)
        )
    return True


def _enrolments_complete(*, user: User, module_key) -> None:
    """A programme is complete when every module of it is done or excused."""
    now = timezone.now()
    for enrolment in Enrolment.objects.filter(
        user=user, modules__module_key=module_key, completed_at__isnull=True
    ):
        if not enrolment.modules.filter(completed_at__isnull=True, excused_at__isnull=True):
            Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=now)


def _lesson_link(page: ModulePage, anchor: str) -> str:
    """The lesson a wrong answer points back to: the first text block that holds `anchor`."""
    if not anchor:
        return ""
    wanted = anchor.casefold()
    for block in page.body:
        if block.block_type == "paragraph" and wanted in str(block.value.source).casefold():
            return f"#block-{block.id}"
    return ""


def _results(page: ModulePage, attempt: QuizAttempt | None) -> list[dict]:
    if attempt is None or attempt.answers is None:
        return []
    results = []
    for question, chosen in zip(attempt.questions, attempt.answers, strict=True):
        results.append(
            {
                "question": question["question"],
                "correct": grade_one(question, chosen),
                "chosen": [question["answers"][i] for i in chosen],
                "lesson": question["lesson_anchor"],
                "lesson_link": _lesson_link(page, question["lesson_anchor"]),
            }
        )
    return results


def module_visit(*, page: ModulePage, user: User, failed_form=None) -> dict:
    """What the module's page shows the learner: each quiz's state (an attempt opened when one
    may be taken), the last attempt's results, and their progress on the module."""
    from onboarding.forms import QuizForm

    if not user.is_authenticated:
        return {"blocks": [(block, None) for block in page.body]}
    quizzes = {}
    for block in quiz_blocks(page):
        state = quiz_open(user=user, module=page, block=block)
        form = None
        if state.open_attempt is not None:
            if failed_form is not None and failed_form.attempt.pk == state.open_attempt.pk:
                form = failed_form
            else:
                form = QuizForm(attempt=state.open_attempt)
        quizzes[block.id] = {"state": state, "form": form, "results": _results(page, state.last)}
    module_complete_check(user=user, module=page)
    progress = (
        ModuleProgress.objects.filter(enrolment__user=user, module_key=page.translation_key)
        .order_by("due_on")
        .first()
    )
    # The body's blocks in order, each quiz with its state (a template cannot look one up).
    blocks = [(block, quizzes.get(block.id)) for block in page.body]
    return {"blocks": blocks, "quizzes": quizzes, "progress": progress}


def module_stop(*, user: User, module: ModulePage, block_id: str) -> None:
    """Remember the block of the module's body the learner reached last, to continue from
    there. It must be a block of the module as it is now, and the learner enrolled in it."""
    if not user.is_authenticated:
        raise PermissionDenied
    block_id = str(block_id or "")
    if block_id not in {block.id for block in module.body if block.id}:
        raise ValidationError(_("This module has no such part."))
    progress = ModuleProgress.objects.filter(
        enrolment__user=user, module_key=module.translation_key
    )
    if not progress.exists():
        raise PermissionDenied
    progress.exclude(stopped_at=block_id).update(stopped_at=block_id)
