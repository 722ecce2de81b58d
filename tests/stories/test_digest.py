"""The daily CX triage digest: what it says, how it masks and escapes, and once a day only."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from wagtail.models import Site

from portal.models import OutboxMessage
from portal.slack.text import site_url
from stories.models import Concern, CXSettings
from stories.services import digest
from tests.stories.test_triage_selectors import make_concern

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
CHANNEL = "C0CXTEAM01"


@pytest.fixture
def cx_channel(db):
    settings = CXSettings.for_site(Site.objects.get(is_default_site=True))
    settings.cx_channel_id = CHANNEL
    settings.save()
    return CHANNEL


def test_digest_lists_each_section_with_counts_and_links(cx_channel, department):
    now = timezone.now()
    fresh = make_concern(title="Refund never arrived", created_at=now - datetime.timedelta(hours=2))
    late = make_concern(
        title="Invoice sent twice",
        state=Concern.State.IN_PROGRESS,
        owner_department=department,
        due_at=now - datetime.timedelta(days=1),
        created_at=now - datetime.timedelta(days=6),
    )
    make_concern(title="Long closed", state=Concern.State.CLOSED)
    message = digest.triage_digest_post(now=now)
    assert message.channel == CHANNEL
    assert message.idempotency_key == f"stories:triage-digest:{now.astimezone(SEOUL).date()}"
    text = message.text
    assert text.startswith("*CX triage digest*")
    assert "*1 new concern*" in text
    assert "*1 concern past its SLA*" in text
    assert "*1 concern waiting for an owner*" in text
    assert f"<{site_url(f'/concerns/{fresh.pk}/')}|Refund never arrived>" in text
    assert f"<{site_url(f'/concerns/{late.pk}/')}|Invoice sent twice>" in text
    assert "Long closed" not in text
    assert f"<{site_url('/concerns/triage/')}|Open the triage queue>" in text
    assert "Nothing waiting" not in text


def test_digest_escapes_and_masks_titles(cx_channel):
    make_concern(title="<!channel> & <@U0123ABCD> call +82 10-1234-5678 or jane.doe@example.com")
    text = digest.triage_digest_post().text
    assert "<!channel>" not in text and "<@U0123ABCD>" not in text
    assert "&lt;!channel&gt; &amp; &lt;@U0123ABCD&gt;" in text
    assert "jane.doe@example.com" not in text and "10-1234-5678" not in text
    assert "[email hidden]" in text and "[phone hidden]" in text


def test_digest_says_honestly_when_nothing_waits(cx_channel):
    make_concern(title="Done", state=Concern.State.RESOLVED)
    text = digest.triage_digest_post().text
    assert "Nothing waiting" in text
    assert "new concern*" not in text and "•" not in text


def test_digest_is_posted_once_a_day(cx_channel, django_capture_on_commit_callbacks):
    make_concern(title="Refund never arrived")
    morning = datetime.datetime.combine(
        timezone.now().astimezone(SEOUL).date(), datetime.time(9), tzinfo=SEOUL
    )
    with django_capture_on_commit_callbacks() as callbacks:
        first = digest.triage_digest_post(now=morning)
    assert len(callbacks) == 1  # one delivery queued
    with django_capture_on_commit_callbacks() as callbacks:
        again = digest.triage_digest_post(now=morning + datetime.timedelta(hours=3))
    assert callbacks == []
    assert again.pk == first.pk
    assert (
        OutboxMessage.objects.filter(idempotency_key__startswith="stories:triage-digest:").count()
        == 1
    )
    digest.triage_digest_post(now=morning + datetime.timedelta(days=1))
    assert (
        OutboxMessage.objects.filter(idempotency_key__startswith="stories:triage-digest:").count()
        == 2
    )


def test_the_day_is_the_schedules_day():
    late_evening_utc = datetime.datetime(2025, 11, 24, 23, 30, tzinfo=datetime.UTC)
    assert digest.digest_key(late_evening_utc, digest.digest_zone()) == (
        "stories:triage-digest:2025-11-25"
    )
    schedule = PeriodicTask.objects.get(task="stories.triage_digest").crontab
    schedule.timezone = "America/New_York"
    schedule.save()
    assert digest.digest_key(late_evening_utc, digest.digest_zone()) == (
        "stories:triage-digest:2025-11-24"
    )


def test_new_means_since_the_last_digest(cx_channel):
    now = timezone.now()
    last = OutboxMessage.objects.create(
        idempotency_key="stories:triage-digest:friday", channel=CHANNEL, text="Friday's digest"
    )
    OutboxMessage.objects.filter(pk=last.pk).update(created_at=now - datetime.timedelta(days=3))
    make_concern(title="Filed over the weekend", created_at=now - datetime.timedelta(days=2))
    make_concern(title="Filed before Friday", created_at=now - datetime.timedelta(days=4))
    text = digest.triage_digest_post(now=now).text
    new_section = text.split("*1 new concern*")[1].split("\n\n")[0]
    assert "Filed over the weekend" in new_section
    assert "Filed before Friday" not in new_section
    assert "*2 concerns waiting for an owner*" in text


def test_a_long_section_shows_ten_and_links_to_the_rest(cx_channel):
    now = timezone.now()
    for n in range(12):
        make_concern(title=f"Concern {n:02d}", created_at=now - datetime.timedelta(minutes=n + 1))
    text = digest.triage_digest_post(now=now).text
    new_section = text.split("*12 new concerns*")[1].split("\n\n")[0]
    assert new_section.count("• ") == 10
    assert f"<{site_url('/concerns/triage/?state=new')}|and 2 more>" in new_section


def test_nothing_is_posted_without_a_cx_channel():
    make_concern(title="Refund never arrived")
    assert digest.triage_digest_post() is None
    assert not OutboxMessage.objects.exists()


def test_digest_is_written_in_the_sites_language(cx_channel):
    from django.utils import translation

    make_concern(title="Refund never arrived")
    with translation.override("ko"):
        text = digest.triage_digest_post().text
    assert "*1 new concern*" in text


def test_digest_rows_carry_the_triage_controls_within_slacks_block_limit(cx_channel, department):
    now = timezone.now()
    for n in range(12):
        make_concern(title=f"New {n}", created_at=now - datetime.timedelta(hours=1))
    for n in range(12):
        make_concern(
            title=f"Late {n}",
            state=Concern.State.IN_PROGRESS,
            owner_department=department,
            due_at=now - datetime.timedelta(days=1),
            created_at=now - datetime.timedelta(days=6),
        )
    blocks = digest.triage_digest_post(now=now).blocks
    assert len(blocks) <= 50
    controls = [b for b in blocks if b.get("block_id", "").startswith("triage:")]
    assert len(controls) == digest.ROWS_WITH_CONTROLS
    assert len({b["block_id"] for b in controls}) == len(controls)  # each concern once
    actions = {e["action_id"] for b in controls for e in b["elements"]}
    assert {"stories_triage_systemic", "stories_triage_owner"} <= actions
    text = str(blocks)
    assert "and 2 more" in text and "Open the triage queue" in text


def test_a_quiet_day_has_no_controls(cx_channel):
    message = digest.triage_digest_post()
    assert message.blocks == [] and "Nothing waiting" in message.text
