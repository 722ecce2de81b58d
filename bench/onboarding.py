"""Onboarding at scale: 1,000 learners × 3 programmes × 8 modules on PostgreSQL. The HR
dashboard, the funnel and "My onboarding" beside a bare Wagtail page of the same site, and
the reminder run over a whole day for learners in eight time zones.

Run: `make bench` (or `.venv/bin/python bench/onboarding.py`). It needs the PostgreSQL server
at 127.0.0.1:5432 (user postgres, trust authentication), or the database named by
BENCH_ONBOARDING_DATABASE_URL; that database is dropped and made again, so its name must
contain "bench". It migrates, loads the demo company (Genesis and its learners), adds two more
programmes so that there are three of eight modules each (made as the CX team makes them),
1,000 learners in the demo's eight departments (eight time zones) enrolled in all three with
bulk inserts, about half of them with quiz attempts, and asks each page through Django's
test client (DEBUG off) in turns: the median of BENCH_RUNS (50) warm requests, its ratio to
the bare page, and the queries one request costs. Then it runs the reminders every half hour
through one working day and the next (96 runs) and counts the reminders per learner and day.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import time
from collections import Counter

from _site import (
    bare_admin_page,
    configure,
    fresh_database,
    load_demo,
    measure,
    reference_pages,
    signed_in,
)

DATABASE_URL = os.environ.get(
    "BENCH_ONBOARDING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_onboarding"
)
configure(database_url=DATABASE_URL)

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from onboarding.models import Enrolment, ModuleProgress, QuizAttempt  # noqa: E402
from onboarding.pages import ModulePage, ProgrammePage  # noqa: E402
from onboarding.reminders import onboarding_reminders_send  # noqa: E402
from onboarding.reports import progress_changed  # noqa: E402
from onboarding.services import due_on, enrolments_summarise  # noqa: E402
from onboarding.tree import onboarding_tree_ensure  # noqa: E402
from portal.demo import DEMO_PASSWORD  # noqa: E402
from portal.models import Department, OutboxMessage, Profile, User  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
LEARNERS = 1_000
PROGRAMMES = 3
MODULES = 8
BATCH = 5_000
HR = "hr@demo.example"
LEARNER = "people0000@bench.example"
rng = random.Random(11)
TODAY = timezone.localdate()


def _quiz(number: int) -> dict:
    return {
        "type": "quiz",
        "value": {
            "title": f"Check {number}",
            "pass_mark": 80,
            "ask": 2,
            "retries": 3,
            "questions": [
                {
                    "question": f"Question {number}.{q}",
                    "kind": "single",
                    "lesson_anchor": "",
                    "answers": [
                        {"text": "Right", "correct": True, "explanation": "Yes."},
                        {"text": "Wrong", "correct": False, "explanation": "No."},
                    ],
                }
                for q in range(3)
            ],
        },
    }


def add_programmes() -> list[ProgrammePage]:
    """Genesis (the demo's) topped up to eight modules, and two more programmes of eight."""
    index = onboarding_tree_ensure()["en"]
    cx = User.objects.get(email="admin@demo.example")  # publishes without the review
    programmes = list(ProgrammePage.objects.child_of(index).order_by("path"))
    while len(programmes) < PROGRAMMES:
        number = len(programmes) + 1
        page = ProgrammePage(title=f"Programme {number}", slug=f"programme-{number}")
        index.add_child(instance=page)
        page.save_revision(user=cx).publish(user=cx)
        programmes.append(page)
    for programme in programmes:
        have = ModulePage.objects.child_of(programme).count()
        for number in range(have, MODULES):
            page = ModulePage(
                title=f"{programme.title}: module {number + 1}",
                slug=f"module-{number + 1}",
                due_day=2 + 3 * number,
                body=json.dumps(
                    [{"type": "paragraph", "value": "<p>Customers first.</p>"}, _quiz(number)]
                ),
            )
            programme.add_child(instance=page)
            page.save_revision(user=cx).publish(user=cx)
    return programmes


def add_learners(programmes: list[ProgrammePage]) -> None:
    departments = list(Department.objects.order_by("pk"))
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"people{index:04d}",
                email=f"people{index:04d}@bench.example",
                first_name=f"Learner{index}",
                last_name="Bench",
                password=password,
            )
            for index in range(LEARNERS)
        ],
        batch_size=BATCH,
    )
    hr = User.objects.get(email=HR)
    starts = {}
    profiles = []
    for index, user in enumerate(users):
        start = TODAY - datetime.timedelta(days=rng.randint(0, 60))
        starts[user.pk] = start
        profiles.append(
            Profile(
                user=user,
                department=departments[index % len(departments)],
                start_date=start,
                manager=hr if index % 10 == 0 else None,
                slack_user_id=f"UBENCH{index:04d}" if index % 4 else "",
            )
        )
    Profile.objects.bulk_create(profiles, batch_size=BATCH)
    learner = users[0]
    learner.set_password(DEMO_PASSWORD)  # the one who signs in, to read My onboarding
    learner.save(update_fields=["password"])
    modules = {
        programme.pk: list(ModulePage.objects.child_of(programme).live().order_by("path"))
        for programme in programmes
    }
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=user,
                programme=programme,
                programme_key=programme.translation_key,
                started_on=starts[user.pk],
            )
            for user in users
            for programme in programmes
        ],
        batch_size=BATCH,
    )
    department_of = {p.user_id: p.department for p in profiles}
    now = timezone.now()
    progress, attempts = [], []
    for enrolment in enrolments:
        done = rng.randint(0, MODULES)
        for position, module in enumerate(modules[enrolment.programme_id]):
            progress.append(
                ModuleProgress(
                    enrolment=enrolment,
                    module_key=module.translation_key,
                    module=module,
                    position=position,
                    due_on=due_on(
                        enrolment.started_on, module.due_day, department_of[enrolment.user_id]
                    ),
                    completed_at=now if position < done else None,
                )
            )
            if position <= done and rng.random() < 0.5:
                block = next(b for b in module.body if b.block_type == "quiz")
                passed = position < done
                attempts.append(
                    QuizAttempt(
                        user_id=enrolment.user_id,
                        module_key=module.translation_key,
                        module=module,
                        quiz_id=block.id,
                        title="Check",
                        number=1,
                        questions=[
                            {
                                "question": q["question"],
                                "kind": "single",
                                "lesson_anchor": "",
                                "answers": [
                                    {"text": a["text"], "correct": a["correct"], "explanation": ""}
                                    for a in q["answers"]
                                ],
                            }
                            for q in list(block.value["questions"])[:2]
                        ],
                        answers=[[0], [0 if passed else 1]],
                        pass_mark=80,
                        score=100 if passed else 50,
                        passed=passed,
                        submitted_at=now,
                    )
                )
    ModuleProgress.objects.bulk_create(progress, batch_size=BATCH)
    QuizAttempt.objects.bulk_create(attempts, batch_size=BATCH)
    enrolments_summarise(Enrolment.objects.all())  # bulk inserts go past the services


