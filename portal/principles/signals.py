"""Wagtail's publishing signals, turned into the principles' records."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from portal.models import Profile, User
from portal.principles.models import Acknowledgement, Principle
from portal.principles.pages import PrinciplePage
from portal.principles.reports import counts_changed
from portal.principles.services import principle_release_record, principle_unpublished


@receiver(page_published, sender=PrinciplePage)
def principle_published(sender, instance, revision=None, **kwargs):
    principle_release_record(page=instance, revision=revision)


@receiver(page_unpublished, sender=PrinciplePage)
def principle_taken_down(sender, instance, **kwargs):
    principle_unpublished(page=instance)


# What the acknowledgement reports count changed (portal/principles/reports.py). Bulk writes
# send no signal: they call counts_changed themselves.
@receiver([post_save, post_delete], sender=Acknowledgement)
@receiver([post_save, post_delete], sender=Principle)
@receiver([post_save, post_delete], sender=Profile)
@receiver([post_save, post_delete], sender=User)
def principle_counts_changed(sender, **kwargs):
    counts_changed()
