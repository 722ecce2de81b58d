"""The daily CX triage digest: one message in the CX team's channel on each working morning."""

from __future__ import annotations

import datetime
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import OutboxMessage
from portal.services.outbox import outbox_enqueue
from portal.slack.text import site_url, slack_escape, slack_link
from stories.channels import cx_channels
from stories.masking import mask_identifiers
from stories.models import Concern
from stories.selectors.triage import DigestSection, digest_sections

TASK_NAME = "stories.triage_digest"
KEY_PREFIX = "stories:triage-digest:"
# Where the CX team sits, if beat's schedule for the digest names no zone.
DEFAULT_ZONE = "Asia/Seoul"
# Without an earlier digest, "new" means filed in the last day.
FIRST_WINDOW = datetime.timedelta(hours=24)
ROWS_PER_SECTION = 10


def schedule_zone(task_name: str) -> zoneinfo.ZoneInfo:
    """The zone of a digest's schedule (beat's crontab row), which decides what "today" is."""
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.filter(task=task_name).select_related("crontab").first()
    name = str(task.crontab.timezone) if task and task.crontab else DEFAULT_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_ZONE)


def digest_zone() -> zoneinfo.ZoneInfo:
    return schedule_zone(TASK_NAME)


def digest_key(now: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return f"{KEY_PREFIX}{now.astimezone(zone).date().isoformat()}"


def _since(now: datetime.datetime) -> datetime.datetime:
    """When the previous digest was written, so nothing filed over a weekend is left out."""
    last = (
        OutboxMessage.objects.filter(idempotency_key__startswith=KEY_PREFIX, created_at__lt=now)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return last or now - FIRST_WINDOW


def _concern_line(concern: Concern) -> str:
    url = site_url(reverse("stories:concern_detail", args=[concern.pk]))
    # The CX channel may hold more people than the CX team: identifiers stay out of Slack.
    title = slack_link(url, mask_identifiers(concern.title))
    return f"• {title} · {slack_escape(str(concern.touchpoint))} · {concern.get_severity_display()}"


def _heading(section: DigestSection) -> str:
    headings = {
        "new": ngettext("%(count)d new concern", "%(count)d new concerns", section.count),
        "overdue": ngettext(
            "%(count)d concern past its SLA", "%(count)d concerns past their SLA", section.count
        ),
        "waiting_for_owner": ngettext(
            "%(count)d concern waiting for an owner",
            "%(count)d concerns waiting for an owner",
            section.count,
        ),
    }
    return "*" + headings[section.key] % {"count": section.count} + "*"


def _more(section: DigestSection) -> str:
    """A link to the rest of the section in the triage queue ("" when all are shown)."""
    if section.count <= len(section.rows):
        return ""
    queue = {
        "new": {"state": Concern.State.NEW},
        "overdue": {"overdue": "true"},
        "waiting_for_owner": {"waiting_for_owner": "true"},
    }
    more = section.count - len(section.rows)
    url = site_url(f"{reverse('stories:triage')}?{urlencode(queue[section.key])}")
    return slack_link(
        url, ngettext("and %(count)d more", "and %(count)d more", more) % {"count": more}
    )


def _section_text(section: DigestSection) -> str:
    lines = [_heading(section), *(_concern_line(concern) for concern in section.rows)]
    return "\n".join(filter(None, [*lines, _more(section)]))


def triage_digest_text(*, now: datetime.datetime, since: datetime.datetime) -> str:
    """The digest's text (Slack mrkdwn), in the site's language."""
    sections = digest_sections(since=since, now=now, limit=ROWS_PER_SECTION)
    parts = ["*" + _("CX triage digest") + "*"]
    if not any(section.count for section in sections):
        parts.append(
            _("Nothing waiting: no new concerns, none past its SLA, none without an owner.")
        )
    else:
        parts += [_section_text(section) for section in sections if section.count]
    parts.append(slack_link(site_url(reverse("stories:triage")), _("Open the triage queue")))
    return "\n\n".join(parts)


# The digest's rows that carry their triage controls (two blocks each): the rest are in the
# sections' text, within Slack's 50 blocks a message.
ROWS_WITH_CONTROLS = 15


def triage_digest_blocks(*, now: datetime.datetime, since: datetime.datetime) -> list[dict]:
    """The digest as Block Kit: each section's heading, its first concerns each with their
    triage controls (acknowledge, classify, owner) as on a new concern's message, the others
    as lines; within Slack's 50 blocks a message."""
    from slack_sdk.models.blocks import DividerBlock, MarkdownTextObject, SectionBlock

    from stories.slack_blocks import triage_controls

    def section(text: str) -> SectionBlock:
        return SectionBlock(text=MarkdownTextObject(text=text))

    sections = [s for s in digest_sections(since=since, now=now, limit=ROWS_PER_SECTION) if s.count]
    if not sections:
        return []
    blocks: list = [section("*" + _("CX triage digest") + "*")]
    with_controls: set[int] = set()
    for part in sections:
        blocks += [DividerBlock(), section(_heading(part))]
        lines = []
        for concern in part.rows:
            # A concern in two sections (new and waiting) carries its controls once.
            if concern.pk not in with_controls and len(with_controls) < ROWS_WITH_CONTROLS:
                with_controls.add(concern.pk)
                blocks += [section(_concern_line(concern)), triage_controls(concern)]
            else:
                lines.append(_concern_line(concern))
        rest = "\n".join(filter(None, [*lines, _more(part)]))
        if rest:
            blocks.append(section(rest))
    blocks.append(
        section(slack_link(site_url(reverse("stories:triage")), _("Open the triage queue")))
    )
    return [block.to_dict() for block in blocks]


def triage_digest_post(*, now: datetime.datetime | None = None) -> OutboxMessage | None:
    """Write today's digest to the outbox for the CX channel; None when no channel is set.

    Once a day: the outbox key carries the date in the schedule's zone, so a second tick the
    same day (a retried task, a restarted beat) returns the first message and posts nothing.
    """
    now = now or timezone.now()
    channel = cx_channels().cx
    if not channel:
        return None
    key = digest_key(now, digest_zone())
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        since = _since(now)
        text = triage_digest_text(now=now, since=since)
        blocks = triage_digest_blocks(now=now, since=since)
        return outbox_enqueue(key=key, channel=channel, text=text, blocks=blocks)
