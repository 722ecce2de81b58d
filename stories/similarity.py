"""Which concerns are about the same thing: keyword sets compared with the Dice coefficient.

The method, chosen to work for English and Korean without a language model or a dictionary:

1. `keywords(text)`: the text is normalised (Unicode NFKC, case-folded) and cut into runs of
   Hangul, runs of other letters and runs of digits ("PG사 결제" gives "pg", "사", "결제").
   - Latin (and other non-Hangul) words lose a light English suffix ("payments", "failed",
     "failing" → "payment", "fail") and a final "e" ("charge", "charged" → "charg"), so
     inflections meet; stop words ("the", "when", "customer"…) and one-letter words are dropped.
   - Korean attaches particles and endings to words ("결제가", "결제를", "실패했어요"), so a
     Korean run first loses one common particle at its end, then is cut into overlapping
     two-syllable pieces (bigrams): "결제가 실패했어요" gives 결제, 실패, 패했, and two pieces of
     the ending that are dropped as stop pieces (했어, 어요). Bigrams are the usual way to
     match Korean without a morphological analyser: the stem survives whatever follows it.
   - Numbers of two digits or more count ("500 error", "iOS 17"); single digits do not.
2. `similarity(a, b)`: the Dice coefficient of two keyword sets, 2·|a∩b| / (|a|+|b|), from 0
   (nothing shared) to 1 (the same words). It is kinder than Jaccard to a short title against
   a longer one, and unlike an overlap ratio a single shared word does not make two long
   titles "the same".
3. `similar_open_concerns(title=…)`: open concerns whose titles share at least one keyword
   are fetched by the database (a title LIKE each of the longest keywords, newest first,
   at most CANDIDATE_LIMIT rows), then ranked here by `similarity`; those at or above
   SIMILAR_THRESHOLD come back, best first. Merged duplicates are closed, so never suggested.
"""

from __future__ import annotations

import re
import unicodedata
from functools import reduce
from operator import or_

from django.db.models import Q

from stories.models import Concern

# Two titles at this Dice score or above are suggested as "the same concern".
SIMILAR_THRESHOLD = 0.34
# How many keywords go into the database's pre-filter, and how many rows it may return.
PREFILTER_KEYWORDS = 8
CANDIDATE_LIMIT = 500

_RUNS = re.compile(r"[가-힣]+|[^\W\d_가-힣]+|\d+")
_HANGUL = re.compile(r"^[가-힣]+$")

_STOP_WORDS = """
    a about after again all also am an and any are as at be been before being but by can
    cannot could did do does doing done for from get got had has have having he her him his
    how i if in into is it its just me more my no not now of off on once only or our out
    over same she so some still than that the their them then there these they this those
    through to too under until up us very was we were what when where which while who why
    will with would you your yours customer client user
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# Korean particles that end a word, longest first so "에서" goes before "서" could.
PARTICLES = (
    "에서는", "으로는", "에게서", "께서는", "에서", "에게", "께서", "한테", "으로", "부터",
    "까지", "처럼", "보다", "이나", "이랑", "하고", "은", "는", "이", "가", "을", "를",
    "에", "의", "로", "와", "과", "도", "만", "랑",
)  # fmt: skip
# Two-syllable pieces of verb endings and filler that say nothing about the topic.
_STOP_PIECES = """
    니다 습니 했습 합니 됩니 었습 았습 있습 없습 어요 아요 해요 했어 했다 하다 하는 되었 됐어
    되어 되는 있어 없어 있는 없는 주세 세요 고객 너무 계속 그리 리고 그런 이런 저희 우리 경우 관련
"""
STOP_PIECES = frozenset(_STOP_PIECES.split())


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith(("ed", "es")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    # "stopped" → "stopp" → "stop", so that it meets "stop".
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def _strip_particle(run: str) -> str:
    for particle in PARTICLES:
        if len(run) > len(particle) + 1 and run.endswith(particle):
            return run[: -len(particle)]
    return run


def _korean(run: str) -> set[str]:
    run = _strip_particle(run)
    if len(run) == 1:
        return set()
    pieces = {run[i : i + 2] for i in range(len(run) - 1)}
    return pieces - STOP_PIECES


def keywords(text: str) -> set[str]:
    """The words that say what a text is about, comparable across inflections (see above)."""
    found: set[str] = set()
    normalised = unicodedata.normalize("NFKC", text or "").casefold()
    for run in _RUNS.findall(normalised):
        if _HANGUL.match(run):
            found |= _korean(run)
        elif run.isdigit():
            if len(run) >= 2:
                found.add(run)
        elif len(run) >= 2 and run not in STOP_WORDS:
            stem = _stem(run)
            if stem not in STOP_WORDS:  # "customers" is "customer"
                found.add(stem)
    return found


def similarity(a: set, b: set) -> float:
    """The Dice coefficient of two keyword sets: 0 when nothing is shared, 1 when all is."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def similar_open_concerns(
    *, title: str, limit: int = 5, exclude_id: int | None = None
) -> list[Concern]:
    """Up to `limit` open concerns whose titles are like this one, best match first.

    Each comes with `.similarity` (its score) and its touchpoint, department and owner
    department loaded. Two queries at most, whatever the number of concerns.
    """
    wanted = keywords(title)
    if not wanted or limit <= 0:
        return []
    # The longest keywords narrow the most; a stem ("charg") still matches "charged".
    probes = sorted(wanted, key=lambda word: (-len(word), word))[:PREFILTER_KEYWORDS]
    # "delivery" is also the stem of "deliveries": look for "deliver".
    probes = [word[:-1] if len(word) > 3 and word.endswith("y") else word for word in probes]
    candidates = (
        Concern.objects.filter(state__in=Concern.OPEN_STATES, merged_into__isnull=True)
        .filter(reduce(or_, (Q(title__icontains=word) for word in probes)))
        .order_by("-created_at", "-pk")
        .values_list("pk", "title")[:CANDIDATE_LIMIT]
    )
    scored = []
    for pk, other_title in candidates:
        if pk == exclude_id:
            continue
        score = similarity(wanted, keywords(other_title))
        if score >= SIMILAR_THRESHOLD:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    best = {pk: score for score, pk in scored[:limit]}
    if not best:
        return []
    concerns = Concern.objects.select_related(
        "touchpoint", "department", "owner_department"
    ).in_bulk(list(best))
    found = []
    for pk, score in best.items():
        concern = concerns.get(pk)
        if concern is not None:
            concern.similarity = score
            found.append(concern)
    return found
