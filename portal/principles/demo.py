"""The demo's CX principles: five, in English and Korean, each with a real case, published by
the leadership persona through the same publication path as the admin's, and a history of
acknowledgements so the reports show something (one principle changed materially last week,
one published two days ago). The Korean version of the newest waits for Leadership's approval.

Runs after every other app's demo (it shows their published stories). Idempotent: pages are
found by slug; acknowledgements are made once per person and version.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import TextIO

from django.apps import apps
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from portal import groups
from portal.models import Department, User
from portal.principles.models import Acknowledgement, Principle
from portal.principles.pages import PrinciplePage
from portal.principles.reminders import reminders_due
from portal.principles.reports import OVERDUE_AFTER
from portal.principles.tree import principles_tree_ensure

LEADER = "leader@demo.example"
CX_LEAD = "cx@demo.example"


@dataclass(frozen=True)
class Text:
    title: str
    statement: str
    why: str
    how: str  # how the example story shows it
    do: str
    dont: str


@dataclass(frozen=True)
class DemoPrinciple:
    slug: str
    en: Text
    ko: Text
    story: str  # a published story's title
    published_days_ago: int
    acknowledged_share: float  # of the people asked, for the current version
    question: tuple[str, list[str], int, str] | None = None  # question, answers, right, hint
    departments: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    # A material change published this many days ago (a second version), with its statement.
    changed_days_ago: int | None = None
    changed_statement: tuple[str, str] | None = None
    ko_awaiting_approval: bool = False


PRINCIPLES = [
    DemoPrinciple(
        slug="help-clients-succeed",
        en=Text(
            "Help clients succeed",
            "We measure ourselves by our clients' success, not by what we sell them.",
            "A client who succeeds with us stays, grows and brings others. A sale that does "
            "not help them is a complaint we have not heard yet.",
            "We gave the money back the same hour, without asking for proof: the studio could "
            "get on with its work.",
            "Ask what the client is trying to achieve before you answer what they asked.",
            "Close a ticket because the question was answered while the problem remains.",
        ),
        ko=Text(
            "고객의 성공을 돕는다",
            "우리는 판매가 아니라 고객의 성공으로 우리를 평가합니다.",
            "우리와 함께 성공한 고객은 남고, 성장하고, 다른 고객을 데려옵니다. 고객을 돕지 "
            "못한 판매는 아직 듣지 못한 불만입니다.",
            "증빙을 요구하지 않고 한 시간 안에 환불했습니다. 스튜디오는 하던 일을 계속할 수 "
            "있었습니다.",
            "고객이 물은 것에 답하기 전에, 고객이 이루려는 것을 물어보세요.",
            "질문에는 답했지만 문제는 남아 있는데 문의를 종료하지 마세요.",
        ),
        story="A refund with no questions asked",
        published_days_ago=40,
        acknowledged_share=0.8,
        question=(
            "What do we measure ourselves by?",
            ["What we sell", "Our clients' success", "How fast we close tickets"],
            1,
            "Read the statement at the top of the page again.",
        ),
    ),
    DemoPrinciple(
        slug="no-limits-to-supporting-clients",
        en=Text(
            "No limits to supporting clients",
            'When a client needs us, "that\'s not my job" is never the answer.',
            "Clients do not see our departments. They see one company that helped them, or "
            "one that passed them around.",
            "Production re-planned overnight and drove the order across town themselves.",
            "Take the problem to the person who can solve it, and stay with it until it is.",
            "Send a client to another team's inbox and forget them.",
        ),
        ko=Text(
            "고객 지원에는 한계가 없다",
            '고객이 우리를 필요로 할 때 "제 일이 아닙니다"는 답이 될 수 없습니다.',
            "고객에게는 부서가 보이지 않습니다. 자신을 도와준 회사, 또는 이리저리 떠넘긴 "
            "회사가 보일 뿐입니다.",
            "생산팀이 밤새 일정을 다시 짜고 직접 차를 몰아 주문을 배달했습니다.",
            "문제를 해결할 수 있는 사람에게 가져가고, 해결될 때까지 함께하세요.",
            "고객을 다른 팀의 메일함으로 보내고 잊어버리지 마세요.",
        ),
        story="Delivered a day early for a product launch",
        published_days_ago=30,
        acknowledged_share=1.0,
    ),
    DemoPrinciple(
        slug="decision-makers-talk-to-customers",
        en=Text(
            "Decision-makers talk to customers",
            "The people who decide answer customers themselves.",
            "A decision made far from the customer solves the wrong problem. Leaders who "
            "answer customers hear what no report tells them.",
            "The customer wrote to our CEO, and heard back from her the same day.",
            "Answer at least one customer each week yourself, and tell your team what you heard.",
            "Read about customers only in dashboards.",
        ),
        ko=Text(
            "결정하는 사람이 고객과 이야기한다",
            "결정하는 사람이 고객에게 직접 답합니다.",
            "고객에게서 멀리 떨어져 내린 결정은 엉뚱한 문제를 풉니다. 고객에게 직접 답하는 "
            "리더는 어떤 보고서에도 없는 것을 듣습니다.",
            "고객이 대표에게 편지를 썼고, 같은 날 대표에게서 답장을 받았습니다.",
            "매주 적어도 한 명의 고객에게 직접 답하고, 들은 것을 팀에 전하세요.",
            "고객에 대해 대시보드로만 읽지 마세요.",
        ),
        story="Delivered a day early for a product launch",
        published_days_ago=21,
        acknowledged_share=0.6,
        departments=["product"],
        groups=[groups.LEADERSHIP],
    ),
    DemoPrinciple(
        slug="remove-the-cause",
        en=Text(
            "Remove the cause, not just the complaint",
            "We fix it for the customer, then fix why it happened.",
            "A complaint handled well keeps one customer. A cause removed keeps every "
            "customer who would have had the same problem.",
            "Billing refunded the double charge, and the card retry that caused it was fixed "
            "the same week.",
            "File a concern when the same problem comes back, so CX can route it to the team "
            "that owns the cause.",
            "Apologise for the same problem every week.",
        ),
        ko=Text(
            "불만이 아니라 원인을 없앤다",
            "고객의 문제를 해결하고, 그 문제가 생긴 이유를 없앱니다.",
            "불만을 잘 처리하면 고객 한 명이 남습니다. 원인을 없애면 같은 문제를 겪었을 모든 "
            "고객이 남습니다.",
            "청구팀이 이중 청구를 환불했고, 그 원인이던 카드 재시도 문제가 같은 주에 고쳐졌습니다.",
            "같은 문제가 다시 생기면 우려 사항을 등록해, CX 팀이 원인을 맡은 팀에 보내게 하세요.",
            "매주 같은 문제로 사과하지 마세요.",
        ),
        story="A refund with no questions asked",
        published_days_ago=35,
        acknowledged_share=0.45,
        changed_days_ago=6,
        changed_statement=(
            "We fix it for the customer, then remove the cause so it never happens to the "
            "next one.",
            "고객의 문제를 해결하고, 다음 고객에게 다시 생기지 않도록 원인을 없앱니다.",
        ),
    ),
    DemoPrinciple(
        slug="everyone-spends-time-with-customers",
        en=Text(
            "Everyone spends time with customers",
            "Everyone, in every team, spends time with customers every month.",
            "You cannot be obsessed with people you never meet. An hour on a support call "
            "teaches more than a week of meetings about customers.",
            "An engineer on call answered a publisher at 3 a.m. and fixed the file himself.",
            "Join a support shift or a customer call once a month.",
            'Leave customers to the teams whose job title says "customer".',
        ),
        ko=Text(
            "모두가 고객과 시간을 보낸다",
            "모든 팀의 모든 사람이 매달 고객과 시간을 보냅니다.",
            "만나 본 적 없는 사람에게 집중할 수는 없습니다. 지원 통화 한 시간이 고객에 관한 "
            "일주일의 회의보다 많은 것을 가르쳐 줍니다.",
            "당직 엔지니어가 새벽 3시에 출판사 고객에게 답하고 직접 파일을 고쳤습니다.",
            "한 달에 한 번 지원 근무나 고객 통화에 함께하세요.",
            '고객은 직함에 "고객"이 들어간 팀의 일이라고 여기지 마세요.',
        ),
        story="새벽 3시에 받은 답장",
        published_days_ago=2,
        acknowledged_share=0.2,
        ko_awaiting_approval=True,
    ),
]


def _body(text: Text, story_id: int | None) -> str:
    blocks = [
        {"type": "do_dont", "value": {"do": text.do, "dont": text.dont}},
    ]
    if story_id is not None:
        blocks.append({"type": "example_story", "value": {"story": story_id, "why": text.how}})
    return json.dumps(blocks)


def _question(item: DemoPrinciple) -> str:
    if item.question is None:
        return "[]"
    question, answers, right, hint = item.question
    value = {
        "question": question,
        "choices": [{"text": a, "correct": i == right} for i, a in enumerate(answers)],
        "explanation": hint,
    }
    return json.dumps([{"type": "question", "value": value}])


def _page(item: DemoPrinciple, *, index, story_id, leader, cx_lead) -> PrinciplePage:
    existing = PrinciplePage.objects.filter(slug=item.slug, locale=index.locale).first()
    if existing is not None:
        return existing
    text = item.en
    page = PrinciplePage(
        title=text.title,
        slug=item.slug,
        statement=text.statement,
        why_it_matters=text.why,
        body=_body(text, story_id),
        question=_question(item),
        audience_everyone=not (item.departments or item.groups),
        live=False,
    )
    index.add_child(instance=page)
    page.audience_departments.set(Department.objects.filter(slug__in=item.departments))
    page.audience_groups.set(Group.objects.filter(name__in=item.groups))
    page.material_change = True
    page.save_revision(user=cx_lead).publish(user=leader)
    return PrinciplePage.objects.get(pk=page.pk)


def _translate(item: DemoPrinciple, page: PrinciplePage, *, story_id, leader, cx_lead):
    korean = Locale.objects.get(language_code="ko")
    if PrinciplePage.objects.filter(translation_key=page.translation_key, locale=korean).exists():
        return
    copy = page.copy_for_translation(korean)
    text = item.ko
    copy.title, copy.statement, copy.why_it_matters = text.title, text.statement, text.why
    copy.body = _body(text, story_id)
    copy.material_change = False
    revision = copy.save_revision(user=cx_lead)
    if item.ko_awaiting_approval:
        copy.get_workflow().start(copy, cx_lead)
    else:
        revision.publish(user=leader)


def _change(item: DemoPrinciple, page: PrinciplePage, *, leader, cx_lead) -> None:
    state = Principle.objects.get(translation_key=page.translation_key)
    if item.changed_statement is None or state.version >= 2:
        return
    for language, statement in zip(("en", "ko"), item.changed_statement, strict=True):
        translated = PrinciplePage.objects.filter(
            translation_key=page.translation_key, locale__language_code=language
        ).first()
        if translated is None:
            continue
        translated.statement = statement
        # The English page carries the material change; the Korean follows it as a fix.
        translated.material_change = language == "en"
        translated.save_revision(user=cx_lead).publish(user=leader)


def _history(item: DemoPrinciple, page: PrinciplePage, *, now: datetime.datetime) -> int:
    """Back-date the publication and the acknowledgements: who was asked when, who answered."""
    state = Principle.objects.get(translation_key=page.translation_key)
    if Acknowledgement.objects.filter(principle=state, acknowledged_at__isnull=False).exists():
        return 0  # written by an earlier run (or people have acknowledged since)
    published = now - datetime.timedelta(days=item.published_days_ago)
    versions = {1: published}
    if state.version >= 2 and item.changed_days_ago is not None:
        versions[2] = now - datetime.timedelta(days=item.changed_days_ago)
    Principle.objects.filter(pk=state.pk).update(
        first_published_at=published, version_published_at=versions[state.version]
    )
    state.releases.filter(version=1).update(published_at=published)
    if 2 in versions:
        state.releases.filter(version=2).update(published_at=versions[2])
    from portal.principles.selectors import audience_users

    people = list(audience_users(state).select_related("profile__department").order_by("email"))
    made = 0
    for version, published_at in versions.items():
        share = item.acknowledged_share if version == state.version else 0.9
        done = round(len(people) * share)
        for position, person in enumerate(people):
            # The new hire and the plain employee still have principles to acknowledge.
            acknowledged = position < done and (
                share >= 1 or person.email not in ("newhire@demo.example", "employee@demo.example")
            )
            # Someone who joined later was asked on their first day.
            asked_at = published_at
            start = person.profile.start_date
            if start is not None:
                first_day = datetime.datetime.combine(start, datetime.time(9), datetime.UTC)
                asked_at = max(asked_at, first_day)
            ack, created = Acknowledgement.objects.get_or_create(
                principle=state, user=person, version=version, defaults={"asked_at": asked_at}
            )
            if not created and ack.asked_at == asked_at:
                continue
            ack.asked_at = asked_at
            ack.acknowledged_at = (
                asked_at + datetime.timedelta(hours=3 + 11 * position) if acknowledged else None
            )
            if ack.acknowledged_at and ack.acknowledged_at > now:
                ack.acknowledged_at = now - datetime.timedelta(minutes=position)
            # Reminders and manager's notes already sent, as the beat would have.
            ack.reminders_sent = 0 if acknowledged else reminders_due(ack, person.profile, now)
            ack.manager_told_at = (
                asked_at + OVERDUE_AFTER
                if not acknowledged and now - asked_at >= OVERDUE_AFTER
                else None
            )
            ack.save()
            made += 1
    return made


@transaction.atomic
def demo_principles(*, today: datetime.date) -> int:
    trees = principles_tree_ensure()
    leader = User.objects.get(email=LEADER)
    cx_lead = User.objects.get(email=CX_LEAD)
    Story = apps.get_model("stories", "Story")  # noqa: N806 (stories may not be imported here)
    now = timezone.now()
    for item in PRINCIPLES:
        story = Story.objects.filter(title=item.story, live=True).values_list("pk", flat=True)
        story_id = story.first()
        page = _page(item, index=trees["en"], story_id=story_id, leader=leader, cx_lead=cx_lead)
        _translate(item, page, story_id=story_id, leader=leader, cx_lead=cx_lead)
        _change(item, page, leader=leader, cx_lead=cx_lead)
        _history(item, page, now=now)
    return len(PRINCIPLES)


def load(*, today: datetime.date, stdout: TextIO) -> None:
    count = demo_principles(today=today)
    pending = Acknowledgement.objects.filter(
        acknowledged_at__isnull=True, principle__version__gte=1
    ).count()
    stdout.write(
        f"CX principles: {count} published in English and Korean, {pending} to acknowledge.\n"
    )
