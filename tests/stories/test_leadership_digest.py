"""The weekly leadership digest: the week's most-answered voices, concerns opened and resolved,
systemic fixes shipped; escaped and masked; once a week."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from wagtail.models import Site

from portal.models import OutboxMessage
from stories.models import Concern, CXSettings
from stories.services import leadership_digest as digest
from stories.tasks import leadership_digest_task
from tests.factories import DepartmentFactory, heard_voice
from tests.stories.test_triage_selectors import make_concern

pytestmark = pytest.mark.django_db

CHANNEL = "C0LEADERS1"


@pytest.fixture
def leadership_channel(db):
    settings = CXSettings.for_site(Site.objects.get(is_default_site=True))
    settings.leadership_channel_id = CHANNEL
    settings.save()
    return CHANNEL


def test_the_digest_tells_the_week(leadership_channel):
    support = DepartmentFactory(slug="support", name="Customer Support", slack_channel_id="CSUP1")
    billing = DepartmentFactory(slug="billing", name="Billing", slack_channel_id="CBIL1")
    heard_voice(support, "Quiet voice nobody answered")
    heard_voice(
        billing,
        "Card declined <!channel> at checkout, mail me at kim@example.com",
        thanks_count=1,
        look_into_count=3,
        reaction_count=2,
    )
    heard_voice(support, "The agent stayed until it was solved", days_ago=2, thanks_count=4)
    heard_voice(support, "Old voice from last month", days_ago=20, thanks_count=50)
    now = timezone.now()
    make_concern(title="Opened this week", department=support)
    make_concern(
        title="Opened long ago", department=support, created_at=now - datetime.timedelta(days=30)
    )
    fixed = make_concern(
        title="Card payments declined",
        department=support,
        created_at=now - datetime.timedelta(days=30),
    )
    Concern.objects.filter(pk=fixed.pk).update(
        kind=Concern.Kind.SYSTEMIC,
        state=Concern.State.RESOLVED,
        resolved_at=now - datetime.timedelta(days=2),
        owner_department=billing,
        what_we_did="We replaced the payment gateway.",
    )

    message = digest.leadership_digest_post(now=timezone.now())

    assert message.channel == CHANNEL
    text = message.text
    assert "3 daily voices were posted." in text
    voices = text.split("The most answered:")[1].split("\n\n")[0]
    # Most answered first; a voice nobody answered, and one older than the week, are not listed.
    assert voices.index("Card declined") < voices.index("The agent stayed")
    assert "Quiet voice" not in voices and "Old voice" not in text
    assert "6 answers" in voices and "4 answers" in voices
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "kim@example.com" not in text
    assert "1 concern opened · 1 resolved" in text
    assert "*1 systemic fix shipped:*" in text
    assert "Card payments declined" in text and "We replaced the payment gateway." in text
    assert "(Billing)" in text
    assert "/voices/metrics/" in text and "/you-said-we-did/" in text


def test_a_quiet_week_says_so(leadership_channel):
    text = digest.leadership_digest_post(now=timezone.now()).text
    assert "0 daily voices were posted. None was answered this week." in text
    assert "0 concerns opened · 0 resolved" in text
    assert "No systemic fix shipped this week." in text


def test_it_is_posted_once_a_week(leadership_channel, django_capture_on_commit_callbacks):
    monday = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks() as callbacks:
        first = digest.leadership_digest_post(now=monday)
    assert len(callbacks) == 1
    assert first.idempotency_key == "stories:leadership-digest:2026-W49"
    with django_capture_on_commit_callbacks() as callbacks:
        again = digest.leadership_digest_post(now=monday + datetime.timedelta(days=2))
    assert callbacks == [] and again.pk == first.pk
    digest.leadership_digest_post(now=monday + datetime.timedelta(days=7))
    assert OutboxMessage.objects.filter(idempotency_key__startswith=digest.KEY_PREFIX).count() == 2


def test_nothing_is_posted_without_a_leadership_channel():
    assert digest.leadership_digest_post() is None
    assert leadership_digest_task() is False
    assert not OutboxMessage.objects.exists()


def test_beat_runs_it_on_monday_mornings():
    task = PeriodicTask.objects.get(task="stories.leadership_digest")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "9", "1")
    assert str(task.crontab.timezone) == "Asia/Seoul"
