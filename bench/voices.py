"""Customer voices at scale: the lists and the home page with 10,000 stories, 10,000 concerns
and 500 more people, beside a bare Wagtail page of the same site, on PostgreSQL.

Run: `make bench` (or `.venv/bin/python bench/voices.py`). It needs the PostgreSQL server at
127.0.0.1:5432 (user postgres, trust authentication), or the database named by
BENCH_DATABASE_URL; that database is dropped and made again, so its name must contain "bench".
It migrates, loads the demo company, adds the volume with bulk inserts (no services, no
signals: a minute or so), rebuilds Wagtail's search index for the stories and concerns, then
asks every page through Django's test client (the whole middleware stack, DEBUG off) in turns,
so each page sees the same machine, and prints a Markdown table for bench/README.md: the median
server time of BENCH_RUNS (50) warm requests, its ratio to the bare page, and the queries one
request costs. BENCH_REUSE=1 measures again, without rebuilding, the database the last run left
(to try a change: the build takes about three minutes).
"""

from __future__ import annotations

import datetime
import io
import os
import random
import sys
import time
from urllib.parse import urlsplit

from _site import (
    bare_admin_page,
    configure,
    fresh_database,
    load_demo,
    measure,
    reference_pages,
    server,
    signed_in,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_voices"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
configure(database_url=DATABASE_URL)

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from taggit.models import Tag  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402

from ambassadors.models import Appointment, Touchpoint  # noqa: E402
from portal import groups, lookups  # noqa: E402
from portal.models import Department, Profile, User  # noqa: E402
from stories.models import (  # noqa: E402
    Concern,
    ConcernEvent,
    ConcernFollower,
    Severity,
    Story,
    StoryTag,
    StoryThanks,
)

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
# Set to measure again, without rebuilding, the database the last run left (after a change).
REUSE = os.environ.get("BENCH_REUSE", "") not in ("", "0")
PEOPLE = 500
STORIES = 10_000
CONCERNS = 10_000
BATCH = 2_000
EMPLOYEE = "ambassador@demo.example"  # an employee with a department (Sales), an ambassador
CX_LEAD = "cx@demo.example"
NOW = timezone.now()

rng = random.Random(7)  # the same company every run


# --- the database ----------------------------------------------------------------------------


class own_timestamps:
    """Let bulk inserts keep the dates given (auto_now_add would stamp them all `now`)."""

    def __init__(self, *models):
        self.fields = [
            field
            for model in models
            for field in model._meta.concrete_fields
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
        ]

    def __enter__(self):
        self.saved = [(field, field.auto_now, field.auto_now_add) for field in self.fields]
        for field in self.fields:
            field.auto_now = field.auto_now_add = False

    def __exit__(self, *exc):
        for field, auto_now, auto_now_add in self.saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def ago(days: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


# --- text with some variety ------------------------------------------------------------------

MARKETS = ["the US", "Korea", "Japan", "India", "Germany", "the UK", "Australia", "Brazil",
           "Canada", "France", "Singapore", "Mexico"]  # fmt: skip
CUSTOMERS = ["a publisher", "a design studio", "a university press", "a retail chain",
             "a law firm", "a start-up", "a translation agency", "a hospital group",
             "a game studio", "a research lab", "a bank", "a school district"]  # fmt: skip
PROBLEMS = [
    "Card payment declined at checkout",
    "Invoice issued in the wrong currency",
    "Upload stalls at 99%",
    "Export to PDF loses the table of contents",
    "Password reset email never arrives",
    "Delivery arrived two days late",
    "Support ticket closed without an answer",
    "Wrong VAT number on the invoice",
    "Renewal charged twice",
    "Editor crashes on large manuscripts",
    "Onboarding call cancelled at the last minute",
    "Quote sent with last year's prices",
    "Printed proofs had the wrong paper stock",
    "Refund took three weeks",
    "Chat widget answers in the wrong language",
]
PROBLEMS_KO = [
    "결제 단계에서 카드 승인 거절",
    "청구서 통화가 잘못 표시됨",
    "파일 업로드가 멈춤",
    "비밀번호 재설정 메일 미수신",
    "납품이 이틀 늦음",
    "문의가 답변 없이 종료됨",
    "갱신 요금이 두 번 청구됨",
    "환불이 3주 걸림",
]
DETAILS = [
    "They tried three times before writing to us.",
    "It is the second time this month.",
    "They have a deadline on Friday and asked for a call back.",
    "Their account manager had promised this would be fixed.",
    "They were polite but said they are looking at other vendors.",
    "The error message gave them no way forward.",
    "They shared screenshots in the ticket.",
    "Several people on their team saw the same thing.",
]
IDENTIFIERS = [
    "Contact: jane.doe@example.com.",
    "Call back on +1 (415) 555-0132.",
    "연락처: kim.minji@example.co.kr, 010-1234-5678",
    "Phone: 02-312-3456.",
    "Reply to accounts@northlight.example.",
    "Mobile +44 7700 900123.",
]
STORY_TITLES = [
    "Refund with no questions asked",
    "Delivered a day early for a launch",
    "Answered at 3 a.m. before a deadline",
    "Turned a cancellation into a renewal",
    "Fixed the invoice the same hour",
    "Called back within ten minutes",
    "Rebuilt a lost manuscript from backups",
    "Trained their whole team in one afternoon",
    "Found the bug the customer could not describe",
    "Shipped replacement proofs overnight",
]
STORY_TITLES_KO = [
    "새벽 3시에 받은 답장",
    "질문 없이 바로 환불",
    "마감 전날 밤의 긴급 지원",
    "해지 대신 재계약",
    "하루 일찍 도착한 납품",
]
TAG_NAMES = ["refund", "trust", "delivery", "launch", "onboarding", "idea", "billing",
             "support", "night-shift", "deadline", "renewal", "training", "quality",
             "speed", "apology", "upsell", "feedback", "escalation", "partnership", "churn",
             "야간지원", "마감", "환불", "신뢰", "교육"]  # fmt: skip


def concern_text() -> tuple[str, str, str]:
    """(title, description, customer reference) of one concern."""
    korean = rng.random() < 0.25
    problem = rng.choice(PROBLEMS_KO if korean else PROBLEMS)
    title = f"{problem} ({rng.choice(MARKETS)})" if not korean else problem
    sentences = [
        f"{rng.choice(CUSTOMERS).capitalize()} in {rng.choice(MARKETS)} reported: "
        f"{problem.lower()}.",
        *rng.sample(DETAILS, rng.randint(1, 3)),
    ]
    if rng.random() < 0.2:
        sentences.append(rng.choice(IDENTIFIERS))
    reference = (
        f"{rng.choice(['ORD', 'ACC', 'TCK', 'INV'])}-{rng.randint(10000, 99999)}"
        if rng.random() < 0.4
        else ""
    )
    return title, " ".join(sentences), reference


# --- the volume ------------------------------------------------------------------------------


def add_people() -> list[User]:
    departments = list(Department.objects.order_by("pk"))
    password = make_password(None)  # nobody signs in as these
    first = ["Min-seo", "Ji-woo", "Hyun", "Sora", "Takumi", "Yui", "Aarav", "Diya", "Olivia",
             "James", "Lea", "Max", "Chloé", "Lucas", "Ana", "Mateo"]  # fmt: skip
    last = ["Park", "Choi", "Han", "Sato", "Kobayashi", "Sharma", "Nair", "Smith", "Brown",
            "Fischer", "Becker", "Martin", "Silva", "Lopez"]  # fmt: skip
    users = [
        User(
            username=f"bench{index:04d}",
            email=f"bench{index:04d}@bench.example",
            first_name=rng.choice(first),
            last_name=rng.choice(last),
            password=password,
            is_active=rng.random() > 0.02,
            date_joined=ago(rng.uniform(30, 2000)),
        )
        for index in range(PEOPLE)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                department=departments[index % len(departments)],
                job_title=rng.choice(["Specialist", "Engineer", "Manager", "Designer", "Analyst"]),
                language="ko" if rng.random() < 0.3 else "en",
                start_date=user.date_joined.date(),
            )
            for index, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    return users


def add_appointments(people: list[User]) -> int:
    """About one ambassador per department and touchpoint, one cell in seven left as a gap."""
    touchpoints = list(Touchpoint.objects.all())
    cx_lead = User.objects.get(email=CX_LEAD)
    by_department: dict[int, list[User]] = {}
    for person in Profile.objects.filter(user__in=people, user__is_active=True):
        by_department.setdefault(person.department_id, []).append(person.user_id)
    appointments, cells = [], []
    today = timezone.localdate()
    for department_id, person_ids in by_department.items():
        for touchpoint in touchpoints:
            if rng.random() < 1 / 7:
                continue
            starts = today - datetime.timedelta(days=rng.randint(10, 300))
            appointments.append(
                Appointment(
                    person_id=rng.choice(person_ids),
                    department_id=department_id,
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=365),
                    appointed_by=cx_lead,
                    reason="Close to the customers of this touchpoint.",
                )
            )
            cells.append(touchpoint)
    Appointment.objects.bulk_create(appointments)
    Through = Appointment.touchpoints.through
    Through.objects.bulk_create(
        [
            Through(appointment_id=appointment.pk, touchpoint_id=touchpoint.pk)
            for appointment, touchpoint in zip(appointments, cells, strict=True)
        ]
    )
    ambassadors = Group.objects.get(name=groups.AMBASSADORS)
    UserGroups = User.groups.through
    UserGroups.objects.bulk_create(
        [
            UserGroups(user_id=pk, group_id=ambassadors.pk)
            for pk in {appointment.person_id for appointment in appointments}
        ],
        ignore_conflicts=True,
    )
    return len(appointments)


def story_images(count: int = 6) -> list[int]:
    """A few photos (plain colours, drawn here) for one story in ten to show in its card."""
    ids = []
    for index in range(count):
        buffer = io.BytesIO()
        PILImage.new("RGB", (1200, 800), (40 * index, 120, 200 - 30 * index)).save(buffer, "JPEG")
        image = get_image_model().objects.create(
            title=f"Bench photo {index}",
            file=ImageFile(buffer, name=f"bench-{index}.jpg"),
            width=1200,
            height=800,
        )
        ids.append(image.pk)
    return ids


def add_stories(people: list[int]) -> int:
    """10,000 stories: most published over the last year, some in review, some sent back."""
    departments = list(Department.objects.values_list("pk", flat=True))
    images = story_images()
    touchpoints = list(Touchpoint.objects.values_list("pk", flat=True))
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": slugify(name, True)})[0]
            for name in TAG_NAMES]  # fmt: skip
    stories = []
    for _index in range(STORIES):
        korean = rng.random() < 0.3
        status = rng.choices(
            [Story.ReviewStatus.PUBLISHED, Story.ReviewStatus.IN_REVIEW,
             Story.ReviewStatus.CHANGES_REQUESTED, Story.ReviewStatus.DRAFT],
            weights=[85, 8, 5, 2],
        )[0]  # fmt: skip
        created = ago(rng.uniform(0, 365))
        live = status == Story.ReviewStatus.PUBLISHED
        customer = rng.choice(CUSTOMERS)
        what_happened = " ".join(
            [f"{customer.capitalize()} in {rng.choice(MARKETS)} needed help.",
             *rng.sample(DETAILS, rng.randint(2, 4)),
             "We stayed with them until it was done."]
            + ([rng.choice(IDENTIFIERS)] if rng.random() < 0.1 else [])
        )  # fmt: skip
        stories.append(
            Story(
                title=rng.choice(STORY_TITLES_KO if korean else STORY_TITLES),
                what_happened=what_happened,
                customer_words=rng.choice(
                    [
                        "You made our launch happen.",
                        "I expected a fight; I got my money back.",
                        "덕분에 마감을 지켰습니다.",
                        "That's why we're staying with you.",
                    ]
                ),  # fmt: skip
                outcome=rng.choice(
                    [
                        "They renewed for two more seats.",
                        "They wrote to our CEO.",
                        "고객사가 계약을 확대했습니다.",
                        "They recommended us to a partner.",
                    ]
                ),  # fmt: skip
                customer_name=customer.title() if rng.random() < 0.3 else "",
                customer_may_be_named=rng.random() < 0.5,
                touchpoint_id=rng.choice(touchpoints),
                language="ko" if korean else "en",
                image_id=rng.choice(images) if rng.random() < 0.1 else None,
                submitted_by_id=rng.choice(people),
                review_status=status,
                live=live,
                has_unpublished_changes=not live,
                first_published_at=created if live else None,
                last_published_at=created if live else None,
                created_at=created,
                updated_at=created,
            )
        )
    with own_timestamps(Story, StoryThanks):
        Story.objects.bulk_create(stories, batch_size=BATCH)
        Departments = Story.departments.through
        Departments.objects.bulk_create(
            [
                Departments(story_id=story.pk, department_id=department)
                for story in stories
                for department in rng.sample(departments, rng.choice([1, 1, 1, 2, 2, 3]))
            ],
            batch_size=BATCH,
        )
        StoryTag.objects.bulk_create(
            [
                StoryTag(content_object_id=story.pk, tag_id=tag.pk)
                for story in stories
                for tag in rng.sample(tags, rng.choice([0, 1, 2, 2, 3, 4]))
            ],
            batch_size=BATCH,
        )
        thanks = []
        for story in stories:
            if story.live and rng.random() < 0.6:
                for user_id in rng.sample(people, rng.randint(1, 12)):
                    if user_id != story.submitted_by_id:
                        thanks.append(
                            StoryThanks(story_id=story.pk, user_id=user_id, created_at=NOW)
                        )
        StoryThanks.objects.bulk_create(thanks, batch_size=BATCH)
    return len(thanks)


