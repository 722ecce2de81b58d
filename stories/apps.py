from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Customer voices")

    def ready(self) -> None:
        # Review outcomes (Wagtail's workflow signals) tell the story's submitter.
        from stories import signals

        signals.connect()
        # They register lookups (portal/lookups.py): every process must see their models change.
        from stories.selectors import concern, story  # noqa: F401
