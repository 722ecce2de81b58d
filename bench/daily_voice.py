"""The daily customer voice at scale (issue 9): fan-out, selection and import, each measured as a
ratio against a floor taken side by side in the same run, on PostgreSQL (Redis for fan-out).

Run: `make bench`, or `.venv/bin/python bench/daily_voice.py [import] [selection] [fanout]`
(all three when none is named). It needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust
authentication) or BENCH_VOICE_DATABASE_URL (its name must contain "bench": it is dropped and
made again), and Redis at 127.0.0.1:6379 (database 12) for the fan-out's broker.

- **selection**: 1,000 departments, each with two routing rules, choose and write their voice
  (`voice_send`, as the tick's task does) for five working days in a row, first with 10,000
  feedback items, then with 1,000,000: the time per department and the queries per department,
  which must not grow with the pool.
- **fan-out**: 1,000 more departments all due in the same minute; real `celery worker`
  processes (BENCH_WORKERS × BENCH_CONCURRENCY threads) take the tick's send tasks and the
  outbox deliveries to a local Slack fake answering every call in 50 ms and refusing a second
  message to a channel within a second (429 + Retry-After). The time from the tick to the
  thousandth message, against the floor of 1,000 × 50 ms ÷ the concurrency; duplicates and
  losses counted from the fake's own records.
- **import**: `manage.py import_feedback` of 15,000 and of 1,000,000 generated rows (the demo's
  generator), each in its own process, timed, with the process's peak memory (its own
  rusage), beside PostgreSQL's `COPY` of the same file into a bare table.
"""

from __future__ import annotations

import datetime
import os
import statistics
import subprocess
import sys
import time
from collections import Counter

from _site import ROOT, VAR_DIR, configure, fresh_database

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_daily_voice"
DATABASE_URL = os.environ.get("BENCH_VOICE_DATABASE_URL", DEFAULT_DATABASE_URL)
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
os.environ["CELERY_BROKER_URL"] = BROKER_URL
fresh_database(DATABASE_URL)
configure(database_url=DATABASE_URL)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.celery import app as celery_app  # noqa: E402
from portal.models import Department, OutboxMessage  # noqa: E402
from stories import demo_feedback  # noqa: E402
from stories.models import DailyVoice, FeedbackItem, VoiceRoute  # noqa: E402
from stories.polarity import polarity_of_score, polarity_of_text  # noqa: E402
from stories.services import voice as voice_services  # noqa: E402

DEPARTMENTS = int(os.environ.get("BENCH_DEPARTMENTS", "1000"))
ITEMS = int(os.environ.get("BENCH_ITEMS", "1000000"))
SMALL_ITEMS = 10_000
DAYS = 5
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
FAKE_LATENCY = 0.05
IMPORT_SIZES = [int(n) for n in os.environ.get("BENCH_IMPORT_ROWS", "15000,1000000").split(",")]
MARKETS = [market for market, _weight, _ko in demo_feedback.MARKETS]
TOUCHPOINTS = [slug for slug, _product, _weight in demo_feedback.TOUCHPOINTS]


def setup_database() -> None:
    call_command("migrate", verbosity=0)
    from django.apps import apps

    Touchpoint = apps.get_model("ambassadors", "Touchpoint")
    for slug in TOUCHPOINTS:
        Touchpoint.objects.get_or_create(slug=slug, defaults={"name": slug.title()})


def touchpoint_ids() -> dict[str, int]:
    from django.apps import apps

    Touchpoint = apps.get_model("ambassadors", "Touchpoint")
    return dict(Touchpoint.objects.values_list("slug", "pk"))


def add_departments(prefix: str, count: int, *, routes: bool) -> list[Department]:
    """Departments in eight time zones, due at midnight every day (so all are due now)."""
    zones = [
        "Asia/Seoul",
        "America/New_York",
        "Europe/London",
        "Asia/Kolkata",
        "Asia/Tokyo",
        "America/Los_Angeles",
        "Europe/Berlin",
        "Australia/Sydney",
    ]
    Department.objects.bulk_create(
        Department(
            name=f"{prefix} {n}",
            slug=f"{prefix}-{n}",
            slack_channel_id=f"C{prefix.upper()[:3]}{n:06d}",
            timezone=zones[n % len(zones)],
            voice_time=datetime.time(0, 0),
            voice_weekdays=list(range(7)),
            voice_languages=["ko"] if n % 3 == 0 else ["en"],
        )
        for n in range(count)
    )
    made = list(Department.objects.filter(slug__startswith=f"{prefix}-").order_by("pk"))
    if routes:
        points = touchpoint_ids()
        rules = []
        for n, department in enumerate(made):
            # A market and touchpoint (about 1 in 35 items), and a tag (about 1 in 8).
            rules.append(
                VoiceRoute(
                    department=department,
                    market=MARKETS[n % len(MARKETS)],
                    touchpoint_id=points[TOUCHPOINTS[n % len(TOUCHPOINTS)]],
                )
            )
            tags = demo_feedback.TAGS[TOUCHPOINTS[(n + 2) % len(TOUCHPOINTS)]]
            rules.append(VoiceRoute(department=department, tag=tags[n % len(tags)]))
        VoiceRoute.objects.bulk_create(rules)
    return made


