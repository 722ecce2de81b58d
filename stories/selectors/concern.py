"""Reads for concern pages, home sections and the profile: each a fixed number of queries.

Text leaves here as stored; pages mask it for the reader with `shown` and `shown_reference`
(stories.masking, rules in stories.rules), row by row, without a query per row.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from wagtail.search.backends import get_search_backend

from portal import lookups
from portal.models import Department
from stories import rules
from stories.masking import mask_identifiers, mask_reference
from stories.models import Concern, ConcernEvent, ConcernFollower, Severity

State = Concern.State
# Named, not imported: stories does not import ambassadors (DESIGN.md, "Rooms and doors").
TOUCHPOINT = "ambassadors.Touchpoint"

# `?sort=` keys the list accepts, each with the order it stands for (ascending).
SEVERITY_RANK = Case(
    When(severity=Severity.CRITICAL, then=Value(0)),
    When(severity=Severity.HIGH, then=Value(1)),
    When(severity=Severity.MEDIUM, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
STATE_RANK = Case(
    *(When(state=value, then=Value(rank)) for rank, value in enumerate(State.values)),
    output_field=IntegerField(),
)
SORTS = {
    "filed": ("created_at", "pk"),
    "due": ("due_at", "pk"),
    "severity": ("severity_rank", "-created_at"),
    "state": ("state_rank", "-created_at"),
    "title": ("title", "pk"),
}
DEFAULT_SORT = "-filed"


def shown(user, concern: Concern, text: str) -> str:
    """Free text as this person may read it: emails and phone numbers masked unless allowed."""
    return text if rules.may_see_identifiers(user, concern) else mask_identifiers(text)


def shown_reference(user, concern: Concern) -> str:
    """The customer reference for those who may see it; for others only that there is one."""
    reference = concern.customer_reference
    return reference if rules.may_see_identifiers(user, concern) else mask_reference(reference)


def concern_get(*, pk: int) -> Concern | None:
    return (
        Concern.objects.select_related(
            "touchpoint",
            "department",
            "owner_department",
            "assignee",
            "submitted_by",
            "merged_into",
        )
        .filter(pk=pk)
        .first()
    )


def ordered(queryset: QuerySet[Concern], sort: str) -> QuerySet[Concern]:
    key = sort.lstrip("-")
    if key not in SORTS:
        return ordered(queryset, DEFAULT_SORT)
    descending = sort.startswith("-")
    first, then = SORTS[key]
    if key == "severity":
        queryset = queryset.annotate(severity_rank=SEVERITY_RANK)
    elif key == "state":
        queryset = queryset.annotate(state_rank=STATE_RANK)
    if key == "due":
        # Concerns without a due date go last whichever way the list is turned.
        primary = F(first).desc(nulls_last=True) if descending else F(first).asc(nulls_last=True)
    else:
        primary = F(first).desc() if descending else F(first).asc()
    return queryset.order_by(primary, then)


def search_matches(q: str) -> Q:
    """Concerns matching the words: Wagtail search over title and description, or the title
    containing the text as typed (Korean words carry particles the full-text index keeps:
    "결제" must find "결제가")."""
    results = get_search_backend().search(q, Concern.objects.only("pk"), order_by_relevance=False)
    found = getattr(results, "get_queryset", None)
    if found is not None:
        # The database backends answer with a queryset: used as a subquery, no ids in Python.
        matches = found().order_by().values("pk")
    else:
        matches = [concern.pk for concern in results]
    return Q(pk__in=matches) | Q(title__icontains=q)


def concern_list(
    *,
    user,
    state: str = "",
    severity: str = "",
    kind: str = "",
    touchpoint_id: int | None = None,
    department_id: int | None = None,
    owner_department_id: int | None = None,
    involving_department_id: int | None = None,
    mine: bool = False,
    q: str = "",
    sort: str = DEFAULT_SORT,
) -> QuerySet[Concern]:
    """Concerns for the list page, filtered and ordered (everyone signed in reads them all),
    without their touchpoint and departments: `attach_places` gives them from the filters'
    choices, already read.

    `state` is a state or "open"; `kind` is a kind or "unclassified"; `mine` is what the
    person filed or follows; `involving_department_id` is seen in or owned by that department.
    """
    queryset = Concern.objects.all()
    if state == "open":
        queryset = queryset.filter(state__in=Concern.OPEN_STATES)
    elif state in State.values:
        queryset = queryset.filter(state=state)
    if severity in Severity.values:
        queryset = queryset.filter(severity=severity)
    if kind == "unclassified":
        queryset = queryset.filter(kind="")
    elif kind in (Concern.Kind.SYSTEMIC, Concern.Kind.INDIVIDUAL):
        queryset = queryset.filter(kind=kind)
    if touchpoint_id:
        queryset = queryset.filter(touchpoint_id=touchpoint_id)
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    if owner_department_id:
        queryset = queryset.filter(owner_department_id=owner_department_id)
    if involving_department_id:
        queryset = queryset.filter(
            Q(department_id=involving_department_id)
            | Q(owner_department_id=involving_department_id)
        )
    if mine and user.is_authenticated:
        queryset = queryset.filter(pk__in=_filed_or_followed(user))
    q = (q or "").strip()
    if q:
        queryset = queryset.filter(search_matches(q))
    return ordered(queryset, sort or DEFAULT_SORT)


def concern_timeline(*, concern: Concern, user) -> list[ConcernEvent]:
    """The concern's timeline as this person may read it: internal lines for CX and owners."""
    events = concern.events.select_related("actor")
    if not rules.may_see_internal(user, concern):
        events = events.filter(internal=False)
    return list(events)


