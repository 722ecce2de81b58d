"""Writes for ambassadors: appointments, and the Ambassadors group kept in step with them.

Membership of the Ambassadors group follows the appointments and nothing else: every write
here re-syncs the people it touched, and `appointments_daily` (hourly, from beat) re-syncs
everyone, which is how a term ends by itself the day after its end date.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ambassadors.models import Appointment, Touchpoint
from portal.groups import AMBASSADORS
from portal.models import Department, User
from portal.services.outbox import outbox_enqueue
from portal.slack.text import site_url, slack_escape, slack_link
from stories.channels import cx_channels

logger = logging.getLogger(__name__)

# The CX team hears of a term this many days before its last day (and on each day after,
# once per end date: the outbox key carries it).
NOTICE_DAYS = 14


def appointment_admin_path(appointment_id: int) -> str:
    return reverse("wagtailsnippets_ambassadors_appointment:edit", args=[appointment_id])


def ending_notice_key(*, appointment_id: int, ends_on: datetime.date) -> str:
    return f"ambassadors:appointment:{appointment_id}:ending:{ends_on.isoformat()}"


# --- checks ------------------------------------------------------------------------------


def _require(user: User, permission: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied(
            _("Only the CX team may appoint ambassadors and change appointments.")
        )


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _keeps_person(appointment_id: int | None, person_id: int) -> bool:
    # Someone who has left may stay on the appointment they held (to shorten or correct
    # it); nobody who has left can be newly appointed.
    if appointment_id is None:
        return False
    return Appointment.objects.filter(pk=appointment_id, person_id=person_id).exists()


def _check_appointment(
    *,
    person_id: int,
    department_id: int,
    touchpoint_ids: Sequence[int],
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    appointment_id: int | None = None,
) -> tuple[User, Department, list[Touchpoint], str]:
    """Everything an appointment needs, checked; a ValidationError keyed by argument if not."""
    errors: dict[str, list[str]] = {}

    person = User.objects.filter(pk=person_id).first() if _is_id(person_id) else None
    if person is None:
        errors["person_id"] = [_("Choose a person from the list.")]
    elif not person.is_active and not _keeps_person(appointment_id, person.pk):
        errors["person_id"] = [
            _("%(name)s's account is deactivated: only current employees can be appointed.")
            % {"name": person}
        ]

    department = (
        Department.objects.filter(pk=department_id).first() if _is_id(department_id) else None
    )
    if department is None:
        errors["department_id"] = [_("Choose a department from the list.")]

    ids = list(touchpoint_ids or [])
    touchpoints: list[Touchpoint] = []
    if not ids:
        errors["touchpoint_ids"] = [_("Choose at least one touchpoint.")]
    elif not all(_is_id(value) for value in ids):
        errors["touchpoint_ids"] = [_("Choose touchpoints from the list.")]
    else:
        touchpoints = list(Touchpoint.objects.filter(pk__in=ids))
        unknown = sorted(set(ids) - {touchpoint.pk for touchpoint in touchpoints})
        if unknown:
            errors["touchpoint_ids"] = [
                _("These touchpoints do not exist (any more): %(ids)s.")
                % {"ids": ", ".join(str(value) for value in unknown)}
            ]

    if not _is_date(starts_on):
        errors["starts_on"] = [_("Enter the first day of the term.")]
    if not _is_date(ends_on):
        errors["ends_on"] = [_("Enter the last day of the term.")]
    elif _is_date(starts_on) and ends_on < starts_on:
        errors["ends_on"] = [_("The term cannot end before it starts.")]

    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        errors["reason"] = [_("Say why this person is appointed: the team will read it.")]

    if person is not None and department is not None and not errors:
        overlapping = (
            Appointment.objects.filter(
                person=person,
                department=department,
                starts_on__lte=ends_on,
                ends_on__gte=starts_on,
            )
            .exclude(pk=appointment_id)
            .order_by("starts_on")
            .first()
        )
        if overlapping is not None:
            errors["starts_on"] = [
                _(
                    "%(name)s is already appointed for %(department)s from %(start)s to "
                    "%(end)s: change that appointment instead."
                )
                % {
                    "name": person,
                    "department": department,
                    "start": date_format(overlapping.starts_on, "DATE_FORMAT"),
                    "end": date_format(overlapping.ends_on, "DATE_FORMAT"),
                }
            ]

    if errors:
        raise ValidationError(errors)
    return person, department, touchpoints, reason


# --- appointments ------------------------------------------------------------------------


def appointment_create(
    *,
    user: User,
    person_id: int,
    department_id: int,
    touchpoint_ids: Sequence[int],
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
) -> Appointment:
    """Appoint a person; they join the Ambassadors group at once if the term has begun."""
    _require(user, "ambassadors.add_appointment")
    person, department, touchpoints, reason = _check_appointment(
        person_id=person_id,
        department_id=department_id,
        touchpoint_ids=touchpoint_ids,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
    )
    with transaction.atomic():
        appointment = Appointment.objects.create(
            person=person,
            department=department,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            appointed_by=user,
        )
        appointment.touchpoints.set(touchpoints)
        ambassador_sync_person(person_id=person.pk)
    return appointment


def appointment_update(
    *,
    user: User,
    appointment: Appointment,
    person_id: int,
    department_id: int,
    touchpoint_ids: Sequence[int],
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
) -> Appointment:
    """Change an appointment (all its fields); who appointed them stays as it was.

    The instance may carry unsaved changes (a model form sets them before validating): the
    person it had before is read from the database, so both the old and the new person are
    re-synced.
    """
    _require(user, "ambassadors.change_appointment")
    person, department, touchpoints, reason = _check_appointment(
        person_id=person_id,
        department_id=department_id,
        touchpoint_ids=touchpoint_ids,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        appointment_id=appointment.pk,
    )
    with transaction.atomic():
        previous_person_id = (
            Appointment.objects.select_for_update()
            .values_list("person_id", flat=True)
            .get(pk=appointment.pk)
        )
        appointment.person = person
        appointment.department = department
        appointment.starts_on = starts_on
        appointment.ends_on = ends_on
        appointment.reason = reason
        appointment.save(
            update_fields=["person", "department", "starts_on", "ends_on", "reason", "updated_at"]
        )
        appointment.touchpoints.set(touchpoints)
        for changed in {previous_person_id, person.pk}:
            ambassador_sync_person(person_id=changed)
    return appointment


def appointment_end(
    *, user: User, appointment: Appointment, on: datetime.date | None = None
) -> Appointment | None:
    """End a term early: from `on` (default today) the person is no longer its ambassador.

    The term's last day becomes the day before `on`. A term that would not have begun by
    then is withdrawn: the appointment is deleted (None is returned), as a term of no days
    cannot be kept and a one-day term would make them an ambassador on a day they were not.
    A term already over by `on` is left as it is: ending never lengthens a term.
    """
    _require(user, "ambassadors.change_appointment")
    on = timezone.localdate() if on is None else on
    if not _is_date(on):
        raise ValidationError({"on": [_("Enter the first day they are no longer appointed.")]})
    with transaction.atomic():
        current = Appointment.objects.select_for_update().get(pk=appointment.pk)
        last_day = on - datetime.timedelta(days=1)
        result: Appointment | None = current
        if last_day < current.starts_on:
            current.delete()
            result = None
        elif last_day < current.ends_on:
            current.ends_on = last_day
            current.save(update_fields=["ends_on", "updated_at"])
        ambassador_sync_person(person_id=current.person_id)
    return result


def appointment_delete(*, user: User, appointment: Appointment) -> None:
    """Remove an appointment made by mistake (to end a real term, use appointment_end)."""
    _require(user, "ambassadors.delete_appointment")
    with transaction.atomic():
        person_id = appointment.person_id
        Appointment.objects.filter(pk=appointment.pk).delete()
        ambassador_sync_person(person_id=person_id)


# --- the Ambassadors group ---------------------------------------------------------------


def _ambassadors_group() -> Group:
    # The portal makes its groups after every migrate; get_or_create only spares a fresh
    # database a crash before its first migrate has finished.
    group, _created = Group.objects.get_or_create(name=AMBASSADORS)
    return group


def ambassadors_sync(*, today: datetime.date | None = None) -> tuple[list[int], list[int]]:
    """Make the Ambassadors group exactly the active people with an appointment today.

    Returns the ids of the people added and of those removed. Someone put in the group by
    hand is taken out: the group is the appointments' mirror. A deactivated account is
    never an ambassador, whatever its appointments say.
    """
    today = timezone.localdate() if today is None else today
    with transaction.atomic():
        group = _ambassadors_group()
        Group.objects.select_for_update().filter(pk=group.pk).first()
        wanted = set(
            Appointment.objects.active_on(today)
            .filter(person__is_active=True)
            .values_list("person_id", flat=True)
        )
        current = set(group.user_set.values_list("pk", flat=True))
        added, removed = sorted(wanted - current), sorted(current - wanted)
        if added:
            group.user_set.add(*added)
        if removed:
            group.user_set.remove(*removed)
    if added or removed:
        logger.info("Ambassadors group: %d added, %d removed", len(added), len(removed))
    return added, removed


def ambassador_sync_person(*, person_id: int, today: datetime.date | None = None) -> bool:
    """Put one person in or out of the Ambassadors group; returns whether they are in it."""
    today = timezone.localdate() if today is None else today
    active = (
        Appointment.objects.active_on(today)
        .filter(person_id=person_id, person__is_active=True)
        .exists()
    )
    group = _ambassadors_group()
    if active:
        group.user_set.add(person_id)
    else:
        group.user_set.remove(person_id)
    return active


# --- the daily round ---------------------------------------------------------------------


def _ending_text(appointment: Appointment, today: datetime.date) -> str:
    days = (appointment.ends_on - today).days
    values = {
        "name": slack_escape(str(appointment.person)),
        "department": slack_escape(appointment.department.name),
        "date": date_format(appointment.ends_on, "DATE_FORMAT"),
        "count": days,
    }
    if days <= 0:
        head = _("%(name)s's ambassador term for %(department)s ends today (%(date)s).") % values
    elif days == 1:
        head = _("%(name)s's ambassador term for %(department)s ends tomorrow (%(date)s).") % values
    else:
        head = (
            ngettext(
                "%(name)s's ambassador term for %(department)s ends in %(count)d day, on %(date)s.",
                "%(name)s's ambassador term for %(department)s ends in %(count)d days, "
                "on %(date)s.",
                days,
            )
            % values
        )
    link = slack_link(
        site_url(appointment_admin_path(appointment.pk)),
        _("Extend the term or appoint someone new"),
    )
    return f":hourglass: {head} {link}"


def appointments_daily(*, today: datetime.date | None = None) -> dict[str, int]:
    """Re-sync the Ambassadors group and tell the CX team of terms ending within 14 days.

    Safe to run as often as beat likes: each notice is written once per appointment and end
    date, so extending a term and nearing the new end tells the team again. With no CX
    channel set, nothing is written (and so nothing is lost: the notice goes out on the
    first run after the channel is set).
    """
    today = timezone.localdate() if today is None else today
    added, removed = ambassadors_sync(today=today)
    ending = list(
        Appointment.objects.active_on(today)
        .filter(ends_on__lte=today + datetime.timedelta(days=NOTICE_DAYS))
        .select_related("person", "department")
        .order_by("ends_on", "pk")
    )
    channel = cx_channels().cx
    if ending and not channel:
        logger.warning(
            "%d ambassador term(s) end within %d days, but no CX channel is set "
            "(Settings → CX channels): nobody was told",
            len(ending),
            NOTICE_DAYS,
        )
    notices = 0
    if channel:
        # The channel is the team's: it reads the portal's default language.
        with translation.override(settings.LANGUAGE_CODE):
            for appointment in ending:
                with transaction.atomic():
                    outbox_enqueue(
                        key=ending_notice_key(
                            appointment_id=appointment.pk, ends_on=appointment.ends_on
                        ),
                        channel=channel,
                        text=_ending_text(appointment, today),
                    )
                notices += 1
    return {"added": len(added), "removed": len(removed), "ending": len(ending), "notices": notices}
