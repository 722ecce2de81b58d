"""Writes for customer success stories: filing, resubmitting, thanks, and the review's outcomes.

Every service is keyword-only, takes the person acting as `user`, validates its own input
(ValidationError keyed by argument name), refuses people without the right (PermissionDenied)
and writes in one transaction, outbox messages included: the web form and a Slack modal call
these with the same arguments and get the same errors.

Review runs on Wagtail's workflow for stories ("Story review", one CX team approval task).
Filing saves the story as a draft (live=False) with a revision and starts that workflow; the CX
team approves in the admin (Wagtail then publishes the latest revision) or requests changes
with a comment. stories.signals turns those admin events into `story_review_published` and
`story_review_changes_requested`, which keep `review_status` and tell the submitter, once per
decision (the outbox key names the revision or the task state decided).

Decisions taken here:
- The customer's name is kept only with their agreement: a name typed without ticking "the
  customer may be named" is refused with a message (never silently dropped, never stored).
- The submitter cannot thank their own story; thanks are for published stories only.
- A story the CX team unpublishes goes back to draft for its submitter, who may resubmit it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import Collection, TaskState, WorkflowState

from portal.models import Department
from portal.services.notify import notify_person
from portal.slack.text import site_url, slack_escape, slack_link
from stories import rules
from stories.masking import mask_identifiers
from stories.models import Story, StoryThanks
from stories.services.arguments import as_id, check_person, check_source_url

logger = logging.getLogger(__name__)

Status = Story.ReviewStatus

TITLE_MAX = Story._meta.get_field("title").max_length
CUSTOMER_NAME_MAX = Story._meta.get_field("customer_name").max_length
TEXT_MAX = 5000
TAG_MAX = 50
TAGS_MAX = 10
# A second submit of the same title this soon is the same story (a double click, a retry).
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(seconds=60)
COLLECTION_NAME = "Stories"
SUBJECT_TITLE_MAX = 80
# The states in which the submitter may change the story and send it for review again.
EDITABLE = (Status.CHANGES_REQUESTED, Status.DRAFT)

TEXT_FIELDS = {
    "what_happened": gettext_lazy("Say what happened."),
    "customer_words": gettext_lazy("Write what the customer said, in their own words."),
    "outcome": gettext_lazy("Say how it ended for the customer."),
}
CHOOSE_TOUCHPOINT = gettext_lazy("Choose a touchpoint from the list.")
NAME_WITHOUT_CONSENT = gettext_lazy(
    "Give the customer's name only if they agreed to be named, and tick the box that says so; "
    "otherwise leave it empty."
)
CHOOSE_DEPARTMENTS = gettext_lazy("Choose at least one department from the list.")


# --- checks ------------------------------------------------------------------------------


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _clean_tags(tags, errors: dict[str, list[str]]) -> list[str]:
    """Trimmed, inner spaces collapsed, duplicates (ignoring case) dropped, in the given order."""
    if tags is None:
        return []
    if isinstance(tags, str) or not isinstance(tags, Sequence):
        errors["tags"] = [_("Tags must be a list of words.")]
        return []
    cleaned: list[str] = []
    seen: set[str] = set()
    for raw in tags:
        tag = " ".join(raw.split()) if isinstance(raw, str) else ""
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > TAG_MAX:
            errors["tags"] = [
                _("Keep each tag to %(max)d characters or fewer: “%(tag)s…” is longer.")
                % {"max": TAG_MAX, "tag": tag[:20]}
            ]
            return []
        if not any(ch.isalnum() for ch in tag) or "," in tag:
            errors["tags"] = [_("A tag is a word or two of letters and digits, without commas.")]
            return []
        seen.add(tag.casefold())
        cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        errors["tags"] = [_("Use at most %(max)d tags.") % {"max": TAGS_MAX}]
        return []
    return cleaned


def _check_image(image):
    """The upload checked as Wagtail checks images (type, size, pixels); raises its messages."""
    if image is None:
        return None
    # WagtailImageField reads WAGTAILIMAGES_MAX_UPLOAD_SIZE, _MAX_IMAGE_PIXELS and _EXTENSIONS.
    return WagtailImageField(required=False).clean(image)


def _check_story(
    *,
    title,
    what_happened,
    customer_words,
    outcome,
    touchpoint_id,
    department_ids,
    tags,
    language,
    customer_name,
    customer_may_be_named,
    image,
    source_url="",
) -> dict:
    """Every argument checked; a ValidationError keyed by argument name lists all that is wrong."""
    errors: dict[str, list[str]] = {}
    values: dict = {}

    # One line: it becomes an email subject and a link label.
    values["title"] = " ".join(title.split()) if isinstance(title, str) else ""
    if not values["title"]:
        errors["title"] = [_("Give the story a title.")]
    elif len(values["title"]) > TITLE_MAX:
        errors["title"] = [_("Keep the title to %(max)d characters or fewer.") % {"max": TITLE_MAX}]

    typed = {"what_happened": what_happened, "customer_words": customer_words, "outcome": outcome}
    for name, missing in TEXT_FIELDS.items():
        values[name] = _text(typed[name])
        if not values[name]:
            errors[name] = [str(missing)]
        elif len(values[name]) > TEXT_MAX:
            errors[name] = [
                _("Keep this to %(max)d characters or fewer (it has %(count)d).")
                % {"max": TEXT_MAX, "count": len(values[name])}
            ]

    touchpoint_model = Story._meta.get_field("touchpoint").related_model
    touchpoint_pk = as_id(touchpoint_id)
    values["touchpoint"] = (
        touchpoint_model.objects.filter(pk=touchpoint_pk).first() if touchpoint_pk else None
    )
    if values["touchpoint"] is None:
        errors["touchpoint_id"] = [str(CHOOSE_TOUCHPOINT)]

    ids = [as_id(value) for value in (department_ids or [])]
    values["departments"] = []
    if not ids or None in ids:
        errors["department_ids"] = [str(CHOOSE_DEPARTMENTS)]
    else:
        values["departments"] = list(Department.objects.filter(pk__in=set(ids)).order_by("name"))
        if len(values["departments"]) != len(set(ids)):
            errors["department_ids"] = [_("One of the departments no longer exists: choose again.")]

    values["tags"] = _clean_tags(tags, errors)

    values["language"] = language if isinstance(language, str) else ""
    if values["language"] not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose the language the story is written in.")]

    values["customer_may_be_named"] = bool(customer_may_be_named)
    values["customer_name"] = _text(customer_name)
    if values["customer_name"] and not values["customer_may_be_named"]:
        errors["customer_name"] = [str(NAME_WITHOUT_CONSENT)]
    elif len(values["customer_name"]) > CUSTOMER_NAME_MAX:
        errors["customer_name"] = [
            _("Keep the name to %(max)d characters or fewer.") % {"max": CUSTOMER_NAME_MAX}
        ]

    try:
        values["image"] = _check_image(image)
    except ValidationError as exc:
        errors["image"] = exc.messages

    values["source_url"] = check_source_url(source_url, errors)

    if errors:
        raise ValidationError(errors)
    return values


def story_check(*, user, **arguments) -> None:
    """What story_submit would refuse, without filing anything: for a Slack modal, which must
    answer at once while the story is filed by a task (`arguments` as story_submit's)."""
    check_person(user)
    _check_story(
        **{"image": None, "customer_name": "", "customer_may_be_named": False, **arguments}
    )


# --- writing a story ---------------------------------------------------------------------


def _stories_collection() -> Collection:
    """The "Stories" image collection under the root, made on first use.

    Call inside a transaction: the root's row lock keeps two first uploads from making two.
    """
    root = Collection.get_first_root_node()
    Collection.objects.select_for_update().filter(pk=root.pk).first()
    found = root.get_children().filter(name=COLLECTION_NAME).first()
    return found or root.add_child(name=COLLECTION_NAME)


def _image_create(*, user, upload, title: str):
    image = get_image_model()(
        title=title[:255], file=upload, collection=_stories_collection(), uploaded_by_user=user
    )
    # Wagtail's own upload forms record the size and hash this way before saving.
    image._set_image_file_metadata()
    image.save()
    return image


def _apply(story: Story, values: dict) -> None:
    for name in ("title", "what_happened", "customer_words", "outcome", "language"):
        setattr(story, name, values[name])
    story.customer_name = values["customer_name"] if values["customer_may_be_named"] else ""
    story.customer_may_be_named = values["customer_may_be_named"]
    story.touchpoint = values["touchpoint"]
    story.departments = values["departments"]
    story.tags.set(_existing_spelling(values["tags"]))


def _existing_spelling(tags: list[str]) -> list[str]:
    """Each tag as it is already spelled on other stories ("Refund" joins "refund")."""
    tag_model = Story.tags.through.tag_model()
    return [
        tag_model.objects.filter(name__iexact=tag)
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
        or tag
        for tag in tags
    ]


def _send_for_review(story: Story, *, user) -> None:
    """A revision of the story as it stands, and the review workflow started on it."""
    story.save_revision(user=user, log_action=True)
    workflow = story.get_workflow()
    if workflow is None:
        # The CX team switched the workflow off: the story waits, and they publish it directly.
        logger.warning("story %s: no active review workflow for stories", story.pk)
        return
    workflow.start(story, user)


def story_submit(
    *,
    user,
    title: str,
    what_happened: str,
    customer_words: str,
    outcome: str,
    touchpoint_id: int,
    department_ids: list[int],
    tags: list[str],
    language: str,
    customer_name: str = "",
    customer_may_be_named: bool = False,
    image=None,
    source_url: str = "",
) -> Story:
    """File a story for the CX team's review; any active employee may.

    `image` is an uploaded file or None; `source_url` the Slack message it was heard in.
    Submitting the same title again within a minute returns the story filed first (nothing new
    is saved).
    """
    check_person(user)
    values = _check_story(
        title=title,
        what_happened=what_happened,
        customer_words=customer_words,
        outcome=outcome,
        touchpoint_id=touchpoint_id,
        department_ids=department_ids,
        tags=tags,
        language=language,
        customer_name=customer_name,
        customer_may_be_named=customer_may_be_named,
        image=image,
        source_url=source_url,
    )
    with transaction.atomic():
        # One submit at a time per person, so a double click finds the first story.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        earlier = (
            Story.objects.filter(
                submitted_by=user,
                title=values["title"],
                created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
            )
            .order_by("-created_at")
            .first()
        )
        if earlier is not None:
            return earlier
        story = Story(
            submitted_by=user,
            live=False,
            review_status=Status.IN_REVIEW,
            source_url=values["source_url"],
        )
        _apply(story, values)
        if values["image"] is not None:
            story.image = _image_create(user=user, upload=values["image"], title=values["title"])
        story.save()
        _send_for_review(story, user=user)
    return story


