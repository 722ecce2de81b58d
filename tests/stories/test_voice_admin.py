"""The CX team's admin for the daily voice: the next seven voices, pins, and routing rules."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from stories.models import DailyVoice, FeedbackItem, VoiceRoute

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/voices/preview/"


@pytest.fixture
def posting(department):
    department.slack_channel_id = "C0SUPPORT1"
    department.voice_weekdays = list(range(7))
    department.save()
    return department


def feedback(department, text, days_ago, **fields):
    return FeedbackItem.objects.create(
        source="nps-survey",
        external_id=text,
        received_at=timezone.now() - datetime.timedelta(days=days_ago),
        text=text,
        department=department,
        **fields,
    )


def test_the_preview_shows_the_next_seven_voices_escaped(client, cx_lead, posting):
    for n in range(9):
        feedback(posting, f"Voice <i>{n}</i>", days_ago=n, polarity="positive")
    client.force_login(cx_lead)
    body = client.get(f"{PREVIEW}?department={posting.pk}").content.decode()
    # Newest first, one a day, never the same twice.
    for n in range(7):
        assert f"Voice &lt;i&gt;{n}&lt;/i&gt;" in body
    assert "Voice &lt;i&gt;7" not in body and "<i>0</i>" not in body
    assert body.index("Voice &lt;i&gt;0") < body.index("Voice &lt;i&gt;6")
    assert "<td>positive</td>" in body
    assert "Daily voice: Posting." in body


def test_the_cx_team_pins_a_voice_and_takes_it_back(client, cx_lead, posting):
    feedback(posting, "The newest", days_ago=0)
    chosen = feedback(posting, "The one we want them to hear", days_ago=30)
    tomorrow = posting.local_now().date() + datetime.timedelta(days=1)
    client.force_login(cx_lead)
    response = client.post(
        PREVIEW,
        {
            "department": posting.pk,
            "local_date": tomorrow.isoformat(),
            "kind": "feedback",
            "item_id": chosen.pk,
        },
    )
    assert response.status_code == 302
    pinned = DailyVoice.objects.get(department=posting, local_date=tomorrow)
    assert pinned.feedback == chosen and pinned.pinned_by == cx_lead
    body = client.get(response["Location"]).content.decode()
    assert "Pinned" in body and "The one we want them to hear" in body

    client.post(PREVIEW, {"unpin": pinned.pk})
    assert not DailyVoice.objects.filter(pk=pinned.pk).exists()


def test_a_bad_pin_is_refused_beside_its_field_and_keeps_what_was_typed(client, cx_lead, posting):
    client.force_login(cx_lead)
    yesterday = posting.local_now().date() - datetime.timedelta(days=1)
    body = client.post(
        PREVIEW,
        {
            "department": posting.pk,
            "local_date": yesterday.isoformat(),
            "kind": "feedback",
            "item_id": 999999,
        },
    ).content.decode()
    assert "That day has passed." in body and "No such item." in body
    assert 'value="999999"' in body
    assert not DailyVoice.objects.exists()


def test_others_cannot_pin(client, ambassador, posting):
    client.force_login(ambassador)
    item = feedback(posting, "Anything", days_ago=1)
    response = client.post(
        PREVIEW,
        {
            "department": posting.pk,
            "local_date": posting.local_now().date().isoformat(),
            "kind": "feedback",
            "item_id": item.pk,
        },
    )
    assert response.status_code in (302, 403)
    assert not DailyVoice.objects.exists()


def test_routing_rules_list_how_many_items_each_matches(client, cx_lead, posting):
    feedback(posting, "Checkout failed", days_ago=1, market="KR", tags=",payment gateway,")
    feedback(posting, "Checkout failed again", days_ago=2, market="JP", tags=",payment gateway,")
    feedback(posting, "Lovely prints", days_ago=3, market="KR")
    VoiceRoute.objects.create(department=posting, tag="payment gateway")
    VoiceRoute.objects.create(department=posting, market="KR", keyword="lovely")
    client.force_login(cx_lead)
    body = client.get("/admin/voices/routes/").content.decode()
    assert "payment gateway" in body and "Items it matches" in body
    cells = re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", body)
    assert sorted(cells) == ["1", "2"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "__all__", "Name at least one condition"),
        ({"market": "K1"}, "market", "two-letter country code"),
        ({"tag": "checkout, refund"}, "tag", "One tag a rule"),
    ],
)
def test_a_rule_that_would_match_nothing_or_too_much_is_refused(posting, fields, field, message):
    from django.core.exceptions import ValidationError

    rule = VoiceRoute(department=posting, **fields)
    with pytest.raises(ValidationError) as raised:
        rule.full_clean()
    assert message in " ".join(raised.value.message_dict[field])


def test_a_rule_is_kept_tidy(posting):
    rule = VoiceRoute(department=posting, market="kr", keyword=" refund ")
    rule.full_clean()
    assert (rule.market, rule.keyword) == ("KR", "refund")


def test_the_admin_form_shows_the_error_and_keeps_what_was_typed(client, cx_lead, posting):
    client.force_login(cx_lead)
    body = client.post(
        "/admin/voices/routes/add/", {"department": posting.pk, "market": "K1"}
    ).content.decode()
    assert "two-letter country code" in body and 'value="K1"' in body
    assert not VoiceRoute.objects.exists()
