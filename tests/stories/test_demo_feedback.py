"""The demo company's generated feedback and daily voice: substance for `make run`."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.core.management import call_command

from portal.models import Department, OutboxMessage
from stories import demo_feedback
from stories.models import DailyVoice, FeedbackItem, VoiceRoute
from stories.polarity import polarity_of_text

MONDAY = datetime.date(2026, 11, 30)


def test_every_saying_reads_as_its_polarity():
    # Support tickets have no score: their polarity comes from these words.
    for touchpoint, polarities in demo_feedback.SAYINGS.items():
        for polarity, languages in polarities.items():
            assert set(languages) == {"en", "ko"}
            for texts in languages.values():
                for text in texts:
                    assert polarity_of_text(text) == polarity, (touchpoint, text)
    for texts in demo_feedback.DECLINED.values():
        for text in texts:
            assert polarity_of_text(text) == "negative", text


def test_the_file_holds_four_years_of_feedback_in_two_languages_and_seven_markets():
    rows = list(demo_feedback.rows(week_of=MONDAY))
    assert len(rows) == demo_feedback.FEEDBACK_ITEMS == 15_000
    columns = demo_feedback.COLUMNS
    by = {name: [row[columns.index(name)] for row in rows] for name in columns}
    assert len(set(zip(by["source"], by["external_id"], strict=True))) == 15_000
    assert set(by["language"]) == {"en", "ko"}
    assert set(by["market"]) == {"KR", "US", "JP", "GB", "DE", "SG", "AU"}
    assert set(by["source"]) == {"nps-survey", "zendesk", "app-store"}
    received = sorted(datetime.datetime.fromisoformat(value).date() for value in by["received_at"])
    assert received[-1] < MONDAY
    assert (MONDAY - received[0]).days > 365 * 4 - 30
    # More feedback every year, as the customer base grew.
    per_year = Counter(day.year for day in received)
    assert per_year[2026] > per_year[2023]


def test_the_payment_gateway_cluster_is_in_two_markets_before_the_fix():
    columns = demo_feedback.COLUMNS
    declined = {text for texts in demo_feedback.DECLINED.values() for text in texts}
    markets, days_back = Counter(), []
    for row in demo_feedback.rows(week_of=MONDAY):
        text = row[columns.index("text")].split(" (reply to")[0]
        if text in declined:
            markets[row[columns.index("market")]] += 1
            received = datetime.datetime.fromisoformat(row[columns.index("received_at")]).date()
            days_back.append((MONDAY - received).days)
            assert row[columns.index("tags")] == "payment gateway, checkout"
    assert set(markets) == {"KR", "JP"}
    assert sum(markets.values()) > 100
    low, high = demo_feedback.CLUSTER_DAYS
    assert all(low < days <= high for days in days_back)


def test_the_file_is_the_same_all_week_and_new_the_next():
    def first(day):
        return list(demo_feedback.rows(week_of=day, count=50))

    assert first(MONDAY) == first(MONDAY + datetime.timedelta(days=6))
    assert first(MONDAY) != first(MONDAY + datetime.timedelta(days=7))


@pytest.mark.django_db
def test_the_demo_imports_feedback_and_has_been_listening_for_weeks(settings, capsys):
    settings.DEBUG = True
    settings.DEMO_FEEDBACK_ITEMS = 400
    call_command("demo")
    assert FeedbackItem.objects.count() == 400
    assert "400 added" in capsys.readouterr().out
    voices = DailyVoice.objects.exclude(outbox_message=None)
    first = voices.count()
    # Three weeks of working days in each department, posted and answered.
    assert first >= 8 * 10
    assert set(voices.values_list("department__slug", flat=True)) == set(
        Department.objects.values_list("slug", flat=True)
    )
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="stories:voice:").exclude(
        state=OutboxMessage.State.SENT
    )
    assert voices.filter(thanks_count__gt=0).exists()
    support = Department.objects.get(slug="support")
    assert support.holiday_country == "KR" and support.voice_languages == ["ko", "en"]
    assert VoiceRoute.objects.filter(department__slug="engineering", tag="payment gateway").exists()
    pinned = DailyVoice.objects.get(outbox_message=None)
    assert pinned.department.slug == "billing" and pinned.story.title.startswith("A refund")

    call_command("demo")
    assert "400 unchanged" in capsys.readouterr().out
    assert DailyVoice.objects.exclude(outbox_message=None).count() == first
    assert FeedbackItem.objects.count() == 400
