"""Reads for triage: counts by state, the dashboard summary, the digest's sections, markets."""

from __future__ import annotations

import datetime

import pytest

from ambassadors.models import Touchpoint
from stories.models import Concern, ConcernFollower, Severity
from stories.selectors import triage
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 11, 25, 0, 0, tzinfo=datetime.UTC)


def touchpoint(slug: str = "billing", name: str = "Billing") -> Touchpoint:
    return Touchpoint.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def make_concern(
    *,
    title: str = "Card payment failed at checkout",
    description: str = "The customer could not pay.",
    at: Touchpoint | None = None,
    department=None,
    submitted_by=None,
    created_at: datetime.datetime | None = None,
    followers: int = 0,
    **fields,
) -> Concern:
    """A concern made straight in the database, its submitter following it as filing does."""
    submitted_by = submitted_by or UserFactory(email="filer@example.com")
    concern = Concern.objects.create(
        title=title,
        description=description,
        touchpoint=at or touchpoint(),
        department=department or DepartmentFactory(slug="support", name="Customer Support"),
        submitted_by=submitted_by,
        **fields,
    )
    ConcernFollower.objects.create(concern=concern, user=submitted_by)
    for n in range(followers):
        ConcernFollower.objects.create(
            concern=concern, user=UserFactory(email=f"follower{n}@example.com")
        )
    if created_at is not None:
        Concern.objects.filter(pk=concern.pk).update(created_at=created_at)
        concern.created_at = created_at
    return concern


def test_state_counts_in_one_query(django_assert_num_queries):
    make_concern(state=Concern.State.NEW)
    make_concern(state=Concern.State.NEW)
    make_concern(state=Concern.State.IN_PROGRESS)
    make_concern(state=Concern.State.CLOSED)
    with django_assert_num_queries(1):
        counts = triage.state_counts(Concern.objects.all())
    assert counts["new"] == 2
    assert counts["in_progress"] == 1
    assert counts["acknowledged"] == 0
    assert counts["closed"] == 1
    assert counts["open"] == 3
    assert counts["all"] == 4


def test_queue_rows_carry_their_follower_count_and_severity_rank():
    concern = make_concern(followers=2, severity=Severity.CRITICAL)
    row = triage.triage_queryset().get(pk=concern.pk)
    assert row.follower_count == 3
    assert row.severity_rank == 0


def test_summary_counts_new_past_sla_and_without_owner(department, django_assert_num_queries):
    old = make_concern(title="Oldest", created_at=NOW - datetime.timedelta(days=9))
    for n in range(6):
        make_concern(title=f"New {n}", created_at=NOW - datetime.timedelta(days=n))
    make_concern(
        state=Concern.State.ACKNOWLEDGED,
        owner_department=department,
        due_at=NOW - datetime.timedelta(hours=1),
    )
    make_concern(state=Concern.State.RESOLVED, due_at=NOW - datetime.timedelta(days=3))
    with django_assert_num_queries(2):
        summary = triage.triage_summary(now=NOW)
        assert [c.title for c in summary.oldest_new][:2] == ["Oldest", "New 5"]
    assert summary.new == 7
    assert summary.overdue == 1  # the resolved one is past its date but no longer waits
    assert summary.waiting_for_owner == 7
    assert len(summary.oldest_new) == 5
    assert summary.oldest_new[0] == old


def test_digest_sections_hold_open_concerns_only(department):
    since = NOW - datetime.timedelta(days=1)
    fresh = make_concern(title="Fresh", created_at=NOW - datetime.timedelta(hours=2))
    make_concern(title="Yesterday's", created_at=NOW - datetime.timedelta(days=2))
    late = make_concern(
        title="Late",
        state=Concern.State.IN_PROGRESS,
        owner_department=department,
        due_at=NOW - datetime.timedelta(days=1),
        created_at=NOW - datetime.timedelta(days=5),
    )
    make_concern(
        title="Closed fresh",
        state=Concern.State.CLOSED,
        created_at=NOW - datetime.timedelta(hours=1),
    )
    sections = {s.key: s for s in triage.digest_sections(since=since, now=NOW)}
    assert sections["new"].rows == [fresh]
    assert sections["overdue"].rows == [late]
    assert sections["waiting_for_owner"].count == 2
    assert late not in sections["waiting_for_owner"].rows


def test_digest_sections_list_a_few_and_count_all():
    for n in range(4):
        make_concern(title=f"Concern {n}", created_at=NOW - datetime.timedelta(hours=n + 1))
    sections = {
        s.key: s
        for s in triage.digest_sections(since=NOW - datetime.timedelta(days=1), now=NOW, limit=2)
    }
    assert sections["new"].count == 4
    assert len(sections["new"].rows) == 2


