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
