"""stories.services.story: filing, validation per argument, images, double submits, thanks, and
the review's outcomes told to the submitter once.

The helpers at the top (touchpoint, submit, png, approve, request_changes) are shared with the
other story test modules.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, WorkflowState

from ambassadors.models import Touchpoint
from portal.models import OutboxMessage, Profile
from stories.models import Story, StoryThanks
from stories.services import story as services
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Story.ReviewStatus


# --- shared helpers ----------------------------------------------------------------------


@pytest.fixture
def touchpoint(db):
    return Touchpoint.objects.get_or_create(slug="support", defaults={"name": "Support"})[0]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def story_arguments(touchpoint, department, **overrides) -> dict:
    arguments = {
        "title": "A refund with no questions asked",
        "what_happened": "The customer was charged twice; we refunded the same hour.",
        "customer_words": "I expected a fight and got my money back before my coffee.",
        "outcome": "They renewed for two years.",
        "touchpoint_id": touchpoint.pk,
        "department_ids": [department.pk],
        "tags": ["refund", "trust"],
        "language": "en",
    }
    arguments.update(overrides)
    return arguments


def submit(user, touchpoint, department, **overrides) -> Story:
    return services.story_submit(user=user, **story_arguments(touchpoint, department, **overrides))


def png(name="photo.png", *, size=(40, 30), padding=0) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue() + b"\0" * padding, content_type="image/png")


def task_state_of(story: Story):
    return Story.objects.get(pk=story.pk).current_workflow_state.current_task_state


def approve(story: Story, user, comment=""):
    """What the admin's approve action does (tests of the admin itself post to its URL)."""
    task_state_of(story).approve(user=user, comment=comment)
    return Story.objects.get(pk=story.pk)


def request_changes(story: Story, user, comment="Please remove the customer's phone number."):
    task_state = task_state_of(story)
    task_state.reject(user=user, comment=comment)
    return Story.objects.get(pk=story.pk), task_state


def messages_for(story: Story):
    return OutboxMessage.objects.filter(idempotency_key__startswith=f"stories:story:{story.pk}:")


# --- filing ------------------------------------------------------------------------------


def test_submit_saves_a_draft_with_a_revision_and_starts_the_review(
    ambassador, touchpoint, department
):
    story = submit(ambassador, touchpoint, department, tags=[" refund ", "Refund", "trust"])

    story = Story.objects.get(pk=story.pk)
    assert story.live is False
    assert story.review_status == Status.IN_REVIEW
    assert story.submitted_by == ambassador
    assert story.latest_revision is not None
    assert list(story.departments.all()) == [department]
    assert sorted(tag.name for tag in story.tags.all()) == ["refund", "trust"]
    state = story.current_workflow_state
    assert state.workflow.name == "Story review"
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == ambassador
    assert state.current_task_state.task.name == "CX team review"


def test_a_tag_joins_the_existing_spelling(ambassador, new_hire, touchpoint, department):
    submit(ambassador, touchpoint, department, tags=["Refund"])
    later = submit(new_hire, touchpoint, department, tags=["refund"])
    assert [tag.name for tag in later.tags.all()] == ["Refund"]


def test_anyone_signed_in_and_active_may_file(outsider, touchpoint, department):
    assert submit(outsider, touchpoint, department).pk


def test_an_inactive_person_may_not_file(ambassador, touchpoint, department):
    ambassador.is_active = False
    with pytest.raises(PermissionDenied):
        submit(ambassador, touchpoint, department)


@pytest.mark.parametrize(
    ("overrides", "argument"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"what_happened": ""}, "what_happened"),
        ({"what_happened": "x" * 5001}, "what_happened"),
        ({"customer_words": " "}, "customer_words"),
        ({"outcome": ""}, "outcome"),
        ({"touchpoint_id": None}, "touchpoint_id"),
        ({"touchpoint_id": 999999}, "touchpoint_id"),
        ({"touchpoint_id": "not a number"}, "touchpoint_id"),
        ({"department_ids": []}, "department_ids"),
        ({"department_ids": [999999]}, "department_ids"),
        ({"department_ids": ["x"]}, "department_ids"),
        ({"tags": ["x" * 51]}, "tags"),
        ({"tags": [f"tag{n}" for n in range(11)]}, "tags"),
        ({"tags": ["!!!"]}, "tags"),
        ({"tags": "refund"}, "tags"),
        ({"language": "fr"}, "language"),
        ({"language": ""}, "language"),
        ({"customer_name": "Northlight Studio", "customer_may_be_named": False}, "customer_name"),
        ({"customer_name": "x" * 201, "customer_may_be_named": True}, "customer_name"),
    ],
)
def test_each_argument_is_checked(ambassador, touchpoint, department, overrides, argument):
    with pytest.raises(ValidationError) as caught:
        submit(ambassador, touchpoint, department, **overrides)
    assert list(caught.value.message_dict) == [argument]
    assert not Story.objects.exists()


