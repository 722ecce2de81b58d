"""The Slack Web API client the portal uses everywhere, and what its errors mean."""

from __future__ import annotations

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)


class AnyServerErrorRetryHandler(ServerErrorRetryHandler):
    """slack-sdk's handler retries 500 and 503 only; Slack's edge also answers 502 and 504."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        return response is not None and 500 <= response.status_code <= 599


def slack_is_live() -> bool:
    """Without a bot token the portal is in preview mode and sends nothing."""
    return bool(settings.SLACK_BOT_TOKEN)


class SlackError(Exception):
    """A Slack call that failed, and whether trying it again later may succeed.

    Rate limits and server errors are transient; anything else Slack refused (a bad channel,
    a missing scope, a revoked token) stays refused however often it is sent.
    """

    def __init__(self, reason: str, *, transient: bool, needed: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        # The scope Slack says the call lacks, when it says so (missing_scope).
        self.needed = needed

    @property
    def permanent(self) -> bool:
        return not self.transient

    @classmethod
    def from_api_error(cls, exc: SlackApiError) -> SlackError:
        status = exc.response.status_code
        return cls(
            exc.response.get("error") or f"HTTP {status}",
            transient=status == 429 or status >= 500,
            needed=exc.response.get("needed") or "",
        )


def slack_client() -> WebClient:
    retries = settings.SLACK_MAX_RETRIES
    return WebClient(
        token=settings.SLACK_BOT_TOKEN or None,
        base_url=settings.SLACK_API_URL,
        timeout=settings.SLACK_TIMEOUT,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=retries),
            ConnectionErrorRetryHandler(max_retry_count=retries),
            AnyServerErrorRetryHandler(max_retry_count=retries),
        ],
    )


class TransientSlackError(SlackError):
    """A Slack call worth trying again later (tasks retry on it)."""


def slack_call(function, what: str, **arguments):
    """Call `function(client=…, **arguments)`, which talks to Slack, for a task.

    A permanent refusal (a missing scope, a channel that is gone) is logged as an error with
    what Slack said, and None returned: trying again would not help, and it is never dropped
    without a word. A transient one is raised as TransientSlackError for the task to retry.
    """
    import logging

    try:
        return function(client=slack_client(), **arguments)
    except SlackError as error:
        if error.transient:
            raise TransientSlackError(error.reason, transient=True, needed=error.needed) from error
        logging.getLogger(__name__).error(
            "Slack refused %s: %s%s",
            what,
            error.reason,
            f" (the app needs the {error.needed} scope)" if error.needed else "",
        )
        return None


def respond(response_url: str, text: str) -> None:
    """Answer a person ephemerally through the `response_url` Slack gave with their command,
    shortcut or click (valid for 30 minutes). Raises SlackError when Slack refuses."""
    from slack_sdk.webhook import WebhookClient

    response = WebhookClient(response_url, timeout=settings.SLACK_TIMEOUT).send(
        text=text, response_type="ephemeral", replace_original=False
    )
    status = response.status_code
    if status != 200:
        raise SlackError(
            (response.body or f"HTTP {status}")[:200], transient=status == 429 or status >= 500
        )
