"""Celery tasks of the stories app: thin wrappers that call services."""

from celery import shared_task

from portal.models import User
from portal.slack.client import TransientSlackError, respond, slack_call
from stories.services import digest, feedback_import, leadership_digest, slack_filing, voice


@shared_task(name="stories.triage_digest")
def triage_digest_task() -> bool:
    """Beat's weekday-morning tick (row made by migration 0002): True when a digest was written."""
    return digest.triage_digest_post() is not None


@shared_task(name=leadership_digest.TASK_NAME)
def leadership_digest_task() -> bool:
    """Beat's Monday-morning tick (row made by migration 0007): True when a digest was written."""
    return leadership_digest.leadership_digest_post() is not None


# --- Slack: what a modal or a button asked for, after Slack had its answer -------------------

SLACK_RETRY = {"autoretry_for": (TransientSlackError,), "retry_backoff": 5, "max_retries": 3}


def _person(user_id: int):
    return User.objects.filter(pk=user_id, is_active=True).first()


def _file_from_slack(filer, user_id: int, arguments: dict, key: str, channel, ts, link):
    """Run `filer` for the person once the message's permalink (if any) is known: pk or None."""
    person = _person(user_id)
    if person is None:
        return None
    if channel and ts and not link:
        link = slack_call(slack_filing.permalink, "a permalink", channel=channel, ts=ts) or ""
    filed = filer(user=person, arguments=arguments, source_url=link, key=key)
    return filed.pk if filed else None


@shared_task(name="stories.slack_concern_file", **SLACK_RETRY)
def slack_concern_file_task(
    user_id: int, arguments: dict, key: str, channel: str = "", ts: str = "", link: str = ""
) -> int | None:
    return _file_from_slack(
        slack_filing.concern_file_from_slack, user_id, arguments, key, channel, ts, link
    )


@shared_task(name="stories.slack_story_file", **SLACK_RETRY)
def slack_story_file_task(
    user_id: int, arguments: dict, key: str, channel: str = "", ts: str = "", link: str = ""
) -> int | None:
    return _file_from_slack(
        slack_filing.story_file_from_slack, user_id, arguments, key, channel, ts, link
    )


@shared_task(name="stories.slack_feedback_file", **SLACK_RETRY)
def slack_feedback_file_task(
    user_id: int, arguments: dict, key: str, channel: str, ts: str, link: str = ""
) -> int | None:
    person = _person(user_id)
    if person is None:
        return None
    if not link:
        link = slack_call(slack_filing.permalink, "a permalink", channel=channel, ts=ts) or ""
    item = slack_filing.feedback_file_from_slack(
        user=person, arguments=arguments, channel=channel, ts=ts, link=link, key=key
    )
    return item.pk if item else None


@shared_task(name="stories.slack_voice_permalink", **SLACK_RETRY)
def slack_voice_permalink_task(view_id: str, view_hash: str, view: dict, language: str) -> None:
    """Show the message's permalink in the shortcut's modal once Slack has given it."""
    slack_call(
        slack_filing.show_permalink,
        "a modal update",
        view_id=view_id,
        view_hash=view_hash,
        view=view,
        language=language,
    )


@shared_task(name="stories.slack_triage", **SLACK_RETRY)
def slack_triage_task(
    user_id: int,
    action: str,
    concern_id: int,
    department_id: int | None,
    channel: str,
    ts: str,
    response_url: str,
) -> None:
    person = _person(user_id)
    if person is None:
        return
    slack_call(
        slack_filing.triage_from_slack,
        "a triage action",
        user=person,
        action=action,
        concern_id=concern_id,
        department_id=department_id,
        channel=channel,
        ts=ts,
        response_url=response_url,
    )


@shared_task(name="stories.slack_respond", **SLACK_RETRY)
def slack_respond_task(response_url: str, text: str) -> None:
    """Answer a click ephemerally, where the person clicked."""

    def answer(*, client, **_ignored):
        respond(response_url, text)

    slack_call(answer, "an answer")


@shared_task(name="stories.feedback_import")
def feedback_import_task(import_id: int) -> int | None:
    """An import started in the admin: the rows of one uploaded file."""
    job = feedback_import.import_run(import_id=import_id)
    return job.pk if job else None


# --- the daily customer voice -------------------------------------------------------------------


@shared_task(name="stories.daily_voice_tick")
def daily_voice_tick_task() -> int:
    """Beat's tick, every minute (row made by migration 0007): one send task per due department."""
    due = voice.voice_due()
    for department_id, day in due:
        daily_voice_send_task.delay(department_id, day.isoformat())
    return len(due)


@shared_task(name="stories.daily_voice_send")
def daily_voice_send_task(department_id: int, day: str) -> int | None:
    sent = voice.voice_send_due(department_id=department_id, day=day)
    return sent.pk if sent else None


@shared_task(name="stories.voice_answer")
def voice_answer_task(
    voice_id: int | None,
    channel: str,
    ts: str,
    slack_user_id: str,
    kind: str,
    added: bool,
    response_url: str = "",
) -> bool:
    """A button pressed or an emoji on a daily voice: counted once per person and kind."""
    if voice_id is None:
        found = voice.voice_for_message(channel=channel, ts=ts)
        if found is None:
            return False  # an emoji on some other message
        voice_id = found.pk
    counted = voice.voice_record(
        voice_id=voice_id, slack_user_id=slack_user_id, kind=kind, added=added
    )
    if response_url:
        reply = voice.thanks_reply(counted=counted, slack_user_id=slack_user_id)
        slack_respond_task.delay(response_url, reply)
    return counted
