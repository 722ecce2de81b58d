from celery import shared_task

from portal.services import outbox, slack_members
from portal.slack import home
from portal.slack.client import TransientSlackError, slack_call


@shared_task(name="portal.outbox_deliver")
def outbox_deliver_task(message_id: int) -> None:
    outbox.outbox_deliver(message_id=message_id)


@shared_task(name="portal.outbox_sweep")
def outbox_sweep_task() -> int:
    return outbox.outbox_sweep()


@shared_task(
    name="portal.slack_home_publish",
    autoretry_for=(TransientSlackError,),
    retry_backoff=5,
    max_retries=3,
)
def slack_home_publish_task(slack_user_id: str) -> bool:
    """Publish a member's App Home; Slack's refusals are logged, its hiccups retried."""
    return slack_call(home.home_publish, "App Home", slack_user_id=slack_user_id)


@shared_task(
    name="portal.slack_member_introduce",
    autoretry_for=(TransientSlackError,),
    retry_backoff=5,
    max_retries=3,
)
def slack_member_introduce_task(slack_user_id: str, response_url: str, again: str) -> None:
    """Look up a Slack member not known yet, and tell them what came of it."""
    slack_call(
        slack_members.slack_member_introduce,
        "a member lookup",
        slack_user_id=slack_user_id,
        response_url=response_url,
        again=again,
    )


# The principles' tasks live with them; importing them here lets Celery find them.
from portal.principles.tasks import (  # noqa: E402, F401
    principle_ask_task,
    principle_reminders_task,
    publish_scheduled_task,
)
