"""Sign requests to /slack/events the way Slack does, with the app's signing secret."""

import hashlib
import hmac
import json
import time

from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"


def signed_post(
    client,
    path: str,
    payload: dict,
    secret: str,
    *,
    timestamp: int | None = None,
    headers: dict | None = None,
):
    body = json.dumps(payload)
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return client.post(
        path,
        data=body,
        content_type="application/json",
        headers={
            **(headers or {}),
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        },
    )


def raw_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature over the bytes as sent, whether or not they are UTF-8."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_raw_post(
    client, path: str, body: bytes, secret: str, *, content_type: str, timestamp: str | None = None
):
    stamp = timestamp if timestamp is not None else str(int(time.time()))
    return client.post(
        path,
        data=body,
        content_type=content_type,
        headers={
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": raw_signature(secret, stamp, body),
        },
    )


def slash_command(
    client,
    command: str,
    secret: str,
    *,
    user_id: str,
    text: str = "",
    response_url: str = "",
    trigger_id: str = "1337.42.abcd",
    timestamp: str | None = None,
):
    """A slash command as Slack sends it: a signed form post to /slack/events."""
    from urllib.parse import urlencode

    body = urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": "TFAKE",
            "team_domain": "demo",
            "channel_id": "C0GENERAL1",
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "AFAKE",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    ).encode()
    return signed_raw_post(
        client, "/slack/events", body, secret, content_type=FORM, timestamp=timestamp
    )


def interaction(client, payload: dict, secret: str, *, timestamp: str | None = None):
    """An interactive payload (a click, a shortcut, a submitted modal) as Slack sends it."""
    from urllib.parse import urlencode

    body = urlencode({"payload": json.dumps(payload)}).encode()
    return signed_raw_post(
        client, "/slack/events", body, secret, content_type=FORM, timestamp=timestamp
    )
