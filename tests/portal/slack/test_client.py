import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from portal.slack.client import SlackError


def _api_error(status: int, data: dict) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.test/api/chat.postMessage",
        req_args={},
        data=data,
        headers={},
        status_code=status,
    )
    return SlackApiError("refused", response)


@pytest.mark.parametrize(
    ("status", "data", "reason", "transient"),
    [
        (429, {"ok": False, "error": "ratelimited"}, "ratelimited", True),
        (500, {}, "HTTP 500", True),
        (504, {"ok": False, "error": "fatal_error"}, "fatal_error", True),
        (200, {"ok": False, "error": "channel_not_found"}, "channel_not_found", False),
        (200, {"ok": False, "error": "invalid_auth"}, "invalid_auth", False),
        (404, {}, "HTTP 404", False),
    ],
)
def test_slack_errors_say_whether_trying_again_can_help(status, data, reason, transient):
    error = SlackError.from_api_error(_api_error(status, data))
    assert (error.reason, error.transient, error.permanent) == (reason, transient, not transient)
    assert str(error) == reason


def test_a_missing_scope_names_the_scope():
    data = {"ok": False, "error": "missing_scope", "needed": "channels:history"}
    error = SlackError.from_api_error(_api_error(200, data))
    assert error.permanent
    assert error.needed == "channels:history"


def test_a_task_retries_what_slack_may_take_later_and_logs_what_it_refused(caplog):
    import logging

    from portal.slack.client import SlackError, TransientSlackError, slack_call

    def busy(*, client):
        raise SlackError("ratelimited", transient=True)

    def refused(*, client):
        raise SlackError("missing_scope", transient=False, needed="im:write")

    with pytest.raises(TransientSlackError):
        slack_call(busy, "a test call")
    with caplog.at_level(logging.ERROR):
        assert slack_call(refused, "a test call") is None
    assert "Slack refused a test call: missing_scope (the app needs the im:write scope)" in (
        caplog.text
    )
    assert slack_call(lambda *, client: "done", "a test call") == "done"
