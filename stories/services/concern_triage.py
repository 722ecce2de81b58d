"""Writes for a concern's life after filing: triage, routing, resolution, and telling people.

Import the services from stories.services.concern (which re-exports these); this module also
holds what the filing and merging services share with the transitions: the row lock, the
timeline entry, and "closing the loop" (notifications to the submitter and followers).

Every transition runs in one transaction holding the concern's row lock, checks the person's
right (stories.rules) on the locked row, refuses a state it does not apply to with
ValidationError({"state": …}), writes one ConcernEvent per change, and writes the messages
that change causes to the outbox in the same transaction. The concern passed in is updated in
place to what was saved, and returned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Department, Profile
from portal.services.notify import notify_person
from portal.services.outbox import outbox_enqueue
from portal.slack.text import site_url, slack_escape, slack_link
from stories import rules, sla
from stories.masking import mask_identifiers
from stories.models import Concern, ConcernEvent
from stories.services.arguments import as_id, check_person

State = Concern.State
Event = ConcernEvent.Kind

MAX_NOTE = 5000
# Shared with the web forms, so an empty field says the same on the page and in Slack.
WHAT_WE_DID_REQUIRED = gettext_lazy("Say what was done: the person who raised it will read it.")
REASON_REQUIRED = gettext_lazy("Say why it won't be fixed: the person who raised it will read it.")
NOTE_REQUIRED = gettext_lazy("Write a note.")
REOPEN_NOTE_REQUIRED = gettext_lazy("Say why it is reopened.")
CHOOSE_DEPARTMENT = gettext_lazy("Choose a department from the list.")
CHOOSE_PERSON = gettext_lazy("Choose a person from the list.")
CHOOSE_KIND = gettext_lazy("Choose systemic or individual.")


# --- shared internals -----------------------------------------------------------------------


def lock(concern: Concern) -> Concern:
    """The concern's row, locked until the transaction ends. Call inside transaction.atomic()."""
    return Concern.objects.select_for_update().get(pk=concern.pk)


def sync(target: Concern, saved: Concern) -> Concern:
    """Bring the caller's instance up to what was saved (no query) and return it."""
    if target is not saved:
        for field in Concern._meta.concrete_fields:
            setattr(target, field.attname, getattr(saved, field.attname))
    return target


def refuse_state(concern: Concern, allowed: Iterable[str], message) -> None:
    if concern.state not in set(allowed):
        raise ValidationError({"state": [message]})


def record(
    concern: Concern,
    *,
    actor,
    kind: str,
    note: str = "",
    internal: bool = False,
    data: dict | None = None,
) -> ConcernEvent:
    """One line on the concern's timeline."""
    return ConcernEvent.objects.create(
        concern=concern,
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        note=note,
        internal=internal,
        data=data or {},
    )


def concern_url(concern: Concern) -> str:
    """The concern's page, absolute, for messages read outside the portal."""
    return site_url(reverse("stories:concern_detail", args=[concern.pk]))


def shown_to(recipient, concern: Concern, text: str) -> str:
    """Text as this person may read it: identifiers masked unless they may see them."""
    return text if rules.may_see_identifiers(recipient, concern) else mask_identifiers(text)


def quote(text: str) -> str:
    """User text as a Slack block quote, escaped so it cannot ping or link anyone."""
    return "\n".join(f"> {slack_escape(line)}" for line in text.strip().splitlines() or [""])


def link(concern: Concern, title: str) -> str:
    return slack_link(concern_url(concern), title)


