"""What principles say in Slack: the announcement, the ask, the reminders, the manager's note.

User text (titles, statements) is escaped here; the caller picks the language
(portal.services.notify speaks each person's own).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from portal.slack.blocks import BUTTON_TEXT, SECTION_TEXT, plain
from portal.slack.text import site_url, slack_escape, slack_link

# The button that acknowledges from Slack; its value is "<principle id>:<version>".
ACKNOWLEDGE = "principle_acknowledge"


def acknowledge_value(principle_id: int, version: int) -> str:
    return f"{principle_id}:{version}"


def read_value(value: str) -> tuple[int, int] | None:
    try:
        principle_id, version = (int(part) for part in value.split(":", 1))
    except (TypeError, ValueError):
        return None
    return principle_id, version


def _link(page_url: str, title: str) -> str:
    return slack_link(site_url(page_url), title)


def acknowledge_buttons(
    *, principle_id: int, version: int, page_url: str, has_question: bool, suffix: str = ""
) -> list[ButtonElement]:
    """Acknowledge at once, or (with a check question to answer) read it on the portal."""
    if has_question:
        return [
            ButtonElement(
                text=plain(_("Read and acknowledge"), BUTTON_TEXT),
                action_id=f"portal_open_link:principle{suffix}",
                url=site_url(page_url),
                style="primary",
            )
        ]
    return [
        ButtonElement(
            text=plain(_("I have read it: acknowledge"), BUTTON_TEXT),
            action_id=f"{ACKNOWLEDGE}{suffix}",
            value=acknowledge_value(principle_id, version),
            style="primary",
        ),
        ButtonElement(
            text=plain(_("Read it"), BUTTON_TEXT),
            action_id=f"portal_open_link:principle{suffix}",
            url=site_url(page_url),
        ),
    ]


def announcement(release) -> tuple[str, list[dict]]:
    """The company channel's message for a new version of a principle."""
    link = _link(release.page.url or "/", release.title)
    if release.version == 1:
        headline = _("New CX principle: %(link)s") % {"link": link}
    else:
        headline = _("CX principle changed: %(link)s · *material change*") % {"link": link}
    text = f"{headline}\n> {slack_escape(release.statement)}"
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text[:SECTION_TEXT])).to_dict(),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=_("Everyone it applies to is asked to read and acknowledge it.")
                )
            ]
        ).to_dict(),
    ]
    return text, blocks


def ask(*, title: str, statement: str, page_url: str, version: int) -> str:
    link = _link(page_url, title)
    if version == 1:
        line = _("A new CX principle asks you to read and acknowledge it: %(link)s")
    else:
        line = _(
            "A CX principle changed materially: please read what changed and acknowledge it "
            "again: %(link)s"
        )
    return f"{line % {'link': link}}\n> {slack_escape(statement)}"


def reminder(*, title: str, page_url: str, count: int) -> str:
    link = _link(page_url, title)
    if count == 1:
        return _("A reminder: %(link)s is waiting for your acknowledgement.") % {"link": link}
    return _("A last reminder: %(link)s is still waiting for your acknowledgement.") % {
        "link": link
    }


def manager_note(*, person: str, title: str, page_url: str, days: int) -> str:
    return _(
        "%(person)s has not acknowledged %(link)s, asked %(days)s days ago. "
        "A word from you may help."
    ) % {"person": slack_escape(person), "link": _link(page_url, title), "days": days}


def with_buttons(text: str, buttons: list[ButtonElement]) -> list[dict]:
    return [
        SectionBlock(text=MarkdownTextObject(text=text[:SECTION_TEXT])).to_dict(),
        ActionsBlock(elements=buttons).to_dict(),
    ]
