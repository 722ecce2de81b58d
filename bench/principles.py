"""CX principles at scale: the acknowledgement reports with 20 principles × 5,000 people,
beside a bare Wagtail page of the same site, on PostgreSQL; and the cost of the home page's
"principles to acknowledge" place.

Run: `make bench` (or `.venv/bin/python bench/principles.py`). It needs the PostgreSQL server
at 127.0.0.1:5432 (user postgres, trust authentication), or the database named by
BENCH_PRINCIPLES_DATABASE_URL; that database is dropped and made again, so its name must
contain "bench". It migrates, loads the demo company (five principles), adds 5,000 people and
15 more principles published the way Leadership publishes them, then 100,000 acknowledgement
rows (about 70% acknowledged) with bulk inserts, and asks each page through Django's test
client (DEBUG off) in turns: the median of BENCH_RUNS (50) warm requests, its ratio to the
bare page, and the queries one request costs. Then it counts the queries of the home page's
place for a person with 20 principles to acknowledge and for one with none.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time

from _site import (
    bare_admin_page,
    configure,
    fresh_database,
    load_demo,
    measure,
    reference_pages,
    signed_in,
    timed_get,
)

DATABASE_URL = os.environ.get(
    "BENCH_PRINCIPLES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_principles"
)
configure(database_url=DATABASE_URL)

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.home import principles_section  # noqa: E402
from portal.models import Department, Profile, User  # noqa: E402
from portal.principles.models import Acknowledgement, Principle  # noqa: E402
from portal.principles.pages import PrinciplePage  # noqa: E402
from portal.principles.reports import counts_changed  # noqa: E402
from portal.principles.tree import principles_tree_ensure  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
PEOPLE = 5_000
PRINCIPLES = 20
BATCH = 5_000
HR = "hr@demo.example"
EMPLOYEE = "employee@demo.example"
NOW = timezone.now()
rng = random.Random(11)


def add_people() -> None:
    departments = list(Department.objects.order_by("pk"))
    password = make_password(None)
    users = [
        User(
            username=f"people{index:05d}",
            email=f"people{index:05d}@bench.example",
            first_name=f"Person{index}",
            last_name="Bench",
            password=password,
        )
        for index in range(PEOPLE)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    Profile.objects.bulk_create(
        [
            Profile(user=user, department=departments[index % len(departments)])
            for index, user in enumerate(users)
        ],
        batch_size=BATCH,
    )


def add_principles() -> None:
    index = principles_tree_ensure()["en"]
    leader = User.objects.get(email="leader@demo.example")
    for number in range(PRINCIPLES - Principle.objects.filter(live=True).count()):
        page = PrinciplePage(
            title=f"Bench principle {number + 1}",
            slug=f"bench-principle-{number + 1}",
            statement=f"We keep promise number {number + 1} to every customer.",
            why_it_matters="Because customers remember.",
            live=False,
        )
        index.add_child(instance=page)
        page.save_revision(user=leader).publish(user=leader)


def add_acknowledgements() -> int:
    """Everyone asked for each principle's current version; about 70% have acknowledged."""
    Acknowledgement.objects.all().delete()
    people = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    rows = []
    for principle in Principle.objects.filter(live=True):
        asked = NOW - datetime.timedelta(days=rng.uniform(1, 40))
        for person in people:
            done = rng.random() < 0.7
            rows.append(
                Acknowledgement(
                    principle=principle,
                    user_id=person,
                    version=principle.version,
                    asked_at=asked,
                    acknowledged_at=asked + datetime.timedelta(hours=rng.uniform(1, 300))
                    if done
                    else None,
                )
            )
    Acknowledgement.objects.bulk_create(rows, batch_size=BATCH)
    counts_changed()  # bulk inserts send no signal
    return len(rows)


def build() -> None:
    started = time.perf_counter()
    fresh_database(DATABASE_URL)
    load_demo()
    with transaction.atomic():
        add_people()
        add_principles()
    rows = add_acknowledgements()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Data: {User.objects.count():,} people, {Principle.objects.filter(live=True).count()} "
        f"principles, {rows:,} acknowledgement rows; built in "
        f"{time.perf_counter() - started:.0f} s.",
        file=sys.stderr,
    )


def place_queries(email: str) -> tuple[int, int]:
    """(principles listed, queries) of the home page's place for this person."""
    user = User.objects.get(email=email)
    profile = Profile.objects.get(user=user)
    with CaptureQueriesContext(connection) as captured:
        section = principles_section(user=user, profile=profile)
    return len(section.items), len(captured)


def main() -> None:
    build()
    # Someone with every principle still to acknowledge, and someone with none.
    Acknowledgement.objects.filter(user__email=EMPLOYEE).update(acknowledged_at=None)
    Acknowledgement.objects.filter(user__email=HR).update(acknowledged_at=NOW)
    counts_changed()
    bare, _framed = reference_pages()
    hr = signed_in(HR)
    employee = signed_in(EMPLOYEE)
    bare_name = "bare Wagtail page (baseline)"
    admin_name = "a bare admin page (HR)"
    pages = [
        (bare_name, employee, bare),
        (admin_name, hr, bare_admin_page()),
        ("report by principle `/admin/principles/report/` (HR)", hr, "/admin/principles/report/"),
        (
            "report by department `/admin/principles/departments/` (HR)",
            hr,
            "/admin/principles/departments/",
        ),
        (
            "acknowledgement curve `/admin/principles/report/<id>/` (HR)",
            hr,
            f"/admin/principles/report/{Principle.objects.filter(live=True).first().pk}/",
        ),
        ("home `/` (20 principles to acknowledge)", employee, "/"),
        ("principles index `/principles/`", employee, "/principles/"),
    ]
    load = os.getloadavg()[0]
    rows = measure(pages, runs=RUNS)
    baseline = {name: median for name, median, _count in rows}[bare_name]
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
    # After a write (an acknowledgement, a publication) the counts are made again once.
    for name, path in (
        ("report by principle", "/admin/principles/report/"),
        ("report by department", "/admin/principles/departments/"),
    ):
        cold = []
        for _ in range(10):
            counts_changed()
            cold.append(timed_get(hr, path)[0])
        print(f"{name}, counted afresh after a write: median {statistics.median(cold):.1f} ms.")
    print()
    for who, email in (("20 to acknowledge", EMPLOYEE), ("none to acknowledge", HR)):
        listed, queries = place_queries(email)
        print(f"Home page place, {who}: {listed} listed, {queries} queries.")
    # The same in Korean, where a principle's Korean page is looked up too.
    from django.utils import translation

    with translation.override("ko"):
        listed, queries = place_queries(EMPLOYEE)
    print(f"Home page place in Korean, 20 to acknowledge: {listed} listed, {queries} queries.")


if __name__ == "__main__":
    main()
