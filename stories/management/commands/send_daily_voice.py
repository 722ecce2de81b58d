import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.models import Department
from portal.slack.text import slack_to_plain
from stories.models import DailyVoice
from stories.services.voice import VoiceNotSent, voice_send
from stories.voice_blocks import voice_item_url, voice_where, voice_words


class Command(BaseCommand):
    help = (
        "Send a department (or every department) its customer voice now, whatever the time of "
        "day: at most one per department and local date. --dry-run shows it instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--department", default="", help="the department's slug")
        parser.add_argument(
            "--date", default="", help="YYYY-MM-DD: must be today for the department"
        )
        parser.add_argument("--dry-run", action="store_true", help="show the voice, send nothing")

    def handle(self, *args, **options):
        departments = Department.objects.order_by("name")
        if options["department"]:
            departments = departments.filter(slug=options["department"])
            if not departments.exists():
                raise CommandError(
                    _("No department has the slug %(slug)s.") % {"slug": options["department"]}
                )
        day = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from None
        failed = 0
        for department in departments:
            local_day = day or department.local_now().date()
            already = (
                DailyVoice.objects.filter(department=department, local_date=local_day)
                .exclude(outbox_message=None)
                .exists()
            )
            try:
                voice = voice_send(department=department, day=day, dry_run=options["dry_run"])
            except VoiceNotSent as reason:
                failed += 1
                self.stdout.write(f"{department.slug}: {reason}")
                continue
            words = slack_to_plain(voice_words(voice.kind, voice.item))
            shown = " ".join(words.split())[:200]
            if already:
                state = _("sent before, not again")
            elif options["dry_run"]:
                state = _("would send")
            else:
                state = _("sent")
            self.stdout.write(
                f"{department.slug} {voice.local_date} ({state}): “{shown}” — "
                f"{voice_where(voice.kind, voice.item)} {voice_item_url(voice)}"
            )
        if failed and options["department"]:
            raise CommandError(_("No voice was sent."))
