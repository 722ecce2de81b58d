"""Celery tasks of the stories app: thin wrappers that call services."""

from celery import shared_task

from stories.services import digest


@shared_task(name="stories.triage_digest")
def triage_digest_task() -> bool:
    """Beat's weekday-morning tick (row made by migration 0002): True when a digest was written."""
    return digest.triage_digest_post() is not None
