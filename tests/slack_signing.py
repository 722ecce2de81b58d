"""Sign requests to /slack/events the way Slack does, with the app's signing secret."""

import hashlib
import hmac
import json
import time

from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"


def signed_post(client, path: str, payload: dict, secret: str, *, timestamp: int | None = None):
    body = json.dumps(payload)
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return client.post(
        path,
        data=body,
        content_type="application/json",
        headers={"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature},
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
