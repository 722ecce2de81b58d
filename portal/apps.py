from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    # This module holds more than one AppConfig: say which one "portal" means.
    default = True
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # signals connects receivers; auth and selectors register lookups (portal/lookups.py),
        # so that every process, web or worker, starts a new generation when what they read
        # changes.
        from portal import admin_csp, admin_tags, auth, selectors, signals  # noqa: F401
        from portal.groups import groups_sync_after_migrate
        from portal.principles import signals as principle_signals  # noqa: F401
        from portal.principles.tree import principles_tree_after_migrate

        admin_csp.install()
        admin_tags.install()

        post_migrate.connect(groups_sync_after_migrate, sender=self)
        post_migrate.connect(create_cache_table, sender=self)
        post_migrate.connect(principles_tree_after_migrate, sender=self)


def create_cache_table(using="default", **kwargs) -> None:
    # The database cache (CACHE_URL's default) needs its table; `migrate` makes it so that no
    # deploy step can be forgotten. It does nothing when the table exists or Redis is used.
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class PortalUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with the portal's rule: only superusers hand out admin powers."""

    default = False
    user_viewset = "portal.users_admin.PortalUserViewSet"

    def ready(self) -> None:
        super().ready()
        from django.contrib.auth import get_user_model
        from wagtail.permissions import register_permission_policy

        from portal.users_admin import PortalUserPermissionPolicy

        user_model = get_user_model()
        register_permission_policy(user_model, PortalUserPermissionPolicy(user_model))
