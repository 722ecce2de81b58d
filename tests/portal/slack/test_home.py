"""Slack's App Home: opened (a signed event), acknowledged at once, published by a task with the
home page's places and actions, in the person's language; retries handled once; a member with
no portal account told how to get one."""

from __future__ import annotations

import json

import pytest

from portal.home import HOOK, Item, Section
from portal.models import Profile
from portal.slack.home import section_text
from tests.slack_signing import signed_post
from tests.stories.test_concern_services import XSS, file_concern

pytestmark = pytest.mark.django_db

SECRET = "test-signing-secret"


def _opened(user_id: str, event_id: str = "Ev0HOME1") -> dict:
    return {
        "type": "event_callback",
        "team_id": "TFAKE",
        "api_app_id": "AFAKE",
        "event_id": event_id,
        "event_time": 1764660000,
        "event": {"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": "home"},
    }


def _open(client, user_id: str, *, event_id: str = "Ev0HOME1", retry: str = ""):
    headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
    return signed_post(client, "/slack/events", _opened(user_id, event_id), SECRET, headers=headers)


@pytest.fixture
def linked(slack_live, eager_tasks, ambassador):
    Profile.objects.filter(user=ambassador).update(slack_user_id="U0AMBASS01")
    return slack_live


def test_opening_the_home_tab_publishes_the_home_pages_places(
    client, linked, ambassador, department, django_capture_on_commit_callbacks
):
    file_concern(ambassador, department=department, title=f"Checkout {XSS}")
    with django_capture_on_commit_callbacks(execute=True):
        response = _open(client, "U0AMBASS01")
    assert response.status_code == 200
    [published] = linked.calls("views.publish")
    assert published.params["user_id"] == "U0AMBASS01"
    view = published.params["view"]
    assert view["type"] == "home"
    text = json.dumps(view["blocks"], ensure_ascii=False)
    for title in ("My open concerns", "My department's concerns", "Latest stories", "My stories"):
        assert title in text
    # People's words are escaped: nobody is pinged through a concern's title.
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "<@U0123ABCD>" not in text
    buttons = [e["action_id"] for e in view["blocks"][1]["elements"]]
    assert buttons[:2] == ["stories_open_story", "stories_open_concern"]


def test_the_home_tab_speaks_the_persons_language(
    client, linked, ambassador, django_capture_on_commit_callbacks
):
    Profile.objects.filter(user=ambassador).update(language="ko")
    with django_capture_on_commit_callbacks(execute=True):
        _open(client, "U0AMBASS01")
    text = json.dumps(linked.calls("views.publish")[0].params["view"], ensure_ascii=False)
    assert "이야기 공유하기" in text and "Share a story" not in text


def test_an_event_slack_delivers_again_is_handled_once(
    client, linked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _open(client, "U0AMBASS01", event_id="Ev0TWICE1").status_code == 200
    with django_capture_on_commit_callbacks(execute=True) as retried:
        response = _open(client, "U0AMBASS01", event_id="Ev0TWICE1", retry="1")
    assert response.status_code == 200 and not retried
    assert len(linked.calls("views.publish")) == 1


def test_a_member_with_no_portal_account_sees_how_to_get_one(
    client, slack_live, eager_tasks, django_capture_on_commit_callbacks
):
    slack_live.add_member("U0STRANGE1", "stranger@elsewhere.example")
    with django_capture_on_commit_callbacks(execute=True):
        _open(client, "U0STRANGE1")
    view = slack_live.calls("views.publish")[0].params["view"]
    assert "No portal account" in str(view) and "/accounts/login/|" in str(view)


def test_a_long_section_is_cut_within_slacks_limit_with_a_link_to_all():
    items = [Item(text="x" * 400, url=f"/concerns/{n}/") for n in range(30)]
    section = Section(key="k", title="Many", items=items, empty="-", order=1, url="/concerns/")
    text = section_text(section)
    assert len(text) <= 3000
    assert text.count("• ") < 30 and text.endswith("/concerns/|See all>")


def test_a_section_without_items_says_its_empty_text():
    section = Section(key="k", title="Mine & yours", items=[], empty="Nothing <here>", order=1)
    assert section_text(section) == "*Mine &amp; yours*\n_Nothing &lt;here&gt;_"


def test_a_features_section_reaches_the_home_tab(
    client, linked, django_capture_on_commit_callbacks
):
    from wagtail import hooks

    def mine(*, user, profile):
        return Section(key="mine", title="Through the door", items=["a <b>"], empty="-", order=99)

    with hooks.register_temporarily(HOOK, mine), django_capture_on_commit_callbacks(execute=True):
        _open(client, "U0AMBASS01")
    assert "*Through the door*\\n• a &lt;b&gt;" in str(linked.calls("views.publish")[0].params)


def test_the_home_tab_shows_todays_voice_for_my_department(
    client, linked, ambassador, department, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from stories.models import FeedbackItem
    from stories.services.voice import voice_send

    department.slack_channel_id = "C0SUPPORT1"
    department.save()
    Profile.objects.filter(user=ambassador).update(department=department)
    FeedbackItem.objects.create(
        source="nps-survey",
        external_id="1",
        received_at=timezone.now(),
        text=f"The courier was early {XSS}",
        department=department,
    )
    voice_send(department=department)
    with django_capture_on_commit_callbacks(execute=True):
        _open(client, "U0AMBASS01")
    text = json.dumps(linked.calls("views.publish")[-1].params["view"], ensure_ascii=False)
    assert "Today's customer voice" in text and "The courier was early" in text
    assert "<!channel>" not in text
