import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stories.models import ScoreScale
from stories.services.feedback_import import ImportFormatError, feedback_import, report_row


class Command(BaseCommand):
    help = (
        "Import customer feedback from a CSV (UTF-8 or CP949/EUC-KR) or XLSX file: upsert by "
        "source and external id; every invalid row is printed with its line, column and reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument(
            "--source", default="", help="source of every row without a source column value"
        )
        parser.add_argument(
            "--scale",
            default="",
            choices=["", *ScoreScale.values],
            help="score scale: nps (0-10) or rating (1-5); default nps for a source named "
            "nps..., otherwise rating",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--report", default="", help="also write the invalid rows to this CSV")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        report_file = open(options["report"], "w", newline="") if options["report"] else None  # noqa: SIM115
        report = csv.writer(report_file) if report_file else None
        if report:
            report.writerow(["line", "column", "value", "reason"])

        def on_error(error) -> None:
            self.stdout.write(
                _("line %(line)d, %(column)s: %(reason)s")
                % {"line": error.line, "column": error.column, "reason": error.reason}
            )
            if report:
                report.writerow(report_row(error))

        try:
            with path.open("rb") as binary:
                result = feedback_import(
                    binary,
                    name=path.name,
                    source=options["source"],
                    scale=options["scale"],
                    dry_run=options["dry_run"],
                    on_error=on_error,
                )
        except ImportFormatError as error:
            raise CommandError(str(error)) from error
        finally:
            if report_file:
                report_file.close()
        if result.unknown_columns:
            self.stdout.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(result.unknown_columns)}
            )
        summary = _(
            "%(rows)d rows: %(created)d added, %(updated)d changed, %(unchanged)d unchanged, "
            "%(invalid)d invalid."
        ) % {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "invalid": result.invalid,
        }
        if result.dry_run:
            summary += " " + _("Checked only: nothing was written.")
        self.stdout.write(summary)