def is_following(*, user, concern: Concern) -> bool:
    return ConcernFollower.objects.filter(concern_id=concern.pk, user_id=user.pk).exists()


def follower_count(*, concern: Concern) -> int:
    return ConcernFollower.objects.filter(concern_id=concern.pk).count()


def following_ids(*, user, concern_ids) -> set[int]:
    """Which of these concerns the person follows (one query)."""
    return set(
        ConcernFollower.objects.filter(
            user_id=user.pk, concern_id__in=list(concern_ids)
        ).values_list("concern_id", flat=True)
    )


def department_members(*, department_id: int) -> QuerySet:
    """The active people of a department, by name: who a concern may be assigned to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__department_id=department_id)
        .order_by("first_name", "last_name", "email")
    )


def assignable_people() -> QuerySet:
    """Active people in a department, with it loaded: whom the CX team may assign."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__department__isnull=False)
        .select_related("profile__department")
        .order_by("profile__department__name", "first_name", "last_name", "email")
    )


def departments() -> QuerySet[Department]:
    return Department.objects.order_by("name")


def touchpoints() -> QuerySet:
    return apps.get_model("ambassadors", "Touchpoint").objects.order_by("order", "name")


# The departments and touchpoints that every list's filters offer, kept in the shared cache.
CHOICES = lookups.register("stories-choices", models=("portal.Department", TOUCHPOINT))


def filter_choices() -> tuple[list[Department], list]:
    """`departments()` and `touchpoints()`, kept in the shared cache (portal/lookups.py): every
    page that offers one in its filters offers the other, so both come in one round trip."""
    return lookups.remembered(
        CHOICES.name, "all", lambda: (list(departments()), list(touchpoints()))
    )


def attach_places(concerns: list[Concern], departments: list, touchpoints: list) -> None:
    """Give each concern its touchpoint, department and owner department from these lists
    (`filter_choices`) instead of joining them in every list's query. One not in the lists
    (added since they were read) is read when used, as without this."""
    by_id = {department.pk: department for department in departments}
    touchpoint_by_id = {touchpoint.pk: touchpoint for touchpoint in touchpoints}
    for concern in concerns:
        for field, found in (
            ("touchpoint", touchpoint_by_id.get(concern.touchpoint_id)),
            ("department", by_id.get(concern.department_id)),
            ("owner_department", by_id.get(concern.owner_department_id)),
        ):
            if found is not None:
                Concern._meta.get_field(field).set_cached_value(concern, found)


# What is read of the concerns for every home page (its places, the triage queue's counts),
# kept in the shared cache until a concern or a follower changes (portal/lookups.py).
CONCERNS = lookups.register("concerns", models=("stories.Concern", "stories.ConcernFollower"))


def department_concerns(*, department_id: int, limit: int = 5) -> list[Concern]:
    """Open concerns seen in or owned by a department, newest first (one query when not
    kept)."""
    return lookups.remembered(
        CONCERNS.name,
        f"department:{department_id}:{limit}",
        lambda: list(
            Concern.objects.filter(state__in=Concern.OPEN_STATES)
            .filter(Q(department_id=department_id) | Q(owner_department_id=department_id))
            .order_by("-created_at", "-pk")[:limit]
        ),
    )


def _filed_or_followed(user) -> QuerySet:
    """The ids of concerns the person filed or follows, as a subquery.

    A UNION of two index lookups: `submitted_by = me OR pk IN (followed)` cannot use an index
    and walks the whole table (bench/README.md).
    """
    followed = ConcernFollower.objects.filter(user_id=user.pk).values("concern_id").order_by()
    filed = Concern.objects.filter(submitted_by_id=user.pk).values("pk").order_by()
    return followed.union(filed)


def my_open_concerns(*, user, limit: int = 5) -> list[Concern]:
    """Open concerns the person filed or follows, newest first (one query when not kept)."""
    return lookups.remembered(
        CONCERNS.name,
        f"person:{user.pk}:{limit}",
        lambda: list(
            Concern.objects.filter(state__in=Concern.OPEN_STATES)
            .filter(pk__in=_filed_or_followed(user))
            .order_by("-created_at", "-pk")[:limit]
        ),
    )


def concerns_filed_by(*, user, limit: int = 10) -> list[Concern]:
    """What the person raised, newest first, with what came of it (one query)."""
    return list(
        Concern.objects.filter(submitted_by_id=user.pk)
        .select_related("merged_into")
        .order_by("-created_at", "-pk")[:limit]
    )


def you_said_we_did() -> QuerySet[Concern]:
    """Systemic concerns that were fixed, newest fix first (merged duplicates left out)."""
    return (
        Concern.objects.filter(
            kind=Concern.Kind.SYSTEMIC,
            state__in=[State.RESOLVED, State.CLOSED],
            merged_into__isnull=True,
            resolved_at__isnull=False,
        )
        .exclude(what_we_did="")
        .select_related("touchpoint", "department", "owner_department")
        # Served by Concern's partial index concern_you_said_we_did_idx.
        .order_by("-resolved_at", "-pk")
    )
