import json
import logging
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.slack.app import bolt_app
from tests.slack_signing import FORM, raw_signature, signed_post, signed_raw_post

pytestmark = pytest.mark.django_db

SECRET = "test-signing-secret"
JSON = "application/json"

CHALLENGE = {
    "type": "url_verification",
    "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
}

# The bodies the issue names, none of which Bolt can turn into a payload.
MALFORMED = {
    "malformed_json": (b'{"type": "event_callback", "event": ', JSON),
    "json_array": (b'[{"type": "event_callback"}]', JSON),
    "invalid_utf8": (b'{"type": "\xff\xfe"}', JSON),
    "form_payload_not_json": (b"payload=notjson", FORM),
}

# JSON objects, but not shaped as Bolt's middleware and payload readers expect.
MISSHAPEN = {
    "event_is_a_string": {"type": "event_callback", "event": ""},
    "event_is_null": {"type": "event_callback", "event": None},
    "no_actions": {"type": "block_actions", "actions": []},
    "actions_is_an_object": {"type": "block_actions", "actions": {"action_id": "a"}},
    "authorizations_is_a_number": {"type": "event_callback", "authorizations": 1},
}


def _post(body: bytes, content_type: str, headers: dict | None = None):
    return Client().generic(
        "POST", "/slack/events", body, content_type=content_type, headers=headers or {}
    )


def _errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def _event(event_type: str) -> dict:
    return {
        "type": "event_callback",
        "team_id": "TFAKE",
        "api_app_id": "AFAKE",
        "event_id": "Ev1",
        "event_time": 1700000000,
        "event": {"type": event_type, "user": "U1", "item": {"type": "message"}},
    }


def _block_actions(action_id: str) -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": "TFAKE", "domain": "demo"},
        "user": {"id": "U1", "team_id": "TFAKE"},
        "api_app_id": "AFAKE",
        "trigger_id": "1.2.3",
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": "1"}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


# Signed and routed ---------------------------------------------------------------------------


def test_signed_url_verification_answers_the_challenge(client, slack_live):
    response = signed_post(client, "/slack/events", CHALLENGE, SECRET)
    assert response.status_code == 200
    assert CHALLENGE["challenge"] in response.content.decode()


def test_preview_mode_says_slack_is_not_configured(client):
    response = signed_post(client, "/slack/events", CHALLENGE, SECRET)
    assert response.status_code == 503


def test_signed_event_nobody_listens_to_is_acknowledged_and_logged(slack_live, caplog):
    caplog.set_level(logging.INFO, logger="portal.slack.app")
    body = json.dumps(_event("pin_added")).encode()
    response = signed_raw_post(Client(), "/slack/events", body, SECRET, content_type=JSON)
    assert response.status_code == 200
    [record] = [r for r in caplog.records if "No listener" in r.getMessage()]
    assert record.name == "portal.slack.app"
    assert record.levelno == logging.INFO
    assert "'event_callback'" in record.getMessage()
    assert "'pin_added'" in record.getMessage()
    assert not _errors(caplog)


def test_signed_action_nobody_handles_is_acknowledged_and_logged(slack_live, caplog):
    caplog.set_level(logging.INFO, logger="portal.slack.app")
    response = signed_raw_post(
        Client(), "/slack/events", _block_actions("nobody_handles_this"), SECRET, content_type=FORM
    )
    assert response.status_code == 200
    [record] = [r for r in caplog.records if "No listener" in r.getMessage()]
    assert "'block_actions'" in record.getMessage()
    assert "'nobody_handles_this'" in record.getMessage()
    assert not _errors(caplog)


def test_a_listener_runs_and_its_answer_is_returned(slack_live):
    seen = []

    @bolt_app().action("approve")
    def approve(ack, action):
        seen.append(action["value"])
        ack()

    response = signed_raw_post(
        Client(), "/slack/events", _block_actions("approve"), SECRET, content_type=FORM
    )
    assert response.status_code == 200
    assert seen == ["1"]


def test_a_failing_listener_is_still_a_server_error(slack_live, caplog):
    """Only Bolt's own reading of the payload is the sender's fault; our bugs stay 500."""

    @bolt_app().action("explode")
    def explode(ack):
        raise KeyError("a bug of ours")

    response = signed_raw_post(
        Client(), "/slack/events", _block_actions("explode"), SECRET, content_type=FORM
    )
    assert response.status_code == 500
    assert any("listener failed" in r.getMessage() for r in _errors(caplog))


# Unsigned: refused before anything parses the body ------------------------------------------


def test_wrong_signature_is_refused(client, slack_live):
    response = signed_post(client, "/slack/events", CHALLENGE, "not-the-secret")
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_signature"}


def test_replayed_old_request_is_refused(client, slack_live):
    old = int(time.time()) - 60 * 10
    response = signed_post(client, "/slack/events", CHALLENGE, SECRET, timestamp=old)
    assert response.status_code == 401


def test_bolt_still_checks_the_signature_behind_ours(slack_live, monkeypatch):
    monkeypatch.setattr("portal.views.verify_slack_request", lambda body, headers: True)
    body = json.dumps(CHALLENGE).encode()
    stamp = str(int(time.time()))
    headers = {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": raw_signature("not-the-secret", stamp, body),
    }
    response = _post(body, JSON, headers)
    assert response.status_code == 401
    assert CHALLENGE["challenge"] not in response.content.decode()


