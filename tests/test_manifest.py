"""slack-app-manifest.yml declares what the app uses, and nothing the app does not answer."""

import re
from pathlib import Path

from stories.slack import CONCERN_COMMAND, STORY_COMMAND
from stories.slack_blocks import VOICE_SHORTCUT

MANIFEST = (Path(__file__).resolve().parents[1] / "slack-app-manifest.yml").read_text()


def _listed(heading: str) -> list[str]:
    """The items of a YAML list under `heading:` (this file's own simple layout)."""
    match = re.search(rf"\n(\s*){heading}:\n((?:\1  .*\n|\s*#.*\n)+)", MANIFEST)
    assert match, heading
    return re.findall(r"^\s*- ([^\s#]+)", match.group(2), re.M)


def test_the_commands_and_the_shortcut_are_the_apps():
    assert re.findall(r"- command: (\S+)", MANIFEST) == [STORY_COMMAND, CONCERN_COMMAND]
    assert re.findall(r"callback_id: (\S+)", MANIFEST) == [VOICE_SHORTCUT]


def test_events_interactivity_and_the_home_tab_are_on():
    assert _listed("bot_events") == ["app_home_opened", "reaction_added", "reaction_removed"]
    assert "home_tab_enabled: true" in MANIFEST
    assert re.search(r"interactivity:\n\s+is_enabled: true", MANIFEST)
    assert MANIFEST.count("request_url: https://portal.example.com/slack/events") == 2


def test_the_bot_asks_for_the_scopes_it_uses_only():
    assert _listed("bot") == [
        "commands",
        "chat:write",
        "im:write",
        "users:read",
        "users:read.email",
        "reactions:read",
        "channels:history",
        "groups:history",
        "im:history",
    ]
