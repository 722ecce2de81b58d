"""Thin receivers: the admin's review decisions on stories, handed to stories.services.story.

`connect()` is idempotent (dispatch uids). It is called when Wagtail imports
stories.wagtail_hooks, which happens while the apps load (wagtail.snippets' ready() looks for
snippets), before wagtail.admin's ready() connects its workflow emails.

Wagtail emails the person who asked for a review when it is approved or rejected. For stories
the submitter hears from us instead (a Slack DM or an email, through the outbox, in their
language, with the comment): Wagtail's two notifiers are put behind a receiver that skips
stories and passes every other workflow (pages) through unchanged. The CX team still gets
Wagtail's "submitted for review" email.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import WorkflowState
from wagtail.signals import (
    published,
    task_rejected,
    unpublished,
    workflow_approved,
    workflow_rejected,
)

from stories.models import Story

# Wagtail's own dispatch uids for the two emails (wagtail/admin/signal_handlers.py).
WAGTAIL_APPROVED_EMAIL = "workflow_state_approved_email_notification"
WAGTAIL_REJECTED_EMAIL = "workflow_state_rejected_email_notification"


def _is_story(workflow_state: WorkflowState) -> bool:
    story_type = ContentType.objects.get_for_model(Story, for_concrete_model=False)
    return workflow_state.base_content_type_id == story_type.pk


def on_published(sender, instance, revision=None, **kwargs) -> None:
    from stories.services.story import story_review_published

    story_review_published(story=instance, revision_id=revision.pk if revision else None)


def on_unpublished(sender, instance, **kwargs) -> None:
    from stories.services.story import story_review_withdrawn

    story_review_withdrawn(story=instance)


def on_task_rejected(sender, instance, user=None, **kwargs) -> None:
    from stories.services.story import story_review_changes_requested

    workflow_state = instance.workflow_state
    if not _is_story(workflow_state):
        return
    story = Story.objects.get(pk=workflow_state.object_id)
    story_review_changes_requested(
        story=story, task_state_id=instance.pk, comment=instance.comment or ""
    )


def _unless_story(notifier):
    def receiver(sender, instance=None, **kwargs):
        if instance is not None and _is_story(instance):
            return False
        return notifier(instance=instance, **kwargs)

    return receiver


def on_card_content_changed(sender, **kwargs) -> None:
    """A department, touchpoint, tag or image changed: story cards are drawn anew."""
    from portal import fragments
    from stories.selectors import FRAGMENTS

    fragments.bump(FRAGMENTS)


# What a story card shows that its own key does not name.
CARD_CONTENT = ("portal.Department", "ambassadors.Touchpoint", "taggit.Tag")


def on_message_settled(sender, message, **kwargs) -> None:
    from stories.services.voice import voice_message_settled

    voice_message_settled(message)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model

    for sender in (*CARD_CONTENT, get_image_model()):
        for signal in (post_save, post_delete):
            signal.connect(
                on_card_content_changed,
                sender=sender,
                dispatch_uid=f"stories_fragments_{signal is post_save:d}_{sender}",
            )
    published.connect(on_published, sender=Story, dispatch_uid="stories_story_published")
    unpublished.connect(on_unpublished, sender=Story, dispatch_uid="stories_story_unpublished")
    # TaskState.reject sends with the task state's specific class as sender: any class.
    task_rejected.connect(on_task_rejected, dispatch_uid="stories_story_task_rejected")

    from portal.services.outbox import message_settled

    message_settled.connect(on_message_settled, dispatch_uid="stories_voice_message_settled")

    from wagtail.admin import signal_handlers as wagtail_emails

    for signal, uid, notifier in (
        (
            workflow_approved,
            WAGTAIL_APPROVED_EMAIL,
            wagtail_emails.workflow_approval_email_notifier,
        ),
        (
            workflow_rejected,
            WAGTAIL_REJECTED_EMAIL,
            wagtail_emails.workflow_rejection_email_notifier,
        ),
    ):
        # Whichever connects first: ours replaces Wagtail's if it is there already, and
        # Django ignores Wagtail's later connect under the same uid and sender.
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(_unless_story(notifier), sender=WorkflowState, dispatch_uid=uid, weak=False)
