"""The weekly leadership digest: one message in the leadership channel each Monday morning with
the week's most-answered customer voices, the concerns opened and resolved, and the systemic
fixes shipped ("you said, we did")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import OutboxMessage
from portal.services.outbox import outbox_enqueue
from portal.slack.text import fit, site_url, slack_escape, slack_link
from stories.channels import cx_channels
from stories.masking import mask_identifiers
from stories.selectors.leadership import WeekInReview, week_in_review
from stories.services.digest import schedule_zone
from stories.voice_blocks import voice_item_url, voice_where, voice_words

TASK_NAME = "stories.leadership_digest"
KEY_PREFIX = "stories:leadership-digest:"
WEEK = datetime.timedelta(days=7)
QUOTE = 300


def leadership_digest_key(now: datetime.datetime) -> str:
    """One digest per ISO week in the schedule's zone."""
    year, week, _day = now.astimezone(schedule_zone(TASK_NAME)).isocalendar()
    return f"{KEY_PREFIX}{year}-W{week:02d}"


def _voice_line(voice) -> str:
    words = fit(" ".join(voice_words(voice.kind, voice.item).split()), QUOTE)
    answers = ngettext("%(count)d answer", "%(count)d answers", voice.answers) % {
        "count": voice.answers
    }
    where = slack_escape(f"{voice.department} · {voice_where(voice.kind, voice.item)}")
    return f"• “{words}” — {where} · {slack_link(voice_item_url(voice), answers)}"


def _fix_line(concern) -> str:
    url = site_url(reverse("stories:concern_detail", args=[concern.pk]))
    title = slack_link(url, mask_identifiers(concern.title))
    did = fit(" ".join(mask_identifiers(concern.what_we_did).split()), QUOTE)
    owner = slack_escape(str(concern.owner_department or concern.department or ""))
    return f"• {title} ({owner}): {did}"


def leadership_digest_text(week: WeekInReview) -> str:
    """The digest as Slack mrkdwn, user text escaped and customer identifiers masked."""
    parts = ["*" + _("The week in customer voices") + "*"]
    sent = ngettext(
        "%(count)d daily voice was posted.", "%(count)d daily voices were posted.", week.voices_sent
    ) % {"count": week.voices_sent}
    if week.voices:
        parts.append(
            "\n".join(
                [sent + " " + _("The most answered:"), *(_voice_line(v) for v in week.voices)]
            )
        )
    else:
        parts.append(sent + " " + _("None was answered this week."))
    parts.append(
        ngettext("%(count)d concern opened", "%(count)d concerns opened", week.opened)
        % {"count": week.opened}
        + " · "
        + ngettext("%(count)d resolved", "%(count)d resolved", week.resolved)
        % {"count": week.resolved}
    )
    if week.fixes:
        heading = ngettext(
            "%(count)d systemic fix shipped:", "%(count)d systemic fixes shipped:", week.fixes_count
        ) % {"count": week.fixes_count}
        parts.append("\n".join([f"*{heading}*", *(_fix_line(c) for c in week.fixes)]))
    else:
        parts.append(_("No systemic fix shipped this week."))
    parts.append(
        slack_link(site_url(reverse("stories:voice_metrics")), _("Customer metrics"))
        + " · "
        + slack_link(site_url(reverse("stories:you_said_we_did")), _("You said, we did"))
    )
    return "\n\n".join(parts)


def leadership_digest_post(*, now: datetime.datetime | None = None) -> OutboxMessage | None:
    """Write this week's digest to the outbox for the leadership channel (None without one).

    Once a week: the outbox key carries the ISO week, so a repeated tick posts nothing more.
    The window runs from the previous digest (or a week back) to now, so nothing is missed
    when beat was down on a Monday.
    """
    now = now or timezone.now()
    channel = cx_channels().leadership
    if not channel:
        return None
    key = leadership_digest_key(now)
    existing = OutboxMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    previous = (
        OutboxMessage.objects.filter(idempotency_key__startswith=KEY_PREFIX, created_at__lt=now)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    since = max(previous, now - 2 * WEEK) if previous else now - WEEK
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        text = leadership_digest_text(week_in_review(since=since, until=now))
        return outbox_enqueue(key=key, channel=channel, text=text)
