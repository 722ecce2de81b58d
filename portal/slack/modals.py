"""Opening a modal within Slack's three seconds, without making Slack wait for the answer.

A trigger id (from a slash command, a shortcut or a button) lets the app open a modal for
three seconds. The listener's ack function builds the modal while Slack waits (reading the
database, not Slack) and leaves it in the request's context with `prepare`; Bolt answers
Slack, then runs `open_prepared` as a lazy listener in a thread of this process, which opens
it with the fresh trigger id at once. A Celery task would be too late: a queue that is busy
for three seconds loses the trigger.

Register both halves: `app.command("/x")(ack=build_it, lazy=[open_prepared])`.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from portal.slack.client import SlackError, respond

PREPARED = "portal_prepared_view"
PREPARED_FAILURE = "portal_prepared_failure"


def prepare(context, view: dict, *, failure: str = "") -> None:
    """Leave a modal for `open_prepared`; `failure` is said (ephemerally, where Slack gave a
    response URL) if Slack does not open it."""
    context[PREPARED] = view
    if failure:
        context[PREPARED_FAILURE] = failure


def open_prepared(body: dict, context, client, logger: logging.Logger) -> None:
    view = context.get(PREPARED)
    if not view:
        return
    try:
        client.views_open(trigger_id=body.get("trigger_id", ""), view=view)
    except SlackApiError as error:
        reason = SlackError.from_api_error(error).reason
        logger.warning("Slack did not open a modal: %s", reason)
        response_url = body.get("response_url") or ""
        if response_url and context.get(PREPARED_FAILURE):
            try:
                respond(response_url, context[PREPARED_FAILURE])
            except SlackError as answer:
                logger.warning("Slack did not take the answer either: %s", answer.reason)
