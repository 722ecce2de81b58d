from celery import shared_task

from portal.principles import reminders


@shared_task(name="portal.principle_ask")
def principle_ask_task(principle_id: int, version: int) -> int:
    return reminders.principle_ask(principle_id=principle_id, version=version)


@shared_task(name="portal.principle_acknowledge_slack")
def principle_acknowledge_slack_task(
    slack_user_id: str, principle_id: int, version: int, action_ts: str
) -> bool:
    from portal.principles.services import principle_acknowledge_from_slack

    return principle_acknowledge_from_slack(
        slack_user_id=slack_user_id, principle_id=principle_id, version=version, action_ts=action_ts
    )


@shared_task(name="portal.principle_reminders")
def principle_reminders_task() -> int:
    return reminders.principle_reminders_send()


@shared_task(name="portal.publish_scheduled")
def publish_scheduled_task() -> None:
    """Wagtail's own `publish_scheduled`, on the beat: pages go live on time without cron."""
    from django.core.management import call_command

    call_command("publish_scheduled")
