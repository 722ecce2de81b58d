"""The demo company's daily voice: imported feedback, each department's settings and routing
rules, three weeks of voices already heard (with thanks and reactions), and a pin.

Called by stories/demo.py after the stories and concerns exist. Idempotent: the feedback file
is the same all week (stories/demo_feedback.py), so importing it again changes nothing; rules
are found by department and condition; a day's voice is sent once.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from portal.models import Department, OutboxMessage, User
from stories import demo_feedback
from stories.models import DailyVoice, Story, VoiceRoute
from stories.services.feedback_import import feedback_import
from stories.services.voice import VoiceNotSent, voice_pin, voice_send
from stories.voice import next_voice_days

# slug: (country whose public holidays are days off, languages of its voices)
VOICE_SETTINGS = {
    "support": ("KR", ["ko", "en"]),
    "sales": ("US", ["en"]),
    "billing": ("IN", ["en"]),
    "production": ("JP", ["en"]),
    "marketing": ("GB", ["en"]),
    "product": ("US", ["en"]),
    "engineering": ("DE", ["en"]),
    "people": ("AU", ["en"]),
}
# department slug, conditions: what each department should hear beyond its ambassadors'
# touchpoints.
ROUTES = [
    ("engineering", {"tag": "payment gateway"}),
    ("engineering", {"keyword": "error"}),
    ("product", {"product": "Onboarding"}),
    ("product", {"keyword": "app"}),
    ("marketing", {"market": "US", "touchpoint": "sales"}),
    ("people", {"keyword": "friendly"}),
    ("people", {"keyword": "친절"}),
    ("production", {"product": "Print"}),
    ("sales", {"tag": "pricing"}),
]
HISTORY_DAYS = 15  # working days of voices already heard


def _settings_and_routes() -> None:
    Touchpoint = apps.get_model("ambassadors", "Touchpoint")
    for slug, (country, languages) in VOICE_SETTINGS.items():
        Department.objects.filter(slug=slug, holiday_country="").update(
            holiday_country=country, voice_languages=languages
        )
    touchpoints = {t.slug: t for t in Touchpoint.objects.all()}
    for slug, conditions in ROUTES:
        department = Department.objects.get(slug=slug)
        fields = dict(conditions)
        if "touchpoint" in fields:
            fields["touchpoint"] = touchpoints[fields["touchpoint"]]
        VoiceRoute.objects.get_or_create(department=department, **fields)


def _import(today: datetime.date, stdout: TextIO) -> None:
    count = settings.DEMO_FEEDBACK_ITEMS
    path = demo_feedback.write(
        settings.VAR_DIR / "demo" / "customer-feedback.csv", week_of=today, count=count
    )
    with path.open("rb") as binary:
        result = feedback_import(binary, name=path.name)
    stdout.write(
        f"Customer feedback: {result.rows} rows from {path} "
        f"({result.created} added, {result.updated} changed, {result.unchanged} unchanged).\n"
    )


def _history(department: Department, now: datetime.datetime) -> None:
    """The voices of its last working days, posted (as Slack would have) and answered."""
    today = department.local_now(now).date()
    days = []
    day = today - datetime.timedelta(days=1)
    while len(days) < HISTORY_DAYS and day > today - datetime.timedelta(days=60):
        if department.is_voice_day(day):
            days.append(day)
        day -= datetime.timedelta(days=1)
    for day in reversed(days):
        if DailyVoice.objects.filter(department=department, local_date=day).exists():
            continue
        at = datetime.datetime.combine(day, department.voice_time, department.timezone)
        try:
            voice = voice_send(department=department, day=day, now=at)
        except VoiceNotSent:
            return
        rng = random.Random(f"{department.slug}-{day.isoformat()}")  # noqa: S311 - demo data
        # Slack is not connected in the demo: the message is marked as posted, as it would
        # have been, so the archive reads as a department that has been listening for weeks.
        OutboxMessage.objects.filter(pk=voice.outbox_message_id).update(
            state=OutboxMessage.State.SENT, sent_at=at, slack_ts=f"{at.timestamp():.6f}"
        )
        DailyVoice.objects.filter(pk=voice.pk).update(
            thanks_count=rng.choice([0, 1, 2, 3, 4, 6, 9]),
            look_into_count=rng.choice([0, 0, 0, 1, 2]) if voice.polarity == "negative" else 0,
            reaction_count=rng.choice([0, 1, 2, 3, 5, 8]),
        )


def _pin(cx_lead: User) -> None:
    """The CX team has chosen the refund story for Billing's next working day."""
    billing = Department.objects.get(slug="billing")
    story = Story.objects.filter(live=True, title="A refund with no questions asked").first()
    if story is None:
        return
    tomorrow = billing.local_now().date() + datetime.timedelta(days=1)
    days = next_voice_days(billing, tomorrow, 1)
    if not days or DailyVoice.objects.filter(department=billing, local_date=days[0]).exists():
        return
    voice_pin(
        user=cx_lead, department=billing, day=days[0], kind=DailyVoice.Kind.STORY, item_id=story.pk
    )


def load(*, today: datetime.date, stdout: TextIO, cx_lead: User) -> None:
    _settings_and_routes()
    _import(today, stdout)
    now = timezone.now()
    for department in Department.objects.exclude(slack_channel_id="").order_by("name"):
        _history(department, now)
    _pin(cx_lead)
