from celery import shared_task

from portal import services


@shared_task(name="portal.outbox_deliver")
def outbox_deliver_task(message_id: int) -> None:
    services.outbox_deliver(message_id=message_id)


@shared_task(name="portal.outbox_sweep")
def outbox_sweep_task() -> int:
    return services.outbox_sweep()
