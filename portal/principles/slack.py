"""The acknowledge button, in the App Home and in the DMs that ask.

Thin: the handler answers Slack at once and hands the click to a task (services decide).
"""

from __future__ import annotations

import re

from django.db import transaction

from portal.principles.messages import ACKNOWLEDGE, read_value


def acknowledge_clicked(ack, body, action) -> None:
    ack()
    slack_user_id = (body.get("user") or {}).get("id", "")
    target = read_value(action.get("value", ""))
    if not slack_user_id or target is None:
        return
    from portal.principles.tasks import principle_acknowledge_slack_task

    principle_id, version = target
    action_ts = action.get("action_ts", "")
    transaction.on_commit(
        lambda: principle_acknowledge_slack_task.delay(
            slack_user_id, principle_id, version, action_ts
        )
    )


def register(app) -> None:
    app.action(re.compile(f"^{ACKNOWLEDGE}"))(acknowledge_clicked)
