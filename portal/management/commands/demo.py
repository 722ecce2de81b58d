from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.demo import demo_load


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
        result = demo_load(today=timezone.localdate())
        self.stdout.write(
            f"Demo company ready: {result.departments} departments, {result.people} people."
        )
        self.stdout.write(f"Sign in at {settings.SITE_URL}/ with any of these:")
        width = max(len(role) for role, _email, _pw in result.logins)
        for role, email, password in result.logins:
            self.stdout.write(f"  {role.ljust(width)}  {email}  /  {password}")
