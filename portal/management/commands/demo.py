import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from portal import lookups
from portal.demo import demo_loaders, write_logins


class Command(BaseCommand):
    help = "Load the demo company (idempotent): departments, people and one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (the demo logins share a published password).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "The demo company has well-known passwords; with DEBUG off pass --force."
            )
        today = timezone.localdate()
        # The demo people have no mailboxes, and Wagtail's review emails sent while stories
        # are submitted would bury the logins `make run` prints: mail is dropped while loading.
        # (Slack messages and notices for people go to the outbox, held in preview mode.)
        # Wagtail logs each story it saves and publishes; the demo's own summary lines suffice.
        wagtail_log = logging.getLogger("wagtail")
        level = wagtail_log.level
        wagtail_log.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                for _name, load in demo_loaders():
                    load(today=today, stdout=self.stdout)
        finally:
            wagtail_log.setLevel(level)
            # The loaders backdate rows with QuerySet.update(), which sends no signals.
            lookups.forget_all()
        write_logins(self.stdout)
