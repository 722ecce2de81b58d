"""Cells written for spreadsheets (exports, import reports)."""

import datetime

from django.utils import timezone


def csv_safe(value) -> str:
    """A spreadsheet must not run user text as a formula (=HYPERLINK(…), +cmd…)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def local_text(value) -> str:
    """A moment in the reader's time zone, as CSV text."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def local_naive(value):
    """A moment in the reader's time zone for XLSX, which cannot hold a time zone."""
    return timezone.make_naive(value) if value else None


# Wagtail's SpreadsheetExportMixin.custom_value_preprocess for report views.
LOCAL_DATETIMES = {datetime.datetime: {"csv": local_text, "xlsx": local_naive}}
