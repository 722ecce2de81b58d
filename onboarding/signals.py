"""A person given a start date and a department is enrolled, once the change is saved; a
module published in a programme joins the unfinished enrolments of it."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from portal.models import Profile


@receiver(post_save, sender=Profile)
def enrol_new_hire(sender, instance: Profile, raw=False, **kwargs):
    if raw or instance.start_date is None or instance.department_id is None:
        return
    user_id = instance.user_id
    transaction.on_commit(lambda: _enrol(user_id))


def _enrol(user_id: int) -> None:
    from onboarding.services import onboarding_enrol_automatically
    from portal.models import User

    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        onboarding_enrol_automatically(user=user)


def module_published(sender, instance, **kwargs):
    """Registered for ModulePage in apps.py (a sender must be the model class)."""
    programme_id = instance.get_parent().pk
    transaction.on_commit(lambda: _sync(programme_id))


def _sync(programme_id: int) -> None:
    from onboarding.tasks import onboarding_programme_sync_task

    onboarding_programme_sync_task.delay(programme_id)


def connect() -> None:
    from onboarding.pages import ModulePage

    page_published.connect(module_published, sender=ModulePage, dispatch_uid="onboarding-module")
