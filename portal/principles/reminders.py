"""Asking people to acknowledge a principle, reminding them, and telling their manager.

Each person is asked once per version (a Slack DM, or email without Slack), reminded after
3 and 7 of their working days at 09:00 in their own time zone, and after 14 days their
manager hears of it. Every message goes through the outbox under a key naming the person,
the principle, the version and the step, so a run repeated or overlapping sends nothing
twice; the counters on the acknowledgement row spare the next run the work.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Profile, User
from portal.principles import messages
from portal.principles.blocks import check_question
from portal.principles.models import Acknowledgement, Principle
from portal.principles.pages import PrinciplePage
from portal.principles.reports import counts_changed
from portal.principles.selectors import audience_users, route_path
from portal.services.notify import notify_person
from portal.workdays import add_working_days, is_working_day

REMINDER_WORKING_DAYS = (3, 7)
MANAGER_DAYS = 14
SEND_AT = datetime.time(9, 0)
BATCH = 500


def ask_key(principle_id: int, version: int, user_id: int) -> str:
    return f"principles:ask:{principle_id}:{version}:{user_id}"


def reminder_key(principle_id: int, version: int, user_id: int, count: int) -> str:
    return f"principles:remind:{principle_id}:{version}:{user_id}:{count}"


def manager_key(principle_id: int, version: int, user_id: int) -> str:
    return f"principles:manager:{principle_id}:{version}:{user_id}"


class _Pages:
    """A principle's live page per language, the default's where one is missing."""

    def __init__(self, principle: Principle):
        self.default = principle.page
        self.by_language = {
            page.locale.language_code: page
            for page in PrinciplePage.objects.live()
            .filter(translation_key=principle.translation_key)
            .select_related("locale")
        }

    def for_language(self, language: str) -> PrinciplePage | None:
        return self.by_language.get(language) or self.default


def _tell(*, user: User, profile: Profile, key: str, principle: Principle, pages: _Pages, text_of):
    page = pages.for_language(profile.language)
    if page is None:
        return None

    def compose():
        text = text_of(page)
        buttons = messages.acknowledge_buttons(
            principle_id=principle.pk,
            version=principle.version,
            page_url=route_path(page),
            has_question=check_question(page.question) is not None,
        )
        return _("A CX principle to acknowledge"), text, messages.with_buttons(text, buttons)

    return notify_person(user=user, key=key, compose=compose, profile=profile)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def principle_ask(*, principle_id: int, version: int, now: datetime.datetime | None = None) -> int:
    """Ask everyone in the audience not yet asked for this version; returns how many."""
    now = now or timezone.now()
    principle = (
        Principle.objects.filter(pk=principle_id, live=True, version=version)
        .select_related("page")
        .first()
    )
    if principle is None or principle.page is None:
        return 0
    asked = set(
        Acknowledgement.objects.filter(principle=principle, version=version).values_list(
            "user_id", flat=True
        )
    )
    people = [
        person
        for person in audience_users(principle).select_related("profile")
        if person.pk not in asked
    ]
    pages = _Pages(principle)
    for batch in _chunks(people, BATCH):
        with transaction.atomic():
            Acknowledgement.objects.bulk_create(
                [
                    Acknowledgement(principle=principle, user=p, version=version, asked_at=now)
                    for p in batch
                ],
                ignore_conflicts=True,
            )
            counts_changed()
            for person in batch:
                _tell(
                    user=person,
                    profile=person.profile,
                    key=ask_key(principle.pk, version, person.pk),
                    principle=principle,
                    pages=pages,
                    text_of=lambda page: messages.ask(
                        title=page.title,
                        statement=page.statement,
                        page_url=route_path(page),
                        version=version,
                    ),
                )
    return len(people)


def reminders_due(ack: Acknowledgement, profile: Profile, now: datetime.datetime) -> int:
    """How many reminders should have gone to this person by now (0, 1 or 2).

    A reminder is due from 09:00 local on the Nth working day after they were asked, and is
    sent on a working day only: one that fell on a weekend goes out on Monday.
    """
    tz = profile.effective_timezone
    local = now.astimezone(tz)
    department = profile.department
    if not is_working_day(local.date(), department) or local.time() < SEND_AT:
        return 0
    asked_day = ack.asked_at.astimezone(tz).date()
    return sum(
        1
        for days in REMINDER_WORKING_DAYS
        if add_working_days(asked_day, days, department) <= local.date()
    )


def principle_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """One pass over every pending acknowledgement: newcomers asked, reminders, managers told.

    Returns the number of messages written. Runs every hour on the beat.
    """
    now = now or timezone.now()
    written = 0
    for principle in Principle.objects.filter(live=True, version__gte=1).select_related("page"):
        principle_ask(principle_id=principle.pk, version=principle.version, now=now)
        pages = _Pages(principle)
        audience = set(audience_users(principle).values_list("pk", flat=True))
        pending = list(
            Acknowledgement.objects.filter(
                principle=principle, version=principle.version, acknowledged_at__isnull=True
            ).select_related("user__profile__department", "user__profile__manager__profile")
        )
        for batch in _chunks(pending, BATCH):
            with transaction.atomic():
                written += _remind_batch(principle, pages, batch, audience, now)
    return written


def _remind_batch(principle, pages, batch, audience, now) -> int:
    written = 0
    for ack in batch:
        person = ack.user
        if person.pk not in audience or not person.is_active:
            continue
        profile = person.profile
        due = reminders_due(ack, profile, now)
        if due > ack.reminders_sent:
            _tell(
                user=person,
                profile=profile,
                key=reminder_key(principle.pk, ack.version, person.pk, due),
                principle=principle,
                pages=pages,
                text_of=lambda page, due=due: messages.reminder(
                    title=page.title, page_url=route_path(page), count=due
                ),
            )
            Acknowledgement.objects.filter(pk=ack.pk).update(reminders_sent=due)
            written += 1
        manager = profile.manager
        if (
            manager is not None
            and ack.manager_told_at is None
            and now - ack.asked_at >= datetime.timedelta(days=MANAGER_DAYS)
        ):
            page = pages.for_language(manager.profile.language)
            notify_person(
                user=manager,
                key=manager_key(principle.pk, ack.version, person.pk),
                profile=manager.profile,
                compose=lambda page=page, person=person, ack=ack: (
                    _("Not yet acknowledged: %(title)s") % {"title": page.title},
                    messages.manager_note(
                        person=str(person),
                        title=page.title,
                        page_url=route_path(page),
                        days=(now - ack.asked_at).days,
                    ),
                ),
            )
            Acknowledgement.objects.filter(pk=ack.pk).update(manager_told_at=now)
            written += 1
    return written
