"""The demo company's customer voices: stories in review and published, concerns at every stage.

The programme's story in a few rows (English and Korean):
- card payments failing at checkout, heard from customers in five markets, filed one by one as
  individual concerns, then seen as one systemic problem owned by Engineering and fixed by
  replacing the payment gateway ("you said, we did");
- a dissatisfied customer in Seoul called back the same day (individual care);
- a "no questions asked" refund story, published, with thanks;
- five open complaints about invoices in the wrong currency: a systemic candidate waiting for
  the CX team, a critical concern just filed, and stories waiting for review.

Everything is written through the services, as people would through the pages, then dated back
so the timeline reads like the last few weeks. Idempotent: rows are found by title.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TextIO

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from portal.demo import DEMO_DOMAIN
from portal.models import Department, User
from stories import demo_voice
from stories.models import Concern, ConcernEvent, CXSettings, Story, StoryThanks
from stories.services import concern as concerns
from stories.services import story as stories

CX_CHANNEL = "CDEMOCXT01"
LEADERSHIP_CHANNEL = "CDEMOLDR01"


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _touchpoint_id(slug: str) -> int:
    return apps.get_model("ambassadors", "Touchpoint").objects.get(slug=slug).pk


def _department_id(slug: str) -> int:
    return Department.objects.get(slug=slug).pk


@dataclass(frozen=True)
class DemoStory:
    by: str
    title: str
    what_happened: str
    customer_words: str
    outcome: str
    touchpoint: str
    departments: list[str]
    tags: list[str]
    language: str
    customer_name: str = ""
    may_be_named: bool = False
    status: str = "published"  # published, in_review, changes_requested
    days_ago: int = 10
    thanked_by: list[str] = field(default_factory=list)
    review_comment: str = ""


STORIES = [
    DemoStory(
        by="yuna.cho",
        title="A refund with no questions asked",
        what_happened=(
            "A small design studio was charged twice for their annual plan after a card "
            "retry. They wrote in, worried it would take weeks to sort out. We refunded the "
            "duplicate charge the same hour, without asking for screenshots or bank statements, "
            "and added a month free for the trouble."
        ),
        customer_words=(
            "I expected a fight. Instead I got my money back before I finished my coffee. "
            "That's why we're staying with you."
        ),
        outcome="The studio renewed for two more seats the following week.",
        touchpoint="billing",
        departments=["billing", "support"],
        tags=["refund", "trust"],
        language="en",
        customer_name="Northlight Studio",
        may_be_named=True,
        days_ago=12,
        thanked_by=["ambassador", "employee", "newhire", "leader", "seoyeon.jung"],
    ),
    DemoStory(
        by="ambassador",
        title="새벽 3시에 받은 답장",
        what_happened=(
            "부산의 한 출판사 고객이 마감 전날 새벽에 파일 변환 오류를 문의했습니다. "
            "당직 엔지니어가 20분 만에 원인을 찾아 직접 변환해 드렸고, 다음 날 아침 "
            "담당 영업이 전화로 결과를 다시 확인했습니다."
        ),
        customer_words="새벽에 사람이 답해 줄 거라고는 생각도 못 했어요. 덕분에 마감을 지켰습니다.",
        outcome="고객사가 연간 계약을 두 개 팀으로 확대했습니다.",
        touchpoint="support",
        departments=["support", "engineering"],
        tags=["야간지원", "마감"],
        language="ko",
        days_ago=6,
        thanked_by=["cx", "employee"],
    ),
    DemoStory(
        by="hiroshi.tanaka",
        title="Delivered a day early for a product launch",
        what_happened=(
            "A retail customer in Osaka moved their product launch forward by two days. "
            "Production re-planned the print run overnight and delivery drove the order "
            "across town themselves."
        ),
        customer_words="You made our launch happen. Our team still talks about it.",
        outcome="The launch went ahead; the customer wrote to our CEO to say thank you.",
        touchpoint="delivery",
        departments=["production"],
        tags=["delivery", "launch"],
        language="en",
        days_ago=3,
        thanked_by=["hiroshi.tanaka"],
    ),
    DemoStory(
        by="ambassador",
        title="Onboarding call turned into a product idea",
        what_happened=(
            "During an onboarding call a customer showed how they export our reports into a "
            "spreadsheet every Monday. We shared it with Product the same day."
        ),
        customer_words="If I could just get this every Monday morning in my inbox, I'd be set.",
        outcome="Product added a scheduled report to the next quarter's plan.",
        touchpoint="onboarding",
        departments=["sales", "product"],
        tags=["onboarding", "idea"],
        language="en",
        status="in_review",
        days_ago=1,
    ),
    DemoStory(
        by="minjun.kang",
        title="A happy customer",
        what_happened="The customer was happy with us.",
        customer_words="Great service.",
        outcome="They were happy.",
        touchpoint="sales",
        departments=["sales"],
        tags=[],
        language="en",
        status="changes_requested",
        days_ago=2,
        review_comment=(
            "Thanks for sharing! Could you say what we did that made the difference, and "
            "what the customer said in their own words?"
        ),
    ),
]


@dataclass(frozen=True)
class DemoConcern:
    by: str
    title: str
    description: str
    touchpoint: str
    department: str
    severity: str
    days_ago: int
    customer_reference: str = ""
    language: str = "en"


GATEWAY_PRIMARY = DemoConcern(
    by="ambassador",
    title="Card payments declined at checkout for overseas customers",
    description=(
        "A customer in the US tried three cards; every one was declined at checkout with "
        "'payment could not be processed'. Their bank saw no attempt. They paid by bank "
        "transfer in the end and asked us to call them at +1 (415) 555-0132 when it's fixed."
    ),
    touchpoint="billing",
    department="sales",
    severity="high",
    days_ago=30,
    customer_reference="ORD-55120",
)
GATEWAY_MORE = [
    DemoConcern(
        by="yuna.cho",
        title="Payment declined at checkout, customer in India",
        description="UPI and cards both declined at checkout; the customer gave up.",
        touchpoint="billing",
        department="billing",
        severity="medium",
        days_ago=28,
    ),
    DemoConcern(
        by="hiroshi.tanaka",
        title="決済エラー: checkout payment declined for a Japanese customer",
        description="JCB card declined at checkout twice; the order was placed by phone instead.",
        touchpoint="billing",
        department="production",
        severity="medium",
        days_ago=27,
    ),
    DemoConcern(
        by="aiko.suzuki",
        title="UK customer's card payment declined at checkout",
        description="A campaign sign-up failed at checkout; card declined with no reason given.",
        touchpoint="billing",
        department="marketing",
        severity="medium",
        days_ago=26,
    ),
    DemoConcern(
        by="seoyeon.jung",
        title="해외 카드 결제 실패 (checkout payment declined)",
        description=(
            "일본 지사 고객이 결제 단계에서 카드 승인 거절을 세 번 받았습니다. "
            "연락처: kim.minji@example.co.kr, 010-1234-5678"
        ),
        touchpoint="billing",
        department="support",
        severity="medium",
        days_ago=25,
        language="ko",
    ),
]
GATEWAY_FIX = (
    "We replaced the payment gateway. Checkout now routes each card to a processor in the "
    "customer's region; declined payments fell from 7% to 0.4% in the first week, and we "
    "called every customer who had been declined."
)

CALLBACK = DemoConcern(
    by="seoyeon.jung",
    title="오래 기다린 고객의 불만 (Customer upset after a week without an answer)",
    description=(
        "A long-time customer waited a week for an answer about a damaged delivery and "
        "said they would cancel. Phone: 02-312-3456."
    ),
    touchpoint="support",
    department="support",
    severity="high",
    days_ago=9,
    customer_reference="ACC-20931",
)
CALLBACK_DONE = (
    "Our support lead called the customer the same afternoon, apologised, re-sent the order by "
    "courier and credited the delivery. They are staying with us."
)

INVOICES = [
    ("billing", "amelia.jones", "Invoice shows the wrong currency for a customer in Germany"),
    ("sales", "ambassador", "Customer in Japan got an invoice in the wrong currency"),
    ("support", "seoyeon.jung", "Invoice PDF in the wrong currency for an Indian customer"),
    ("marketing", "aiko.suzuki", "Wrong currency on the invoice, customer in the UK"),
    ("product", "kenji.watanabe", "Currency on the invoice is wrong for an Australian customer"),
]

CRITICAL = DemoConcern(
    by="ambassador",
    title="Customer's uploaded files disappeared before their deadline",
    description=(
        "A publisher uploaded 40 chapters yesterday; this morning the project is empty and "
        "their print deadline is tomorrow."
    ),
    touchpoint="delivery",
    department="sales",
    severity="critical",
    days_ago=0,
)


def _back_date(concern: Concern, days_ago: int) -> None:
    when = timezone.now() - datetime.timedelta(days=days_ago, hours=3)
    Concern.objects.filter(pk=concern.pk).update(created_at=when)
    ConcernEvent.objects.filter(concern=concern, kind=ConcernEvent.Kind.FILED).update(
        created_at=when
    )


def _file(item: DemoConcern) -> Concern:
    existing = Concern.objects.filter(title=item.title).first()
    if existing:
        return existing
    concern = concerns.concern_file(
        user=_user(item.by),
        title=item.title,
        description=item.description,
        touchpoint_id=_touchpoint_id(item.touchpoint),
        department_id=_department_id(item.department),
        severity=item.severity,
        customer_reference=item.customer_reference,
    )
    _back_date(concern, item.days_ago)
    return concern


def _story(item: DemoStory, cx_lead: User) -> None:
    if Story.objects.filter(title=item.title).exists():
        return
    author = _user(item.by)
    story = stories.story_submit(
        user=author,
        title=item.title,
        what_happened=item.what_happened,
        customer_words=item.customer_words,
        outcome=item.outcome,
        touchpoint_id=_touchpoint_id(item.touchpoint),
        department_ids=[_department_id(slug) for slug in item.departments],
        tags=item.tags,
        language=item.language,
        customer_name=item.customer_name,
        customer_may_be_named=item.may_be_named,
    )
    task_state = story.current_workflow_state.current_task_state
    if item.status == "published":
        task_state.approve(user=cx_lead)
        when = timezone.now() - datetime.timedelta(days=item.days_ago)
        Story.objects.filter(pk=story.pk).update(
            created_at=when, first_published_at=when, last_published_at=when
        )
        for local in item.thanked_by:
            if local != item.by:
                stories.story_thank(user=_user(local), story=Story.objects.get(pk=story.pk))
    elif item.status == "changes_requested":
        task_state.reject(user=cx_lead, comment=item.review_comment)


@transaction.atomic
def load(*, today: datetime.date, stdout: TextIO) -> None:
    cx_lead = _user("cx")
    site = Site.objects.get(is_default_site=True)
    channels = CXSettings.for_site(site)
    if not channels.cx_channel_id:
        channels.cx_channel_id = CX_CHANNEL
        channels.leadership_channel_id = LEADERSHIP_CHANNEL
        channels.save()
    for item in STORIES:
        _story(item, cx_lead)

    # The payment gateway: five individual reports, one systemic fix.
    primary = _file(GATEWAY_PRIMARY)
    others = [_file(item) for item in GATEWAY_MORE]
    primary.refresh_from_db()
    if primary.state == Concern.State.NEW:
        engineering = _department_id("engineering")
        concerns.concern_acknowledge(user=cx_lead, concern=primary)
        for other in others:
            other.refresh_from_db()
            if other.merged_into_id is None:
                concerns.concern_merge(user=cx_lead, duplicate=other, into=primary)
        concerns.concern_classify(user=cx_lead, concern=primary, kind="systemic")
        concerns.concern_set_owner(
            user=cx_lead,
            concern=primary,
            owner_department_id=engineering,
            assignee_id=_user("arjun.patel").pk,
        )
        concerns.concern_start(user=_user("arjun.patel"), concern=primary)
        concerns.concern_resolve(
            user=_user("arjun.patel"), concern=primary, what_we_did=GATEWAY_FIX
        )

    # The customer who was called back the same day.
    callback = _file(CALLBACK)
    if callback.state == Concern.State.NEW:
        concerns.concern_acknowledge(user=cx_lead, concern=callback)
        concerns.concern_classify(user=cx_lead, concern=callback, kind="individual")
        concerns.concern_set_owner(
            user=cx_lead, concern=callback, owner_department_id=_department_id("support")
        )
        concerns.concern_resolve(
            user=_user("seoyeon.jung"), concern=callback, what_we_did=CALLBACK_DONE
        )

    # Invoices in the wrong currency: five similar individual concerns, a systemic candidate.
    for days_ago, (department, local, title) in enumerate(INVOICES, start=2):
        concern = _file(
            DemoConcern(
                by=local,
                title=title,
                description="The invoice PDF was issued in KRW although the account bills in "
                "the customer's own currency; they asked for a corrected invoice.",
                touchpoint="billing",
                department=department,
                severity="medium",
                days_ago=days_ago,
            )
        )
        if concern.state == Concern.State.NEW:
            concerns.concern_acknowledge(user=cx_lead, concern=concern)
            concerns.concern_classify(user=cx_lead, concern=concern, kind="individual")

    # Just filed, critical: the Leadership and CX channels have been alerted.
    _file(CRITICAL)

    # Four years of customer feedback, and the daily voice each department has been hearing.
    demo_voice.load(today=today, stdout=stdout, cx_lead=cx_lead)

    stdout.write(
        f"Customer voices: {Story.objects.filter(live=True).count()} published stories, "
        f"{Story.objects.filter(live=False).count()} in review, "
        f"{Concern.objects.count()} concerns, {StoryThanks.objects.count()} thanks.\n"
    )
