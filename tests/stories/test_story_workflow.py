"""The review end to end, as people do it: filed on the web, approved or sent back by the CX team
through Wagtail's workflow actions in the admin, resubmitted, published; the submitter is told
each decision exactly once (through the outbox) and not again by Wagtail's own emails."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from ambassadors.models import Touchpoint
from portal.models import OutboxMessage, Profile
from stories.models import Story
from stories.services import story as services
from tests.stories.test_story_services import submit
from tests.stories.test_story_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def touchpoint(db):
    return Touchpoint.objects.get_or_create(slug="support", defaults={"name": "Support"})[0]


Status = Story.ReviewStatus


def action_url(story: Story, action: str) -> str:
    task_state = Story.objects.get(pk=story.pk).current_workflow_state.current_task_state
    return reverse(
        "wagtailsnippets_stories_story:workflow_action", args=[story.pk, action, task_state.pk]
    )


def file_on_the_web(client, user, touchpoint, department, **overrides) -> Story:
    client.force_login(user)
    response = client.post(
        reverse("stories:story_new"), form_data(touchpoint, department, **overrides)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Story.objects.get(
        submitted_by=user, title=form_data(touchpoint, department, **overrides)["title"]
    )


def sent_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def test_filed_approved_in_the_admin_published_and_told_once(
    client, ambassador, cx_lead, new_hire, touchpoint, department
):
    Profile.objects.filter(user=ambassador).update(slack_user_id="UAMBASSADOR1")
    story = file_on_the_web(client, ambassador, touchpoint, department)
    revision_id = story.latest_revision_id
    # Wagtail tells the CX team there is a story to review.
    assert sent_to(cx_lead)
    mail.outbox.clear()

    client.force_login(cx_lead)
    response = client.post(action_url(story, "approve"), {"comment": ""})
    assert response.status_code == 302

    story = Story.objects.get(pk=story.pk)
    assert story.live is True
    assert story.review_status == Status.PUBLISHED
    key = services.approved_key(story_id=story.pk, revision_id=revision_id)
    assert OutboxMessage.objects.filter(idempotency_key=key).count() == 1
    assert OutboxMessage.objects.filter(idempotency_key__startswith="stories:story:").count() == 1
    # Only our message: Wagtail's "approved" email to the submitter is not sent for stories.
    assert sent_to(ambassador) == []

    client.force_login(new_hire)
    assert story.title in client.get(reverse("stories:story_list")).content.decode()


def test_changes_requested_in_the_admin_then_resubmitted_and_approved(
    client, ambassador, cx_lead, touchpoint, department
):
    story = file_on_the_web(client, ambassador, touchpoint, department)
    mail.outbox.clear()

    client.force_login(cx_lead)
    comment = "Please say which plan <b>they</b> were on."
    response = client.post(action_url(story, "reject"), {"comment": comment})
    assert response.status_code == 302

    story = Story.objects.get(pk=story.pk)
    assert story.review_status == Status.CHANGES_REQUESTED
    assert story.review_comment == comment
    assert story.live is False
    (told,) = OutboxMessage.objects.filter(idempotency_key__contains=":changes:")
    assert told.transport == OutboxMessage.Transport.EMAIL
    assert told.channel == ambassador.email
    assert "Please say which plan <b>they</b> were on." in told.text  # plain-text email
    assert sent_to(ambassador) == []  # no second notice from Wagtail

    client.force_login(ambassador)
    page = client.get(reverse("stories:story_detail", args=[story.pk])).content.decode()
    assert "Please say which plan &lt;b&gt;they&lt;/b&gt; were on." in page
    edit = reverse("stories:story_edit", args=[story.pk])
    response = client.post(edit, form_data(touchpoint, department, outcome="On the Pro plan."))
    assert response.status_code == 302
    story = Story.objects.get(pk=story.pk)
    assert story.review_status == Status.IN_REVIEW
    assert story.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    client.force_login(cx_lead)
    client.post(action_url(story, "approve"), {"comment": "Thanks for the detail."})
    story = Story.objects.get(pk=story.pk)
    assert story.live and story.review_status == Status.PUBLISHED
    assert story.outcome == "On the Pro plan."
    keys = list(
        OutboxMessage.objects.filter(idempotency_key__startswith=f"stories:story:{story.pk}:")
        .order_by("pk")
        .values_list("idempotency_key", flat=True)
    )
    assert len(keys) == 2
    assert ":changes:" in keys[0] and ":approved:" in keys[1]
    approved = OutboxMessage.objects.get(idempotency_key=keys[1])
    assert "Thanks for the detail." in approved.text
    assert sent_to(ambassador) == []


@pytest.mark.parametrize("persona", ["leader", "hr", "ambassador"])
def test_only_the_cx_team_can_decide(client, request, persona, cx_lead, touchpoint, department):
    someone = request.getfixturevalue(persona)
    story = submit(cx_lead, touchpoint, department)
    client.force_login(someone)
    for action in ("approve", "reject"):
        response = client.post(action_url(story, action), {"comment": "no"})
        # Wagtail sends admin users back to the dashboard; others get the portal's 403.
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home")
    story = Story.objects.get(pk=story.pk)
    assert not story.live and story.review_status == Status.IN_REVIEW
    assert TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).count() == 1
    assert not OutboxMessage.objects.exists()


def test_signed_out_people_are_sent_to_sign_in(client, ambassador, touchpoint, department):
    story = submit(ambassador, touchpoint, department)
    response = client.post(action_url(story, "approve"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Story.objects.get(pk=story.pk).live


def test_the_cx_team_sees_the_customer_name_as_typed_in_the_admin(
    client, ambassador, cx_lead, touchpoint, department
):
    story = submit(
        ambassador,
        touchpoint,
        department,
        customer_name="Northlight Studio",
        customer_may_be_named=True,
        what_happened="Write to jane@example.com",
    )
    client.force_login(cx_lead)
    listing = client.get(reverse("wagtailsnippets_stories_story:list"))
    assert listing.status_code == 200
    assert story.title in listing.content.decode()
    edit = client.get(reverse("wagtailsnippets_stories_story:edit", args=[story.pk]))
    body = edit.content.decode()
    assert edit.status_code == 200
    assert "Northlight Studio" in body
    assert "jane@example.com" in body


@pytest.mark.parametrize("persona", ["leader", "hr"])
def test_other_admin_users_do_not_see_stories_in_the_admin(
    client, request, persona, ambassador, touchpoint, department
):
    story = submit(ambassador, touchpoint, department)
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("wagtailsnippets_stories_story:list"),
        reverse("wagtailsnippets_stories_story:edit", args=[story.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert story.title not in response.content.decode()


def test_the_admin_form_keeps_the_naming_rule(ambassador, cx_lead, touchpoint, department):
    from stories.wagtail_hooks.story import StoryViewSet

    story = submit(ambassador, touchpoint, department)
    form_class = StoryViewSet.edit_handler.bind_to_model(Story).get_form_class()
    data = {
        "title": story.title,
        "what_happened": story.what_happened,
        "customer_words": story.customer_words,
        "outcome": story.outcome,
        "touchpoint": touchpoint.pk,
        "departments": [department.pk],
        "tags": "refund",
        "language": "en",
        "customer_name": "Jane Doe",
    }
    form = form_class(data, instance=story, for_user=cx_lead)
    assert not form.is_valid()
    assert "agreed to be named" in form.errors["customer_name"][0]
    form = form_class({**data, "customer_may_be_named": "on"}, instance=story, for_user=cx_lead)
    assert form.is_valid(), form.errors
    # The review status is shown, never edited by hand.
    assert "review_status" not in form.fields


def test_wagtails_decision_emails_still_go_out_for_other_workflows():
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    from stories import signals

    told = []
    receiver = signals._unless_story(lambda instance=None, **kwargs: told.append(instance))
    page_state = WorkflowState(base_content_type=ContentType.objects.get_for_model(Page))
    story_state = WorkflowState(base_content_type=ContentType.objects.get_for_model(Story))
    receiver(sender=WorkflowState, instance=page_state, user=None)
    receiver(sender=WorkflowState, instance=story_state, user=None)
    assert told == [page_state]