WHAT_WE_DID = [
    "We replaced the payment gateway.",
    "We called the customer and refunded them.",
    "Invoices now use the account's currency.",
    "고객에게 전화해 사과하고 재발송했습니다.",
    "We fixed the export and re-sent the file.",
]
SLA_DAYS = {Severity.CRITICAL: 1, Severity.HIGH: 3, Severity.MEDIUM: 7, Severity.LOW: 14}
S = Concern.State
E = ConcernEvent.Kind


def add_concerns(people: list[int], cx_team: list[int]) -> tuple[int, int]:
    """10,000 concerns in every state, with owners, followers and a timeline each."""
    departments = list(Department.objects.values_list("pk", flat=True))
    touchpoints = list(Touchpoint.objects.values_list("pk", flat=True))
    members: dict[int, list[int]] = {}
    for user_id, department_id in Profile.objects.filter(user_id__in=people).values_list(
        "user_id", "department_id"
    ):
        members.setdefault(department_id, []).append(user_id)
    concerns, plans = [], []
    for _index in range(CONCERNS):
        title, description, reference = concern_text()
        created = ago(rng.uniform(0, 365) ** 1.3 / 365**0.3)  # more of them recently
        age = (NOW - created).days
        state = rng.choices(
            [S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS, S.RESOLVED, S.WONT_FIX, S.CLOSED],
            weights=[10, 10, 15, 35, 5, 25],
        )[0]
        if age < 2 and state not in (S.NEW, S.ACKNOWLEDGED):
            state = S.NEW
        severity = rng.choices(list(SLA_DAYS), weights=[5, 20, 45, 30])[0]
        classified = state != S.NEW and (state != S.ACKNOWLEDGED or rng.random() < 0.5)
        kind = (
            rng.choices([Concern.Kind.SYSTEMIC, Concern.Kind.INDIVIDUAL], weights=[3, 7])[0]
            if classified
            else ""
        )
        owner = rng.choice(departments) if kind else None
        step = min(max(age, 1), 30) / 6
        concern = Concern(
            title=title,
            description=description,
            customer_reference=reference,
            touchpoint_id=rng.choice(touchpoints),
            department_id=rng.choice(departments),
            severity=severity,
            state=state,
            kind=kind,
            owner_department_id=owner,
            assignee_id=rng.choice(members[owner]) if owner and rng.random() < 0.7 else None,
            submitted_by_id=rng.choice(people),
            due_at=created + datetime.timedelta(days=SLA_DAYS[severity]),
            created_at=created,
            updated_at=created + datetime.timedelta(days=step * 4),
            acknowledged_at=created + datetime.timedelta(days=step) if state != S.NEW else None,
        )
        if state in (S.RESOLVED, S.CLOSED):
            concern.resolved_at = created + datetime.timedelta(days=step * 4)
            concern.what_we_did = rng.choice(WHAT_WE_DID)
        if state == S.WONT_FIX:
            concern.wont_fix_reason = "Works as designed; the customer was told why."
        if state == S.CLOSED:
            concern.closed_at = created + datetime.timedelta(days=step * 5)
        concerns.append(concern)
        plans.append(step)
    with own_timestamps(Concern, ConcernEvent, ConcernFollower):
        Concern.objects.bulk_create(concerns, batch_size=BATCH)
        # A few closed ones are duplicates merged into an older concern.
        merged = []
        for concern in concerns:
            if concern.state == S.CLOSED and rng.random() < 0.1:
                concern.merged_into_id = rng.choice(concerns).pk
                if concern.merged_into_id != concern.pk:
                    merged.append(concern)
        Concern.objects.bulk_update(merged, ["merged_into"], batch_size=BATCH)

        followers, events = [], []
        for concern, step in zip(concerns, plans, strict=True):
            watchers = {concern.submitted_by_id, *rng.sample(people, rng.choice([0, 0, 1, 2, 4]))}
            followers += [
                ConcernFollower(concern_id=concern.pk, user_id=pk, created_at=concern.created_at)
                for pk in watchers
            ]
            cx = rng.choice(cx_team)
            owner = concern.assignee_id or cx

            def event(
                kind, n, actor, note="", internal=False, data=None, concern=concern, step=step
            ):
                events.append(
                    ConcernEvent(
                        concern_id=concern.pk,
                        actor_id=actor,
                        kind=kind,
                        note=note,
                        internal=internal,
                        data=data or {},
                        created_at=concern.created_at + datetime.timedelta(days=step * n),
                    )
                )

            event(E.FILED, 0, concern.submitted_by_id, data={"severity": concern.severity})
            if concern.state == S.NEW:
                continue
            event(E.ACKNOWLEDGED, 1, cx)
            if concern.kind:
                event(E.CLASSIFIED, 1.5, cx, data={"kind": concern.kind, "from": ""})
                event(E.OWNER_SET, 2, cx, data={"owner_department_id": concern.owner_department_id})
            if rng.random() < 0.3:
                event(
                    E.NOTE, 2.5, cx, note="Asked the customer for the order number.", internal=True
                )
            if concern.state in (S.IN_PROGRESS, S.RESOLVED, S.CLOSED):
                event(E.STARTED, 3, owner)
            if concern.state in (S.RESOLVED, S.CLOSED):
                event(E.RESOLVED, 4, owner, note=concern.what_we_did)
            if concern.state == S.WONT_FIX:
                event(E.WONT_FIX, 4, owner, note=concern.wont_fix_reason)
            if concern.state == S.CLOSED:
                if concern.merged_into_id:
                    event(E.MERGED, 5, cx, data={"into_id": concern.merged_into_id})
                else:
                    event(E.CLOSED, 5, cx)
        ConcernFollower.objects.bulk_create(followers, batch_size=BATCH, ignore_conflicts=True)
        ConcernEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(followers), len(events)


