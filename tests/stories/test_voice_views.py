"""The voice pages: one feedback item (masked), a department's archive, customer metrics."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Profile
from stories.models import FeedbackItem, Polarity, ScoreScale
from stories.selectors import metrics
from stories.services.voice import voice_record, voice_send
from tests.factories import heard_voice

pytestmark = pytest.mark.django_db


def item(**fields) -> FeedbackItem:
    defaults = {
        "source": "nps-survey",
        "external_id": str(FeedbackItem.objects.count() + 1),
        "received_at": timezone.now() - datetime.timedelta(days=3),
        "text": "Fine",
        "language": "en",
    }
    defaults.update(fields)
    return FeedbackItem.objects.create(**defaults)


def test_a_feedback_item_hides_who_the_customer_is_but_from_the_cx_team(
    client, ambassador, cx_lead
):
    feedback = item(text="Call me on 010-1234-5678 <script>x</script>", customer="kim@example.com")
    client.force_login(ambassador)
    body = client.get(f"/voices/feedback/{feedback.pk}/").content.decode()
    assert "010-1234-5678" not in body and "kim@example.com" not in body
    assert "&lt;script&gt;" in body and "<script>x" not in body
    client.force_login(cx_lead)
    body = client.get(f"/voices/feedback/{feedback.pk}/").content.decode()
    assert "010-1234-5678" in body and "kim@example.com" in body
    assert client.get("/voices/feedback/999999/").status_code == 404


def test_the_archive_lists_the_voices_a_department_heard_with_their_answers(
    client, ambassador, department, django_assert_num_queries
):
    department.slack_channel_id = "CVOICE001"
    department.save()
    item(text="The courier was early", department=department)
    voice = voice_send(department=department)
    voice_record(voice_id=voice.pk, slack_user_id="U1", kind="button:thanks")
    client.force_login(ambassador)
    Profile.objects.filter(user=ambassador).update(department=department)
    response = client.get("/voices/")
    assert response.status_code == 302
    assert response["Location"] == f"/voices/department/{department.slug}/"
    url = response["Location"]
    client.get(url)  # warm the shared lookups
    with CaptureQueriesContext(connection) as one:
        body = client.get(url).content.decode()
    assert "The courier was early" in body and "1 thanks" in body
    # Ten more voices cost no more queries.
    for days_ago in range(1, 11):
        heard_voice(
            department, f"Voice <b>{days_ago}</b>", days_ago=days_ago, reaction_count=days_ago
        )
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert "Voice &lt;b&gt;10&lt;/b&gt;" in body and "<b>10" not in body
    assert body.index("The courier was early") < body.index("Voice &lt;b&gt;1&lt;/b&gt;")


def test_nps_and_ratings_are_counted_by_month_and_market(client, ambassador):
    now = timezone.now()
    for score in (10, 9, 8, 3):  # 2 promoters, 1 detractor of 4: NPS 25
        item(score=score, score_scale=ScoreScale.NPS, market="KR", received_at=now)
    for score in (5, 2):
        item(
            source="app-store",
            score=score,
            score_scale=ScoreScale.RATING,
            market="US",
            received_at=now,
        )
    item(polarity=Polarity.NEGATIVE, market="US", received_at=now)
    since = metrics.since_months(12)
    total = metrics.totals(since)
    assert (total.nps, total.answers, total.rating, total.items) == (25, 4, 3.5, 7)
    markets = {row.label: row for row in metrics.by_market(since)}
    assert markets["KR"].nps == 25 and markets["US"].rating == 3.5 and markets["US"].nps is None
    [month] = metrics.by_month(since)
    assert month.nps == 25
    client.force_login(ambassador)
    body = client.get("/voices/metrics/?months=24").content.decode()
    assert "NPS by month" in body and "NPS by market" in body and "NPS by department" in body
    # Month by month (NPS, rating, negative share), polarity, and NPS by market: real charts.
    assert body.count("<svg") >= 5
    assert client.get("/voices/metrics/?months=bogus").status_code == 200