def build() -> list[ProgrammePage]:
    started = time.perf_counter()
    fresh_database(DATABASE_URL)
    load_demo()
    with transaction.atomic():
        programmes = add_programmes()
        add_learners(programmes)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Data: {Enrolment.objects.values('user').distinct().count():,} learners, "
        f"{len(programmes)} programmes × {MODULES} modules, "
        f"{ModuleProgress.objects.count():,} module rows, "
        f"{QuizAttempt.objects.count():,} quiz attempts; built in "
        f"{time.perf_counter() - started:.0f} s.",
        file=sys.stderr,
    )
    return programmes


def reminders_over_two_days() -> None:
    """Every half hour for 48 hours from a Monday 00:00 UTC: time per run, and reminders per
    learner and local day."""
    OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:").delete()
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    start = datetime.datetime.combine(monday, datetime.time(0), tzinfo=datetime.UTC)
    times = []
    written = 0
    for step in range(96):
        began = time.perf_counter()
        written += onboarding_reminders_send(now=start + datetime.timedelta(minutes=30 * step))
        times.append(time.perf_counter() - began)
    keys = OutboxMessage.objects.filter(
        idempotency_key__startswith="onboarding:remind:"
    ).values_list("idempotency_key", flat=True)
    # A reminder's key names its learner and their local day, and the outbox holds a key once.
    per_learner = Counter(key.split(":")[2] for key in keys)
    learners_reminded = len(per_learner)
    managers = OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:manager:")
    print(
        f"Reminders, every half hour for two days from Monday 00:00 UTC (96 runs): "
        f"{written:,} messages written ({len(keys):,} reminders to {learners_reminded:,} "
        f"learners, {managers.count():,} notes to managers); the slowest run "
        f"{max(times):.2f} s, all 96 runs {sum(times):.1f} s; the most reminded learner had "
        f"{max(per_learner.values(), default=0)} over the two days, each on a different local "
        "day (a reminder's outbox key names the learner and their day)."
    )


