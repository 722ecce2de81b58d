"""Celery tasks for ambassadors: thin wrappers over ambassadors.services."""

from celery import shared_task

from ambassadors import services


# Beat runs it hourly (migration 0002): it is idempotent, so a missed run is made up.
@shared_task(name="ambassadors.appointments_daily")
def appointments_daily_task() -> dict[str, int]:
    return services.appointments_daily()