def story_resubmit(
    *,
    user,
    story: Story,
    title: str,
    what_happened: str,
    customer_words: str,
    outcome: str,
    touchpoint_id: int,
    department_ids: list[int],
    tags: list[str],
    language: str,
    customer_name: str = "",
    customer_may_be_named: bool = False,
    image=None,
    remove_image: bool = False,
) -> Story:
    """The submitter's changes after the CX team asked for some; the review starts again.

    Only the submitter, and only while changes are asked for (or the story is a draft).
    A new `image` replaces the current one; `remove_image` drops it; neither keeps it.
    """
    check_person(user)
    if story.submitted_by_id != user.pk:
        raise PermissionDenied
    values = _check_story(
        title=title,
        what_happened=what_happened,
        customer_words=customer_words,
        outcome=outcome,
        touchpoint_id=touchpoint_id,
        department_ids=department_ids,
        tags=tags,
        language=language,
        customer_name=customer_name,
        customer_may_be_named=customer_may_be_named,
        image=image,
    )
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if locked.review_status not in EDITABLE:
            raise ValidationError(
                {"story": [_("This story is with the CX team now: it cannot be changed.")]}
            )
        _apply(locked, values)
        if values["image"] is not None:
            locked.image = _image_create(user=user, upload=values["image"], title=values["title"])
        elif remove_image:
            locked.image = None
        locked.review_status = Status.IN_REVIEW
        locked.review_comment = ""
        locked.save()
        # A fresh review of the new revision: whatever state the last one was left in ends.
        current = locked.current_workflow_state
        if current is not None:
            current.cancel(user=user)
        _send_for_review(locked, user=user)
    return locked


