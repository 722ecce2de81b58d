"""The demo's onboarding: "Genesis", five modules from the seeds' material in English and
Korean, with quizzes; and new hires at different stages — one on track (the new hire persona),
one overdue, one who failed a quiz twice, one finished.

Runs after the portal's and the stories' demos (it quotes their published story and links the
principles, whose demo runs last: the principle blocks are added when they exist). Idempotent:
pages are found by slug, people's progress is written once.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import TextIO

from django.apps import apps
from django.db import transaction
from wagtail.models import Locale

from onboarding.models import Enrolment
from onboarding.pages import ModulePage, ProgrammePage
from onboarding.services import onboarding_enrol, quiz_blocks, quiz_open, quiz_submit
from onboarding.tree import onboarding_tree_ensure
from portal.models import Profile, User

HR = "hr@demo.example"


@dataclass(frozen=True)
class Question:
    en: tuple[str, list[str], int, str]  # question, answers, right, why
    ko: tuple[str, list[str], int, str]
    anchor: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class DemoModule:
    slug: str
    title: tuple[str, str]
    lesson: tuple[str, str]  # the lesson's heading + text, HTML-free
    due_day: int
    questions: list[Question]
    ask: int | None = None


MODULES = [
    DemoModule(
        "our-history-and-guarantee",
        ("Our customer-first history and guarantee", "고객 우선의 역사와 약속"),
        (
            "The guarantee. We began with one promise to our first customers: if we get it "
            "wrong, we make it right at once, without asking them to prove it. Every team "
            "keeps that promise today.",
            "약속. 우리는 첫 고객들에게 한 가지를 약속하며 시작했습니다. 우리가 잘못하면 "
            "증명을 요구하지 않고 즉시 바로잡는다는 것입니다. 지금도 모든 팀이 그 약속을 "
            "지킵니다.",
        ),
        2,
        [
            Question(
                (
                    "What do we ask a customer to prove before we make it right?",
                    ["Their order number", "Nothing", "A screenshot"],
                    1,
                    "The guarantee asks for no proof.",
                ),
                (
                    "바로잡기 전에 고객에게 무엇을 증명하라고 하나요?",
                    ["주문 번호", "아무것도 요구하지 않는다", "스크린샷"],
                    1,
                    "약속은 증명을 요구하지 않습니다.",
                ),
                ("The guarantee", "약속"),
            ),
        ],
    ),
    DemoModule(
        "the-ambassador-programme",
        ("The ambassador programme", "앰배서더 프로그램"),
        (
            "Ambassadors. Every department has appointed ambassadors who file customer success "
            "stories and concerns, from the portal or from Slack, so the customer's voice "
            "reaches the team that can act on it.",
            "앰배서더. 모든 부서에는 포털이나 Slack에서 고객 성공 사례와 우려 사항을 등록하는 "
            "앰배서더가 있어, 고객의 목소리가 행동할 수 있는 팀에 닿습니다.",
        ),
        4,
        [
            Question(
                (
                    "Where can an ambassador file a concern?",
                    ["Only by email", "On the portal or from Slack", "Only in a meeting"],
                    1,
                    "Both the portal and Slack's /concern work.",
                ),
                (
                    "앰배서더는 우려 사항을 어디에서 등록할 수 있나요?",
                    ["이메일로만", "포털이나 Slack에서", "회의에서만"],
                    1,
                    "포털과 Slack의 /concern 모두 됩니다.",
                ),
                ("Ambassadors", "앰배서더"),
            ),
        ],
    ),
    DemoModule(
        "systemic-or-individual",
        ("Systemic or individual problems", "시스템 문제와 개별 문제"),
        (
            "Systemic problems. An individual problem happened to one customer once; a "
            "systemic one will happen to the next customer too, because its cause is still "
            "there. Care for the customer in both cases; report the systemic ones.",
            "시스템 문제. 개별 문제는 한 고객에게 한 번 일어난 일이고, 시스템 문제는 원인이 "
            "그대로 있어 다음 고객에게도 일어납니다. 두 경우 모두 고객을 돌보고, 시스템 "
            "문제는 보고하세요.",
        ),
        6,
        [
            Question(
                (
                    "Card payments from Korea fail for every customer this week. This is…",
                    ["Individual", "Systemic", "Nobody's problem"],
                    1,
                    "It will happen to the next customer: its cause is still there.",
                ),
                (
                    "이번 주 한국에서 모든 고객의 카드 결제가 실패합니다. 이것은…",
                    ["개별 문제", "시스템 문제", "누구의 문제도 아니다"],
                    1,
                    "원인이 그대로 있어 다음 고객에게도 일어납니다.",
                ),
                ("Systemic problems", "시스템 문제"),
            ),
            Question(
                (
                    "A parcel was damaged by the courier once. This is…",
                    ["Individual", "Systemic", "Fraud"],
                    0,
                    "It happened once, to one customer.",
                ),
                (
                    "택배사가 한 번 상자를 파손했습니다. 이것은…",
                    ["개별 문제", "시스템 문제", "사기"],
                    0,
                    "한 고객에게 한 번 일어난 일입니다.",
                ),
                ("Systemic problems", "시스템 문제"),
            ),
            Question(
                (
                    "What do you do with a systemic problem?",
                    [
                        "Apologise and move on",
                        "Care for the customer and report it",
                        "Wait for a second complaint",
                    ],
                    1,
                    "Care for the customer, then report it so its cause is removed.",
                ),
                (
                    "시스템 문제는 어떻게 하나요?",
                    ["사과하고 넘어간다", "고객을 돌보고 보고한다", "두 번째 불만을 기다린다"],
                    1,
                    "고객을 돌본 뒤, 원인이 없어지도록 보고하세요.",
                ),
                ("Systemic problems", "시스템 문제"),
            ),
        ],
        ask=2,
    ),
    DemoModule(
        "cx-removes-the-cause",
        ("CX removes the cause", "CX는 원인을 없앤다"),
        (
            "Removing the cause. The CX team routes each concern to the team that owns its "
            "cause, and whoever raised it hears what was done.",
            "원인 없애기. CX 팀은 우려 사항마다 원인을 맡은 팀에 보내고, 그것을 제기한 "
            "사람은 무엇이 바뀌었는지 듣게 됩니다.",
        ),
        8,
        [
            Question(
                (
                    "Who does the CX team send a concern to?",
                    ["The team that owns its cause", "Whoever is free", "Leadership only"],
                    0,
                    "The team that can remove the cause.",
                ),
                (
                    "CX 팀은 우려 사항을 누구에게 보내나요?",
                    ["원인을 맡은 팀", "시간이 있는 사람", "리더십에게만"],
                    0,
                    "원인을 없앨 수 있는 팀입니다.",
                ),
                ("Removing the cause", "원인 없애기"),
            ),
        ],
    ),
    DemoModule(
        "everyone-talks-to-customers",
        ("Everyone talks to customers", "모두가 고객과 이야기한다"),
        (
            "Time with customers. Everyone, in every team, joins a support shift or a customer "
            "call every month; the daily voice in your department's channel is a start.",
            "고객과의 시간. 모든 팀의 모든 사람이 매달 지원 근무나 고객 통화에 함께합니다. "
            "부서 채널의 오늘의 고객 목소리가 그 시작입니다.",
        ),
        10,
        [
            Question(
                (
                    "How often does everyone spend time with customers?",
                    ["Once a year", "Every month", "Only in Support"],
                    1,
                    "Every month, in every team.",
                ),
                (
                    "모든 사람은 얼마나 자주 고객과 시간을 보내나요?",
                    ["일 년에 한 번", "매달", "지원팀만"],
                    1,
                    "모든 팀에서 매달입니다.",
                ),
                ("Time with customers", "고객과의 시간"),
            ),
        ],
    ),
]

PRINCIPLE_OF = {
    "cx-removes-the-cause": "remove-the-cause",
    "everyone-talks-to-customers": "everyone-spends-time-with-customers",
}


def _question(q: tuple, anchor: str) -> dict:
    text, answers, right, why = q
    return {
        "question": text,
        "kind": "single",
        "answers": [
            {"text": a, "correct": i == right, "explanation": why if i == right else ""}
            for i, a in enumerate(answers)
        ],
        "lesson_anchor": anchor,
    }


def _body(item: DemoModule, language: int, story_id: int | None) -> str:
    blocks = [{"type": "paragraph", "value": f"<p>{item.lesson[language]}</p>"}]
    if story_id is not None and item.slug == "our-history-and-guarantee":
        blocks.append(
            {
                "type": "customer_voice",
                "value": {"story": story_id, "concern": None, "feedback": None, "lesson": ""},
            }
        )
    principle = _principle(item)
    if principle is not None:
        blocks.append({"type": "principle", "value": {"principle": principle.pk}})
    blocks.append(
        {
            "type": "quiz",
            "value": {
                "title": item.title[language],
                "questions": [
                    _question(q.en if language == 0 else q.ko, q.anchor[language])
                    for q in item.questions
                ],
                "ask": item.ask,
                "pass_mark": 100,
                "retries": 3,
            },
        }
    )
    return json.dumps(blocks)


def _principle(item: DemoModule):
    from portal.principles.pages import PrinciplePage

    slug = PRINCIPLE_OF.get(item.slug)
    if slug is None:
        return None
    return PrinciplePage.objects.filter(slug=slug, locale__language_code="en").first()


def _programme(index, story_id) -> ProgrammePage:
    genesis = ProgrammePage.objects.filter(slug="genesis", locale=index.locale).first()
    if genesis is None:
        genesis = ProgrammePage(
            title="Genesis",
            slug="genesis",
            summary="Your first weeks: where our customer-first promise comes from, and how "
            "every team keeps it.",
        )
        index.add_child(instance=genesis)
        genesis.save_revision().publish()
    korean = Locale.objects.get(language_code="ko")
    for item in MODULES:
        page = ModulePage.objects.child_of(genesis).filter(slug=item.slug).first()
        if page is None:
            page = ModulePage(
                title=item.title[0],
                slug=item.slug,
                due_day=item.due_day,
                body=_body(item, 0, story_id),
            )
            genesis.add_child(instance=page)
            page.save_revision().publish()
    if genesis.get_translation_or_none(korean) is None:
        copy = genesis.copy_for_translation(korean)
        copy.title, copy.summary = (
            "제네시스",
            "입사 첫 몇 주: 고객 우선의 약속이 어디에서 왔고, 모든 팀이 어떻게 지키는지.",
        )
        copy.save_revision().publish()
    for item in MODULES:
        page = ModulePage.objects.child_of(genesis).get(slug=item.slug)
        if page.get_translation_or_none(korean) is None:
            copy = page.copy_for_translation(korean)
            copy.title, copy.body = item.title[1], _body(item, 1, story_id)
            copy.save_revision().publish()
    return ProgrammePage.objects.get(pk=genesis.pk)


# email, start (working days ago), stage
LEARNERS = [
    ("newhire@demo.example", 2, "on track"),
    ("jiho.yoon@demo.example", 25, "overdue"),
    ("sakura.ito@demo.example", 12, "failed twice"),
    ("isla.evans@demo.example", 40, "finished"),
]


def _take(user, module: ModulePage, *, right: bool) -> None:
    for block in quiz_blocks(module):
        attempt = quiz_open(user=user, module=module, block=block).open_attempt
        if attempt is None:
            return
        answers = [
            [next(i for i, a in enumerate(q["answers"]) if a["correct"] == right)]
            for q in attempt.questions
        ]
        quiz_submit(user=user, token=attempt.token, answers=answers)


def _learners(genesis: ProgrammePage, today: datetime.date) -> int:
    from portal.principles.models import Principle
    from portal.principles.selectors import in_audience
    from portal.principles.services import principle_acknowledge

    modules = list(ModulePage.objects.child_of(genesis).live().order_by("path"))
    made = 0
    for email, days_ago, stage in LEARNERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        # The portal's demo gives everyone their old start date again: these are new hires.
        Profile.objects.filter(user=user).update(
            start_date=today - datetime.timedelta(days=days_ago)
        )
        if Enrolment.objects.filter(user=user).exists():
            continue
        onboarding_enrol(user=user, programme=genesis)
        done = {"on track": 1, "overdue": 1, "failed twice": 2, "finished": len(modules)}[stage]
        for module in modules[:done]:
            for block in module.body:
                if block.block_type == "principle" and block.value["principle"] is not None:
                    state = Principle.objects.filter(
                        translation_key=block.value["principle"].translation_key, live=True
                    ).first()
                    if state is not None and in_audience(principle=state, user=user):
                        principle_acknowledge(user=user, principle=state, version=state.version)
            _take(user, module, right=True)
        if stage == "failed twice":
            _take(user, modules[done], right=False)
            _take(user, modules[done], right=False)
        made += 1
    return made


@transaction.atomic
def demo_onboarding(*, today: datetime.date) -> int:
    indexes = onboarding_tree_ensure()
    if not indexes:
        return 0
    Story = apps.get_model("stories", "Story")  # noqa: N806
    story_id = (
        Story.objects.filter(live=True, title="A refund with no questions asked")
        .values_list("pk", flat=True)
        .first()
    )
    genesis = _programme(indexes["en"], story_id)
    return _learners(genesis, today)


def load(*, today: datetime.date, stdout: TextIO) -> None:
    made = demo_onboarding(today=today)
    stdout.write(
        f"Onboarding: Genesis, {len(MODULES)} modules in English and Korean; "
        f"{Enrolment.objects.count()} enrolled ({made} new).\n"
    )
    # A manager sees their own reports' onboarding in the admin (Reports > Onboarding learners).
    manager = (
        Profile.objects.filter(user__email=LEARNERS[1][0])
        .values_list("manager__email", flat=True)
        .first()
    )
    if manager:
        stdout.write(
            f"A manager's view of onboarding: sign in as {manager} (same password), "
            "Admin > Reports > Onboarding learners.\n"
        )