def main() -> None:
    programmes = build()
    bare, framed = reference_pages()
    hr = signed_in(HR)
    learner = signed_in(LEARNER)
    bare_name = "bare Wagtail page (baseline)"
    pages = [
        (bare_name, learner, bare),
        ("the portal's frame, empty (learner)", learner, framed),
        ("a bare admin page (HR)", hr, bare_admin_page()),
        (
            "HR dashboard `/admin/onboarding/learners/` (3,000 rows, by risk)",
            hr,
            "/admin/onboarding/learners/",
        ),
        (
            "HR dashboard filtered by programme and department",
            hr,
            f"/admin/onboarding/learners/?programme={programmes[0].pk}"
            f"&department={Department.objects.order_by('pk').first().pk}",
        ),
        (
            "funnel and hardest questions `/admin/onboarding/funnel/`",
            hr,
            "/admin/onboarding/funnel/",
        ),
        ("My onboarding `/onboarding/` (3 programmes × 8 modules)", learner, "/onboarding/"),
        ("home `/` (learner)", learner, "/"),
    ]
    load = os.getloadavg()[0]
    rows = measure(pages, runs=RUNS)
    baseline = {name: median for name, median, _count in rows}[bare_name]
    # A page of the dashboard is kept until what it shows changes (onboarding/reports.py):
    # asked again it is read from the cache. Right after a change it is read anew; measured in
    # a run of its own, beside the bare page again, as the change would make every other
    # page of the run above read anew too.
    cold = measure(
        [
            (bare_name, learner, bare),
            (
                "HR dashboard right after a learner's progress changed (read anew)",
                hr,
                "/admin/onboarding/learners/",
                progress_changed,
            ),
        ],
        runs=RUNS,
    )
    print(
        f"Median of {RUNS} warm requests each, in turns; DEBUG off; PostgreSQL "
        f"{connection.pg_version // 10000}; load average {load:.1f} → {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs."
    )
    print()
    print("| page | median server time | ratio to bare page | queries |")
    print("| --- | ---: | ---: | ---: |")
    for name, median, count in rows:
        print(f"| {name} | {median:.1f} ms | {median / baseline:.1f}× | {count} |")
    print()
    print("Right after a change, beside the bare page again:")
    print()
    print("| page | median server time | ratio to bare page | queries |")
    print("| --- | ---: | ---: | ---: |")
    for name, median, count in cold:
        print(f"| {name} | {median:.1f} ms | {median / cold[0][1]:.1f}× | {count} |")
    print()
    reminders_over_two_days()


if __name__ == "__main__":
    main()
