"""Reads for onboarding: a learner's programmes, modules and where they stand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.models import Enrolment, ModuleProgress
from portal.models import User
from portal.principles.selectors import url_path_route
from portal.ui import day


@dataclass(frozen=True)
class ProgrammeProgress:
    enrolment: Enrolment
    modules: list[ModuleProgress]

    @property
    def done(self) -> int:
        return sum(1 for m in self.modules if m.done)

    @property
    def total(self) -> int:
        return len(self.modules)

    @property
    def title(self) -> str | None:
        """The programme page's title (None once the page is gone)."""
        return self.enrolment.programme_title

    @property
    def url(self) -> str:
        path = self.enrolment.programme_url_path
        return url_path_route(path) if path else ""

    def next_due(self) -> ModuleProgress | None:
        return next((m for m in self.modules if not m.done), None)


def my_onboarding(*, user: User, with_changes: bool = False) -> list[ProgrammeProgress]:
    """Every programme the person is enrolled in, with its modules in order (two queries).
    The programme and each module row carry their page's title and address (None and "" once
    the page is gone) as values: 3 programmes of 8 modules built 27 whole pages to show their
    titles (bench/README.md). Read `.programme` or `.module` of these rows and each costs a
    query. `with_changes`: each module's `changed_by` too (who last moved its date or
    excused it, for HR's view of the learner)."""
    if not user.is_authenticated:
        return []
    modules = ModuleProgress.objects.annotate(
        title=F("module__title"), url_path=F("module__url_path")
    ).order_by("position")
    if with_changes:
        modules = modules.select_related("changed_by")
    enrolments = (
        Enrolment.objects.filter(user=user)
        .annotate(
            programme_title=F("programme__title"), programme_url_path=F("programme__url_path")
        )
        .prefetch_related(Prefetch("modules", queryset=modules))
        .order_by("enrolled_at", "pk")
    )
    programmes = []
    for enrolment in enrolments:
        modules = list(enrolment.modules.all())
        for row in modules:
            row.url = url_path_route(row.url_path) if row.url_path else ""
        programmes.append(ProgrammeProgress(enrolment, modules))
    return programmes


def module_state(row: ModuleProgress, *, today: datetime.date) -> tuple[str, str]:
    """What a module's badge says, and its tone: done, excused, overdue since, or due."""
    if row.completed_at:
        return _("Done"), "success"
    if row.excused_at:
        return _("Excused"), "info"
    if row.due_on < today:
        return _("Overdue since %(date)s") % {"date": day(row.due_on)}, "warning"
    return _("Due %(date)s") % {"date": day(row.due_on)}, "info"


def local_today(profile) -> datetime.date:
    zone = profile.effective_timezone if profile else timezone.get_default_timezone()
    return timezone.now().astimezone(zone).date()


def continue_at(*, page, progress: ModuleProgress | None) -> str:
    """The block of the module to continue from: where the learner stopped, unless that is
    its first block (nothing to skip) or a block the module no longer has."""
    if progress is None or not progress.stopped_at:
        return ""
    later = [block.id for block in page.body][1:]
    return progress.stopped_at if progress.stopped_at in later else ""
