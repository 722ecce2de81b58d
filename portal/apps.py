from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from portal import signals  # noqa: F401  (connects receivers)
        from portal.groups import groups_sync_after_migrate

        post_migrate.connect(groups_sync_after_migrate, sender=self)