def test_every_problem_is_reported_at_once(ambassador, touchpoint, department):
    with pytest.raises(ValidationError) as caught:
        submit(ambassador, touchpoint, department, title="", outcome="", department_ids=[])
    assert set(caught.value.message_dict) == {"title", "outcome", "department_ids"}


def test_the_customer_is_named_only_with_their_agreement(ambassador, touchpoint, department):
    named = submit(
        ambassador,
        touchpoint,
        department,
        customer_name="Northlight Studio",
        customer_may_be_named=True,
    )
    assert named.customer_name == "Northlight Studio"
    assert named.shown_customer_name == "Northlight Studio"

    unnamed = submit(ambassador, touchpoint, department, title="Another one")
    assert unnamed.customer_name == ""
    assert unnamed.shown_customer_name == ""

    with pytest.raises(ValidationError) as caught:
        submit(ambassador, touchpoint, department, title="Third", customer_name="Jane Doe")
    assert "agreed to be named" in caught.value.message_dict["customer_name"][0]


def test_the_same_title_twice_within_a_minute_is_one_story(ambassador, touchpoint, department):
    first = submit(ambassador, touchpoint, department)
    again = submit(ambassador, touchpoint, department, what_happened="Typed again")
    assert again.pk == first.pk
    assert Story.objects.count() == 1
    assert WorkflowState.objects.count() == 1

    Story.objects.filter(pk=first.pk).update(
        created_at=first.created_at - datetime.timedelta(seconds=61)
    )
    later = submit(ambassador, touchpoint, department)
    assert later.pk != first.pk


def test_the_same_title_by_someone_else_is_another_story(
    ambassador, new_hire, touchpoint, department
):
    first = submit(ambassador, touchpoint, department)
    other = submit(new_hire, touchpoint, department)
    assert other.pk != first.pk


# --- images ------------------------------------------------------------------------------


def test_an_image_goes_to_the_stories_collection(ambassador, touchpoint, department, media):
    story = submit(ambassador, touchpoint, department, image=png())
    image = story.image
    assert image is not None
    assert image.collection.name == "Stories"
    assert image.uploaded_by_user == ambassador
    assert (image.width, image.height) == (40, 30)
    assert image.file_size > 0
    again = submit(ambassador, touchpoint, department, title="Second", image=png("b.png"))
    assert again.image.collection == image.collection
    assert Collection.objects.filter(name="Stories").count() == 1


def test_an_image_too_big_is_refused_clearly(ambassador, touchpoint, department, media, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2 * 1024
    with pytest.raises(ValidationError) as caught:
        submit(ambassador, touchpoint, department, image=png(padding=4 * 1024))
    (message,) = caught.value.message_dict["image"]
    assert "too big" in message
    assert "2.0" in message  # the limit, in KB
    assert not Story.objects.exists()
    assert not get_image_model().objects.exists()


def test_a_file_that_is_not_an_image_is_refused(ambassador, touchpoint, department, media):
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        submit(ambassador, touchpoint, department, image=fake)
    assert "valid image" in caught.value.message_dict["image"][0]


def test_an_unsupported_image_type_is_refused(ambassador, touchpoint, department, media):
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4)).save(buffer, format="BMP")
    bmp = SimpleUploadedFile("photo.bmp", buffer.getvalue(), content_type="image/bmp")
    with pytest.raises(ValidationError) as caught:
        submit(ambassador, touchpoint, department, image=bmp)
    assert "Not a supported image format" in caught.value.message_dict["image"][0]


# --- resubmitting ------------------------------------------------------------------------


def test_resubmit_after_changes_restarts_the_review(ambassador, cx_lead, touchpoint, department):
    story = submit(ambassador, touchpoint, department)
    story, _task_state = request_changes(story, cx_lead)
    assert story.review_status == Status.CHANGES_REQUESTED

    arguments = story_arguments(touchpoint, department, title="A refund, no questions asked")
    services.story_resubmit(user=ambassador, story=story, **arguments)

    story = Story.objects.get(pk=story.pk)
    assert story.title == "A refund, no questions asked"
    assert story.review_status == Status.IN_REVIEW
    assert story.review_comment == ""
    states = WorkflowState.objects.for_instance(story)
    assert states.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1
    assert states.filter(status=WorkflowState.STATUS_CANCELLED).count() == 1
    assert story.live is False


