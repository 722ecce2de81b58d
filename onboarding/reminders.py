"""Reminding learners of what is due, and telling managers of what is a week late.

Beat runs `onboarding_reminders_send` every half hour. A learner is reminded at most once a
day: from 09:00 in their own time zone, on their working days, when a module of theirs that
is neither done nor excused is due within two working days or overdue. One message lists
them all, with a button to continue. When a module is a week (seven days) overdue, the
learner's manager is told once, from 09:00 on one of the manager's own working days (again
after HR moves its due date, services.module_due_extend).

Every message goes through the outbox under a key naming the learner and their local day
(or the module, for the manager), so a run repeated or overlapping sends nothing twice; the
keys written already are read in one query, sparing the run the work.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from slack_sdk.models.blocks import ButtonElement

from onboarding.models import ModuleProgress
from onboarding.pages import ModulePage
from portal.models import OutboxMessage, Profile, User
from portal.principles.messages import with_buttons
from portal.principles.selectors import url_path_route
from portal.services.notify import notify_person
from portal.slack.blocks import BUTTON_TEXT, plain
from portal.slack.text import site_url, slack_escape, slack_link
from portal.workdays import add_working_days, is_working_day

SEND_AT = datetime.time(9, 0)
DUE_WITHIN_WORKING_DAYS = 2
MANAGER_AFTER_DAYS = 7
# A module due more than this many calendar days ahead is never within two working days
# (a weekend and the longest run of public holidays between).
LOOK_AHEAD = datetime.timedelta(days=10)
BATCH = 500


def reminder_key(user_id: int, day: datetime.date) -> str:
    return f"onboarding:remind:{user_id}:{day:%Y-%m-%d}"


def manager_key(progress_id: int, due_on: datetime.date) -> str:
    return f"onboarding:manager:{progress_id}:{due_on:%Y-%m-%d}"


def _local(profile: Profile | None, now: datetime.datetime) -> datetime.datetime:
    zone = profile.effective_timezone if profile else timezone.get_default_timezone()
    return now.astimezone(zone)


def sending_hours(profile: Profile | None, now: datetime.datetime) -> bool:
    """From 09:00 on one of the person's working days, in their own time zone."""
    local = _local(profile, now)
    department = profile.department if profile else None
    return local.time() >= SEND_AT and is_working_day(local.date(), department)


class _Titles:
    """Every module's title and address per language, the default's where one is missing."""

    def __init__(self, keys):
        self.pages: dict = defaultdict(dict)
        rows = (
            ModulePage.objects.live()
            .filter(translation_key__in=keys)
            .values_list("translation_key", "locale__language_code", "title", "url_path")
        )
        for key, language, title, url_path in rows:
            self.pages[key][language] = (title, url_path_route(url_path))

    def of(self, progress: _Due | ModuleProgress) -> tuple[str, str]:
        found = self.pages.get(progress.module_key, {})
        chosen = found.get(get_language()) or next(iter(found.values()), None)
        if chosen is not None:
            return chosen
        return (_("Onboarding module"), "/onboarding/")


def _line(progress: _Due | ModuleProgress, titles: _Titles, today: datetime.date) -> str:
    title, path = titles.of(progress)
    link = slack_link(site_url(path), title)
    day = date_format(progress.due_on, "DATE_FORMAT")
    if progress.due_on < today:
        return _("• %(link)s — overdue since %(date)s") % {"link": link, "date": day}
    return _("• %(link)s — due %(date)s") % {"link": link, "date": day}


def _reminder(rows: list, titles: _Titles, today: datetime.date, by=None):
    def compose():
        lines = [_line(progress, titles, today) for progress in rows]
        if by is None:
            headline = _("Your onboarding: %(count)s to do soon.") % {"count": len(rows)}
        else:
            headline = _("%(person)s asks you to continue your onboarding.") % {
                "person": slack_escape(str(by))
            }
        text = "\n".join([headline, *lines])
        _title, path = titles.of(rows[0])
        button = ButtonElement(
            text=plain(_("Continue"), BUTTON_TEXT),
            action_id="portal_open_link:onboarding",
            url=site_url(path),
            style="primary",
        )
        blocks = with_buttons(text, [button])
        return _("Your onboarding"), text, blocks

    return compose