def reindex() -> None:
    """Wagtail's search index for stories and concerns (bulk inserts send no signals)."""
    backend = get_search_backend()
    for model in (Story, Concern):
        for start in range(0, model.objects.count(), 1000):
            backend.add_bulk(model, list(model.objects.order_by("pk")[start : start + 1000]))


@transaction.atomic
def add_volume() -> dict[str, int]:
    people = add_people()
    appointments = add_appointments(people)
    everyone = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    cx_team = list(User.objects.filter(groups__name=groups.CX_TEAM).values_list("pk", flat=True))
    thanks = add_stories(everyone)
    followers, events = add_concerns(everyone, cx_team or everyone[:3])
    return {
        "people": User.objects.count(),
        "appointments": appointments,
        "stories": Story.objects.count(),
        "live stories": Story.objects.filter(live=True).count(),
        "thanks": thanks,
        "concerns": Concern.objects.count(),
        "followers": followers,
        "events": events,
    }


# --- the measure -----------------------------------------------------------------------------


def build() -> None:
    started = time.perf_counter()
    fresh_database(DATABASE_URL)
    load_demo()
    volume = add_volume()
    built = time.perf_counter() - started
    reindex()
    indexed = time.perf_counter() - started - built
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have left a running site
    lookups.forget_all()  # bulk inserts send no signals: nothing kept from before them
    print(
        f"Data: {', '.join(f'{count:,} {what}' for what, count in volume.items())}; "
        f"built in {built:.0f} s, search index in {indexed:.0f} s.",
        file=sys.stderr,
    )


