"""Writes for systemic candidates: similar individual concerns made into one systemic concern."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Department
from stories import rules
from stories.models import Concern
from stories.services.arguments import as_id
from stories.services.concern import concern_classify, concern_merge, concern_set_owner
from stories.services.concern_triage import CHOOSE_DEPARTMENT


def candidate_accept(
    *,
    user,
    concern_ids: list[int],
    primary_id: int,
    owner_department_id: int | None = None,
) -> Concern:
    """Make the primary concern systemic (with its owner, if given) and merge the others into it.

    The merge carries followers over and tells the merged concerns' submitters
    (stories.services.concern.concern_merge). The CX team only. Returns the primary concern.
    """
    if not rules.may_triage(user):
        raise PermissionDenied
    ids = list(dict.fromkeys(as_id(pk) for pk in concern_ids or []))
    primary_id = as_id(primary_id)
    owner_department_id = as_id(owner_department_id)
    errors: dict[str, list[str]] = {}
    if None in ids:
        errors["concern_ids"] = [_("Choose concerns from the list.")]
    elif len(ids) < 2:
        errors["concern_ids"] = [_("Choose at least two concerns to make one of.")]
    if primary_id not in ids:
        errors["primary_id"] = [_("Choose which of these concerns stays.")]
    if owner_department_id is not None and not (
        Department.objects.filter(pk=owner_department_id).exists()
    ):
        errors["owner_department_id"] = [CHOOSE_DEPARTMENT]
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        concerns = {
            concern.pk: concern
            for concern in Concern.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        }
        missing = [pk for pk in ids if pk not in concerns]
        closed = [
            pk
            for pk, concern in concerns.items()
            if not concern.is_open or concern.merged_into_id is not None
        ]
        if missing or closed:
            raise ValidationError(
                {
                    "concern_ids": [
                        _(
                            "Some of these concerns were closed or merged since the page was "
                            "opened; reload it to see the candidates as they are now."
                        )
                    ]
                }
            )
        primary = concerns[primary_id]
        if primary.kind != Concern.Kind.SYSTEMIC:
            concern_classify(user=user, concern=primary, kind=Concern.Kind.SYSTEMIC)
        if owner_department_id is not None and owner_department_id != primary.owner_department_id:
            concern_set_owner(user=user, concern=primary, owner_department_id=owner_department_id)
        for pk in ids:
            if pk != primary_id:
                concern_merge(user=user, duplicate=concerns[pk], into=primary)
    primary.refresh_from_db()
    return primary
