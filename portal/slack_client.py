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


def slack_error_is_transient(exc: SlackApiError) -> bool:
    """Rate limits and server errors may pass; anything else Slack refused stays refused."""
    status = exc.response.status_code
    return status == 429 or status >= 500


def slack_error_reason(exc: SlackApiError) -> str:
    return exc.response.get("error") or f"HTTP {exc.response.status_code}"


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