def story_thank(*, user, story: Story) -> bool:
    """Say thanks for a published story: once per person; False when already thanked."""
    check_person(user)
    if not story.live:
        raise ValidationError({"story": [_("Only published stories can be thanked.")]})
    if story.submitted_by_id == user.pk:
        raise ValidationError({"story": [_("You cannot thank your own story.")]})
    with transaction.atomic():
        _thanks, created = StoryThanks.objects.get_or_create(story=story, user=user)
    return created


# --- the review's outcomes (called from stories.signals) --------------------------------


def story_url(story: Story) -> str:
    """The story's page, absolute, for messages read outside the portal."""
    return site_url(reverse("stories:story_detail", args=[story.pk]))


def story_edit_url(story: Story) -> str:
    return site_url(reverse("stories:story_edit", args=[story.pk]))


def approved_key(*, story_id: int, revision_id: int) -> str:
    return f"stories:story:{story_id}:approved:{revision_id}"


def changes_key(*, story_id: int, task_state_id: int) -> str:
    return f"stories:story:{story_id}:changes:{task_state_id}"


def _quote(text: str) -> str:
    """User text as a Slack block quote, escaped so it cannot ping or link anyone."""
    return "\n".join(f"> {slack_escape(line)}" for line in text.strip().splitlines() or [""])


