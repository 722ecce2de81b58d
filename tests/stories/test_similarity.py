"""Similar concerns: keywords that survive inflection in English and particles in Korean."""

from __future__ import annotations

import pytest

from stories.models import Concern
from stories.similarity import (
    CANDIDATE_LIMIT,
    SIMILAR_THRESHOLD,
    keywords,
    similar_open_concerns,
    similarity,
)
from tests.stories.test_concern_services import file_concern, make_touchpoint


def test_english_keywords_drop_stop_words_and_meet_across_inflections():
    assert keywords("The payments FAILED when customers checked out") == {
        "payment",
        "fail",
        "check",
    }
    assert keywords("Charged twice") == keywords("charge twice")
    assert keywords("Deliveries are late") == keywords("late delivery")
    assert keywords("stopped") == keywords("stop")


def test_korean_keywords_are_two_syllable_pieces_without_particles_and_endings():
    assert keywords("결제가 실패했어요") >= {"결제", "실패"}
    assert "했어" not in keywords("결제가 실패했어요") and "어요" not in keywords("실패했어요")
    assert keywords("결제를") == keywords("결제는") == keywords("결제") == {"결제"}
    # A one-syllable word says too little; mixed scripts are split.
    assert keywords("돈") == set()
    assert keywords("PG사 결제 오류") == {"pg", "결제", "오류"}


def test_numbers_of_two_digits_or_more_count():
    assert keywords("Error 500 on iOS 17, step 3") == {"error", "500", "ios", "17", "step"}


def test_similarity_is_the_dice_coefficient():
    assert similarity({"a", "b"}, {"a", "b"}) == 1.0
    assert similarity({"a", "b"}, {"c"}) == 0.0
    assert similarity({"a", "b", "c"}, {"a"}) == pytest.approx(0.5)
    assert similarity(set(), {"a"}) == 0.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Payment failed at checkout", "Checkout payment fails for Korean cards"),
        ("Customer was charged twice", "Charged twice for one order"),
        ("The app crashes on iOS 17", "iOS 17 app crash at login"),
        ("결제가 실패했어요", "카드 결제 실패"),
        ("배송이 너무 늦어요", "배송 지연 문의"),
    ],
)
def test_alike_titles_score_at_or_above_the_threshold(a, b):
    assert similarity(keywords(a), keywords(b)) >= SIMILAR_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Invoice shows the wrong VAT", "Payment failed at checkout"),
        ("Refund took two weeks", "App crashes on login"),
        ("결제가 실패했어요", "배송이 늦어요"),
    ],
)
def test_unrelated_titles_score_below_the_threshold(a, b):
    assert similarity(keywords(a), keywords(b)) < SIMILAR_THRESHOLD


@pytest.mark.django_db
def test_similar_open_concerns_ranks_open_ones_best_first(ambassador, department):
    best = file_concern(ambassador, department=department, title="Payment fails at checkout")
    good = file_concern(
        ambassador, department=department, title="Checkout payment failing in Korea"
    )
    file_concern(ambassador, department=department, title="Invoice shows the wrong VAT")
    closed = file_concern(ambassador, department=department, title="Payment fails at checkout!")
    Concern.objects.filter(pk=closed.pk).update(state="resolved")
    found = similar_open_concerns(title="payment failed at checkout")
    assert [c.pk for c in found] == [best.pk, good.pk]
    assert found[0].similarity == 1.0
    assert similar_open_concerns(title="payment failed at checkout", exclude_id=best.pk)[0] == good
    assert similar_open_concerns(title="payment failed at checkout", limit=1) == [best]
    assert similar_open_concerns(title="   ") == []


@pytest.mark.django_db
def test_similar_open_concerns_finds_korean_titles(ambassador, department):
    concern = file_concern(ambassador, department=department, title="카드 결제가 계속 실패합니다")
    file_concern(ambassador, department=department, title="배송이 늦어요")
    assert similar_open_concerns(title="결제 실패") == [concern]


@pytest.mark.django_db
def test_merged_duplicates_are_never_suggested(ambassador, cx_lead, department):
    from stories.services import concern as services

    kept = file_concern(ambassador, department=department, title="Refund is late")
    merged = file_concern(ambassador, department=department, title="Refund is late again")
    services.concern_merge(user=cx_lead, duplicate=merged, into=kept)
    assert similar_open_concerns(title="refund late") == [kept]


@pytest.mark.django_db
def test_similar_open_concerns_costs_two_queries_however_many_concerns(
    ambassador, department, django_assert_max_num_queries
):
    touchpoint = make_touchpoint()
    Concern.objects.bulk_create(
        [
            Concern(
                title=f"Refund late case {n}",
                description="x",
                touchpoint=touchpoint,
                department=department,
                submitted_by=ambassador,
            )
            for n in range(CANDIDATE_LIMIT + 20)
        ]
    )
    with django_assert_max_num_queries(2):
        found = similar_open_concerns(title="refund late")
    assert len(found) == 5
