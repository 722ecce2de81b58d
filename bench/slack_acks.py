"""How fast the portal answers Slack: a signed `/concern` and a signed `view_submission`, from
the request arriving to the HTTP response (the ack), with 10,000 concerns on PostgreSQL and a
local fake of the Slack Web API that answers every call in 50 ms.

Run: `make bench` (or `.venv/bin/python bench/slack_acks.py`). It uses the database
bench/voices.py builds (building it first when there is none; BENCH_REUSE=1 as there), then
sends BENCH_ACKS (500) requests of each kind through Django's test client (the whole
middleware stack, DEBUG off), each signed with the signing secret as Slack signs it. Slack's
limit is 3 seconds; the goal is a p99 under 300 ms, and the fake's 50 ms must not show in it:
the modal opens after the answer, and filing runs in a task (here on an in-memory broker with
no worker, so what is queued is measured, not what is done).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

# The queue is what a request pays for: an in-memory broker, no worker reading it.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import voices  # noqa: E402  (configures Django on the benchmark's database)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from portal.models import Profile, User  # noqa: E402
from portal.slack.app import bolt_app  # noqa: E402
from portal.slack.client import slack_client  # noqa: E402
from stories.models import Concern  # noqa: E402
from stories.selectors.concern import filter_choices  # noqa: E402
from tests.slack_fake import SlackFake  # noqa: E402
from tests.slack_signing import FORM, raw_signature  # noqa: E402

RUNS = int(os.environ.get("BENCH_ACKS", "500"))
SECRET = "bench-signing-secret"  # noqa: S105 - the fake's, signing bench requests
SLACK_USER = "U0BENCH001"
FAKE_LATENCY = 0.05


def _signed(client: Client, body: bytes):
    stamp = str(int(time.time()))
    started = time.perf_counter()
    response = client.post(
        "/slack/events",
        data=body,
        content_type=FORM,
        headers={
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": raw_signature(SECRET, stamp, body),
        },
    )
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.content
    return elapsed, response


def _command(n: int) -> bytes:
    return urlencode(
        {
            "command": "/concern",
            "text": f"Checkout failed {n}",
            "user_id": SLACK_USER,
            "team_id": "TFAKE",
            "channel_id": "C0BENCH001",
            "api_app_id": "AFAKE",
            "trigger_id": f"{n}.1.bench",
            "response_url": "",
        }
    ).encode()


def _submission(n: int, touchpoint: int, department: int) -> bytes:
    def text(value):
        return {"value": {"type": "plain_text_input", "value": value}}

    def choice(value):
        return {"value": {"type": "static_select", "selected_option": {"value": str(value)}}}

    payload = {
        "type": "view_submission",
        "team": {"id": "TFAKE"},
        "user": {"id": SLACK_USER},
        "api_app_id": "AFAKE",
        "view": {
            "id": f"VBENCH{n:06d}",
            "hash": "h",
            "type": "modal",
            "callback_id": "stories_concern_file",
            "private_metadata": "",
            "state": {
                "values": {
                    "title": text(f"Card declined at checkout, bench {n}"),
                    "description": text("The customer tried three cards before giving up."),
                    "customer_reference": text(""),
                    "touchpoint_id": choice(touchpoint),
                    "department_id": choice(department),
                    "severity": choice("high"),
                }
            },
        },
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def _summary(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    return (
        f"| {name} | {len(times)} | {statistics.median(times):.1f} ms | {p99:.1f} ms "
        f"| {ordered[-1]:.1f} ms |"
    )


def main() -> None:
    if not voices.REUSE:
        voices.build()
    with SlackFake() as fake:
        fake.latency = FAKE_LATENCY
        settings.SLACK_BOT_TOKEN = "xoxb-bench"  # noqa: S105 - answered by the fake
        settings.SLACK_SIGNING_SECRET = SECRET
        settings.SLACK_API_URL = fake.url
        person = User.objects.get(email=voices.EMPLOYEE)
        Profile.objects.filter(slack_user_id=SLACK_USER).exclude(user=person).update(
            slack_user_id=""
        )
        Profile.objects.filter(user=person).update(slack_user_id=SLACK_USER)
        departments, touchpoints = filter_choices()
        bolt_app()
        client = Client()
        # Warm: the first request of a process asks Slack who the bot is (auth.test).
        _signed(client, _command(-1))
        _signed(client, _submission(-1, touchpoints[0].pk, departments[0].pk))
        commands = [_signed(client, _command(n))[0] for n in range(RUNS)]
        submissions = [
            _signed(client, _submission(n, touchpoints[0].pk, departments[0].pk))[0]
            for n in range(RUNS)
        ]
        # Every modal was opened, after its ack, by the lazy listeners.
        fake.wait_for_calls(RUNS + 1, "views.open", timeout=60)
        started = time.perf_counter()
        slack_client().api_test()
        one_call = (time.perf_counter() - started) * 1000
    print(
        f"{Concern.objects.count():,} concerns; PostgreSQL {connection.pg_version // 10000}; "
        f"the fake answers each Slack call in {FAKE_LATENCY * 1000:.0f} ms "
        f"(one call measured: {one_call:.0f} ms); load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs."
    )
    print()
    print("| request | requests | median ack | p99 ack | slowest |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(_summary("signed `/concern` (the modal opens after the ack)", commands))
    print(_summary("signed `view_submission` of the concern modal (filed by a task)", submissions))
    print()
    print(f"Modals opened by the fake's count: {len(fake.calls('views.open'))} of {RUNS + 1}.")


if __name__ == "__main__":
    main()
