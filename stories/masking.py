"""Customer identifiers hidden from those who do not need them: one function for every place.

Pages and Slack messages call `mask_identifiers` on free text and `mask_reference` on a
customer reference when the reader is not allowed to see them (stories.rules). The text is
stored as typed: the CX team and a concern's owner still see it whole.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# A run of 8 to 15 digits in the shapes phone numbers are written in: an optional country
# code, an optional area code in brackets, then groups split by spaces, dots or dashes
# (+1 (415) 555-0132, 415.555.0132, +44 20 7946 0958, 010-1234-5678, 01012345678,
# +82 10-1234-5678, 02-312-3456). ASCII-only look-arounds, so Korean text written straight
# against a number ("연락처010-1234-5678로") still has the number found.
PHONE = re.compile(
    r"(?<![0-9A-Za-z+])"
    r"(?:\+\d{1,3}[\s.\-]?)?"
    r"(?:\(\d{1,4}\)[\s.\-]?)?"
    r"\d{1,4}(?:[\s.\-]?\d{3,4}){1,3}"
    r"(?![0-9A-Za-z])"
)
# Dates look like short phone numbers; they are not identifiers.
DATE = re.compile(r"^\d{4}[\-./]\d{1,2}[\-./]\d{1,2}$")
MIN_PHONE_DIGITS = 8
MAX_PHONE_DIGITS = 15


def _phone(match: re.Match) -> str:
    found = match.group(0)
    digits = sum(ch.isdigit() for ch in found)
    if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS or DATE.match(found):
        return found
    return _("[phone hidden]")


def mask_identifiers(text: str) -> str:
    """The text with email addresses and phone numbers replaced by a placeholder."""
    if not text:
        return text
    text = EMAIL.sub(lambda _match: _("[email hidden]"), text)
    return PHONE.sub(_phone, text)


def mask_reference(reference: str) -> str:
    """A customer reference as those without the right see it: that there is one, not what."""
    return _("[hidden]") if reference else ""