def test_only_the_submitter_resubmits(ambassador, new_hire, cx_lead, touchpoint, department):
    story, _task_state = request_changes(submit(ambassador, touchpoint, department), cx_lead)
    for someone in (new_hire, cx_lead):
        with pytest.raises(PermissionDenied):
            services.story_resubmit(
                user=someone, story=story, **story_arguments(touchpoint, department)
            )


def test_a_story_under_review_cannot_be_resubmitted(ambassador, touchpoint, department):
    story = submit(ambassador, touchpoint, department)
    with pytest.raises(ValidationError) as caught:
        services.story_resubmit(
            user=ambassador, story=story, **story_arguments(touchpoint, department)
        )
    assert list(caught.value.message_dict) == ["story"]


def test_resubmit_validates_like_submit(ambassador, cx_lead, touchpoint, department):
    story, _task_state = request_changes(submit(ambassador, touchpoint, department), cx_lead)
    with pytest.raises(ValidationError) as caught:
        services.story_resubmit(
            user=ambassador, story=story, **story_arguments(touchpoint, department, outcome="")
        )
    assert list(caught.value.message_dict) == ["outcome"]


def test_resubmit_replaces_or_removes_the_image(ambassador, cx_lead, touchpoint, department, media):
    story = submit(ambassador, touchpoint, department, image=png())
    first_image = story.image_id
    story, _task_state = request_changes(story, cx_lead)
    arguments = story_arguments(touchpoint, department)
    services.story_resubmit(user=ambassador, story=story, **arguments)
    assert Story.objects.get(pk=story.pk).image_id == first_image  # kept

    story, _task_state = request_changes(Story.objects.get(pk=story.pk), cx_lead)
    services.story_resubmit(user=ambassador, story=story, image=png("new.png"), **arguments)
    replaced = Story.objects.get(pk=story.pk)
    assert replaced.image_id not in (None, first_image)

    story, _task_state = request_changes(replaced, cx_lead)
    services.story_resubmit(user=ambassador, story=story, remove_image=True, **arguments)
    assert Story.objects.get(pk=story.pk).image_id is None


# --- thanks ------------------------------------------------------------------------------


def test_thanks_once_per_person(ambassador, new_hire, hr, cx_lead, touchpoint, department):
    story = approve(submit(ambassador, touchpoint, department), cx_lead)
    assert services.story_thank(user=new_hire, story=story) is True
    assert services.story_thank(user=new_hire, story=story) is False
    assert services.story_thank(user=hr, story=story) is True
    assert StoryThanks.objects.filter(story=story).count() == 2


def test_only_published_stories_are_thanked(ambassador, new_hire, touchpoint, department):
    story = submit(ambassador, touchpoint, department)
    with pytest.raises(ValidationError) as caught:
        services.story_thank(user=new_hire, story=story)
    assert list(caught.value.message_dict) == ["story"]


def test_nobody_thanks_their_own_story(ambassador, cx_lead, touchpoint, department):
    story = approve(submit(ambassador, touchpoint, department), cx_lead)
    with pytest.raises(ValidationError):
        services.story_thank(user=ambassador, story=story)
    assert not StoryThanks.objects.exists()


def test_an_inactive_person_cannot_thank(ambassador, new_hire, cx_lead, touchpoint, department):
    story = approve(submit(ambassador, touchpoint, department), cx_lead)
    new_hire.is_active = False
    with pytest.raises(PermissionDenied):
        services.story_thank(user=new_hire, story=story)


# --- the review's outcomes ---------------------------------------------------------------


def test_approval_publishes_and_tells_the_submitter_once(
    ambassador, cx_lead, touchpoint, department
):
    Profile.objects.filter(user=ambassador).update(slack_user_id="UAMBASSADOR1")
    story = submit(ambassador, touchpoint, department)
    revision_id = story.latest_revision_id

    story = approve(story, cx_lead)

    assert story.live is True
    assert story.review_status == Status.PUBLISHED
    assert story.first_published_at is not None
    key = services.approved_key(story_id=story.pk, revision_id=revision_id)
    (message,) = messages_for(story)
    assert message.idempotency_key == key
    assert message.channel == "UAMBASSADOR1"
    assert "has been published" in message.text
    assert f"/stories/{story.pk}/" in message.text

    # A correction republished by the CX team is not news to the submitter.
    story.title = "A refund with no questions asked (updated)"
    revision = story.save_revision(user=cx_lead)
    revision.publish(user=cx_lead)
    assert Story.objects.get(pk=story.pk).review_status == Status.PUBLISHED
    assert messages_for(story).count() == 1


