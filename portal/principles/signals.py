"""Wagtail's publishing signals, turned into the principles' records."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from portal.principles.pages import PrinciplePage
from portal.principles.services import principle_release_record, principle_unpublished


@receiver(page_published, sender=PrinciplePage)
def principle_published(sender, instance, revision=None, **kwargs):
    principle_release_record(page=instance, revision=revision)


@receiver(page_unpublished, sender=PrinciplePage)
def principle_taken_down(sender, instance, **kwargs):
    principle_unpublished(page=instance)
