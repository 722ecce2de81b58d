"""The portal's Slack app: Bolt checks Slack's signature and routes events to listeners.

Listeners stay thin: they call services, and later features register theirs with
`register_listeners` in their own `slack.py`.
"""

from __future__ import annotations

import functools

from django.conf import settings
from slack_bolt import App

from portal.slack_client import slack_client


def slack_is_configured() -> bool:
    return bool(settings.SLACK_BOT_TOKEN and settings.SLACK_SIGNING_SECRET)


@functools.cache
def _build_app(token: str, signing_secret: str, api_url: str) -> App:
    return App(
        token=token,
        signing_secret=signing_secret,
        client=slack_client(),
        # The token is checked when the first message goes out; no network call at start-up.
        token_verification_enabled=False,
        # Django's request cycle ends with the response: acknowledge only after listeners ran.
        process_before_response=True,
    )


def bolt_app() -> App:
    return _build_app(
        settings.SLACK_BOT_TOKEN, settings.SLACK_SIGNING_SECRET, settings.SLACK_API_URL
    )
