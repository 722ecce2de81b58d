"""The beat-driven task that ends terms and warns of those ending soon."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django_celery_beat.models import PeriodicTask

from ambassadors.tasks import appointments_daily_task
from portal.celery import app as celery_app
from portal.groups import AMBASSADORS
from tests.ambassadors.conftest import appoint

pytestmark = pytest.mark.django_db


def test_the_task_has_the_name_beat_runs():
    assert appointments_daily_task.name == "ambassadors.appointments_daily"
    celery_app.loader.import_default_modules()
    assert "ambassadors.appointments_daily" in celery_app.tasks


def test_beat_runs_it_every_hour():
    task = PeriodicTask.objects.get(task="ambassadors.appointments_daily")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour) == ("5", "*")


def test_the_task_syncs_the_group(ambassador, outsider, department, touchpoints, today):
    appoint(outsider, department, touchpoints, starts_on=today, ends_on=today)
    appoint(
        ambassador,
        department,
        touchpoints,
        starts_on=today - datetime.timedelta(days=9),
        ends_on=today - datetime.timedelta(days=1),
    )
    result = appointments_daily_task.apply().get()
    assert result == {"added": 1, "removed": 1, "ending": 1, "notices": 0}
    members = set(Group.objects.get(name=AMBASSADORS).user_set.values_list("pk", flat=True))
    assert members == {outsider.pk}
