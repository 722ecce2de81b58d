"""The stories app's Celery tasks: thin wrappers, each under the name beat's rows use."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask
from wagtail.models import Site

from portal.celery import app
from portal.models import OutboxMessage
from stories import tasks
from stories.models import CXSettings

pytestmark = pytest.mark.django_db


def test_beat_row_names_the_digest_task():
    row = PeriodicTask.objects.get(name="CX triage digest")
    assert row.task == "stories.triage_digest"
    assert row.enabled
    assert (row.crontab.hour, row.crontab.minute, row.crontab.day_of_week) == ("9", "0", "1-5")
    assert "stories.triage_digest" in app.tasks
    assert tasks.triage_digest_task.name == "stories.triage_digest"


def test_digest_task_calls_the_service(monkeypatch):
    calls = []

    def post(**kwargs):
        calls.append(kwargs)
        return None

    monkeypatch.setattr(tasks.digest, "triage_digest_post", post)
    assert tasks.triage_digest_task.apply().get() is False
    assert calls == [{}]


def test_digest_task_writes_the_digest_once(db):
    settings = CXSettings.for_site(Site.objects.get(is_default_site=True))
    settings.cx_channel_id = "C0CXTEAM01"
    settings.save()
    assert tasks.triage_digest_task() is True
    assert tasks.triage_digest_task() is True
    digests = OutboxMessage.objects.filter(idempotency_key__startswith="stories:triage-digest:")
    assert digests.count() == 1
    assert "Nothing waiting" in digests.get().text