def _manager_note(progress: _Due | ModuleProgress, titles: _Titles, learner, days: int):
    def compose():
        title, path = titles.of(progress)
        return (
            _("Onboarding overdue: %(person)s") % {"person": learner},
            _(
                "%(person)s's onboarding module %(link)s is %(days)s days overdue. "
                "A word from you may help."
            )
            % {
                "person": slack_escape(str(learner)),
                "link": slack_link(site_url(path), title),
                "days": days,
            },
        )

    return compose


@dataclass(frozen=True)
class _Due:
    """One module a learner has still to do (a row read as values: a run reads thousands)."""

    pk: int
    user_id: int
    module_key: object
    due_on: datetime.date
    manager_told_at: datetime.datetime | None


def _pending(now: datetime.datetime) -> list[_Due]:
    return [
        _Due(*row)
        for row in ModuleProgress.objects.filter(
            completed_at__isnull=True,
            excused_at__isnull=True,
            enrolment__completed_at__isnull=True,
            enrolment__user__is_active=True,
            due_on__lte=now.date() + LOOK_AHEAD,
        )
        .order_by("enrolment__user_id", "due_on", "position", "pk")
        .values_list("pk", "enrolment__user_id", "module_key", "due_on", "manager_told_at")
    ]


def onboarding_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """One pass over every learner with something due: returns the messages written."""
    now = now or timezone.now()
    by_learner = [list(rows) for _user, rows in groupby(_pending(now), key=lambda d: d.user_id)]
    titles = _Titles({due.module_key for rows in by_learner for due in rows})
    written = 0
    for start in range(0, len(by_learner), BATCH):
        batch = by_learner[start : start + BATCH]
        learners = User.objects.select_related(
            "profile__department", "profile__manager__profile__department"
        ).in_bulk([rows[0].user_id for rows in batch])
        with transaction.atomic():
            written += _send_batch(batch, learners, titles, now)
    return written


def _send_batch(batch: list[list[_Due]], learners: dict, titles: _Titles, now) -> int:
    wanted = {}
    for rows in batch:
        learner = learners[rows[0].user_id]
        wanted[learner.pk] = reminder_key(learner.pk, _local(learner.profile, now).date())
    sent = set(
        OutboxMessage.objects.filter(idempotency_key__in=wanted.values()).values_list(
            "idempotency_key", flat=True
        )
    )
    written = 0
    told = []
    for rows in batch:
        learner = learners[rows[0].user_id]
        profile = learner.profile
        today = _local(profile, now).date()
        if wanted[learner.pk] not in sent and sending_hours(profile, now):
            soon = add_working_days(today, DUE_WITHIN_WORKING_DAYS, profile.department)
            due = [p for p in rows if p.due_on <= soon]
            if due:
                notify_person(
                    user=learner,
                    key=wanted[learner.pk],
                    profile=profile,
                    compose=_reminder(due, titles, today),
                )
                written += 1
        manager = profile.manager
        if manager is None or not manager.is_active:
            continue
        manager_profile = getattr(manager, "profile", None)
        for progress in rows:
            days = (today - progress.due_on).days
            if progress.manager_told_at is not None or days < MANAGER_AFTER_DAYS:
                continue
            if not sending_hours(manager_profile, now):
                break
            notify_person(
                user=manager,
                key=manager_key(progress.pk, progress.due_on),
                profile=manager_profile,
                compose=_manager_note(progress, titles, learner, days),
            )
            told.append(progress.pk)
            written += 1
    if told:
        ModuleProgress.objects.filter(pk__in=told).update(manager_told_at=now)
    return written


def nudge_key(enrolment_id: int, day: datetime.date) -> str:
    return f"onboarding:nudge:{enrolment_id}:{day:%Y-%m-%d}"


def nudge_send(*, by, enrolment, rows: list[ModuleProgress], today: datetime.date):
    """HR's or the manager's one-click nudge: what is left of one programme, at once (`today`
    in the learner's time zone)."""
    learner = enrolment.user
    profile = learner.profile
    titles = _Titles({progress.module_key for progress in rows})
    return notify_person(
        user=learner,
        key=nudge_key(enrolment.pk, today),
        profile=profile,
        compose=_reminder(rows, titles, today, by=by),
    )
