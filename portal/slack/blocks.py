"""Block Kit for the portal's Slack surfaces: modals, App Home, messages with buttons.

Built with slack-sdk's model classes (slack_sdk.models), whose own validation refuses what Slack
would refuse; the helpers here only keep within Slack's limits what people typed (cut with an
ellipsis) and read back what a modal's inputs hold. Each input's block id is the name of the
service argument it carries, so a service's ValidationError maps back onto the right block.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from portal.slack.text import cut

# Slack's limits (Block Kit reference); slack-sdk refuses a view that passes them.
MODAL_TITLE = 24
BUTTON_TEXT = 75
OPTION_TEXT = 75
SECTION_TEXT = 3000
HEADER_TEXT = 150
CONTEXT_TEXT = 3000
INPUT_LABEL = 2000
INPUT_HINT = 2000
PLAIN_INPUT = 3000
MODAL_BLOCKS = 100
HOME_BLOCKS = 100
MESSAGE_BLOCKS = 50
PRIVATE_METADATA = 3000
# Every input's one element answers to this action id; the block id says which input it is.
VALUE = "value"


def plain(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=cut(str(text), limit), emoji=True)


def option(label: str, value: object) -> Option:
    return Option(text=plain(label, OPTION_TEXT), value=str(value))


def _matching(options: Sequence[Option], values: Iterable[object]) -> list[Option]:
    wanted = {str(value) for value in values if value not in (None, "")}
    return [choice for choice in options if choice.value in wanted]


def text_input(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    initial: str = "",
    optional: bool = False,
    max_length: int | None = None,
    hint: str = "",
) -> InputBlock:
    limit = min(max_length or PLAIN_INPUT, PLAIN_INPUT)
    return InputBlock(
        block_id=block_id,
        label=plain(label, INPUT_LABEL),
        hint=plain(hint, INPUT_HINT) if hint else None,
        optional=optional,
        element=PlainTextInputElement(
            action_id=VALUE,
            multiline=multiline,
            # What is prefilled (a message shortcut's text) is cut to what Slack accepts.
            initial_value=cut(initial, limit) if initial else None,
            max_length=limit,
        ),
    )


def select(
    block_id: str,
    label: str,
    options: Sequence[Option],
    *,
    initial: object = None,
    optional: bool = False,
    hint: str = "",
) -> InputBlock:
    chosen = _matching(options, [initial])
    return InputBlock(
        block_id=block_id,
        label=plain(label, INPUT_LABEL),
        hint=plain(hint, INPUT_HINT) if hint else None,
        optional=optional,
        element=StaticSelectElement(
            action_id=VALUE,
            options=list(options),
            initial_option=chosen[0] if chosen else None,
        ),
    )


def multi_select(
    block_id: str,
    label: str,
    options: Sequence[Option],
    *,
    initial: Iterable[object] = (),
    optional: bool = False,
    hint: str = "",
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=plain(label, INPUT_LABEL),
        hint=plain(hint, INPUT_HINT) if hint else None,
        optional=optional,
        element=StaticMultiSelectElement(
            action_id=VALUE,
            options=list(options),
            initial_options=_matching(options, initial) or None,
        ),
    )


def checkbox(block_id: str, label: str, choice: str, *, checked: bool = False) -> InputBlock:
    """One checkbox (a yes or no), optional: unchecked is an answer."""
    only = option(choice, "yes")
    return InputBlock(
        block_id=block_id,
        label=plain(label, INPUT_LABEL),
        optional=True,
        element=CheckboxesElement(
            action_id=VALUE, options=[only], initial_options=[only] if checked else None
        ),
    )


def modal(
    *,
    callback_id: str,
    title: str,
    blocks: Sequence,
    submit: str = "",
    close: str = "",
    private_metadata: str = "",
) -> dict:
    """A modal view as Slack takes it, validated by slack-sdk."""
    if len(private_metadata) > PRIVATE_METADATA:
        raise ValueError("A modal's private metadata holds ids, never people's text.")
    view = View(
        type="modal",
        callback_id=callback_id,
        title=plain(title, MODAL_TITLE),
        submit=plain(submit, MODAL_TITLE) if submit else None,
        close=plain(close, MODAL_TITLE) if close else None,
        blocks=list(blocks)[:MODAL_BLOCKS],
        private_metadata=private_metadata or None,
    )
    return view.to_dict()


def submitted(view: Mapping[str, Any]) -> dict[str, Any]:
    """What a submitted modal's inputs hold, by block id: text as typed (or ""), a select's
    value (or None), a multi-select's or checkboxes' values (a list)."""
    values: dict[str, Any] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        state = (actions or {}).get(VALUE) or {}
        kind = state.get("type")
        if kind == "plain_text_input":
            values[block_id] = state.get("value") or ""
        elif kind in ("static_select", "radio_buttons"):
            chosen = state.get("selected_option")
            values[block_id] = chosen.get("value") if chosen else None
        elif kind in ("multi_static_select", "checkboxes"):
            values[block_id] = [o.get("value") for o in state.get("selected_options") or []]
    return values


def errors_for(error: ValidationError, blocks: Iterable[str], *, fallback: str) -> dict[str, str]:
    """A service's ValidationError as a modal's `errors`: each message on the block named
    after its argument, anything else on `fallback`. Slack shows one message a block."""
    known = set(blocks)
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    errors: dict[str, str] = {}
    for name, texts in messages.items():
        block = name if name in known else fallback
        text = " ".join(str(t) for t in texts)
        errors[block] = f"{errors[block]} {text}" if block in errors else text
    return {block: cut(text, INPUT_HINT) for block, text in errors.items()}
