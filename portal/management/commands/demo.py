from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.demo import demo_loaders


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
        for _name, load in demo_loaders():
            load(today=today, stdout=self.stdout)
