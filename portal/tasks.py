from celery import shared_task

from portal.services import outbox


@shared_task(name="portal.outbox_deliver")
def outbox_deliver_task(message_id: int) -> None:
    outbox.outbox_deliver(message_id=message_id)


@shared_task(name="portal.outbox_sweep")
def outbox_sweep_task() -> int:
    return outbox.outbox_sweep()
