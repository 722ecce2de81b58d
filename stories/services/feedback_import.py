"""Importing customer feedback from CSV and XLSX files: read, check, upsert, report.

One function, `feedback_import`, serves `manage.py import_feedback` and the admin's import
task. It streams: a CSV is read a record at a time, an XLSX with openpyxl's read-only mode,
and rows are written a batch at a time, so memory stays flat whatever the file's size.

- Columns (see the README, "Importing feedback"): required `external_id`, `received_at`,
  `text`; optional `source`, `market`, `language`, `score`, `touchpoint`, `product`, `tags`,
  `customer`. Header names are matched case-insensitively; unknown columns are ignored and
  named in the result.
- A file in an unknown format, in no encoding we read, or without a required column is
  refused before anything is written (ImportFormatError). A bad row is reported with its line,
  column and reason, and the valid rows around it are kept.
- Upsert by (source, external id); a row whose content is as stored is not written again, so
  importing the same file twice changes nothing.

The CSV and XLSX parsing is the standard library's csv and openpyxl; written here is only
the mapping of their cells onto FeedbackItem.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.spreadsheets import csv_safe
from stories.models import FeedbackItem, ScoreScale
from stories.polarity import polarity_of
from stories.services.feedback import MAX_TEXT

REQUIRED = ("external_id", "received_at", "text")
OPTIONAL = (
    "source",
    "market",
    "language",
    "score",
    "touchpoint",
    "product",
    "tags",
    "customer",
)
BATCH = 1000
SNIFF_BYTES = 64 * 1024
SOURCE = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,49}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
MARKET = re.compile(r"^[A-Z]{2}$")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MAX_EXTERNAL_ID = 200
MAX_PRODUCT = 100
MAX_CUSTOMER = 200
MAX_TAGS = 500
# Fields an import writes again when a row has changed (never who filed it, nor its department).
UPDATE_FIELDS = [
    "received_at",
    "text",
    "language",
    "market",
    "score",
    "score_scale",
    "polarity",
    "product",
    "tags",
    "customer",
    "touchpoint",
    "content_hash",
    "updated_at",
]


class ImportFormatError(Exception):
    """The file as a whole cannot be read: nothing of it was imported."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list]]  # (line number, cells)
    total: int  # rows after the header, as far as can be known before reading them


def report_row(error: RowError) -> list[str]:
    """A report line, safe to open in a spreadsheet (a cell starting = + - @ is not run)."""
    return [csv_safe(cell) for cell in (error.line, error.column, error.value, error.reason)]


# --- reading a file --------------------------------------------------------------------------