def test_approval_with_a_comment_passes_it_on(ambassador, cx_lead, touchpoint, department):
    story = approve(submit(ambassador, touchpoint, department), cx_lead, comment="Lovely <3")
    (message,) = messages_for(story)
    assert message.transport == OutboxMessage.Transport.EMAIL
    assert "The CX team's comment:" in message.text
    assert "Lovely <3" in message.text  # email is plain text: unescaped


def test_changes_requested_keep_the_comment_and_tell_the_submitter(
    ambassador, cx_lead, touchpoint, department
):
    Profile.objects.filter(user=ambassador).update(slack_user_id="UAMBASSADOR1")
    story = submit(ambassador, touchpoint, department)

    story, task_state = request_changes(story, cx_lead, comment="Say which plan they were on.")

    assert story.review_status == Status.CHANGES_REQUESTED
    assert story.review_comment == "Say which plan they were on."
    assert story.live is False
    (message,) = messages_for(story)
    assert message.idempotency_key == services.changes_key(
        story_id=story.pk, task_state_id=task_state.pk
    )
    assert "Say which plan they were on." in message.text
    assert f"/stories/{story.pk}/edit/" in message.text


def test_each_decision_is_told_once(ambassador, cx_lead, touchpoint, department):
    story = submit(ambassador, touchpoint, department)
    story, task_state = request_changes(story, cx_lead)
    # The same decision reported again (a retried signal) writes nothing new.
    services.story_review_changes_requested(
        story=story, task_state_id=task_state.pk, comment=task_state.comment
    )
    assert messages_for(story).count() == 1

    services.story_resubmit(user=ambassador, story=story, **story_arguments(touchpoint, department))
    story, _second = request_changes(Story.objects.get(pk=story.pk), cx_lead, comment="Again")
    assert messages_for(story).count() == 2

    services.story_resubmit(user=ambassador, story=story, **story_arguments(touchpoint, department))
    approve(story, cx_lead)
    assert messages_for(story).count() == 3
    assert messages_for(story).filter(idempotency_key__contains=":approved:").count() == 1


def test_without_a_slack_id_the_submitter_gets_an_email(
    ambassador, cx_lead, touchpoint, department
):
    story = approve(submit(ambassador, touchpoint, department), cx_lead)
    (message,) = messages_for(story)
    assert message.transport == OutboxMessage.Transport.EMAIL
    assert message.channel == ambassador.email
    assert "published" in message.subject


def test_messages_to_slack_escape_the_story_and_the_comment(
    ambassador, cx_lead, touchpoint, department
):
    Profile.objects.filter(user=ambassador).update(slack_user_id="UAMBASSADOR1")
    story = submit(ambassador, touchpoint, department, title="Fish & chips <!channel> <@U123ABC>")
    story, _task_state = request_changes(story, cx_lead, comment="Drop <!here> & <@U999>")
    (message,) = messages_for(story)
    assert "<!channel>" not in message.text
    assert "<@U123ABC>" not in message.text
    assert "<!here>" not in message.text
    assert "Fish &amp; chips &lt;!channel&gt; &lt;@U123ABC&gt;" in message.text
    assert "Drop &lt;!here&gt; &amp; &lt;@U999&gt;" in message.text


def test_messages_mask_identifiers_for_a_submitter_outside_the_cx_team(
    ambassador, cx_lead, touchpoint, department
):
    story = submit(ambassador, touchpoint, department, title="Call back on 010-1234-5678")
    story, _task_state = request_changes(story, cx_lead, comment="Remove jane@example.com")
    (message,) = messages_for(story)
    assert "010-1234-5678" not in message.text
    assert "jane@example.com" not in message.text
    assert "[phone hidden]" in message.text


def test_unpublishing_makes_it_a_draft_again(ambassador, cx_lead, touchpoint, department):
    story = approve(submit(ambassador, touchpoint, department), cx_lead)
    story.unpublish(user=cx_lead)
    story = Story.objects.get(pk=story.pk)
    assert story.review_status == Status.DRAFT
    services.story_resubmit(user=ambassador, story=story, **story_arguments(touchpoint, department))
    assert Story.objects.get(pk=story.pk).review_status == Status.IN_REVIEW


def test_two_departments_and_other_stories_stay_apart(ambassador, touchpoint, department):
    billing = DepartmentFactory(name="Billing", slug="billing")
    story = submit(ambassador, touchpoint, department, department_ids=[department.pk, billing.pk])
    assert sorted(d.slug for d in story.departments.all()) == ["billing", "support"]
    other = UserFactory(email="other@example.com")
    assert (
        services.story_submit(
            user=other, **story_arguments(touchpoint, department, title="Other")
        ).submitted_by
        == other
    )