def people_to_tell(concern: Concern, *, actor) -> list:
    """The submitter and every follower, active, without the person acting; in a stable order."""
    people = (
        get_user_model()
        .objects.filter(
            Q(pk=concern.submitted_by_id) | Q(concern_follows__concern_id=concern.pk),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    if actor is not None and actor.is_authenticated:
        people = people.exclude(pk=actor.pk)
    return list(people)


def event_key(concern: Concern, event: ConcernEvent, person) -> str:
    return f"stories:concern:{concern.pk}:event:{event.pk}:user:{person.pk}"


def tell(
    concern: Concern,
    event: ConcernEvent,
    people: Iterable,
    compose: Callable[[object, str], tuple[str, str]],
) -> None:
    """Tell each person about this event once (DM or email, in their language).

    compose(person, title) returns (subject, mrkdwn text); the title comes masked unless the
    person may see identifiers, and compose masks any other user text with shown_to.
    Call inside the transaction that made the change.
    """
    for person in people:

        def composed(person=person):
            title = shown_to(person, concern, concern.title)
            return compose(person, title)

        notify_person(user=person, key=event_key(concern, event, person), compose=composed)


def tell_followers(concern: Concern, event: ConcernEvent, *, actor, compose) -> None:
    tell(concern, event, people_to_tell(concern, actor=actor), compose)


def _assignee(assignee_id, department: Department | None, errors: dict):
    """The person to assign, who must be active and in the owner department."""
    person_id = as_id(assignee_id)
    person = (
        get_user_model().objects.filter(pk=person_id, is_active=True).first()
        if person_id is not None
        else None
    )
    if person is None:
        errors["assignee_id"] = [CHOOSE_PERSON]
        return None
    if department is not None:
        # Only the owner department's members may move a concern forward (stories.rules):
        # someone from elsewhere could not act on what they were given.
        member = Profile.objects.filter(user_id=person.pk, department_id=department.pk).exists()
        if not member:
            errors["assignee_id"] = [
                _("%(person)s is not in %(department)s: choose someone who is.")
                % {"person": person, "department": department.name}
            ]
            return None
    return person


def _tell_assignee(concern: Concern, event: ConcernEvent, *, assignee, actor) -> None:
    if actor is not None and assignee.pk == actor.pk:
        return

    def compose(person, title):
        return (
            _("Assigned to you: %(title)s") % {"title": title},
            _("%(actor)s assigned you the concern %(link)s.")
            % {"actor": slack_escape(str(actor)), "link": link(concern, title)},
        )

    tell(concern, event, [assignee], compose)


# --- transitions ----------------------------------------------------------------------------


def concern_acknowledge(*, user, concern: Concern, note: str = "") -> Concern:
    """new → acknowledged (the CX team): the submitter and followers hear it was seen."""
    check_person(user)
    if not rules.may_triage(user):
        raise PermissionDenied
    note = (note or "").strip()
    with transaction.atomic():
        current = lock(concern)
        refuse_state(current, [State.NEW], _("Only a new concern can be acknowledged."))
        if len(note) > MAX_NOTE:
            raise ValidationError({"note": [too_long(MAX_NOTE)]})
        current.state = State.ACKNOWLEDGED
        current.acknowledged_at = timezone.now()
        current.save(update_fields=["state", "acknowledged_at", "updated_at"])
        event = record(current, actor=user, kind=Event.ACKNOWLEDGED, note=note)

        def compose(person, title):
            text = _(
                "The CX team acknowledged the concern %(link)s and will route it to the team "
                "that can fix it."
            ) % {"link": link(current, title)}
            if note:
                text += "\n*" + _("Their note") + "*\n" + quote(shown_to(person, current, note))
            return _("Concern acknowledged: %(title)s") % {"title": title}, text

        tell_followers(current, event, actor=user, compose=compose)
    return sync(concern, current)


def concern_classify(*, user, concern: Concern, kind: str) -> Concern:
    """Systemic (the product or a process must change) or individual (one customer needs care).

    The CX team, in any open state. Choosing what it already is changes nothing.
    """
    check_person(user)
    if not rules.may_triage(user):
        raise PermissionDenied
    with transaction.atomic():
        current = lock(concern)
        refuse_state(current, Concern.OPEN_STATES, _open_only())
        if kind not in (Concern.Kind.SYSTEMIC, Concern.Kind.INDIVIDUAL):
            raise ValidationError({"kind": [CHOOSE_KIND]})
        if current.kind == kind:
            return sync(concern, current)
        previous = current.kind
        current.kind = kind
        current.save(update_fields=["kind", "updated_at"])
        record(current, actor=user, kind=Event.CLASSIFIED, data={"kind": kind, "from": previous})
    return sync(concern, current)


def concern_set_owner(*, user, concern: Concern, owner_department_id, assignee_id=None) -> Concern:
    """Route the concern to the department that can remove its cause (the CX team).

    The due date is worked out again in the owner's working week and time zone, from when the
    concern was filed. An assignee, if given, must be an active member of that department.
    A new owner is announced to the submitter and followers; a new assignee hears it too.
    """
    check_person(user)
    if not rules.may_triage(user):
        raise PermissionDenied
    with transaction.atomic():
        current = lock(concern)
        refuse_state(current, Concern.OPEN_STATES, _open_only())
        errors: dict = {}
        department_id = as_id(owner_department_id)
        department = Department.objects.filter(pk=department_id).first() if department_id else None
        if department is None:
            errors["owner_department_id"] = [CHOOSE_DEPARTMENT]
        assignee = None
        if assignee_id not in (None, ""):
            assignee = _assignee(assignee_id, department, errors)
        if errors:
            raise ValidationError(errors)

        owner_changed = current.owner_department_id != department.pk
        assignee_changed = assignee is not None and current.assignee_id != assignee.pk
        if owner_changed:
            previous = current.owner_department
            current.owner_department = department
            current.due_at = sla.due_at(
                severity=current.severity, filed_at=current.created_at, department=department
            )
            if assignee is None and current.assignee_id:
                # Whoever held it belongs to the old owner; the new one assigns its own.
                current.assignee = None
        if assignee_changed:
            current.assignee = assignee
        if not owner_changed and not assignee_changed:
            return sync(concern, current)
        current.save(update_fields=["owner_department", "due_at", "assignee", "updated_at"])

        if owner_changed:
            event = record(
                current,
                actor=user,
                kind=Event.OWNER_SET,
                data={
                    "department_id": department.pk,
                    "department": department.name,
                    "previous_department_id": previous.pk if previous else None,
                    "previous_department": previous.name if previous else "",
                },
            )

            def compose(person, title):
                name = slack_escape(department.name)
                return (
                    _("Concern routed to %(department)s: %(title)s")
                    % {"department": department.name, "title": title},
                    _("%(department)s now owns the concern %(link)s and will work on a fix.")
                    % {"department": name, "link": link(current, title)},
                )

            tell_followers(current, event, actor=user, compose=compose)
        if assignee_changed:
            _record_assignment(current, assignee=assignee, actor=user)
    return sync(concern, current)


def _record_assignment(current: Concern, *, assignee, actor) -> None:
    """Put the new assignee on the timeline and tell them (both ways of assigning)."""
    event = record(
        current,
        actor=actor,
        kind=Event.ASSIGNED,
        data={"assignee_id": assignee.pk, "assignee": str(assignee)},
    )
    _tell_assignee(current, event, assignee=assignee, actor=actor)


def concern_assign(*, user, concern: Concern, assignee_id) -> Concern:
    """Give an open concern to one person of its owner department (the CX team or the owner)."""
    check_person(user)
    with transaction.atomic():
        current = lock(concern)
        if not rules.may_move_forward(user, current):
            raise PermissionDenied
        refuse_state(current, Concern.OPEN_STATES, _open_only())
        if current.owner_department_id is None:
            raise ValidationError({"assignee_id": [_("Set an owner department first.")]})
        errors: dict = {}
        assignee = _assignee(assignee_id, current.owner_department, errors)
        if errors:
            raise ValidationError(errors)
        if current.assignee_id == assignee.pk:
            return sync(concern, current)
        current.assignee = assignee
        current.save(update_fields=["assignee", "updated_at"])
        _record_assignment(current, assignee=assignee, actor=user)
    return sync(concern, current)


def concern_start(*, user, concern: Concern, note: str = "") -> Concern:
    """acknowledged → in progress (the CX team or the owner department)."""
    check_person(user)
    note = (note or "").strip()
    with transaction.atomic():
        current = lock(concern)
        if not rules.may_move_forward(user, current):
            raise PermissionDenied
        refuse_state(
            current, [State.ACKNOWLEDGED], _("Only an acknowledged concern can be started.")
        )
        if len(note) > MAX_NOTE:
            raise ValidationError({"note": [too_long(MAX_NOTE)]})
        current.state = State.IN_PROGRESS
        current.save(update_fields=["state", "updated_at"])
        record(current, actor=user, kind=Event.STARTED, note=note)
    return sync(concern, current)


def concern_resolve(*, user, concern: Concern, what_we_did: str) -> Concern:
    """acknowledged or in progress → resolved, saying what was done (the CX team or the owner).

    The submitter and followers are told, with the "what we did" note. A systemic concern is
    also posted as "you said, we did" to the submitter's department channel (once).
    """
    check_person(user)
    what_we_did = (what_we_did or "").strip()
    with transaction.atomic():
        current = lock(concern)
        if not rules.may_move_forward(user, current):
            raise PermissionDenied
        refuse_state(
            current,
            [State.ACKNOWLEDGED, State.IN_PROGRESS],
            _("Only an acknowledged or in-progress concern can be resolved."),
        )
        if not what_we_did:
            raise ValidationError({"what_we_did": [WHAT_WE_DID_REQUIRED]})
        if len(what_we_did) > MAX_NOTE:
            raise ValidationError({"what_we_did": [too_long(MAX_NOTE)]})
        current.state = State.RESOLVED
        current.what_we_did = what_we_did
        current.wont_fix_reason = ""
        current.resolved_at = timezone.now()
        current.save(
            update_fields=["state", "what_we_did", "wont_fix_reason", "resolved_at", "updated_at"]
        )
        event = record(current, actor=user, kind=Event.RESOLVED, note=what_we_did)

        def compose(person, title):
            text = _("The concern %(link)s was resolved.") % {"link": link(current, title)}
            text += "\n*" + _("What we did") + "*\n" + quote(shown_to(person, current, what_we_did))
            return _("Concern resolved: %(title)s") % {"title": title}, text

        tell_followers(current, event, actor=user, compose=compose)
        if current.kind == Concern.Kind.SYSTEMIC:
            _post_you_said_we_did(current)
    return sync(concern, current)


def _post_you_said_we_did(concern: Concern) -> None:
    """Tell the submitter's department, in its channel, that what they raised was fixed.

    Masked whatever the channel: more people than the CX team and the owner read it. In the
    portal's language, as a channel has no single reader. Posted once per concern, even if it
    is reopened and resolved again.
    """
    channel = (
        Profile.objects.filter(user_id=concern.submitted_by_id)
        .values_list("department__slack_channel_id", flat=True)
        .first()
    )
    if not channel:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = "\n".join(
            [
                ":speech_balloon: *" + _("You said, we did") + "*",
                "*" + _("You said") + ":* " + link(concern, mask_identifiers(concern.title)),
                "*" + _("We did") + ":*",
                quote(mask_identifiers(concern.what_we_did)),
                slack_link(site_url(reverse("stories:you_said_we_did")), _("More fixes")),
            ]
        )
    outbox_enqueue(key=f"stories:concern:{concern.pk}:you-said-we-did", channel=channel, text=text)


def concern_decline(*, user, concern: Concern, reason: str) -> Concern:
    """An open concern → won't fix, with the reason (the CX team or the owner department)."""
    check_person(user)
    reason = (reason or "").strip()
    with transaction.atomic():
        current = lock(concern)
        if not rules.may_move_forward(user, current):
            raise PermissionDenied
        refuse_state(current, Concern.OPEN_STATES, _("Only an open concern can be declined."))
        if not reason:
            raise ValidationError({"reason": [REASON_REQUIRED]})
        if len(reason) > MAX_NOTE:
            raise ValidationError({"reason": [too_long(MAX_NOTE)]})
        current.state = State.WONT_FIX
        current.wont_fix_reason = reason
        current.save(update_fields=["state", "wont_fix_reason", "updated_at"])
        event = record(current, actor=user, kind=Event.WONT_FIX, note=reason)

        def compose(person, title):
            text = _("The concern %(link)s will not be fixed.") % {"link": link(current, title)}
            text += "\n*" + _("Why") + "*\n" + quote(shown_to(person, current, reason))
            return _("Concern not fixed: %(title)s") % {"title": title}, text

        tell_followers(current, event, actor=user, compose=compose)
    return sync(concern, current)


def concern_close(*, user, concern: Concern) -> Concern:
    """resolved or won't fix → closed (the CX team): nothing more will happen to it."""
    check_person(user)
    if not rules.may_triage(user):
        raise PermissionDenied
    with transaction.atomic():
        current = lock(concern)
        refuse_state(
            current,
            [State.RESOLVED, State.WONT_FIX],
            _("Only a resolved or declined concern can be closed."),
        )
        current.state = State.CLOSED
        current.closed_at = timezone.now()
        current.save(update_fields=["state", "closed_at", "updated_at"])
        record(current, actor=user, kind=Event.CLOSED)
    return sync(concern, current)


def concern_reopen(*, user, concern: Concern, note: str) -> Concern:
    """closed, resolved or won't fix → acknowledged (the CX team), saying why.

    What was done and why it was declined stay on the timeline and leave the page; the due
    date starts again from now, in the owner's (else the seen department's) calendar.
    A merged duplicate is not reopened: its followers now follow the concern it joined.
    """
    check_person(user)
    if not rules.may_triage(user):
        raise PermissionDenied
    note = (note or "").strip()
    with transaction.atomic():
        current = lock(concern)
        refuse_state(
            current,
            [State.RESOLVED, State.WONT_FIX, State.CLOSED],
            _("Only a resolved, declined or closed concern can be reopened."),
        )
        if current.merged_into_id:
            raise ValidationError(
                {"state": [_("This concern was merged into another: reopen that one instead.")]}
            )
        if not note:
            raise ValidationError({"note": [REOPEN_NOTE_REQUIRED]})
        if len(note) > MAX_NOTE:
            raise ValidationError({"note": [too_long(MAX_NOTE)]})
        now = timezone.now()
        calendar = current.owner_department or current.department
        current.state = State.ACKNOWLEDGED
        current.what_we_did = ""
        current.wont_fix_reason = ""
        current.resolved_at = None
        current.closed_at = None
        current.due_at = sla.due_at(severity=current.severity, filed_at=now, department=calendar)
        current.save(
            update_fields=[
                "state",
                "what_we_did",
                "wont_fix_reason",
                "resolved_at",
                "closed_at",
                "due_at",
                "updated_at",
            ]
        )
        record(current, actor=user, kind=Event.REOPENED, note=note)
    return sync(concern, current)


def _open_only() -> str:
    return _("Only an open concern can be changed: reopen it first.")


def too_long(limit: int) -> str:
    return _("Keep it under %(limit)d characters.") % {"limit": limit}
