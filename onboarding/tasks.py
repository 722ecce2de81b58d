from celery import shared_task

from onboarding import reminders


@shared_task(name="onboarding.reminders")
def onboarding_reminders_task() -> int:
    return reminders.onboarding_reminders_send()
