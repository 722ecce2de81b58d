from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation

from portal.middleware import remember_language
from portal.services.organisation import profile_ensure


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def give_every_user_a_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        profile_ensure(user=instance)


@receiver(user_logged_in)
def use_profile_language(sender, request, user, **kwargs):
    profile = profile_ensure(user=user)
    remember_language(request, profile.language)
    # The rest of this request (allauth's "signed in" message) already speaks it too.
    translation.activate(profile.language)