def _short(title: str) -> str:
    # Email subjects stay short (and within the outbox's 200 characters).
    return Truncator(title).chars(SUBJECT_TITLE_MAX)


Compose = Callable[[Callable[[str], str]], tuple[str, str]]


def _tell_submitter(story: Story, *, key: str, compose: Compose):
    """compose(shown) -> (subject, Slack mrkdwn); shown(text) is the text as the submitter may
    read it (identifiers masked unless they are in the CX team)."""
    submitter = get_user_model().objects.get(pk=story.submitted_by_id)
    reveal = rules.is_cx(submitter)

    def shown(text: str) -> str:
        return text if reveal else mask_identifiers(text)

    return notify_person(user=submitter, key=key, compose=lambda: compose(shown))


def _approval_comment(story: Story) -> str:
    """The comment of an "Approve with comment", if the review that just ended had one."""
    newest = WorkflowState.objects.for_instance(story).order_by("-created_at", "-pk").first()
    if newest is None or newest.status != WorkflowState.STATUS_APPROVED:
        return ""  # published from the editor, not through a review
    return (
        newest.task_states.filter(status=TaskState.STATUS_APPROVED)
        .exclude(comment="")
        .order_by("-finished_at", "-pk")
        .values_list("comment", flat=True)
        .first()
        or ""
    )


def story_review_published(*, story: Story, revision_id: int | None) -> None:
    """The story went live (approved in review, or published from the editor).

    Its submitter is told the first time, not when the CX team republishes a correction.
    Call inside the transaction that published it.
    """
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        if not locked.live:
            return  # scheduled for later: told when it goes live
        first_time = locked.review_status != Status.PUBLISHED
        Story.objects.filter(pk=locked.pk).update(review_status=Status.PUBLISHED, review_comment="")
        story.review_status, story.review_comment = Status.PUBLISHED, ""
        if not first_time:
            return
        comment = _approval_comment(locked)
        url = story_url(locked)

        def compose(shown) -> tuple[str, str]:
            title = shown(locked.title)
            subject = _("Your story “%(title)s” is published") % {"title": _short(title)}
            text = _(
                "Your customer success story %(story)s has been published for everyone to "
                "read. Thank you for sharing it!"
            ) % {"story": slack_link(url, title)}
            if comment:
                text += "\n" + _("The CX team's comment:") + "\n" + _quote(shown(comment))
            return subject, text

        _tell_submitter(
            locked,
            key=approved_key(story_id=locked.pk, revision_id=revision_id or 0),
            compose=compose,
        )


def story_review_changes_requested(*, story: Story, task_state_id: int, comment: str) -> None:
    """The CX team asked for changes: the comment is kept and sent to the submitter.

    Call inside the transaction that rejected the review task.
    """
    comment = comment.strip() if isinstance(comment, str) else ""
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        Story.objects.filter(pk=locked.pk).update(
            review_status=Status.CHANGES_REQUESTED, review_comment=comment
        )
        story.review_status, story.review_comment = Status.CHANGES_REQUESTED, comment
        url, edit_url = story_url(locked), story_edit_url(locked)

        def compose(shown) -> tuple[str, str]:
            title = shown(locked.title)
            subject = _("Changes asked for your story “%(title)s”") % {"title": _short(title)}
            lines = [
                _("The CX team has asked for changes to your story %(story)s before publishing it.")
                % {"story": slack_link(url, title)}
            ]
            if comment:
                lines += [_("The CX team's comment:"), _quote(shown(comment))]
            lines.append(
                _("Edit it and send it again: %(link)s")
                % {"link": slack_link(edit_url, _("edit your story"))}
            )
            return subject, "\n".join(lines)

        _tell_submitter(
            locked,
            key=changes_key(story_id=locked.pk, task_state_id=task_state_id),
            compose=compose,
        )


def story_review_withdrawn(*, story: Story) -> None:
    """The CX team unpublished the story: it is a draft again, which its submitter may resubmit."""
    Story.objects.filter(pk=story.pk, review_status=Status.PUBLISHED).update(
        review_status=Status.DRAFT
    )
