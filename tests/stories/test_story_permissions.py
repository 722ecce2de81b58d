"""Who may open and do what on every story URL: each persona, and signed out.

The story under review and the one sent back were filed by the ambassador: only they and the
CX team may see them (404 for others, so their existence is not given away). Published
stories are for everyone signed in. Editing is the submitter's alone, while changes are asked
for (the CX team edits in the admin).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ambassadors.models import Touchpoint
from stories.models import Story, StoryThanks
from tests.stories.test_story_services import approve, request_changes, submit
from tests.stories.test_story_views import form_data

pytestmark = pytest.mark.django_db

PERSONAS = ["new_hire", "ambassador", "outsider", "cx_lead", "leader", "hr", None]


@pytest.fixture
def touchpoint(db):
    return Touchpoint.objects.get_or_create(slug="support", defaults={"name": "Support"})[0]


@pytest.fixture
def stories(ambassador, cx_lead, touchpoint, department) -> dict[str, Story]:
    live = approve(submit(ambassador, touchpoint, department, title="Live one"), cx_lead)
    in_review = submit(ambassador, touchpoint, department, title="In review one")
    sent_back, _task_state = request_changes(
        submit(ambassador, touchpoint, department, title="Sent back one"), cx_lead
    )
    return {"live": live, "in_review": in_review, "sent_back": sent_back}


def _sign_in(client, request, persona):
    if persona is None:
        return None
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


def _assert_sent_to_sign_in(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# url name, story key (or None), expected status per persona (None = signed out)
GETS = [
    ("stories:story_list", None, dict.fromkeys(PERSONAS[:-1], 200)),
    ("stories:story_new", None, dict.fromkeys(PERSONAS[:-1], 200)),
    ("stories:story_detail", "live", dict.fromkeys(PERSONAS[:-1], 200)),
    (
        "stories:story_detail",
        "in_review",
        {**dict.fromkeys(PERSONAS[:-1], 404), "ambassador": 200, "cx_lead": 200},
    ),
    (
        "stories:story_detail",
        "sent_back",
        {**dict.fromkeys(PERSONAS[:-1], 404), "ambassador": 200, "cx_lead": 200},
    ),
    (
        "stories:story_edit",
        "sent_back",
        {**dict.fromkeys(PERSONAS[:-1], 404), "ambassador": 200, "cx_lead": 403},
    ),
    # Published: everyone sees it, nobody edits it here; its author is sent back to it.
    (
        "stories:story_edit",
        "live",
        {**dict.fromkeys(PERSONAS[:-1], 403), "ambassador": 302},
    ),
    (
        "stories:story_edit",
        "in_review",
        {**dict.fromkeys(PERSONAS[:-1], 404), "ambassador": 302, "cx_lead": 403},
    ),
    # Thanks are posted, never fetched.
    ("stories:story_thank", "live", dict.fromkeys(PERSONAS[:-1], 405)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "key", "expected"), GETS)
def test_get(client, request, stories, persona, name, key, expected):
    _sign_in(client, request, persona)
    url = reverse(name, args=[stories[key].pk]) if key else reverse(name)
    response = client.get(url)
    if persona is None:
        _assert_sent_to_sign_in(response)
    else:
        assert response.status_code == expected[persona], (persona, url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_thanks_on_a_published_story(client, request, stories, persona):
    user = _sign_in(client, request, persona)
    story = stories["live"]
    response = client.post(reverse("stories:story_thank", args=[story.pk]))
    if persona is None:
        _assert_sent_to_sign_in(response)
        assert not StoryThanks.objects.exists()
        return
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:story_detail", args=[story.pk])
    thanked = StoryThanks.objects.filter(story=story, user=user).exists()
    assert thanked is (persona != "ambassador")  # not their own


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", ["in_review", "sent_back"])
def test_no_thanks_before_it_is_published(client, request, stories, persona, key):
    _sign_in(client, request, persona)
    response = client.post(reverse("stories:story_thank", args=[stories[key].pk]))
    if persona is None:
        _assert_sent_to_sign_in(response)
    else:
        # Those who may see it are told why; the others do not learn it exists.
        assert response.status_code == (302 if persona in ("ambassador", "cx_lead") else 404)
    assert not StoryThanks.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_filing(client, request, persona, touchpoint, department):
    user = _sign_in(client, request, persona)
    response = client.post(reverse("stories:story_new"), form_data(touchpoint, department))
    if persona is None:
        _assert_sent_to_sign_in(response)
        assert not Story.objects.exists()
        return
    story = Story.objects.get()
    assert story.submitted_by == user
    assert response["Location"] == reverse("stories:story_detail", args=[story.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_resubmitting(client, request, stories, persona, touchpoint, department):
    _sign_in(client, request, persona)
    story = stories["sent_back"]
    url = reverse("stories:story_edit", args=[story.pk])
    response = client.post(url, form_data(touchpoint, department, title="Changed by someone"))
    story.refresh_from_db()
    if persona is None:
        _assert_sent_to_sign_in(response)
    elif persona == "ambassador":
        assert response.status_code == 302
        assert story.title == "Changed by someone"
        assert story.review_status == Story.ReviewStatus.IN_REVIEW
        return
    else:
        assert response.status_code == (403 if persona == "cx_lead" else 404)
    assert story.title == "Sent back one"
    assert story.review_status == Story.ReviewStatus.CHANGES_REQUESTED
