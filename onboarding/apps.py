from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self):
        from django.db.models.signals import post_migrate

        from onboarding import signals

        signals.connect()
        from onboarding.tree import onboarding_tree_after_migrate

        post_migrate.connect(onboarding_tree_after_migrate, sender=self)
