"""Slack's message-text rules: escaping user text, and showing text as a reader would see it.

slack-sdk has no helper for either (it sends text as given), so the few rules Slack documents
under "Formatting text for app surfaces" are written here once.
"""

import html
import re

from django.conf import settings

_CONTROL = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def slack_escape(text: str) -> str:
    """Make user text inert in Slack: no <!channel>, no @mention, no link markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_link(url: str, label: str) -> str:
    """A link whose label is user text, escaped so it cannot close the link early."""
    return f"<{url}|{slack_escape(label).replace('|', '¦')}>"


def _control(match: re.Match) -> str:
    target, label = match.group(1), match.group(2)
    if label:
        return label if target[:1] in "@#!" else f"{label} ({target})"
    if target.startswith("!"):
        return "@" + target[1:].split("^", 1)[0]
    if target.startswith("@"):
        return target
    if target.startswith("#"):
        return target
    return target


def slack_to_plain(text: str) -> str:
    """The text a person reads in Slack for this message text, without its markup."""
    return html.unescape(_CONTROL.sub(_control, text))


def site_url(path: str) -> str:
    """An absolute link to a portal page, for messages read outside the portal."""
    return settings.SITE_URL + path


ELLIPSIS = "…"


def cut(text: str, limit: int) -> str:
    """Plain text of at most `limit` characters, cut at a word with an ellipsis if longer."""
    text = " ".join((text or "").split()) if "\n" not in (text or "") else (text or "").strip()
    if len(text) <= limit:
        return text
    head = text[: max(limit - len(ELLIPSIS), 0)]
    if " " in head[limit // 2 :]:
        head = head[: head.rindex(" ")]
    return head.rstrip() + ELLIPSIS


def fit(text: str, limit: int, *, more_url: str = "", more_label: str = "") -> str:
    """User text escaped for mrkdwn in at most `limit` characters: if it is longer, cut (never
    inside an escape) with an ellipsis, and a link to the whole text when `more_url` is given.

    Cutting happens before escaping, so `&amp;` is never left half.
    """
    escaped = slack_escape(text or "")
    if len(escaped) <= limit:
        return escaped
    tail = f" {slack_link(more_url, more_label)}" if more_url else ""
    room = limit - len(tail)
    low, high = 0, len(text)
    # The longest cut whose escaped form fits: escaping only lengthens, so search it.
    while low < high:
        middle = (low + high + 1) // 2
        if len(slack_escape(cut(text, middle))) <= room:
            low = middle
        else:
            high = middle - 1
    return slack_escape(cut(text, low)) + tail