def copy_feedback(start: int, stop: int, *, department_ids: list[int] | None = None) -> None:
    """Feedback items numbered [start, stop) straight into the table with COPY (the
    generator's rows; far quicker than the ORM for a million)."""
    points = touchpoint_ids()
    columns = demo_feedback.COLUMNS
    index = {name: columns.index(name) for name in columns}
    now = timezone.now()
    names = (
        "source, external_id, received_at, text, language, market, score, score_scale, polarity,"
        " product, tags, customer, touchpoint_id, department_id, link, content_hash, created_at,"
        " updated_at"
    )
    rows = demo_feedback.rows(week_of=now.date(), count=stop)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY stories_feedbackitem ({names}) FROM STDIN") as copy,
    ):
        for number, row in enumerate(rows, start=1):
            if number <= start:
                continue
            score = int(row[index["score"]]) if row[index["score"]] else None
            source = row[index["source"]]
            if score is None:
                scale, mood = "", polarity_of_text(row[index["text"]])
            else:
                scale = "nps" if source == "nps-survey" else "rating"
                mood = polarity_of_score(score, scale)
            tags = row[index["tags"]]
            department = department_ids[number % len(department_ids)] if department_ids else None
            copy.write_row(
                [
                    source,
                    f"{row[index['external_id']]}-{number}",
                    datetime.datetime.fromisoformat(row[index["received_at"]]).replace(
                        tzinfo=datetime.UTC
                    ),
                    row[index["text"]],
                    row[index["language"]],
                    row[index["market"]],
                    score,
                    scale,
                    mood,
                    row[index["product"]],
                    f",{','.join(t.strip() for t in tags.split(','))}," if tags else "",
                    row[index["customer"]],
                    points[row[index["touchpoint"]]],
                    department,
                    "",
                    "",
                    now,
                    now,
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE stories_feedbackitem")


# --- selection -------------------------------------------------------------------------------


def select_round(departments: list[Department], day_offset: int) -> tuple[list[float], list[int]]:
    """Every department's voice for one day; (ms, queries) per department."""
    times, queries = [], []
    for department in departments:
        local = department.local_now()
        at = local.replace(hour=12) + datetime.timedelta(days=day_offset)
        # The query log keeps 9,000 entries: counted from empty, each count stays right.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            voice_services.voice_send(department=department, now=at)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return times, queries


def empty_feedback() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE stories_feedbackitem, stories_dailyvoice CASCADE")


def selection() -> list[str]:
    empty_feedback()
    departments = add_departments("sel", DEPARTMENTS, routes=True)
    lines = []
    results = {}
    for size, offset in ((SMALL_ITEMS, 0), (ITEMS, DAYS)):
        have = FeedbackItem.objects.count()
        if size > have:
            print(f"selection: adding feedback up to {size:,} items…", flush=True)
            copy_feedback(have, size)
        per_day = []
        all_times, all_queries = [], []
        for day in range(DAYS):
            started = time.perf_counter()
            times, queries = select_round(departments, offset + day)
            per_day.append(time.perf_counter() - started)
            all_times += times
            all_queries += queries
        results[size] = (per_day, all_times, all_queries)
        print(
            f"selection with {size:,} items: {statistics.median(per_day):.1f} s a day for "
            f"{len(departments):,} departments",
            flush=True,
        )
    lines.append(
        f"| feedback items | time for {len(departments):,} departments (median of {DAYS} days) | "
        "per department "
        "(median / p99) | queries per department (min–max) |"
    )
    lines.append("| ---: | ---: | ---: | ---: |")
    for size, (per_day, times, queries) in results.items():
        times.sort()
        lines.append(
            f"| {size:,} | {statistics.median(per_day):.1f} s | {statistics.median(times):.1f} ms"
            f" / {times[int(len(times) * 0.99)]:.1f} ms | {min(queries)}–{max(queries)} |"
        )
    small, large = results[SMALL_ITEMS], results[ITEMS]
    ratio = statistics.median(large[1]) / statistics.median(small[1])
    lines.append("")
    lines.append(
        f"Per-department time at {ITEMS:,} items ÷ at {SMALL_ITEMS:,}: {ratio:.2f}×; "
        f"queries per department: {sorted(set(small[2]))} → {sorted(set(large[2]))}."
    )
    return lines


# --- fan-out ---------------------------------------------------------------------------------


def fanout() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from tests.slack_fake import SlackFake
    from tests.worker import kill, start_worker, worker_env

    departments = add_departments("fan", DEPARTMENTS, routes=False)
    have = FeedbackItem.objects.count()
    copy_feedback(have, have + 5 * len(departments), department_ids=[d.pk for d in departments])
    celery_app.control.purge()
    with SlackFake() as fake:
        fake.latency = FAKE_LATENCY
        fake.channel_interval = 1.0
        env = worker_env(fake.url, VAR_DIR / "fanout")
        env["CELERY_BROKER_URL"] = BROKER_URL
        env["DEBUG"] = "0"
        env.setdefault("SECRET_KEY", os.environ["SECRET_KEY"])
        env["ALLOWED_HOSTS"] = "localhost"
        logs = VAR_DIR / "fanout"
        logs.mkdir(parents=True, exist_ok=True)
        workers = [
            start_worker(
                env, logs / f"worker-{n}.log", name=f"bench-fanout-{n}", concurrency=CONCURRENCY
            )
            for n in range(WORKERS)
        ]
        try:
            from stories.tasks import daily_voice_tick_task

            started = time.monotonic()
            daily_voice_tick_task.delay()
            daily_voice_tick_task.delay()  # a second beat process ticking at the same moment
            wanted = {d.slack_channel_id for d in departments}
            deadline = started + 600
            while True:
                delivered = {p.channel for p in fake.posted()} & wanted
                if len(delivered) == len(wanted) or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            elapsed = time.monotonic() - started
            time.sleep(3)  # anything still running would show as a duplicate
            per_channel = Counter(p.channel for p in fake.posted() if p.channel in wanted)
        finally:
            for worker in workers:
                kill(worker)
    duplicates = sum(n - 1 for n in per_channel.values() if n > 1)
    lost = len(wanted) - len(per_channel)
    threads = WORKERS * CONCURRENCY
    floor = len(departments) * FAKE_LATENCY / threads
    sent = OutboxMessage.objects.filter(
        idempotency_key__startswith=voice_services.KEY_PREFIX, state=OutboxMessage.State.SENT
    ).count()
    print(f"fan-out: {elapsed:.1f} s", flush=True)
    return [
        "| departments due | worker threads | time to deliver all | floor (n × 50 ms ÷ threads)"
        " | ratio | duplicates | lost | 429s answered |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {len(departments):,} | {WORKERS} × {CONCURRENCY} | {elapsed:.1f} s | {floor:.2f} s | "
        f"{elapsed / floor:.1f}× | {duplicates} | {lost} | {fake.rate_limited} |",
        "",
        f"Voices written: {DailyVoice.objects.filter(department__in=departments).count():,}; "
        f"outbox rows sent: {sent:,} (including the selection's).",
    ]


# --- import ----------------------------------------------------------------------------------


def run_import(path) -> tuple[float, float, str]:
    """(seconds, peak MiB, last line) of `manage.py import_feedback` in its own process."""
    env = {**os.environ, "LOG_LEVEL": "ERROR"}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "import_feedback", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read()
    # wait4, not wait: the process's own rusage, its peak memory among it.
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"import_feedback failed:\n{output}")
    return elapsed, usage.ru_maxrss / 1024, output.strip().splitlines()[-1]


def copy_file(path) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        types = {"received_at": "timestamptz", "score": "int"}
        columns = ", ".join(f"{name} {types.get(name, 'text')}" for name in demo_feedback.COLUMNS)
        cursor.execute(f"CREATE TABLE bench_copy ({columns})")
        started = time.perf_counter()
        with (
            path.open("rb") as source,
            cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        return time.perf_counter() - started


def imports() -> list[str]:
    lines = [
        "| rows | import_feedback | rows/s | COPY into a bare table | rows/s | ratio | peak memory"
        " of the import |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in IMPORT_SIZES:
        path = demo_feedback.write(
            VAR_DIR / f"feedback-{size}.csv", week_of=timezone.localdate(), count=size
        )
        empty_feedback()
        print(f"import: {size:,} rows…", flush=True)
        seconds, peak, last = run_import(path)
        copied = copy_file(path)
        print(f"  {last}", flush=True)
        lines.append(
            f"| {size:,} | {seconds:.1f} s | {size / seconds:,.0f} | {copied:.2f} s | "
            f"{size / copied:,.0f} | {seconds / copied:.0f}× slower | {peak:.0f} MiB |"
        )
    return lines


def main() -> None:
    wanted = sys.argv[1:] or ["import", "selection", "fanout"]
    setup_database()
    parts = {"selection": selection, "fanout": fanout, "import": imports}
    for name in wanted:
        # Each part's table as soon as it is measured: a long run keeps what it found.
        print("\n".join([f"### {name}", "", *parts[name](), ""]), flush=True)


if __name__ == "__main__":
    main()
