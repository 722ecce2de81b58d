"""Sign requests to /slack/events the way Slack does, with the app's signing secret."""

import json
import time

from slack_sdk.signature import SignatureVerifier


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