def scale_for(source: str, scale: str = "") -> str:
    """The score scale: as given, else NPS for a source named nps..., else a 1–5 rating."""
    if scale:
        return scale
    return ScoreScale.NPS if "nps" in source else ScoreScale.RATING


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # CP949 is Microsoft's superset of EUC-KR: what Korean Excel saves "CSV" in.
    for encoding in ("utf-8", "cp949"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFormatError(
        _("The file is in an encoding this import does not read: save it as UTF-8 CSV.")
    )


def _count_and_check(binary: IO[bytes], encoding: str) -> int:
    """Lines after the header, reading the whole file once so a bad byte stops it up front."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    offset = 0
    last = b"\n"
    binary.seek(0)
    while chunk := binary.read(1024 * 1024):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            raise ImportFormatError(
                _(
                    "The file is not all in one encoding (it reads as %(encoding)s until byte "
                    "%(byte)d): save it again as UTF-8 CSV."
                )
                % {"encoding": encoding, "byte": offset + error.start}
            ) from error
        offset += len(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    if last != b"\n":
        lines += 1
    binary.seek(0)
    return max(0, lines - 1)


def _csv_table(binary: IO[bytes]) -> Table:
    head = binary.read(SNIFF_BYTES)
    if b"\0" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFormatError(_("This is not a CSV or XLSX file."))
    encoding = _encoding(head)
    total = _count_and_check(binary, encoding)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    first = head.decode(encoding, errors="ignore").lstrip("\ufeff").split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFormatError(_("The file is empty.")) from None

    def rows() -> Iterator[tuple[int, list]]:
        end = reader.line_num
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                yield start, cells

    return Table(header=header, rows=rows(), total=total)


def _xlsx_table(binary: IO[bytes]) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError or its own errors
        raise ImportFormatError(
            _("This XLSX file cannot be read: %(error)s") % {"error": error}
        ) from error
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = ["" if cell is None else str(cell) for cell in next(values)]
    except StopIteration:
        raise ImportFormatError(_("The file is empty.")) from None

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for line, cells in enumerate(values, start=2):
                if any(cell not in (None, "") for cell in cells):
                    yield line, list(cells)
        finally:
            workbook.close()

    return Table(header=header, rows=rows(), total=max(0, (sheet.max_row or 1) - 1))


def read_table(binary: IO[bytes], name: str = "") -> Table:
    """The file's header and rows, CSV (UTF-8, with or without BOM, or CP949) or XLSX."""
    head = binary.read(8)
    binary.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_table(binary)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFormatError(
            _("Excel 97–2003 (.xls) files are not read: save the sheet as .xlsx or CSV.")
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFormatError(_("This XLSX file cannot be read: it is not a workbook."))
    return _csv_table(binary)


def _column_name(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(header).strip().lstrip("\ufeff").lower())


# --- one row ---------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _received_at(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    else:
        text = _text(value)
        if not text:
            raise ValueError(_("Give the date the feedback was received."))
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _("Not a date: write it as 2026-03-31 or 2026-03-31T14:05:00+09:00.")
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + datetime.timedelta(days=1):
        raise ValueError(_("This date is in the future."))
    return moment


def _score(value, scale: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(_("Not a number.")) from None
    low, high = (0, 10) if scale == ScoreScale.NPS else (1, 5)
    if not number.is_integer() or not low <= number <= high:
        raise ValueError(
            _("A score on this scale is a whole number from %(low)d to %(high)d.")
            % {"low": low, "high": high}
        )
    return int(number)


class _Rows:
    """Turns cells into FeedbackItem fields, gathering every error of a row."""

    def __init__(self, columns: dict[str, int], *, source: str, scale: str):
        self.columns = columns
        self.source = source
        self.scale = scale
        Touchpoint = apps.get_model("ambassadors", "Touchpoint")
        self.touchpoints: dict[str, int] = {}
        for pk, slug, name in Touchpoint.objects.values_list("pk", "slug", "name"):
            self.touchpoints[slug.lower()] = pk
            self.touchpoints[name.lower()] = pk

    def cell(self, cells: list, name: str):
        index = self.columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def parse(self, line: int, cells: list) -> tuple[dict | None, list[RowError]]:
        errors: list[RowError] = []
        values: dict = {}

        def check(name: str, parse: Callable):
            raw = self.cell(cells, name)
            try:
                values[name] = parse(raw)
            except ValueError as error:
                errors.append(RowError(line, name, _text(raw)[:100], str(error)))

        check("source", self._source)
        source = values.get("source") or self.source
        scale = scale_for(source, self.scale)
        check("external_id", self._external_id)
        check("received_at", _received_at)
        check("text", self._feedback_text)
        check("score", lambda raw: _score(raw, scale))
        check("market", self._market)
        check("language", self._language)
        check("touchpoint", self._touchpoint)
        check("product", lambda raw: self._short(raw, MAX_PRODUCT))
        check("customer", lambda raw: self._short(raw, MAX_CUSTOMER))
        check("tags", self._tags)
        if errors:
            return None, errors
        text = values["text"]
        fields = {
            "source": source,
            "external_id": values["external_id"],
            "received_at": values["received_at"],
            "text": text,
            "language": values["language"] or ("ko" if HANGUL.search(text) else "en"),
            "market": values["market"],
            "score": values["score"],
            "score_scale": scale if values["score"] is not None else "",
            "polarity": polarity_of(score=values["score"], scale=scale, text=text),
            "product": values["product"],
            "tags": values["tags"],
            "customer": values["customer"],
            "touchpoint_id": values["touchpoint"],
        }
        digest = json.dumps(fields, default=str, sort_keys=True, ensure_ascii=False)
        fields["content_hash"] = hashlib.blake2b(digest.encode(), digest_size=16).hexdigest()
        return fields, []

    def _source(self, raw) -> str:
        text = _text(raw).lower()
        if not text:
            if not self.source:
                raise ValueError(_("Give the source, in this column or for the whole file."))
            return ""
        if not SOURCE.match(text):
            raise ValueError(_("A source is lower-case letters, digits, - and _, e.g. zendesk."))
        return text

    @staticmethod
    def _external_id(raw) -> str:
        text = _text(raw)
        if not text:
            raise ValueError(_("Give the item's id in its source."))
        if len(text) > MAX_EXTERNAL_ID:
            raise ValueError(_("Keep this to %(max)d characters.") % {"max": MAX_EXTERNAL_ID})
        return text

    @staticmethod
    def _feedback_text(raw) -> str:
        text = _text(raw)
        if not text:
            raise ValueError(_("Give the customer's words."))
        if len(text) > MAX_TEXT:
            raise ValueError(_("Keep this to %(max)d characters.") % {"max": MAX_TEXT})
        return text

    @staticmethod
    def _market(raw) -> str:
        text = _text(raw).upper()
        if text and not MARKET.match(text):
            raise ValueError(_("A market is a two-letter country code, e.g. KR or US."))
        return text

    @staticmethod
    def _language(raw) -> str:
        text = _text(raw).lower().replace("_", "-")
        if text and not LANGUAGE.match(text):
            raise ValueError(_("A language is a code such as en, ko or pt-br."))
        return text

    def _touchpoint(self, raw) -> int | None:
        text = _text(raw)
        if not text:
            return None
        found = self.touchpoints.get(text.lower())
        if found is None:
            raise ValueError(_("No touchpoint has this name or slug."))
        return found

    @staticmethod
    def _short(raw, limit: int) -> str:
        text = _text(raw)
        if len(text) > limit:
            raise ValueError(_("Keep this to %(max)d characters.") % {"max": limit})
        return text

    @staticmethod
    def _tags(raw) -> str:
        tags = [tag.strip() for tag in _text(raw).split(",")]
        tags = list(dict.fromkeys(tag for tag in tags if tag))
        stored = f",{','.join(tags)}," if tags else ""
        if len(stored) > MAX_TAGS:
            raise ValueError(_("Keep the tags to %(max)d characters.") % {"max": MAX_TAGS})
        return stored


# --- writing ---------------------------------------------------------------------------------


def _write(batch: dict[tuple[str, str], dict], *, dry_run: bool) -> tuple[int, int, int]:
    """Upsert one batch; (created, updated, unchanged)."""
    by_source: dict[str, list[str]] = {}
    for source, external_id in batch:
        by_source.setdefault(source, []).append(external_id)
    stored: dict[tuple[str, str], str] = {}
    for source, ids in by_source.items():
        for external_id, digest in FeedbackItem.objects.filter(
            source=source, external_id__in=ids
        ).values_list("external_id", "content_hash"):
            stored[(source, external_id)] = digest
    created = [key for key in batch if key not in stored]
    changed = [key for key in batch if key in stored and stored[key] != batch[key]["content_hash"]]
    if not dry_run and (created or changed):
        with transaction.atomic():
            FeedbackItem.objects.bulk_create(
                [FeedbackItem(**batch[key]) for key in created + changed],
                update_conflicts=True,
                unique_fields=["source", "external_id"],
                update_fields=UPDATE_FIELDS,
            )
    return len(created), len(changed), len(batch) - len(created) - len(changed)


def feedback_import(
    binary: IO[bytes],
    *,
    name: str = "",
    source: str = "",
    scale: str = "",
    dry_run: bool = False,
    on_error: Callable[[RowError], None] = lambda error: None,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
) -> ImportResult:
    """Import a feedback file; every bad row goes to `on_error`, progress to `on_progress`.

    Raises ImportFormatError, having written nothing, when the file as a whole is unreadable.
    With dry_run, everything is checked and counted and nothing is written.
    """
    source = (source or "").strip().lower()
    if source and not SOURCE.match(source):
        raise ImportFormatError(_("A source is lower-case letters, digits, - and _, e.g. zendesk."))
    if scale and scale not in ScoreScale.values:
        raise ImportFormatError(_("The score scale is nps or rating."))
    table = read_table(binary, name)
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(table.header):
        column = _column_name(header)
        if column in REQUIRED or column in OPTIONAL:
            columns.setdefault(column, index)
        elif column:
            unknown.append(str(header).strip())
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise ImportFormatError(
            _("Required columns are missing: %(missing)s. The file's columns are: %(found)s.")
            % {
                "missing": ", ".join(missing),
                "found": ", ".join(str(h) for h in table.header if h) or "-",
            }
        )
    if not source and "source" not in columns:
        raise ImportFormatError(_("Give the source: a source column, or one for the whole file."))
    on_progress(0, table.total)
    parser = _Rows(columns, source=source, scale=scale)
    result = ImportResult(unknown_columns=unknown, dry_run=dry_run)
    batch: dict[tuple[str, str], dict] = {}
    line = 1

    def flush() -> None:
        created, updated, unchanged = _write(batch, dry_run=dry_run)
        result.created += created
        result.updated += updated
        result.unchanged += unchanged
        batch.clear()
        on_progress(min(line - 1, table.total) if table.total else line - 1, table.total)

    for line, cells in table.rows:
        result.rows += 1
        fields, errors = parser.parse(line, cells)
        if errors:
            result.invalid += 1
            for error in errors:
                on_error(error)
            continue
        key = (fields["source"], fields["external_id"])
        if key in batch:  # the same item twice in one batch: the later row wins, the
            result.unchanged += 1  # earlier one adds nothing
        batch[key] = fields
        if len(batch) >= BATCH:
            flush()
    flush()
    on_progress(table.total or result.rows, table.total or result.rows)
    return result


# --- an import started in the admin ----------------------------------------------------------


def import_start(*, user, upload, source: str = "", scale: str = "", dry_run: bool = False):
    """Keep the uploaded file and queue its import (stories.feedback_import task)."""
    from stories.models import FeedbackImport

    if not user.has_perm("stories.add_feedbackimport"):
        raise PermissionDenied
    job = FeedbackImport(
        original_name=upload.name[:255],
        source=source,
        score_scale=scale,
        dry_run=dry_run,
        started_by=user,
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    transaction.on_commit(lambda: _schedule_import(job.pk))
    return job


def _schedule_import(import_id: int) -> None:
    from stories.tasks import feedback_import_task

    feedback_import_task.delay(import_id)


def import_run(*, import_id: int):
    """Run a queued import once, keeping its progress, counts and report on the row."""
    from django.core.files import File

    from portal.services.notify import speaking_to
    from stories.models import FeedbackImport

    started = FeedbackImport.objects.filter(pk=import_id, state=FeedbackImport.State.QUEUED).update(
        state=FeedbackImport.State.RUNNING
    )
    if not started:
        return None
    job = FeedbackImport.objects.select_related("started_by").get(pk=import_id)
    rows = FeedbackImport.objects.filter(pk=import_id)

    def on_progress(done: int, total: int) -> None:
        rows.update(rows_done=done, rows_total=total)

    language = speaking_to(job.started_by) if job.started_by else contextlib.nullcontext()
    with tempfile.TemporaryFile("w+b") as spool, language:
        text = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
        report = csv.writer(text)
        report.writerow(["line", "column", "value", "reason"])
        try:
            with job.file.open("rb") as binary:
                result = feedback_import(
                    binary,
                    name=job.original_name,
                    source=job.source,
                    scale=job.score_scale,
                    dry_run=job.dry_run,
                    on_error=lambda error: report.writerow(report_row(error)),
                    on_progress=on_progress,
                )
        except ImportFormatError as error:
            job.state = FeedbackImport.State.FAILED
            job.error = str(error)
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "error", "finished_at"])
            return job
        finally:
            text.flush()
            text.detach()  # the spool stays open for the report
        job.refresh_from_db(fields=["rows_done", "rows_total"])
        for name in ("created", "updated", "unchanged", "invalid", "unknown_columns"):
            setattr(job, name, getattr(result, name))
        if result.invalid:
            spool.seek(0)
            job.report.save(f"{job.pk}-report.csv", File(spool), save=False)
        job.state = FeedbackImport.State.DONE
        job.finished_at = timezone.now()
        job.save()
    return job
