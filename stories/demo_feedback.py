"""The demo company's customer feedback file: about 15,000 items over four years.

It is generated, not stored: deterministic for a given week (a seeded random generator, dates
counted back from that week's Monday), so `manage.py demo` imports the same file every time it
runs in a week and the upsert changes nothing. What it holds, so the daily voice, the metrics
and the charts tell the programme's story:

- NPS survey answers (0–10), support tickets (no score: polarity from the words) and app-store
  reviews (1–5), in English and Korean, from seven markets, more of them each year;
- scores that get better year on year, as the customer-first programme takes hold;
- a cluster of card payments declined at checkout in Korea and Japan over the six weeks before
  the payment gateway was replaced (the demo's systemic concern), and none after;
- a few customers named, or with an email in the text, for the masking to hide.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from pathlib import Path

from stories.services.feedback_import import OPTIONAL, REQUIRED

FEEDBACK_ITEMS = 15_000
YEARS = 4
# The import's columns, required first (stories/services/feedback_import.py).
COLUMNS = [*REQUIRED, *OPTIONAL]

# market, weight, the share of its customers who write in Korean
MARKETS = [
    ("KR", 38, 0.92),
    ("US", 20, 0.02),
    ("JP", 14, 0.05),
    ("GB", 10, 0.0),
    ("DE", 8, 0.0),
    ("SG", 6, 0.05),
    ("AU", 4, 0.0),
]
SOURCES = [("nps-survey", 50), ("zendesk", 30), ("app-store", 20)]
# touchpoint slug (ambassadors' demo), product, weight
TOUCHPOINTS = [
    ("sales", "Quotes", 12),
    ("onboarding", "Onboarding", 18),
    ("support", "Support", 30),
    ("billing", "Payments", 18),
    ("delivery", "Print", 22),
]
TAGS = {
    "sales": ["quote", "pricing", "contract"],
    "onboarding": ["setup", "import", "training"],
    "support": ["support", "response time", "chat"],
    "billing": ["invoice", "refund", "renewal"],
    "delivery": ["delivery", "quality", "packaging"],
}
# The payment-gateway cluster: these markets, these days before the fix (stories/demo.py's
# systemic concern was resolved nine days ago).
CLUSTER_MARKETS = ("KR", "JP")
CLUSTER_DAYS = (9, 52)
CLUSTER_SHARE = 0.35  # of the cluster markets' feedback in those weeks

# What customers say, by touchpoint and polarity, in English and Korean. Every sentence carries
# the words stories/polarity.py counts (a test checks each one reads as its polarity).
SAYINGS: dict[str, dict[str, dict[str, list[str]]]] = {
    "sales": {
        "positive": {
            "en": [
                "The quote came back the same day and it was simple to compare plans. Great work.",
                "Our account manager was helpful and honest about what we did not need.",
                "Friendly sales team, quick answers, and the contract was easy to read.",
                "I would recommend you just for how smooth the first call was.",
            ],
            "ko": [
                "견적을 당일에 받았고 요금제 비교도 쉬웠어요. 감사합니다.",
                "담당자분이 친절하게 필요 없는 건 빼자고 해 주셔서 만족합니다.",
                "계약서가 쉽게 쓰여 있어서 좋았습니다. 추천하고 싶어요.",
                "첫 상담부터 빠르게 답을 주셔서 정말 좋았어요.",
            ],
        },
        "neutral": {
            "en": [
                "The quote was fine. It took two days to arrive.",
                "We are comparing three vendors this month and yours is one of them.",
                "Pricing is on the website but volume discounts are not listed there.",
            ],
            "ko": [
                "견적은 이틀 뒤에 받았어요. 다른 업체와 비교 중입니다.",
                "대량 주문 할인은 홈페이지에 안내가 없어서 전화로 물어봤어요.",
                "계약 기간은 1년으로 하려고 합니다.",
            ],
        },
        "negative": {
            "en": [
                "I asked for a quote twice and was still waiting a week later.",
                "The price on the contract was wrong and nobody told us why.",
                "Sales promised a feature that turned out not to exist. Very disappointed.",
            ],
            "ko": [
                "견적을 두 번 요청했는데 일주일째 답이 없어 답답합니다.",
                "계약서 금액이 달라서 실망했어요. 설명도 없었습니다.",
                "영업 담당자 연락이 늦어서 불편했습니다.",
            ],
        },
    },
    "onboarding": {
        "positive": {
            "en": [
                "Setup took twenty minutes. The import wizard is brilliant.",
                "The onboarding call was helpful and our whole team was ready the same week.",
                "Everything was easy to find, and the training videos were great.",
                "Smooth start. Our designer loved the templates.",
            ],
            "ko": [
                "설정이 20분 만에 끝났어요. 가져오기 기능이 정말 편리합니다.",
                "온보딩 교육이 친절하고 쉬워서 팀 전체가 바로 쓸 수 있었어요.",
                "처음 시작하기가 쉽고 안내 영상도 좋았어요.",
                "템플릿이 훌륭해서 디자이너가 만족했어요.",
            ],
        },
        "neutral": {
            "en": [
                "Setup took an afternoon. The import wizard could say what it is doing.",
                "We finished onboarding last week and are starting our first order.",
                "The checklist has eight steps; we did six of them so far.",
            ],
            "ko": [
                "설정에 반나절 정도 걸렸어요. 첫 주문을 준비하고 있습니다.",
                "체크리스트 여덟 단계 중 여섯 단계를 마쳤어요.",
                "다음 주에 팀원 두 명을 더 초대할 예정입니다.",
            ],
        },
        "negative": {
            "en": [
                "The import failed three times with an error nobody could explain.",
                "Onboarding was confusing and the training session was cancelled twice.",
                "We are stuck on the first step. The setup guide is wrong for our plan.",
            ],
            "ko": [
                "데이터 가져오기가 세 번이나 실패했어요. 오류 메시지도 이해하기 어렵습니다.",
                "교육 일정이 두 번 취소돼서 불편했어요.",
                "설정 안내가 우리 요금제와 달라서 답답했습니다.",
            ],
        },
    },
    "support": {
        "positive": {
            "en": [
                "The agent stayed on the line until it was solved. Thank you, Minji!",
                "Support answered in five minutes and fixed it for good. Excellent.",
                "Friendly, fast and honest. Best support I have had from a supplier.",
                "They called me back the same day and sorted it out. Great service.",
            ],
            "ko": [
                "상담원분이 끝까지 친절하게 해결해 주셨어요. 감사합니다!",
                "5분 만에 답을 받고 바로 해결됐어요. 최고예요.",
                "같은 날 다시 전화 주셔서 문제가 해결됐습니다. 고맙습니다.",
                "채팅 상담이 빠르고 친절해서 만족합니다.",
            ],
        },
        "neutral": {
            "en": [
                "I asked how to change the delivery address on an open order.",
                "The chat answered within the hour. We will see if the change holds.",
                "Please add my colleague to our account as an admin.",
            ],
            "ko": [
                "진행 중인 주문의 배송지를 바꾸는 방법을 문의했어요.",
                "한 시간 안에 채팅 답변을 받았어요. 결과는 지켜보겠습니다.",
                "동료를 관리자로 추가해 주세요.",
            ],
        },
        "negative": {
            "en": [
                "I explained the problem to three different agents. Still not solved.",
                "The chat closed on me twice while I was waiting. Frustrating.",
                "Rude answer and no solution. I am unhappy with how this was handled.",
            ],
            "ko": [
                "세 명의 상담원에게 같은 문제를 설명했어요. 아직도 문제가 그대로입니다.",
                "기다리는 동안 채팅이 두 번 끊겨서 짜증났어요.",
                "답변이 늦고 불친절해서 실망했습니다.",
            ],
        },
    },
    "billing": {
        "positive": {
            "en": [
                "A double payment was put right within the hour. Thank you, that was quick.",
                "The invoice finally shows our VAT number correctly. Much better.",
                "Renewal was simple and the reminder came a month early. Nice.",
                "Paying by card is quick now and the receipt is clear. Happy.",
            ],
            "ko": [
                "중복 결제를 바로 처리해 주셔서 감사합니다.",
                "세금계산서가 정확하게 나와서 편리해요.",
                "갱신 안내를 한 달 전에 받아서 좋았습니다.",
                "카드 결제가 빨라지고 영수증도 보기 좋아요.",
            ],
        },
        "neutral": {
            "en": [
                "Can the invoice show our purchase order number?",
                "We switched from monthly to annual billing this month.",
                "Please send invoices to our finance address from now on.",
            ],
            "ko": [
                "세금계산서에 발주 번호를 넣을 수 있나요?",
                "이번 달부터 연간 결제로 바꿨습니다.",
                "앞으로 청구서는 재무팀 주소로 보내 주세요.",
            ],
        },
        "negative": {
            "en": [
                "The invoice was in the wrong currency again. Our accountant is annoyed.",
                "I was charged after I cancelled. Waiting two weeks for a refund.",
                "The renewal price went up and nobody warned us. Disappointed.",
            ],
            "ko": [
                "청구서 통화가 또 잘못 나왔어요. 회계팀이 불편해합니다.",
                "해지했는데 결제가 됐어요. 환불을 2주째 기다리고 있습니다.",
                "갱신 가격이 예고 없이 올라서 실망했어요.",
            ],
        },
    },
    "delivery": {
        "positive": {
            "en": [
                "The prints arrived two days early and the colours are perfect.",
                "Packaging was excellent; not a single corner bent. We love it.",
                "Fast delivery to Osaka and great quality. Thank you.",
                "Reliable as always. Our clients were impressed by the finish.",
            ],
            "ko": [
                "인쇄물이 이틀 일찍 도착했고 색감도 훌륭해요.",
                "포장이 꼼꼼해서 만족합니다. 감사합니다.",
                "배송이 빠르고 품질이 좋아서 고객사도 좋아했어요.",
                "언제나처럼 믿을 수 있어요. 추천합니다.",
            ],
        },
        "neutral": {
            "en": [
                "The order arrived on the date given.",
                "We would like to split the next order across two addresses.",
                "Tracking showed the parcel in customs for a day.",
            ],
            "ko": [
                "주문한 날짜에 맞춰 도착했어요.",
                "다음 주문은 두 곳으로 나눠서 받고 싶어요.",
                "통관에서 하루 머물렀다고 조회됐어요.",
            ],
        },
        "negative": {
            "en": [
                "The order arrived a week late and nobody told us. Terrible.",
                "Half the prints were the wrong size. We had to reprint for the event.",
                "The parcel was lost and support kept saying it was delayed.",
            ],
            "ko": [
                "주문이 일주일 늦게 왔는데 아무 연락이 없었어요. 최악입니다.",
                "인쇄물 절반이 크기가 달라서 문제가 컸어요.",
                "택배가 분실됐는데 계속 배송이 늦어진다고만 했어요. 실망입니다.",
            ],
        },
    },
}
# The payment-gateway cluster: card payments declined at checkout.
DECLINED = {
    "en": [
        "My card was declined at checkout three times. My bank says it never saw a payment.",
        "Payment failed again with 'payment could not be processed'. We paid by bank transfer.",
        "Checkout keeps declining our company card. This is the third order it failed.",
        "The payment page errors out with every card we try. Very frustrating.",
    ],
    "ko": [
        "결제 단계에서 카드 승인이 세 번이나 거절됐어요. 결국 계좌이체로 했습니다.",
        "카드 결제가 계속 실패해요. 은행에서는 승인 요청이 없었다고 합니다.",
        "법인카드로 결제하면 오류가 나요. 주문할 수가 없어서 답답합니다.",
        "결제 페이지에서 에러가 나서 세 번째 주문도 실패했어요.",
    ],
}
NAMES = {
    "en": ["Olivia Park", "James Carter", "Hannah Müller", "Tom Becker", "Chloe Tan", "Sam Reid"],
    "ko": ["김민지", "이준호", "박서연", "최지훈", "정하은", "강도윤"],
}


def _pick(rng: random.Random, weighted: list[tuple], weight: int = 1) -> tuple:
    return rng.choices(weighted, weights=[row[weight] for row in weighted])[0]


def _polarity(rng: random.Random, year_share: float) -> str:
    """Better every year: from 38% to 58% positive, from 32% to 17% negative."""
    positive = 0.38 + 0.20 * year_share
    negative = 0.32 - 0.15 * year_share
    roll = rng.random()
    if roll < positive:
        return "positive"
    return "negative" if roll < positive + negative else "neutral"


def _score(rng: random.Random, source: str, polarity: str) -> str:
    if source == "zendesk":
        return ""
    if source == "nps-survey":
        low, high = {"positive": (9, 10), "neutral": (7, 8), "negative": (0, 6)}[polarity]
    else:
        low, high = {"positive": (4, 5), "neutral": (3, 3), "negative": (1, 2)}[polarity]
    return str(rng.randint(low, high))


def _days_back(rng: random.Random, span: int) -> int:
    """More feedback in later years: the customer base grew."""
    return int(span * (1 - rng.random() ** 0.7))


def rows(*, week_of: datetime.date, count: int = FEEDBACK_ITEMS) -> Iterator[list[str]]:
    """The file's rows (no header), the same for every day of a week."""
    monday = week_of - datetime.timedelta(days=week_of.weekday())
    span = 365 * YEARS
    rng = random.Random(f"customer-for-life-feedback-{monday.isoformat()}")  # noqa: S311 - demo data
    for number in range(1, count + 1):
        days = _days_back(rng, span) + 1
        received = datetime.datetime.combine(
            monday - datetime.timedelta(days=days),
            datetime.time(rng.randint(0, 23), rng.randint(0, 59)),
        )
        market, _weight, korean = _pick(rng, MARKETS)
        language = "ko" if rng.random() < korean else "en"
        source = _pick(rng, SOURCES)[0]
        touchpoint, product, _weight = _pick(rng, TOUCHPOINTS, weight=2)
        polarity = _polarity(rng, 1 - days / span)
        tags = rng.sample(TAGS[touchpoint], k=rng.randint(0, 2))
        text = rng.choice(SAYINGS[touchpoint][polarity][language])
        if (
            market in CLUSTER_MARKETS
            and CLUSTER_DAYS[0] < days <= CLUSTER_DAYS[1]
            and rng.random() < CLUSTER_SHARE
        ):
            touchpoint, product, polarity = "billing", "Payments", "negative"
            tags = ["payment gateway", "checkout"]
            text = rng.choice(DECLINED[language])
        customer = ""
        if rng.random() < 0.12:
            customer = rng.choice(NAMES[language])
            if rng.random() < 0.3:
                text += f" (reply to customer{number}@example.com)"
        values = {
            "external_id": f"{source}-{number:06d}",
            "received_at": received.isoformat(timespec="minutes"),
            "text": text,
            "source": source,
            "market": market,
            "language": language,
            "score": _score(rng, source, polarity),
            "touchpoint": touchpoint,
            "product": product,
            "tags": ", ".join(tags),
            "customer": customer,
        }
        yield [values[column] for column in COLUMNS]


def write(path: Path, *, week_of: datetime.date, count: int = FEEDBACK_ITEMS) -> Path:
    """Write the file (UTF-8, as a spreadsheet exports it) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(rows(week_of=week_of, count=count))
    return path
