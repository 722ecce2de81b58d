"""Writes for concerns: filing, following, notes, merging, and (re-exported) the triage moves.

Every service is keyword-only, takes the person acting as `user`, validates its own input
(ValidationError keyed by argument name), refuses people without the right (PermissionDenied,
rules in stories.rules) and writes in one transaction, outbox messages included. The web
forms and the Slack modals call these with the same arguments and get the same errors.

The triage transitions live in stories.services.concern_triage and are importable from here:
concern_acknowledge, concern_classify, concern_set_owner, concern_assign, concern_start,
concern_resolve, concern_decline, concern_close, concern_reopen.

Who may add a note (concern_add_note): the CX team and the owner department's members, public
or internal; the person who raised the concern, a public note only (a reply to what they were
told). Followers and everyone else follow the concern instead: the timeline is the record of
what was done, not a discussion thread.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Department
from portal.services.outbox import outbox_enqueue
from portal.slack.text import slack_escape
from stories import rules, sla
from stories.channels import cx_channels
from stories.masking import mask_identifiers
from stories.models import Concern, ConcernEvent, ConcernFollower, Severity
from stories.services.arguments import check_source_url
from stories.services.concern_triage import (
    CHOOSE_DEPARTMENT,
    CHOOSE_KIND,
    CHOOSE_PERSON,
    MAX_NOTE,
    NOTE_REQUIRED,
    REASON_REQUIRED,
    REOPEN_NOTE_REQUIRED,
    WHAT_WE_DID_REQUIRED,
    as_id,
    check_person,
    concern_acknowledge,
    concern_assign,
    concern_classify,
    concern_close,
    concern_decline,
    concern_reopen,
    concern_resolve,
    concern_set_owner,
    concern_start,
    link,
    quote,
    record,
    shown_to,
    sync,
    tell,
    too_long,
)

__all__ = [
    "CHOOSE_DEPARTMENT",
    "CHOOSE_KIND",
    "CHOOSE_PERSON",
    "MAX_NOTE",
    "DEDUPE_WINDOW",
    "NOTE_REQUIRED",
    "REASON_REQUIRED",
    "REOPEN_NOTE_REQUIRED",
    "WHAT_WE_DID_REQUIRED",
    "concern_acknowledge",
    "concern_add_note",
    "concern_assign",
    "concern_classify",
    "concern_close",
    "concern_decline",
    "concern_file",
    "concern_follow",
    "concern_merge",
    "concern_reopen",
    "concern_resolve",
    "concern_set_owner",
    "concern_start",
    "concern_unfollow",
]

Event = ConcernEvent.Kind

# The same person filing the same concern again within this window gets the first one back:
# a double click, a retried Slack modal, a form sent twice.
DEDUPE_WINDOW = datetime.timedelta(seconds=60)
MAX_TITLE = 200
MAX_DESCRIPTION = 10000
MAX_REFERENCE = 200
# How much of the description a critical alert quotes.
ALERT_EXCERPT = 400

TITLE_REQUIRED = gettext_lazy("Give the concern a short title.")
DESCRIPTION_REQUIRED = gettext_lazy("Say what the customer experienced.")
TOUCHPOINT_REQUIRED = gettext_lazy("Choose where the customer met us.")
DEPARTMENT_REQUIRED = gettext_lazy("Choose the department where it was seen.")
SEVERITY_REQUIRED = gettext_lazy("Choose how bad it is.")


def concern_check(
    *,
    user,
    title: str,
    description: str,
    touchpoint_id,
    department_id,
    severity: str,
    customer_reference: str = "",
    source_url: str = "",
    owner_department_id=None,
) -> dict:
    """What concern_file would file, checked (a ValidationError keyed by argument name lists
    all that is wrong), without filing it: for a Slack modal, which must answer at once while a
    task files the concern."""
    check_person(user)
    values = {
        "title": " ".join((title or "").split()),
        "description": (description or "").strip(),
        "customer_reference": " ".join((customer_reference or "").split()),
        "severity": severity,
    }
    errors: dict[str, list] = {}
    if not values["title"]:
        errors["title"] = [TITLE_REQUIRED]
    elif len(values["title"]) > MAX_TITLE:
        errors["title"] = [too_long(MAX_TITLE)]
    if not values["description"]:
        errors["description"] = [DESCRIPTION_REQUIRED]
    elif len(values["description"]) > MAX_DESCRIPTION:
        errors["description"] = [too_long(MAX_DESCRIPTION)]
    touchpoint_pk = as_id(touchpoint_id)
    Touchpoint = apps.get_model("ambassadors", "Touchpoint")
    values["touchpoint"] = (
        Touchpoint.objects.filter(pk=touchpoint_pk).first() if touchpoint_pk else None
    )
    if values["touchpoint"] is None:
        errors["touchpoint_id"] = [TOUCHPOINT_REQUIRED]
    department_pk = as_id(department_id)
    values["department"] = (
        Department.objects.filter(pk=department_pk).first() if department_pk else None
    )
    if values["department"] is None:
        errors["department_id"] = [DEPARTMENT_REQUIRED]
    if severity not in Severity.values:
        errors["severity"] = [SEVERITY_REQUIRED]
    if len(values["customer_reference"]) > MAX_REFERENCE:
        errors["customer_reference"] = [too_long(MAX_REFERENCE)]
    values["source_url"] = check_source_url(source_url, errors)
    # "We'll look into it" on a daily voice: a department takes on what its own channel heard.
    # Only for one's own department; routing anyone else's stays with the CX team's triage.
    values["owner_department"] = None
    if owner_department_id not in (None, ""):
        profile = getattr(user, "profile", None)
        if as_id(owner_department_id) != getattr(profile, "department_id", None):
            errors["department_id"] = [_("You can take a concern on only for your own department.")]
        else:
            values["owner_department"] = Department.objects.get(pk=profile.department_id)
    if errors:
        raise ValidationError(errors)
    return values


def concern_file(
    *,
    user,
    title: str,
    description: str,
    touchpoint_id,
    department_id,
    severity: str,
    customer_reference: str = "",
    source_url: str = "",
    owner_department_id=None,
) -> Concern:
    """File a concern (any active employee); the submitter follows it.

    Due by the severity's SLA in the working week of the department where it was seen. The same
    person filing the same title and description within a minute gets the first concern back.
    Every new concern is posted to the CX channel with its triage controls; a critical one is
    posted to the leadership channel too, masked. `source_url`: the Slack message it came from.
    """
    values = concern_check(
        user=user,
        title=title,
        description=description,
        touchpoint_id=touchpoint_id,
        department_id=department_id,
        severity=severity,
        customer_reference=customer_reference,
        source_url=source_url,
        owner_department_id=owner_department_id,
    )
    with transaction.atomic():
        # One filing at a time per person, so two identical requests cannot both miss the
        # other: the second waits here and then finds the first.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        earlier = (
            Concern.objects.filter(
                submitted_by=user,
                title=values["title"],
                description=values["description"],
                created_at__gte=timezone.now() - DEDUPE_WINDOW,
            )
            .order_by("created_at", "pk")
            .first()
        )
        if earlier is not None:
            return earlier
        concern = Concern.objects.create(submitted_by=user, **values)
        concern.due_at = sla.due_at(
            severity=values["severity"],
            filed_at=concern.created_at,
            department=values["department"],
        )
        concern.save(update_fields=["due_at", "updated_at"])
        ConcernFollower.objects.get_or_create(concern=concern, user=user)
        record(concern, actor=user, kind=Event.FILED, data={"severity": values["severity"]})
        if concern.owner_department_id:
            record(
                concern,
                actor=user,
                kind=Event.OWNER_SET,
                data={
                    "department_id": concern.owner_department_id,
                    "department": concern.owner_department.name,
                },
            )
        _announce(concern)
    return concern


def _announce(concern: Concern) -> None:
    """Post a new concern to the CX channel with its triage controls; a critical one to the
    leadership channel too (without controls: only the CX team triages). Masked (channels are
    read widely), in the site's language, once per channel: when both settings name the same
    channel it is posted there once.
    """
    from stories.slack_blocks import concern_blocks, concern_heading

    channels = cx_channels()
    critical = concern.severity == Severity.CRITICAL
    with translation.override(settings.LANGUAGE_CODE):
        excerpt = Truncator(mask_identifiers(concern.description)).chars(ALERT_EXCERPT)
        text = "\n".join(
            [
                concern_heading(concern),
                _("%(touchpoint)s · seen in %(department)s")
                % {
                    "touchpoint": slack_escape(str(concern.touchpoint)),
                    "department": slack_escape(concern.department.name),
                },
                quote(excerpt),
            ]
        )
        blocks = concern_blocks(concern)
    kind = "critical" if critical else "new"
    if channels.cx:
        outbox_enqueue(
            key=f"stories:concern:{concern.pk}:{kind}:{channels.cx}",
            channel=channels.cx,
            text=text,
            blocks=blocks,
        )
    if critical and channels.leadership and channels.leadership != channels.cx:
        outbox_enqueue(
            key=f"stories:concern:{concern.pk}:critical:{channels.leadership}",
            channel=channels.leadership,
            text=text,
        )


def concern_follow(*, user, concern: Concern) -> bool:
    """Hear what happens to a concern; True when the person was not following it yet."""
    check_person(user)
    if concern.merged_into_id:
        raise ValidationError(
            {"concern": [_("This concern was merged into another: follow that one instead.")]}
        )
    with transaction.atomic():
        _follow, created = ConcernFollower.objects.get_or_create(concern_id=concern.pk, user=user)
        if created:
            record(concern, actor=user, kind=Event.FOLLOWED)
    return created


def concern_unfollow(*, user, concern: Concern) -> bool:
    """Stop hearing about a concern; True when the person was following it.

    The person who raised it always hears what came of it, so they cannot unfollow.
    """
    check_person(user)
    if concern.submitted_by_id == user.pk:
        raise ValidationError(
            {"concern": [_("You raised this concern, so you will always hear what comes of it.")]}
        )
    with transaction.atomic():
        deleted, _rows = ConcernFollower.objects.filter(concern_id=concern.pk, user=user).delete()
    return bool(deleted)


def concern_add_note(*, user, concern: Concern, note: str, internal: bool) -> ConcernEvent:
    """A note on the timeline (who may write which: see the module's docstring)."""
    check_person(user)
    note = (note or "").strip()
    with transaction.atomic():
        current = Concern.objects.select_for_update().get(pk=concern.pk)
        if internal:
            allowed = rules.may_see_internal(user, current)
        else:
            allowed = rules.may_move_forward(user, current) or current.submitted_by_id == user.pk
        if not allowed:
            raise PermissionDenied
        if not note:
            raise ValidationError({"note": [NOTE_REQUIRED]})
        if len(note) > MAX_NOTE:
            raise ValidationError({"note": [too_long(MAX_NOTE)]})
        return record(current, actor=user, kind=Event.NOTE, note=note, internal=bool(internal))


def concern_merge(*, user, duplicate: Concern, into: Concern) -> Concern:
    """Close a duplicate into the concern it repeats (the CX team); returns `into`.

    The duplicate's followers and submitter follow `into` from now on, both timelines say so,
    and the duplicate's submitter is told once where their concern went. Concerns merged
    earlier into the duplicate are pointed at `into` too, so merges never chain.
    """
    check_person(user)
    if not rules.may_triage(user):
        raise PermissionDenied
    if duplicate.pk == into.pk:
        raise ValidationError({"into": [_("A concern cannot be merged into itself.")]})
    with transaction.atomic():
        # Both rows, locked in one order so two merges cannot wait on each other.
        locked = Concern.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])
        rows = {row.pk: row for row in locked.order_by("pk")}
        dup, target = rows[duplicate.pk], rows[into.pk]
        errors: dict[str, list] = {}
        if dup.merged_into_id:
            errors["duplicate"] = [_("This concern was already merged into another.")]
        elif not dup.is_open:
            errors["duplicate"] = [_("Only an open concern can be merged into another.")]
        if target.merged_into_id:
            errors["into"] = [
                _("That concern was itself merged into another: merge into that one.")
            ]
        elif target.state == Concern.State.CLOSED:
            errors["into"] = [_("That concern is closed: reopen it first, or choose another.")]
        if errors:
            raise ValidationError(errors)

        dup.state = Concern.State.CLOSED
        dup.merged_into = target
        dup.closed_at = timezone.now()
        dup.save(update_fields=["state", "merged_into", "closed_at", "updated_at"])
        Concern.objects.filter(merged_into=dup).update(merged_into=target)

        carried = set(ConcernFollower.objects.filter(concern=dup).values_list("user_id", flat=True))
        carried.add(dup.submitted_by_id)
        already = set(
            ConcernFollower.objects.filter(concern=target, user_id__in=carried).values_list(
                "user_id", flat=True
            )
        )
        added = sorted(carried - already)
        ConcernFollower.objects.bulk_create(
            [ConcernFollower(concern=target, user_id=pk) for pk in added], ignore_conflicts=True
        )
        merged = record(dup, actor=user, kind=Event.MERGED, data={"into_id": target.pk})
        record(
            target,
            actor=user,
            kind=Event.DUPLICATE_MERGED,
            data={"duplicate_id": dup.pk, "followers_added": len(added)},
        )
        submitter = dup.submitted_by
        if submitter.is_active and submitter.pk != user.pk:

            def compose(person, title):
                # `title` is the duplicate's; the concern it joined is named and linked.
                joined = shown_to(person, target, target.title)
                return (
                    _("Your concern was merged: %(title)s") % {"title": title},
                    _(
                        "Your concern “%(title)s” was merged into %(link)s, which is about the "
                        "same thing. You now follow it and will hear what comes of it."
                    )
                    % {"title": slack_escape(title), "link": link(target, joined)},
                )

            tell(dup, merged, [submitter], compose)
    sync(duplicate, dup)
    return sync(into, target)