def main() -> None:
    if REUSE:
        name = urlsplit(DATABASE_URL).path.lstrip("/")
        with server(DATABASE_URL) as admin:
            found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            sys.exit(f"BENCH_REUSE: there is no database {name!r} yet; run once without it.")
        print("BENCH_REUSE: measuring the database the last run left.", file=sys.stderr)
        lookups.forget_all()  # what a run of other code kept is not measured
    else:
        build()
    bare, framed = reference_pages()
    employee, cx_lead = signed_in(EMPLOYEE), signed_in(CX_LEAD)
    bare_name = "bare Wagtail page (baseline)"
    framed_name = "the same page in the portal's frame"
    framed_cx_name = "the same page in the portal's frame (CX lead)"
    listing_name = "Wagtail's own listing `/admin/stories/` (CX lead)"
    admin_name = "a bare admin page (CX lead)"
    report_name = "the same queue as a Wagtail report `/admin/concerns/triage/` (CX lead)"
    pages = [
        (bare_name, employee, bare),
        (framed_name, employee, framed),
        (framed_cx_name, cx_lead, framed),
        ("home `/`", employee, "/"),
        ("story list `/stories/`", employee, "/stories/"),
        ("concern list `/concerns/`", employee, "/concerns/"),
        ("triage queue `/concerns/triage/` (CX lead)", cx_lead, "/concerns/triage/"),
        (report_name, cx_lead, "/admin/concerns/triage/"),
        (admin_name, cx_lead, bare_admin_page()),
        (listing_name, cx_lead, "/admin/stories/"),
        ("ambassador directory `/ambassadors/`", employee, "/ambassadors/"),
        ("you said, we did `/you-said-we-did/`", employee, "/you-said-we-did/"),
        ("story search `/stories/?q=refund`", employee, "/stories/?q=refund"),
        ("concern search `/concerns/?q=invoice`", employee, "/concerns/?q=invoice"),
    ]
    load = os.getloadavg()[0]
    rows = measure(pages, runs=RUNS)
    medians = {name: median for name, median, _count in rows}
    baseline = medians[bare_name]
    # Each page beside the empty page in the frame, for the same person (the frame draws
    # their navigation): what the page costs over every page of the site.
    frame_of = {
        name: framed_cx_name if client is cx_lead else framed_name for name, client, _ in pages
    }
    print(
        f"Median of {RUNS} warm requests each, in turns; DEBUG off; PostgreSQL "
        f"{connection.pg_version // 10000}; load average {load:.1f} → {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs."
    )
    print()
    print("| page | median server time | ratio to bare page | ratio to framed page | queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, median, count in rows:
        ratios = f"{median / baseline:.1f}× | {median / medians[frame_of[name]]:.1f}×"
        print(f"| {name} | {median:.1f} ms | {ratios} | {count} |")
    references = {bare_name, framed_name, framed_cx_name, admin_name, report_name, listing_name}
    measured = [(name, median) for name, median, _count in rows if name not in references]
    over_bare = [name for name, median in measured if median > 2 * baseline]
    over_frame = [name for name, median in measured if median > 2 * medians[frame_of[name]]]
    print()
    print(f"Over 2× the bare page: {', '.join(over_bare) or 'none'}.")
    print(f"Over 2× the bare page in the portal's frame: {', '.join(over_frame) or 'none'}.")


if __name__ == "__main__":
    main()
