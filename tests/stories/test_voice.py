"""The daily customer voice: when it is due, exactly once, and which voice it is."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection

from portal.models import OutboxMessage
from stories.models import DailyVoice, FeedbackItem, Polarity, VoiceRoute
from stories.selectors.voice import choose_voice, route_matches, voice_preview
from stories.services import voice as services
from stories.voice import due_date, next_voice_days
from stories.voice_blocks import VOICE_LOOK_INTO, VOICE_THANKS
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def seoul(db):
    return DepartmentFactory(
        name="Seoul support",
        slug="seoul-support",
        slack_channel_id="CSEOUL001",
        timezone="Asia/Seoul",
        voice_time=datetime.time(9, 30),
        holiday_country="KR",
    )


@pytest.fixture
def new_york(db):
    return DepartmentFactory(
        name="New York sales",
        slug="ny-sales",
        slack_channel_id="CNEWYORK1",
        timezone="America/New_York",
        voice_time=datetime.time(9, 30),
        voice_weekdays=[0, 1, 2, 3, 4, 5, 6],
    )


counter = iter(range(1, 10**6))


def feedback(department=None, *, days_ago=1, polarity=Polarity.NEUTRAL, language="en", **extra):
    number = next(counter)
    return FeedbackItem.objects.create(
        source="survey",
        external_id=str(number),
        received_at=at(2026, 1, 1) - datetime.timedelta(days=days_ago),
        text=extra.pop("text", f"Feedback number {number}"),
        language=language,
        polarity=polarity,
        department=department,
        **extra,
    )


# --- when ---------------------------------------------------------------------------------------


def test_a_department_is_due_at_its_local_time_on_its_working_days(seoul):
    monday = datetime.date(2026, 3, 9)
    assert due_date(seoul, at(2026, 3, 9, 0, 29)) is None  # 09:29 in Seoul
    assert due_date(seoul, at(2026, 3, 9, 0, 30)) == monday  # 09:30 in Seoul
    assert due_date(seoul, at(2026, 3, 9, 14, 59)) == monday  # 23:59: caught up all day
    assert due_date(seoul, at(2026, 3, 9, 15, 0)) is None  # 00:00 Tuesday, before its time
    assert due_date(seoul, at(2026, 3, 14, 3, 0)) is None  # Saturday
    assert due_date(seoul, at(2026, 5, 5, 3, 0)) is None  # Children's Day, a Korean holiday
    seoul.extra_days_off = ["2026-03-10"]
    assert due_date(seoul, at(2026, 3, 10, 3, 0)) is None
    seoul.voice_paused = True
    assert due_date(seoul, at(2026, 3, 11, 3, 0)) is None
    seoul.voice_paused, seoul.slack_channel_id = False, ""
    assert due_date(seoul, at(2026, 3, 11, 3, 0)) is None


def test_new_york_keeps_its_local_time_across_daylight_saving(new_york):
    # Winter (EST, UTC-5): 09:30 is 14:30 UTC; summer (EDT, UTC-4): 13:30 UTC.
    assert due_date(new_york, at(2026, 3, 6, 14, 29)) is None
    assert due_date(new_york, at(2026, 3, 6, 14, 30)) == datetime.date(2026, 3, 6)
    assert due_date(new_york, at(2026, 3, 9, 13, 29)) is None
    assert due_date(new_york, at(2026, 3, 9, 13, 30)) == datetime.date(2026, 3, 9)
    # The clocks go forward at 02:00 on 8 March: a 02:30 voice goes at 03:00 EDT (07:00 UTC).
    new_york.voice_time = datetime.time(2, 30)
    assert due_date(new_york, at(2026, 3, 8, 6, 59)) is None  # 01:59 EST
    assert due_date(new_york, at(2026, 3, 8, 7, 0)) == datetime.date(2026, 3, 8)  # 03:00 EDT


def test_the_hour_that_happens_twice_sends_once(new_york):
    # 1 November 2026: 01:30 comes at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    new_york.voice_time = datetime.time(1, 30)
    new_york.save()
    feedback(new_york)
    assert services.voice_due(now=at(2026, 11, 1, 5, 29)) == []
    assert services.voice_due(now=at(2026, 11, 1, 5, 30)) == [
        (new_york.pk, datetime.date(2026, 11, 1))
    ]
    services.voice_send(department=new_york, now=at(2026, 11, 1, 5, 30))
    assert services.voice_due(now=at(2026, 11, 1, 6, 30)) == []
    assert DailyVoice.objects.count() == 1


def test_seoul_and_new_york_are_due_each_at_their_own_hour(seoul, new_york):
    feedback(seoul)
    feedback(new_york)
    # 00:30 UTC on Monday 9 March: 09:30 Monday in Seoul, 20:30 Sunday in New York (which
    # works on Sundays): each is due its own local date.
    assert sorted(services.voice_due(now=at(2026, 3, 9, 0, 30))) == sorted(
        [(seoul.pk, datetime.date(2026, 3, 9)), (new_york.pk, datetime.date(2026, 3, 8))]
    )
    assert services.voice_due(now=at(2026, 3, 9, 0, 29)) == [
        (new_york.pk, datetime.date(2026, 3, 8))
    ]
    due = services.voice_due(now=at(2026, 3, 9, 13, 30))
    assert sorted(due) == sorted(
        [(seoul.pk, datetime.date(2026, 3, 9)), (new_york.pk, datetime.date(2026, 3, 9))]
    )


def test_next_voice_days_skip_weekends_and_holidays(seoul):
    days = next_voice_days(seoul, datetime.date(2026, 5, 8), 3)  # Friday 8 May
    assert days == [
        datetime.date(2026, 5, 8),
        datetime.date(2026, 5, 11),
        datetime.date(2026, 5, 12),
    ]
    # Tuesday 5 May is Children's Day.
    assert next_voice_days(seoul, datetime.date(2026, 5, 4), 2) == [
        datetime.date(2026, 5, 4),
        datetime.date(2026, 5, 6),
    ]


# --- exactly once --------------------------------------------------------------------------------


def test_a_send_writes_the_voice_and_its_message_once(seoul):
    item = feedback(seoul, text="Checkout <!channel> failed & I gave up")
    now = at(2026, 3, 9, 0, 30)
    voice = services.voice_send(department=seoul, now=now)
    assert (voice.kind, voice.feedback, voice.local_date) == (
        "feedback",
        item,
        datetime.date(2026, 3, 9),
    )
    again = services.voice_send(department=seoul, now=now + datetime.timedelta(minutes=1))
    assert again.pk == voice.pk
    [message] = OutboxMessage.objects.all()
    assert message.idempotency_key == f"stories:voice:{seoul.pk}:2026-03-09"
    assert message.channel == "CSEOUL001"
    blocks = str(message.blocks)
    assert "&lt;!channel&gt;" in blocks and "<!channel>" not in blocks and "&amp;" in blocks
    assert VOICE_LOOK_INTO in blocks and VOICE_THANKS in blocks
    assert f"/voices/feedback/{item.pk}/" in blocks
    assert "> Checkout" in message.blocks[0]["text"]["text"]
    assert services.voice_due(now=now + datetime.timedelta(minutes=2)) == []


def test_two_ticks_at_once_send_one_voice(seoul, django_capture_on_commit_callbacks, eager_tasks):
    feedback(seoul)
    with mock.patch("stories.services.voice.timezone.now", return_value=at(2026, 3, 9, 0, 31)):
        from stories.tasks import daily_voice_tick_task

        with django_capture_on_commit_callbacks(execute=True):
            first = daily_voice_tick_task()
            second = daily_voice_tick_task()  # the first's send already ran (eager)
    assert (first, second) == (1, 0)
    assert DailyVoice.objects.count() == OutboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_processes_sending_at_the_same_moment_send_once(seoul):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks; CI runs it")
    for _ in range(3):
        feedback(seoul)
    now = at(2026, 3, 9, 0, 30)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def send():
        from django.db import connections

        try:
            barrier.wait()
            results.append(services.voice_send(department=seoul, now=now).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert DailyVoice.objects.count() == OutboxMessage.objects.count() == 1


def test_a_send_killed_before_its_commit_leaves_nothing_and_the_next_tick_sends(seoul):
    feedback(seoul)
    now = at(2026, 3, 9, 0, 30)
    killed = mock.patch("stories.services.voice.outbox_enqueue", side_effect=SystemExit("killed"))
    with killed, pytest.raises(SystemExit):
        services.voice_send(department=seoul, now=now)
    assert DailyVoice.objects.count() == 0
    assert services.voice_due(now=now) == [(seoul.pk, datetime.date(2026, 3, 9))]
    services.voice_send(department=seoul, now=now)
    assert DailyVoice.objects.count() == OutboxMessage.objects.count() == 1


def test_a_missed_tick_is_caught_up_the_same_day_and_never_the_next(seoul):
    feedback(seoul)
    # The scheduler was down from 09:00 to 16:00 in Seoul: the 16:00 tick still sends.
    assert services.voice_due(now=at(2026, 3, 9, 7, 0)) == [(seoul.pk, datetime.date(2026, 3, 9))]
    # Had it stayed down until Tuesday morning, Monday's voice is not sent on Tuesday.
    assert services.voice_due(now=at(2026, 3, 9, 23, 0)) == []  # 08:00 Tuesday
    with pytest.raises(services.VoiceNotSent, match="has passed"):
        services.voice_send(
            department=seoul, day=datetime.date(2026, 3, 9), now=at(2026, 3, 9, 23, 0)
        )
    assert DailyVoice.objects.count() == 0


def test_nothing_is_sent_without_a_channel_or_a_pool(seoul):
    now = at(2026, 3, 9, 0, 30)
    with pytest.raises(services.VoiceNotSent, match="nothing in its pool"):
        services.voice_send(department=seoul, now=now)
    seoul.slack_channel_id = ""
    with pytest.raises(services.VoiceNotSent, match="no Slack channel"):
        services.voice_send(department=seoul, now=now)
    assert DailyVoice.objects.count() == 0


# --- which ----------------------------------------------------------------------------------------


def _send_days(department, days: int, start=datetime.date(2026, 3, 2)):
    """Send on `days` consecutive working days; the voices, oldest first."""
    sent = []
    for day in next_voice_days(department, start, days):
        moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=department.timezone)
        sent.append(services.voice_send(department=department, now=moment))
    return sent


def test_no_voice_is_repeated_until_the_pool_is_used_up(seoul):
    items = [feedback(seoul, days_ago=n) for n in range(5)]
    voices = _send_days(seoul, 7)
    first_cycle = [voice.feedback for voice in voices[:5]]
    assert first_cycle == items  # every item once, the most recent first
    assert [voice.cycle for voice in voices] == [1, 1, 1, 1, 1, 2, 2]
    assert [voice.feedback for voice in voices[5:]] == items[:2]  # a new cycle starts over


def test_never_three_negative_voices_in_a_row(seoul):
    negatives = [feedback(seoul, days_ago=n, polarity=Polarity.NEGATIVE) for n in range(6)]
    positives = [feedback(seoul, days_ago=100 + n, polarity=Polarity.POSITIVE) for n in range(2)]
    voices = _send_days(seoul, 8)
    polarities = [voice.polarity for voice in voices]
    for index in range(2, len(polarities)):
        assert polarities[index - 2 : index + 1] != [Polarity.NEGATIVE] * 3, polarities
    assert {voice.feedback for voice in voices} == set(negatives + positives)


def test_only_negative_voices_are_still_sent(seoul):
    for n in range(3):
        feedback(seoul, days_ago=n, polarity=Polarity.NEGATIVE)
    assert len(_send_days(seoul, 3)) == 3


def test_the_departments_language_comes_first(seoul):
    seoul.voice_languages = ["ko"]
    seoul.save()
    feedback(seoul, days_ago=1, language="en")
    korean = feedback(seoul, days_ago=30, language="ko", text="배송이 늦었어요")
    assert choose_voice(seoul).item == korean


def test_routing_rules_bring_feedback_to_a_department(seoul, new_york):
    tagged = feedback(None, tags=",payment gateway,", market="US")
    feedback(None, tags=",delivery,", market="US")
    rule = VoiceRoute.objects.create(department=new_york, tag="payment gateway", market="us")
    assert route_matches(rule) == 1
    assert choose_voice(new_york).item == tagged
    assert choose_voice(seoul) is None
    assert (
        route_matches(VoiceRoute(department=new_york)) == 0
    )  # a rule naming nothing matches nothing


def test_a_pinned_voice_is_sent_on_its_day(seoul, cx_lead, ambassador):
    feedback(seoul, days_ago=1)
    old = feedback(seoul, days_ago=400)
    day = datetime.date(2026, 3, 9)
    with mock.patch("portal.models.timezone.now", return_value=at(2026, 3, 8)):
        with pytest.raises(PermissionDenied):
            services.voice_pin(
                user=ambassador, department=seoul, day=day, kind="feedback", item_id=old.pk
            )
        with pytest.raises(ValidationError):
            services.voice_pin(
                user=cx_lead,
                department=seoul,
                day=datetime.date(2026, 3, 1),
                kind="feedback",
                item_id=old.pk,
            )
        services.voice_pin(user=cx_lead, department=seoul, day=day, kind="feedback", item_id=old.pk)
    voice = services.voice_send(department=seoul, now=at(2026, 3, 9, 0, 30))
    assert voice.feedback == old and voice.pinned_by == cx_lead
    assert voice.outbox_message is not None


def test_the_preview_shows_the_next_seven_voices_as_sends_would_choose(seoul):
    items = [feedback(seoul, days_ago=n) for n in range(10)]
    days = next_voice_days(seoul, datetime.date(2026, 3, 2), 7)
    preview = voice_preview(seoul, days)
    assert [row[0] for row in preview] == days
    assert [row[1].item for row in preview] == items[:7]
    assert DailyVoice.objects.count() == 0  # a preview writes nothing


def test_the_command_sends_or_shows_one(seoul, capsys):
    feedback(seoul, text="Great support")
    with (
        mock.patch("portal.models.timezone.now", return_value=at(2026, 3, 9, 0, 30)),
        mock.patch("stories.services.voice.timezone.now", return_value=at(2026, 3, 9, 0, 30)),
    ):
        call_command("send_daily_voice", "--department", "seoul-support", "--dry-run")
        assert DailyVoice.objects.count() == 0
        call_command("send_daily_voice", "--department", "seoul-support")
        call_command("send_daily_voice", "--department", "seoul-support")
        out = capsys.readouterr().out
        assert "would send" in out and "Great support" in out and "sent before, not again" in out
        assert DailyVoice.objects.count() == 1
        from django.core.management import CommandError

        with pytest.raises(CommandError):
            call_command(
                "send_daily_voice", "--department", "seoul-support", "--date", "2026-03-01"
            )
    assert "has passed" in capsys.readouterr().out


# --- Slack's answer -----------------------------------------------------------------------------


def test_slack_refusing_shows_on_the_department_and_a_success_clears_it(seoul, slack_live):
    from portal.services.outbox import outbox_deliver
    from tests.slack_fake import slack_error

    feedback(seoul)
    voice = services.voice_send(department=seoul)
    slack_live.script("chat.postMessage", slack_error("not_in_channel"))
    outbox_deliver(message_id=voice.outbox_message_id)
    seoul.refresh_from_db()
    assert seoul.voice_problem == "not_in_channel"
    assert "not_in_channel" in seoul.voice_status
    from portal.services.outbox import outbox_retry

    outbox_retry(message_ids=[voice.outbox_message_id])
    outbox_deliver(message_id=voice.outbox_message_id)
    seoul.refresh_from_db()
    assert seoul.voice_problem == "" and seoul.voice_status == "Posting"


def test_answers_are_counted_once_per_person_and_kind(seoul):
    feedback(seoul)
    voice = services.voice_send(department=seoul)
    assert services.voice_record(voice_id=voice.pk, slack_user_id="U1", kind="button:thanks")
    assert not services.voice_record(voice_id=voice.pk, slack_user_id="U1", kind="button:thanks")
    assert services.voice_record(voice_id=voice.pk, slack_user_id="U1", kind="tada")
    assert services.voice_record(voice_id=voice.pk, slack_user_id="U2", kind="tada")
    assert services.voice_record(voice_id=voice.pk, slack_user_id="U2", kind="tada", added=False)
    voice.refresh_from_db()
    assert (voice.thanks_count, voice.reaction_count) == (1, 1)
