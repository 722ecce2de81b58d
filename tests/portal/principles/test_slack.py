"""The acknowledge button in Slack, through the real HTTP path: a click signed as Slack signs
it, sent to /slack/events; the thank-you DM and the refreshed App Home recorded by the fake."""

from __future__ import annotations

import pytest

from portal.models import Profile
from portal.principles.messages import ACKNOWLEDGE, acknowledge_value
from portal.principles.models import Acknowledgement, Principle
from portal.slack.home import home_view
from tests.portal.principles.helpers import principle, republish
from tests.slack_signing import interaction

pytestmark = pytest.mark.django_db

SECRET = "test-signing-secret"
NEW_HIRE_SLACK = "U0NEWHIRE1"


@pytest.fixture
def slack(slack_live, eager_tasks, new_hire):
    Profile.objects.filter(user=new_hire).update(slack_user_id=NEW_HIRE_SLACK)
    return slack_live


def _click(client, value: str, *, action_id: str = f"{ACKNOWLEDGE}:0", ts: str = "1700.1"):
    payload = {
        "type": "block_actions",
        "team": {"id": "TFAKE", "domain": "demo"},
        "user": {"id": NEW_HIRE_SLACK, "team_id": "TFAKE"},
        "api_app_id": "AFAKE",
        "trigger_id": "5.5.5",
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home"},
        "actions": [
            {
                "block_id": "principles",
                "type": "button",
                "action_id": action_id,
                "value": value,
                "action_ts": ts,
            }
        ],
    }
    return interaction(client, payload, SECRET)


def _buttons(view: dict) -> list[dict]:
    return [
        element
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_the_app_home_offers_the_button_and_a_click_acknowledges(
    client, slack, new_hire, django_capture_on_commit_callbacks
):
    page = principle()
    state = Principle.objects.get(translation_key=page.translation_key)
    [button] = [
        b for b in _buttons(home_view(user=new_hire)) if b["action_id"].startswith(ACKNOWLEDGE)
    ]
    assert button["value"] == acknowledge_value(state.pk, 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _click(client, button["value"], action_id=button["action_id"])
    assert response.status_code == 200
    ack = Acknowledgement.objects.get(principle=state, user=new_hire, version=1)
    assert ack.acknowledged_at is not None
    [thanks] = [p for p in slack.posted() if "you have acknowledged" in p.text]
    assert "Help clients succeed" in thanks.text
    published = slack.wait_for_calls(1, "views.publish")[-1].params
    assert published["user_id"] == NEW_HIRE_SLACK
    assert not [
        b for b in _buttons(home_view(user=new_hire)) if b["action_id"].startswith(ACKNOWLEDGE)
    ]


def test_an_unsigned_click_is_refused_and_counts_nothing(client, slack, new_hire):
    page = principle()
    state = Principle.objects.get(translation_key=page.translation_key)
    response = interaction(
        client,
        {
            "type": "block_actions",
            "user": {"id": NEW_HIRE_SLACK},
            "actions": [{"action_id": ACKNOWLEDGE, "value": acknowledge_value(state.pk, 1)}],
        },
        "not-the-secret",
    )
    assert response.status_code == 401
    assert not Acknowledgement.objects.filter(acknowledged_at__isnull=False).exists()


def test_a_click_on_an_old_version_is_refused_and_the_person_told_why(
    client, slack, new_hire, django_capture_on_commit_callbacks
):
    page = principle()
    state = Principle.objects.get(translation_key=page.translation_key)
    old = acknowledge_value(state.pk, 1)
    republish(page, material=True, statement="Our clients' success is how we measure ourselves.")
    with django_capture_on_commit_callbacks(execute=True):
        assert _click(client, old).status_code == 200
    assert not Acknowledgement.objects.filter(user=new_hire, acknowledged_at__isnull=False).exists()
    [refusal] = [p for p in slack.posted() if "was not acknowledged" in p.text]
    assert "read the new version first" in refusal.text


def test_a_principle_with_a_check_question_sends_the_reader_to_its_page(
    client, slack, new_hire, django_capture_on_commit_callbacks
):
    page = principle(with_question=True)
    state = Principle.objects.get(translation_key=page.translation_key)
    buttons = _buttons(home_view(user=new_hire))
    assert not [b for b in buttons if b["action_id"].startswith(ACKNOWLEDGE)]
    [read] = [b for b in buttons if "principle" in b["action_id"]]
    assert read["url"].endswith("/principles/help-clients-succeed/")
    # A crafted click on the acknowledge action does not skip the question.
    with django_capture_on_commit_callbacks(execute=True):
        _click(client, acknowledge_value(state.pk, 1))
    assert not Acknowledgement.objects.filter(user=new_hire, acknowledged_at__isnull=False).exists()
    assert [p for p in slack.posted() if "check question" in p.text]
