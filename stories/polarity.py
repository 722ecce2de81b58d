"""Whether a piece of customer feedback is positive, neutral or negative.

From the score when there is one:

- NPS (0–10): promoters (9–10) are positive, passives (7–8) neutral, detractors (0–6)
  negative, as the Net Promoter Score counts them;
- a rating (1–5): 4–5 positive, 3 neutral, 1–2 negative.

Otherwise from the text, by counting words: each word (English) or word stem (Korean) in
the positive list counts +1, in the negative list -1; a negation up to three words before it
("not", "never", "no", "n't"; Korean 안 / 못), or 않 / 못 / 없 after a Korean stem or as the
next word (좋지 않아요), turns its sign. A sum above zero is positive, below zero negative,
zero (or nothing found) neutral.
This is deliberately simple: it is explainable, it needs no model to download, and a score,
where a source has one, always wins. It is wrong on sarcasm and on words the lists lack; the
lists are here to grow.
"""

from __future__ import annotations

import re

from stories.models import Polarity, ScoreScale

POSITIVE_EN = frozenset(
    [
        "amazing",
        "awesome",
        "best",
        "better",
        "brilliant",
        "delighted",
        "easy",
        "effortless",
        "excellent",
        "fantastic",
        "fast",
        "friendly",
        "glad",
        "good",
        "great",
        "happy",
        "helpful",
        "impressed",
        "love",
        "loved",
        "lovely",
        "nice",
        "perfect",
        "pleasant",
        "quick",
        "quickly",
        "recommend",
        "reliable",
        "resolved",
        "satisfied",
        "simple",
        "smooth",
        "solved",
        "thank",
        "thanks",
        "thankful",
        "useful",
        "wonderful",
    ]
)
NEGATIVE_EN = frozenset(
    [
        "angry",
        "annoyed",
        "annoying",
        "awful",
        "bad",
        "broken",
        "bug",
        "buggy",
        "cancel",
        "cancelled",
        "charged",
        "complaint",
        "confused",
        "confusing",
        "crash",
        "crashed",
        "crashes",
        "declined",
        "delay",
        "delayed",
        "difficult",
        "disappointed",
        "disappointing",
        "error",
        "errors",
        "fail",
        "failed",
        "failing",
        "failure",
        "frustrated",
        "frustrating",
        "hard",
        "hate",
        "horrible",
        "impossible",
        "lost",
        "poor",
        "problem",
        "problems",
        "refund",
        "rude",
        "slow",
        "stuck",
        "terrible",
        "unable",
        "unhappy",
        "useless",
        "waiting",
        "worse",
        "worst",
        "wrong",
    ]
)
NEGATIONS_EN = frozenset(["not", "no", "never", "nothing", "hardly", "without"])

# Korean words are written with their particles and endings attached, so these are stems
# looked for at the start of each word.
POSITIVE_KO = (
    "감사",
    "고맙",
    "좋",
    "최고",
    "만족",
    "편리",
    "편하",
    "친절",
    "빠르",
    "빨라",
    "빨리",
    "훌륭",
    "추천",
    "해결",
    "쉽",
    "쉬워",
    "행복",
    "멋지",
    "대박",
)
NEGATIVE_KO = (
    "불편",
    "불만",
    "느리",
    "느려",
    "늦",
    "오류",
    "에러",
    "실패",
    "최악",
    "화나",
    "짜증",
    "실망",
    "문제",
    "어렵",
    "어려",
    "환불",
    "취소",
    "거절",
    "버그",
    "답답",
    "끊기",
    "끊겨",
    "안되",
    "안 되",
    "먹통",
    "불친절",
)
NEGATIONS_KO_BEFORE = ("안", "못")
NEGATIONS_KO_AFTER = ("않", "못", "없")

# "not very good", "never really helpful": a negation turns the next sentiment word within
# three words.
NEGATION_REACH = 3
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[\uac00-\ud7a3]+")


def polarity_of_score(score: int, scale: str) -> str:
    if scale == ScoreScale.NPS:
        if score >= 9:
            return Polarity.POSITIVE
        return Polarity.NEUTRAL if score >= 7 else Polarity.NEGATIVE
    if score >= 4:
        return Polarity.POSITIVE
    return Polarity.NEUTRAL if score == 3 else Polarity.NEGATIVE


def _korean_sign(word: str) -> int:
    # "불친절" starts with "불" as "불편" does: look for the longest stem first.
    for stem in sorted(POSITIVE_KO + NEGATIVE_KO, key=len, reverse=True):
        if word.startswith(stem):
            sign = 1 if stem in POSITIVE_KO else -1
            rest = word[len(stem) :]
            return -sign if any(rest.startswith(n) for n in NEGATIONS_KO_AFTER) else sign
    return 0


def text_sum(text: str) -> int:
    """The words' count: positive words +1, negative −1, each turned by a negation."""
    words = WORD.findall(text.lower().replace("n't", " not").replace("안 되", "안되"))
    total = 0
    negated = 0  # how many more words a negation just read still reaches
    previous = 0  # the last word's sign, which a Korean "않다" / "없다" after it turns
    for word in words:
        if word in NEGATIONS_EN or word in NEGATIONS_KO_BEFORE:
            negated = NEGATION_REACH
            previous = 0
            continue
        if previous and word.startswith(NEGATIONS_KO_AFTER):  # 좋지 않아요, 친절하지 못했어요
            total -= 2 * previous
            previous = 0
            continue
        if word[0] >= "\uac00":
            sign = _korean_sign(word)
        else:
            sign = 1 if word in POSITIVE_EN else -1 if word in NEGATIVE_EN else 0
        if sign:
            sign = -sign if negated else sign
            total += sign
            negated = 0
        else:
            negated = max(0, negated - 1)
        previous = sign
    return total


def polarity_of_text(text: str) -> str:
    total = text_sum(text)
    if total > 0:
        return Polarity.POSITIVE
    return Polarity.NEGATIVE if total < 0 else Polarity.NEUTRAL


def polarity_of(*, score: int | None, scale: str, text: str) -> str:
    """The score's polarity where there is a score, otherwise the text's."""
    if score is not None and scale:
        return polarity_of_score(score, scale)
    return polarity_of_text(text)
