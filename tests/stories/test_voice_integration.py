"""The daily voice through real Celery worker processes, Redis and PostgreSQL, to the Slack fake:
each department's voice is delivered exactly once, whatever ticks repeat."""

from __future__ import annotations

import datetime
import time
from collections import Counter

import pytest
from django.db import transaction

from portal.models import OutboxMessage
from stories.models import DailyVoice, FeedbackItem
from stories.tasks import daily_voice_send_task, daily_voice_tick_task
from tests.factories import DepartmentFactory
from tests.worker import celery_worker, fake, module_slack_fake

__all__ = ["celery_worker", "fake", "module_slack_fake"]  # fixtures

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ZONES = [
    "Asia/Seoul",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Los_Angeles",
]


@pytest.fixture
def departments():
    """Six departments in six time zones, all due now: every weekday, voice time midnight."""
    made = []
    for number, zone in enumerate(ZONES):
        department = DepartmentFactory(
            name=f"Team {number}",
            slug=f"team-{number}",
            slack_channel_id=f"C0TEAM{number:04d}",
            timezone=zone,
            voice_time=datetime.time(0, 0),
            voice_weekdays=list(range(7)),
        )
        for item in range(3):
            FeedbackItem.objects.create(
                source="nps-survey",
                external_id=f"{number}-{item}",
                received_at=datetime.datetime(2026, 1, 1 + item, tzinfo=datetime.UTC),
                text=f"Team {number} heard customer {item}",
                department=department,
            )
        made.append(department)
    return made


def _wait_for_posts(fake, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(fake.posted()) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(fake.posted())} of {count} voices were posted")
        time.sleep(0.1)


def test_each_department_gets_its_voice_exactly_once(fake, departments):
    fake.latency = 0.05
    fake.channel_interval = 1.0  # Slack's one message a second per channel
    # Two beat processes tick at the same moment, and a retried task sends one day again.
    with transaction.atomic():
        daily_voice_tick_task.delay()
        daily_voice_tick_task.delay()
    _wait_for_posts(fake, len(departments))
    first = departments[0]
    daily_voice_send_task.delay(first.pk, first.local_now().date().isoformat())
    daily_voice_tick_task.delay()
    time.sleep(3)  # whatever the repeats did has finished

    per_channel = Counter(posted.channel for posted in fake.posted())
    assert per_channel == Counter({d.slack_channel_id: 1 for d in departments})
    assert DailyVoice.objects.count() == len(departments)
    for department in departments:
        voice = DailyVoice.objects.get(department=department)
        assert voice.local_date == department.local_now().date()
        assert voice.feedback.text == f"Team {departments.index(department)} heard customer 2"
        message = voice.outbox_message
        assert message.state == OutboxMessage.State.SENT and message.slack_ts
    posted = {p.channel: p.text for p in fake.posted()}
    assert "Team 0 heard customer 2" in posted[first.slack_channel_id]
