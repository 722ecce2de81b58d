import time

import pytest

from tests.slack_signing import signed_post

pytestmark = pytest.mark.django_db

CHALLENGE = {
    "type": "url_verification",
    "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
}


def test_signed_url_verification_answers_the_challenge(client, slack_live):
    response = signed_post(client, "/slack/events", CHALLENGE, "test-signing-secret")
    assert response.status_code == 200
    assert CHALLENGE["challenge"] in response.content.decode()


def test_wrong_signature_is_refused(client, slack_live):
    response = signed_post(client, "/slack/events", CHALLENGE, "not-the-secret")
    assert response.status_code == 401


def test_replayed_old_request_is_refused(client, slack_live):
    old = int(time.time()) - 60 * 10
    response = signed_post(client, "/slack/events", CHALLENGE, "test-signing-secret", timestamp=old)
    assert response.status_code == 401


def test_preview_mode_says_slack_is_not_configured(client):
    response = signed_post(client, "/slack/events", CHALLENGE, "test-signing-secret")
    assert response.status_code == 503