@pytest.mark.parametrize("name", MALFORMED)
def test_unsigned_malformed_body_is_refused_without_parsing(slack_live, caplog, name):
    body, content_type = MALFORMED[name]
    stamp = str(int(time.time()))
    response = _post(
        body,
        content_type,
        {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + "0" * 64},
    )
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_signature"}
    [warning] = [r for r in caplog.records if r.name == "portal.slack.app"]
    assert warning.levelno == logging.WARNING
    assert "does not match" in warning.getMessage()
    assert "event_callback" not in warning.getMessage()  # the body is never logged
    assert not _errors(caplog)


@pytest.mark.parametrize(
    ("timestamp", "reason"),
    [
        pytest.param("not-a-number", "not a number", id="non_numeric"),
        pytest.param("١٧٠٠٠٠٠٠٠٠", "not a number", id="arabic_indic_digits"),
        pytest.param("9" * 5000, "not a number", id="too_many_digits"),
        pytest.param(" 1700000000", "not a number", id="padded"),
    ],
)
def test_timestamp_that_is_not_a_number_is_refused(slack_live, caplog, timestamp, reason):
    # Correctly signed over that timestamp, so only the timestamp check can refuse it.
    body = json.dumps(CHALLENGE).encode()
    headers = {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": raw_signature(SECRET, timestamp, body),
    }
    response = _post(body, JSON, headers)
    assert response.status_code == 401
    assert any(reason in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert not _errors(caplog)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no_headers"),
        pytest.param({"X-Slack-Signature": "v0=abc"}, id="no_timestamp"),
        pytest.param({"X-Slack-Request-Timestamp": "NOW"}, id="no_signature"),
        pytest.param(
            {"X-Slack-Request-Timestamp": "NOW", "X-Slack-Signature": "v0=é"}, id="non_ascii"
        ),
    ],
)
def test_missing_or_non_ascii_headers_are_refused(slack_live, caplog, headers):
    headers = {k: v.replace("NOW", str(int(time.time()))) for k, v in headers.items()}
    response = _post(json.dumps(CHALLENGE).encode(), JSON, headers)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_signature"}
    assert not _errors(caplog)


# Signed but unreadable: the sender's fault, 400 ---------------------------------------------


@pytest.mark.parametrize("name", MALFORMED)
def test_signed_malformed_body_is_a_bad_request(slack_live, caplog, name):
    body, content_type = MALFORMED[name]
    response = signed_raw_post(Client(), "/slack/events", body, SECRET, content_type=content_type)
    assert response.status_code == 400
    assert response.json() == {"error": "malformed_request"}
    [warning] = [r for r in caplog.records if r.name == "portal.slack.app"]
    assert warning.levelno == logging.WARNING
    assert "cannot read" in warning.getMessage()
    assert not _errors(caplog)


@pytest.mark.parametrize("name", MISSHAPEN)
def test_signed_payload_bolt_cannot_route_is_a_bad_request(slack_live, caplog, name):
    body = json.dumps(MISSHAPEN[name]).encode()
    response = signed_raw_post(Client(), "/slack/events", body, SECRET, content_type=JSON)
    assert response.status_code == 400
    assert any(r.levelno == logging.WARNING for r in caplog.records if r.name == "portal.slack.app")
    assert not _errors(caplog)


# Fuzz: whatever arrives, never a 500 --------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
# Keys Bolt looks at, so that generated payloads reach its middleware and matchers.
_slack_keys = st.sampled_from(
    ["type", "event", "actions", "view", "command", "callback_id", "action_id", "team",
     "user", "channel", "authorizations", "response_urls", "challenge", "workflow_step",
     "message", "is_ext_shared_channel", "enterprise", "token", "ssl_check"]
)  # fmt: skip
_slack_values = st.sampled_from(
    ["event_callback", "block_actions", "view_submission", "url_verification", "shortcut",
     "block_suggestion", "message", "app_mention", "workflow_step_edit", "interactive_message"]
)  # fmt: skip
_slackish = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6) | _slack_values,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_slack_keys, inner, max_size=4),
    max_leaves=12,
)
_bodies = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    _json.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(_slack_keys, _slackish, max_size=5).map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=4).map(
        lambda v: urlencode(v).encode()
    ),
    st.dictionaries(_slack_keys, _slackish, max_size=5).map(
        lambda v: urlencode({"payload": json.dumps(v)}).encode()
    ),
)
_content_types = st.sampled_from(
    [JSON, FORM, "application/json; charset=utf-8", "text/plain", "multipart/form-data", ""]
) | st.text(max_size=20)
_header_values = st.none() | st.text(max_size=30) | st.integers().map(str)


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    # slack_live and caplog are set up once for all examples; each example makes its own
    # client and clears the captured records, so nothing carries over between examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=_bodies,
    content_type=_content_types,
    signed=st.booleans(),
    timestamp=_header_values,
    signature=_header_values,
)
def test_no_request_makes_the_endpoint_fail(
    slack_live, caplog, body, content_type, signed, timestamp, signature
):
    caplog.clear()
    headers = {}
    if signed:
        timestamp = str(int(time.time()))
        signature = raw_signature(SECRET, timestamp, body)
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    response = _post(body, content_type, headers)
    assert response.status_code in ({200, 400} if signed else {401})
    assert not _errors(caplog), [r.getMessage() for r in _errors(caplog)]
