"""`manage.py slack_socket`: the same Slack app over Socket Mode, for a portal Slack cannot
reach. Started for real (a subprocess), against the Web API fake and a local Socket Mode end."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.door_app.slack import COMMAND
from tests.slack_fake import SlackFake
from tests.socket_mode_fake import SocketModeFake

ROOT = Path(__file__).resolve().parents[3]


def test_the_command_serves_the_app_over_socket_mode():
    with SlackFake() as web, SocketModeFake() as socket_end:
        web.socket_url = socket_end.url
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TEST_SLACK_BOT_TOKEN": "xoxb-socket-test",
            "SLACK_APP_TOKEN": "xapp-1-socket-test",
            "SLACK_API_URL": web.url,
        }
        process = subprocess.Popen(
            [sys.executable, "manage.py", "slack_socket"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert socket_end.connected(), "the command did not connect"
            [opened] = web.calls("apps.connections.open")
            assert opened.headers["Authorization"] == "Bearer xapp-1-socket-test"
            socket_end.send(
                {
                    "envelope_id": "env-1",
                    "type": "slash_commands",
                    "accepts_response_payload": True,
                    "payload": {
                        "command": COMMAND,
                        "text": "over the socket",
                        "user_id": "U0SOCKET1",
                        "team_id": "TFAKE",
                        "channel_id": "C0DOOR",
                        "api_app_id": "AFAKE",
                        "trigger_id": "1.2.3",
                        "response_url": web.response_url(),
                    },
                }
            )
            answer = socket_end.wait_for("env-1")
            assert answer["payload"]["text"] == (
                "The door opened for U0SOCKET1 with 'over the socket'."
            )
        finally:
            process.terminate()
            output, _ = process.communicate(timeout=20)
        assert "Connecting to Slack over Socket Mode" in output


@pytest.mark.django_db
def test_the_command_needs_an_app_token(settings):
    settings.SLACK_APP_TOKEN = ""
    with pytest.raises(CommandError, match="SLACK_APP_TOKEN"):
        call_command("slack_socket", stdout=io.StringIO())
