from celery import shared_task

from onboarding import reminders


@shared_task(name="onboarding.reminders")
def onboarding_reminders_task() -> int:
    return reminders.onboarding_reminders_send()


@shared_task(name="onboarding.programme_sync")
def onboarding_programme_sync_task(programme_id: int) -> int:
    from onboarding.services import programme_sync

    return programme_sync(programme_id=programme_id)
