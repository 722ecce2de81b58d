"""Asked once, reminded after 3 and 7 working days at 09:00 in each person's own time zone,
never on a day off, and after 14 days their manager hears of it; each message once."""

from __future__ import annotations

import datetime

import pytest

from portal.models import OutboxMessage, Profile
from portal.principles.models import Acknowledgement, Principle
from portal.principles.reminders import principle_ask, principle_reminders_send
from portal.principles.services import principle_acknowledge
from tests.factories import DepartmentFactory, UserFactory
from tests.portal.principles.helpers import principle

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Thursday 3 December 2026, 01:00 UTC: 10:00 on Thursday in Seoul, 20:00 on Wednesday in New York.
ASKED = datetime.datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def people(db):
    seoul = DepartmentFactory(name="Support Seoul", slug="seoul", timezone="Asia/Seoul")
    new_york = DepartmentFactory(
        name="Success NY",
        slug="ny",
        timezone="America/New_York",
        extra_days_off=["2026-12-07"],  # a company day off in New York
    )
    boss = UserFactory(email="boss@example.com", department=seoul)
    kim = UserFactory(email="kim@example.com", department=seoul)
    ana = UserFactory(email="ana@example.com", department=new_york)
    Profile.objects.filter(user=kim).update(slack_user_id="U0KIM00001", manager=boss)
    Profile.objects.filter(user=ana).update(slack_user_id="U0ANA00001", language="ko")
    return {"boss": boss, "kim": kim, "ana": ana}


@pytest.fixture
def asked(people):
    page = principle()
    state = Principle.objects.get(translation_key=page.translation_key)
    Acknowledgement.objects.all().delete()  # asked at ASKED below, not when the page was made
    OutboxMessage.objects.all().delete()
    principle_ask(principle_id=state.pk, version=1, now=ASKED)
    return state


def reminders(user) -> int:
    return OutboxMessage.objects.filter(
        idempotency_key__startswith="principles:remind:",
        idempotency_key__contains=f":{user.pk}:",
    ).count()


def test_everyone_is_asked_once_in_their_own_language(people, asked):
    for person in people.values():
        assert (
            OutboxMessage.objects.filter(
                idempotency_key__startswith="principles:ask:",
                idempotency_key__endswith=f":{person.pk}",
            ).count()
            == 1
        )
    principle_ask(principle_id=asked.pk, version=1, now=ASKED)
    assert OutboxMessage.objects.filter(idempotency_key__startswith="principles:ask:").count() == 3
    kim_dm = OutboxMessage.objects.get(channel="U0KIM00001")
    assert "Help clients succeed" in kim_dm.text and kim_dm.blocks
    # Ana reads Korean; the page has no Korean version yet, so its English title is linked.
    ana_dm = OutboxMessage.objects.get(channel="U0ANA00001")
    assert "새 CX 원칙" in ana_dm.text and "Help clients succeed" in ana_dm.text


def test_the_first_reminder_comes_after_three_working_days_at_nine_local(people, asked):
    kim, ana = people["kim"], people["ana"]
    # Seoul: Fri 4, Mon 7, Tue 8 → Tuesday 8 December 09:00 KST (00:00 UTC).
    # New York, asked on Wednesday evening: Thu 3, Fri 4, (Mon 7 is a day off) Tue 8 →
    # Tuesday 8 December 09:00 EST (14:00 UTC).
    principle_reminders_send(now=at(2026, 12, 7, 23, 59))
    assert reminders(kim) == reminders(ana) == 0
    principle_reminders_send(now=at(2026, 12, 8, 0, 0))
    assert (reminders(kim), reminders(ana)) == (1, 0)
    principle_reminders_send(now=at(2026, 12, 8, 13, 59))
    assert reminders(ana) == 0
    principle_reminders_send(now=at(2026, 12, 8, 14, 0))
    principle_reminders_send(now=at(2026, 12, 8, 15, 0))  # the next hourly run: nothing again
    assert (reminders(kim), reminders(ana)) == (1, 1)
    dm = OutboxMessage.objects.get(
        idempotency_key__startswith="principles:remind:", channel="U0ANA00001"
    )
    assert dm.text.startswith("알림:")  # Ana reads Korean


def test_the_second_reminder_after_seven_working_days_never_on_a_weekend(people, asked):
    kim = people["kim"]
    principle_reminders_send(now=at(2026, 12, 8, 0, 0))
    # Seoul's 7th working day is Monday 14 December; the weekend before sends nothing.
    principle_reminders_send(now=at(2026, 12, 12, 3, 0))  # Saturday noon in Seoul
    principle_reminders_send(now=at(2026, 12, 13, 3, 0))  # Sunday noon
    assert reminders(kim) == 1
    principle_reminders_send(now=at(2026, 12, 14, 0, 0))  # Monday 09:00 KST
    assert reminders(kim) == 2
    last = OutboxMessage.objects.filter(
        idempotency_key__startswith="principles:remind:", channel="U0KIM00001"
    ).order_by("-pk")[0]
    assert "A last reminder" in last.text


def test_a_reminder_missed_over_a_weekend_goes_out_on_the_next_working_morning(people, asked):
    # Nothing ran until Monday 14 December in Seoul: one reminder (the second) catches up,
    # not two at once.
    principle_reminders_send(now=at(2026, 12, 14, 0, 30))
    assert reminders(people["kim"]) == 1


def test_after_fourteen_days_the_manager_is_told_once(people, asked):
    kim, boss = people["kim"], people["boss"]
    principle_reminders_send(now=ASKED + datetime.timedelta(days=13, hours=23))
    assert not OutboxMessage.objects.filter(
        idempotency_key__startswith="principles:manager:"
    ).exists()
    principle_reminders_send(now=ASKED + datetime.timedelta(days=14))
    principle_reminders_send(now=ASKED + datetime.timedelta(days=15))
    [note] = OutboxMessage.objects.filter(idempotency_key__startswith="principles:manager:")
    assert note.idempotency_key.endswith(f":{kim.pk}")
    # The boss has no Slack member ID: an email, naming the person.
    assert note.transport == OutboxMessage.Transport.EMAIL and note.channel == boss.email
    assert "Kim" in note.text or str(kim) in note.text


def test_who_acknowledged_or_left_the_audience_hears_nothing_more(people, asked):
    kim, ana = people["kim"], people["ana"]
    principle_acknowledge(user=kim, principle=asked, version=1)
    ana.is_active = False
    ana.save()
    principle_reminders_send(now=at(2026, 12, 20, 0, 0))
    assert reminders(kim) == reminders(ana) == 0
    assert not OutboxMessage.objects.filter(
        idempotency_key__startswith="principles:manager:"
    ).exists()


def test_a_newcomer_to_the_audience_is_asked_on_the_next_run(people, asked):
    newcomer = UserFactory(email="newcomer@example.com")
    principle_reminders_send(now=at(2026, 12, 4, 1, 0))
    assert OutboxMessage.objects.filter(
        idempotency_key=f"principles:ask:{asked.pk}:1:{newcomer.pk}"
    ).exists()
    ack = Acknowledgement.objects.get(principle=asked, user=newcomer)
    assert ack.asked_at == at(2026, 12, 4, 1, 0)
