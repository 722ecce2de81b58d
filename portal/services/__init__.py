"""Writes, one module per concept: `organisation` (people) and `outbox` (Slack messages).

Import the module you need (`from portal.services import outbox`). The names below are
re-exported only for views and admin hooks still written against the single services module.
"""

from portal.services.organisation import (
    check_language,
    profile_ensure,
    profile_mirror_to_wagtail,
    profile_set_language,
    profile_update,
)
from portal.services.outbox import outbox_retry

__all__ = [
    "check_language",
    "outbox_retry",
    "profile_ensure",
    "profile_mirror_to_wagtail",
    "profile_set_language",
    "profile_update",
]
