"""Polarity: the score decides where there is one, otherwise the words (README: polarity)."""

import pytest

from stories.models import Polarity, ScoreScale
from stories.polarity import polarity_of, text_sum

P, N, Z = Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.NEUTRAL


@pytest.mark.parametrize(
    ("score", "scale", "expected"),
    [
        (0, ScoreScale.NPS, N),
        (6, ScoreScale.NPS, N),
        (7, ScoreScale.NPS, Z),
        (8, ScoreScale.NPS, Z),
        (9, ScoreScale.NPS, P),
        (10, ScoreScale.NPS, P),
        (1, ScoreScale.RATING, N),
        (2, ScoreScale.RATING, N),
        (3, ScoreScale.RATING, Z),
        (4, ScoreScale.RATING, P),
        (5, ScoreScale.RATING, P),
    ],
)
def test_the_score_decides(score, scale, expected):
    # The words say the opposite: the score still wins.
    assert (
        polarity_of(score=score, scale=scale, text="terrible awful, but great and lovely")
        == expected
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Great support, thank you!", P),
        ("The app crashes and the refund is slow.", N),
        ("I changed my address on Tuesday.", Z),
        ("", Z),
        ("Not helpful at all.", N),
        ("It wasn't bad.", P),
        ("never really helpful", N),
        ("상담원이 친절하고 빠르게 해결해 주셨어요", P),
        ("배송이 너무 늦어요. 불편합니다", N),
        ("직원이 불친절했어요", N),
        ("결제가 안 되고 오류가 나요", N),
        ("좋지 않아요", N),
        ("문제없이 잘 됐어요", P),
    ],
)
def test_without_a_score_the_words_decide(text, expected):
    assert polarity_of(score=None, scale="", text=text) == expected, text_sum(text)
