"""Checking the arguments a web form or a Slack handler passes to a service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


def check_person(user) -> None:
    """Only a signed-in, active person files, thanks or acts on stories and concerns."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied


def as_id(value) -> int | None:
    """An id as a Slack handler or a form may pass it (int, "12"), or None when it is not one."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


SOURCE_URL_MAX = 500


def check_source_url(value, errors: dict) -> str:
    """Where something was heard (a Slack message's permalink): an https link, or nothing."""
    from django.core.validators import URLValidator
    from django.utils.translation import gettext as _

    url = value.strip() if isinstance(value, str) else ""
    if not url:
        return ""
    try:
        if len(url) > SOURCE_URL_MAX:
            raise ValidationError("too long")
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        errors["source_url"] = [_("The source must be an https:// link.")]
        return ""
    return url