@pytest.mark.parametrize(
    ("text", "markets"),
    [
        ("Payment declined for a customer in Japan", {"JP"}),
        ("Customers in Germany and the United States cannot pay", {"DE", "US"}),
        ("일본에서 결제가 거절되었습니다", {"JP"}),
        ("대한민국 고객이 환불을 받지 못했습니다", {"KR"}),
        ("제품 인도가 늦어졌습니다", set()),  # 인도 here is a handover, not India
        ("Refund took too long", set()),
        ("Checked the ukulele order", set()),
    ],
)
def test_markets_named_in_text(text, markets):
    assert triage.markets_in(text) == markets


def test_counts_over_the_other_filters_are_kept_until_a_concern_changes(
    kept_lookups, django_assert_num_queries
):
    make_concern(severity=Severity.HIGH)
    make_concern(severity=Severity.LOW)
    kept_lookups.commit()
    high = triage.TriageFilters(state=Concern.State.NEW, severities=(Severity.HIGH,))
    assert triage.triage_state_counts(high, now=NOW)["new"] == 1
    with django_assert_num_queries(0):
        # another state asked for, the same other filters: the same counts
        other_state = triage.TriageFilters(state=triage.STATE_ALL, severities=(Severity.HIGH,))
        assert triage.triage_state_counts(other_state, now=NOW)["new"] == 1
    concern = make_concern(severity=Severity.HIGH)
    kept_lookups.commit()
    assert triage.triage_state_counts(high, now=NOW)["new"] == 2
    concern.state = Concern.State.ACKNOWLEDGED
    concern.save()
    kept_lookups.commit()
    counts = triage.triage_state_counts(high, now=NOW)
    assert (counts["new"], counts["acknowledged"], counts["all"]) == (1, 1, 2)


def test_counts_of_what_is_past_due_are_never_kept(kept_lookups, django_assert_num_queries):
    make_concern(due_at=NOW + datetime.timedelta(hours=1))
    kept_lookups.commit()
    overdue = triage.TriageFilters(overdue=True)
    assert triage.triage_state_counts(overdue, now=NOW)["open"] == 0
    with django_assert_num_queries(1):
        later = NOW + datetime.timedelta(hours=2)  # time passed, no concern changed
        assert triage.triage_state_counts(overdue, now=later)["open"] == 1


def test_filter_concerns_keeps_what_each_filter_asks_for():
    billing, shop = touchpoint(), touchpoint("shop", "Online shop")
    owner = DepartmentFactory(slug="billing-team", name="Billing team")
    a = make_concern(title="A", severity=Severity.LOW, at=shop)
    b = make_concern(
        title="B",
        severity=Severity.CRITICAL,
        kind=Concern.Kind.SYSTEMIC,
        owner_department=owner,
        state=Concern.State.ACKNOWLEDGED,
        due_at=NOW - datetime.timedelta(days=1),
        created_at=NOW - datetime.timedelta(days=3),
    )
    c = make_concern(title="C", state=Concern.State.CLOSED, at=billing)
    TF = triage.TriageFilters

    def kept(filters):
        return set(
            triage.filter_concerns(Concern.objects.all(), filters, now=NOW).values_list(
                "title", flat=True
            )
        )

    assert kept(TF()) == {a.title, b.title}
    assert kept(TF(state=triage.STATE_ALL)) == {a.title, b.title, c.title}
    assert kept(TF(state=Concern.State.CLOSED)) == {c.title}
    assert kept(TF(severities=(Severity.LOW,))) == {a.title}
    assert kept(TF(state=triage.STATE_ALL, severities=(Severity.CRITICAL, Severity.MEDIUM))) == {
        b.title,
        c.title,
    }
    assert kept(TF(kind=triage.UNCLASSIFIED)) == {a.title}
    assert kept(TF(kind=Concern.Kind.SYSTEMIC)) == {b.title}
    assert kept(TF(touchpoint_id=shop.pk)) == {a.title}
    assert kept(TF(owner_department_id=owner.pk)) == {b.title}
    assert kept(TF(department_id=owner.pk)) == set()
    assert kept(TF(state=triage.STATE_ALL, department_id=c.department_id)) == {
        a.title,
        b.title,
        c.title,
    }
    assert kept(TF(overdue=True)) == {b.title}
    assert kept(TF(overdue=False)) == {a.title}
    assert kept(TF(waiting_for_owner=True)) == {a.title}
    assert kept(TF(waiting_for_owner=False)) == {b.title}
    assert kept(TF(filed_until=NOW - datetime.timedelta(days=2))) == {b.title}
    assert kept(TF(filed_from=NOW - datetime.timedelta(days=2))) == {a.title}
    # both ends are inclusive: filed at that very moment counts
    filed = NOW - datetime.timedelta(days=3)
    assert kept(TF(filed_from=filed, filed_until=filed)) == {b.title}
