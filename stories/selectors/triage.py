"""Reads for the CX team's triage: the queue, its counts, the daily digest, systemic candidates.

Every list here costs a fixed number of queries whatever its length: related rows come with
select_related and the follower count as a subquery, never per row.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from portal import fragments, lookups
from stories.models import Concern, ConcernFollower, Severity
from stories.selectors.concern import CONCERNS
from stories.similarity import keywords, similarity

OPEN_STATES = tuple(str(state) for state in Concern.OPEN_STATES)
SEVERITY_RANK = {
    Severity.CRITICAL: 0,
    Severity.HIGH: 1,
    Severity.MEDIUM: 2,
    Severity.LOW: 3,
}

# Systemic candidates: two open individual concerns at the same touchpoint tell of the same
# problem when stories.similarity rates their titles' keywords (Dice coefficient) at least
# CANDIDATE_THRESHOLD alike; everything linked together, directly or through others (connected
# components), is one group, and a group of CANDIDATE_MIN_SIZE or more is offered to the CX team
# as one systemic concern. 0.5 means about half of the telling words shared ("Card payment
# declined at checkout in Japan" and "Payment declined at checkout (Germany)" score 0.67). It is
# stricter than the 0.34 at which a title is suggested as a duplicate while filing, because
# links chain: a loose threshold would join unrelated complaints through a common word or two.
# Titles only: descriptions are long and mostly the customer's circumstances, which dilute the
# score without saying more about the cause.
CANDIDATE_THRESHOLD = 0.5
CANDIDATE_MIN_SIZE = 5


# --- the queue ------------------------------------------------------------------------------


def follower_count() -> Coalesce:
    followers = (
        ConcernFollower.objects.filter(concern=OuterRef("pk"))
        .order_by()
        .values("concern")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(followers, output_field=IntegerField()), Value(0))


def severity_rank() -> Case:
    return Case(
        *(When(severity=severity, then=Value(rank)) for severity, rank in SEVERITY_RANK.items()),
        default=Value(len(SEVERITY_RANK)),
        output_field=IntegerField(),
    )


# Built once: a queryset copies an expression when it uses it.
FOLLOWER_COUNT = follower_count()
RANK = severity_rank()
RELATED = ("touchpoint", "department", "owner_department", "assignee")


def triage_queryset(*, related: tuple[str, ...] = RELATED) -> QuerySet[Concern]:
    """Every concern with what a row of the queue shows, in one query (with `related` rows;
    the portal's queue gives places from the filters' choices: concern.attach_places)."""
    return Concern.objects.select_related(*related).annotate(
        follower_count=FOLLOWER_COUNT, severity_rank=RANK
    )


def open_q() -> Q:
    return Q(state__in=OPEN_STATES)


def overdue_q(now: datetime.datetime) -> Q:
    """Open and past its due date (its SLA)."""
    return open_q() & Q(due_at__lt=now)


def waiting_for_owner_q() -> Q:
    """Open and no department owns it yet."""
    return open_q() & Q(owner_department__isnull=True)


# The queue's state filter takes a state, or one of these.
STATE_OPEN = "open"
STATE_ALL = "all"
# The classification filter's value for concerns not classified yet.
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class TriageFilters:
    """What the triage queue is narrowed to: the portal's queue and the admin report (its
    export) read the same parameters into one of these and filter with `filter_concerns`."""

    state: str = STATE_OPEN  # a state, STATE_OPEN or STATE_ALL
    severities: tuple[str, ...] = ()
    kind: str = ""  # "", UNCLASSIFIED or a Concern.Kind
    touchpoint_id: int | None = None
    department_id: int | None = None
    owner_department_id: int | None = None
    overdue: bool | None = None
    waiting_for_owner: bool | None = None
    filed_from: datetime.datetime | None = None  # inclusive
    filed_until: datetime.datetime | None = None  # inclusive


def filter_concerns(
    queryset: QuerySet[Concern], filters: TriageFilters, *, now: datetime.datetime
) -> QuerySet[Concern]:
    """The concerns of `queryset` that the filters keep."""
    if filters.state == STATE_OPEN:
        queryset = queryset.filter(open_q())
    elif filters.state != STATE_ALL:
        queryset = queryset.filter(state=filters.state)
    if filters.severities:
        queryset = queryset.filter(severity__in=filters.severities)
    if filters.kind:
        queryset = queryset.filter(kind="" if filters.kind == UNCLASSIFIED else filters.kind)
    for name, value in (
        ("touchpoint_id", filters.touchpoint_id),
        ("department_id", filters.department_id),
        ("owner_department_id", filters.owner_department_id),
    ):
        if value is not None:
            queryset = queryset.filter(**{name: value})
    for flag, q in (
        (filters.overdue, overdue_q(now)),
        (filters.waiting_for_owner, waiting_for_owner_q()),
    ):
        if flag is not None:
            queryset = queryset.filter(q) if flag else queryset.exclude(q)
    if filters.filed_from is not None:
        queryset = queryset.filter(created_at__gte=filters.filed_from)
    if filters.filed_until is not None:
        queryset = queryset.filter(created_at__lte=filters.filed_until)
    return queryset


def triage_state_counts(filters: TriageFilters, *, now: datetime.datetime) -> dict[str, int]:
    """`state_counts` of the concerns the filters other than the state keep."""
    others = replace(filters, state=STATE_ALL)

    def count() -> dict[str, int]:
        return state_counts(filter_concerns(Concern.objects.all(), others, now=now))

    if others.overdue is not None:
        return count()  # what is past due changes by the minute, not with the concerns
    # Kept until a concern changes: the CX team opens the queue many times between two
    # changes, and counting every concern costs the queue more than its twenty rows.
    return lookups.remembered(CONCERNS.name, f"counts:{fragments.digest(others)}", count)


def state_counts(queryset: QuerySet[Concern]) -> dict[str, int]:
    """How many of these concerns are in each state, plus "open" and "all", in one query."""
    # GROUP BY state: one pass over an index, where eight FILTER clauses tested every row
    # eight times and cost the queue more to compile than to run (bench/README.md).
    counts = dict.fromkeys(Concern.State.values, 0)
    counts.update(queryset.order_by().values_list("state").annotate(n=Count("pk")))
    counts["open"] = sum(counts.get(state, 0) for state in OPEN_STATES)
    counts["all"] = sum(counts[state] for state in Concern.State.values)
    return counts


@dataclass(frozen=True)
class TriageSummary:
    new: int
    overdue: int
    waiting_for_owner: int
    oldest_new: list[Concern]


def triage_summary(*, now: datetime.datetime, oldest: int = 5) -> TriageSummary:
    """What waits for the CX team, for the admin dashboard: two queries."""
    counts = Concern.objects.order_by().aggregate(
        new=Count("pk", filter=Q(state=Concern.State.NEW)),
        overdue=Count("pk", filter=overdue_q(now)),
        waiting=Count("pk", filter=waiting_for_owner_q()),
    )
    oldest_new = list(
        Concern.objects.filter(state=Concern.State.NEW)
        .select_related("touchpoint", "department")
        .order_by("created_at", "pk")[:oldest]
    )
    return TriageSummary(
        new=counts["new"] or 0,
        overdue=counts["overdue"] or 0,
        waiting_for_owner=counts["waiting"] or 0,
        oldest_new=oldest_new,
    )


# --- the daily digest -----------------------------------------------------------------------


@dataclass(frozen=True)
class DigestSection:
    key: str
    count: int
    rows: list[Concern]


def digest_sections(
    *, since: datetime.datetime, now: datetime.datetime, limit: int = 10
) -> list[DigestSection]:
    """New since `since`, past their SLA, waiting for an owner: open concerns, oldest first.

    One count query and one list query per section, whatever the numbers.
    """
    wanted = {
        "new": open_q() & Q(created_at__gte=since),
        "overdue": overdue_q(now),
        "waiting_for_owner": waiting_for_owner_q(),
    }
    counts = Concern.objects.order_by().aggregate(
        **{key: Count("pk", filter=q) for key, q in wanted.items()}
    )
    order = {"overdue": ("due_at", "pk")}
    sections = []
    for key, q in wanted.items():
        rows = []
        if counts[key]:
            rows = list(
                Concern.objects.filter(q)
                .select_related("touchpoint", "department")
                .order_by(*order.get(key, ("created_at", "pk")))[:limit]
            )
        sections.append(DigestSection(key=key, count=counts[key] or 0, rows=rows))
    return sections


# --- systemic candidates --------------------------------------------------------------------

# Markets named in a concern's text, in English and Korean, for the CX team to see at a glance
# where a problem shows up. Whole words only; a short list of the company's usual markets.
MARKETS: dict[str, tuple[str, ...]] = {
    "AU": ("australia", "호주"),
    "BR": ("brazil", "브라질"),
    "CA": ("canada", "캐나다"),
    "CN": ("china", "중국"),
    "DE": ("germany", "독일"),
    "ES": ("spain", "스페인"),
    "FR": ("france", "프랑스"),
    "GB": ("united kingdom", "uk", "britain", "영국"),
    "HK": ("hong kong", "홍콩"),
    "ID": ("indonesia", "인도네시아"),
    "IN": ("india",),  # not 인도: in Korean it is also a handover of goods
    "IT": ("italy", "이탈리아"),
    "JP": ("japan", "일본"),
    "KR": ("korea", "south korea", "한국", "대한민국"),
    "MX": ("mexico", "멕시코"),
    "MY": ("malaysia", "말레이시아"),
    "NL": ("netherlands", "네덜란드"),
    "PH": ("philippines", "필리핀"),
    "SG": ("singapore", "싱가포르"),
    "TH": ("thailand", "태국"),
    "TW": ("taiwan", "대만"),
    "US": ("united states", "usa", "미국"),
    "VN": ("vietnam", "viet nam", "베트남"),
}
_MARKET_PATTERNS = [
    (
        code,
        re.compile(
            # Korean particles follow a name directly ("일본에서"), so only the start is a border.
            r"(?<![0-9A-Za-z가-힣])(?:"
            + "|".join(re.escape(name) for name in names)
            + r")(?![0-9A-Za-z])",
            re.IGNORECASE,
        ),
    )
    for code, names in MARKETS.items()
]


def markets_in(text: str) -> set[str]:
    """ISO 3166 codes of the markets named in the text."""
    return {code for code, pattern in _MARKET_PATTERNS if pattern.search(text or "")}


@dataclass
class Candidate:
    """Open individual concerns that look like one problem: perhaps a systemic one."""

    concerns: list[Concern]
    departments: list = field(default_factory=list)
    markets: list[str] = field(default_factory=list)

    @property
    def touchpoint(self):
        return self.concerns[0].touchpoint

    @property
    def key(self) -> str:
        return "-".join(str(concern.pk) for concern in self.concerns)

    @property
    def concern_ids(self) -> list[int]:
        return [concern.pk for concern in self.concerns]


def _find(parents: dict[int, int], item: int) -> int:
    while parents[item] != item:
        parents[item] = parents[parents[item]]
        item = parents[item]
    return item


def systemic_candidates(
    *, threshold: float = CANDIDATE_THRESHOLD, min_size: int = CANDIDATE_MIN_SIZE
) -> list[Candidate]:
    """Groups of at least `min_size` similar open individual concerns, biggest first.

    Two concerns are linked when they share a touchpoint and their titles' keywords are at
    least `threshold` alike (see CANDIDATE_THRESHOLD); a group is everything linked together
    (connected components), so a chain of close complaints counts as one problem. One query;
    pairs are compared only when they share a keyword, through an index by keyword.
    """
    concerns = list(
        triage_queryset()
        .filter(open_q(), kind=Concern.Kind.INDIVIDUAL, merged_into__isnull=True)
        .order_by("created_at", "pk")
    )
    words = {concern.pk: keywords(concern.title) for concern in concerns}
    parents = {concern.pk: concern.pk for concern in concerns}
    by_word: dict[tuple[int, str], list[int]] = defaultdict(list)
    for concern in concerns:
        compared: set[int] = set()
        for word in words[concern.pk]:
            postings = by_word[(concern.touchpoint_id, word)]
            for other in postings:
                if other in compared:
                    continue
                compared.add(other)
                if _find(parents, other) == _find(parents, concern.pk):
                    continue
                if similarity(words[concern.pk], words[other]) >= threshold:
                    parents[_find(parents, other)] = _find(parents, concern.pk)
            postings.append(concern.pk)

    groups: dict[int, list[Concern]] = defaultdict(list)
    for concern in concerns:
        groups[_find(parents, concern.pk)].append(concern)
    candidates = []
    for members in groups.values():
        if len(members) < min_size:
            continue
        departments = {concern.department_id: concern.department for concern in members}
        markets = set().union(*(markets_in(f"{c.title}\n{c.description}") for c in members))
        candidates.append(
            Candidate(
                concerns=members,
                departments=sorted(departments.values(), key=lambda d: d.name),
                markets=sorted(markets),
            )
        )
    candidates.sort(key=lambda c: (-len(c.concerns), c.concerns[0].created_at))
    return candidates
