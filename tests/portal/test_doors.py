"""tests/door_app comes in through every door the portal offers, as a feature app would."""

import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client

from portal import groups
from portal.demo import demo_loaders
from portal.home import sections_for
from portal.models import Profile
from portal.slack.app import slack_modules
from tests.door_app.slack import COMMAND
from tests.slack_signing import FORM, signed_raw_post

pytestmark = pytest.mark.django_db

SECRET = "test-signing-secret"


def test_a_registered_section_appears_on_the_home_page(client, new_hire):
    client.force_login(new_hire)
    body = client.get("/").content.decode()
    assert 'id="section-door"' in body
    assert "Through the door" in body
    assert "Welcome, Customer Support" in body
    # Its place comes after the portal's five.
    assert body.index('id="section-concerns"') < body.index('id="section-door"')


def test_a_hook_returning_none_shows_nothing(client, outsider):
    client.force_login(outsider)
    body = client.get("/").content.decode()
    assert 'id="section-door"' not in body
    assert 'id="section-voice"' in body


def test_sections_are_the_same_list_for_every_surface(new_hire):
    profile = Profile.objects.select_related("department").get(user=new_hire)
    keys = [s.key for s in sections_for(user=new_hire, profile=profile)]
    assert keys == [
        "voice",
        "onboarding",
        "principles",
        "stories",
        "my_stories",
        "my_concerns",
        "concerns",
        "door",
    ]


def test_discovery_finds_slack_modules_only_in_apps_that_have_one():
    # stories has one; ambassadors and onboarding have none.
    assert [module.__name__ for module in slack_modules()] == [
        "stories.slack",
        "tests.door_app.slack",
    ]


def test_a_signed_command_reaches_the_listener_the_app_registered(slack_live):
    body = urlencode(
        {
            "command": COMMAND,
            "text": "knock knock",
            "user_id": "U0DOOR",
            "team_id": "TFAKE",
            "channel_id": "C0DOOR",
            "trigger_id": "1.2.3",
            "response_url": "https://hooks.slack.test/commands/1",
        }
    ).encode()
    response = signed_raw_post(
        Client(), "/slack/events", body, SECRET, content_type=FORM, timestamp=str(int(time.time()))
    )
    # With no listener Bolt's answer would be an empty 200.
    assert response.status_code == 200
    assert "The door opened for U0DOOR with 'knock knock'." in response.content.decode()


def test_demo_loaders_run_the_portals_first_then_in_installed_apps_order(settings, capsys):
    assert [name for name, _load in demo_loaders()] == [
        "portal.demo",
        "ambassadors.demo",
        "stories.demo",
        "portal.principles.demo",
        "onboarding.demo",
        "tests.door_app.demo",
    ]
    settings.DEBUG = True
    call_command("demo")
    output = capsys.readouterr().out
    assert output.index("Demo company ready") < output.index("Door demo loaded")


def test_an_apps_group_permissions_are_gathered_and_granted():
    assert "contenttypes.view_contenttype" in groups.group_permissions()[groups.CX_TEAM]
    cx_team = Group.objects.get(name=groups.CX_TEAM)
    assert cx_team.permissions.filter(
        content_type__app_label="contenttypes", codename="view_contenttype"
    ).exists()
    # The portal's own list is left as it was.
    assert "contenttypes.view_contenttype" not in groups.GROUP_PERMISSIONS[groups.CX_TEAM]


def test_an_app_may_not_invent_a_group(monkeypatch):
    from tests.door_app import groups as door_groups

    monkeypatch.setattr(door_groups, "GROUP_PERMISSIONS", {"Door keepers": ["portal.view_user"]})
    with pytest.raises(ValueError, match="Door keepers"):
        groups.group_permissions()
