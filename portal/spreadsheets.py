"""Cells written for spreadsheets (exports, import reports)."""


def csv_safe(value) -> str:
    """A spreadsheet must not run user text as a formula (=HYPERLINK(…), +cmd…)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
