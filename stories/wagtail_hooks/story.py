"""Stories in the admin (the CX team's review) and on the portal's home, profile and menu.

The CX team reviews in the snippet editor through the "Story review" workflow (WorkflowMixin
and the workflow assigned to the Story content type): approve, approve with a comment, or
request changes with a comment. Only the CX team holds the story rights (stories.groups), so
only they see the list, which shows the text as typed (customer name included).
`review_status` is shown, never edited: it follows the workflow (stories.signals).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, UserColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.home import ACTION_HOOK, HOOK, PROFILE_HOOK, Action, Item, Section
from portal.ui import NAV_HOOK, NavItem
from stories import rules
from stories.forms.story import StoryAdminForm
from stories.masking import mask_identifiers
from stories.models import Story
from stories.selectors.story import HOME_LIMIT, latest_published, stories_filed_by
from stories.slack_blocks import SLACK_OPEN_STORY

STATUS_BADGES = {
    Story.ReviewStatus.PUBLISHED: "success",
    Story.ReviewStatus.IN_REVIEW: "info",
    Story.ReviewStatus.CHANGES_REQUESTED: "warning",
    Story.ReviewStatus.DRAFT: "neutral",
}


class StoryViewSet(SnippetViewSet):
    model = Story
    icon = "openquote"
    menu_label = gettext_lazy("Stories")
    menu_order = 140
    add_to_admin_menu = True
    url_prefix = "stories"
    list_display = [
        "title",
        UserColumn("submitted_by", label=gettext_lazy("Submitted by")),
        "touchpoint",
        Column(
            "get_review_status_display",
            label=gettext_lazy("Review status"),
            sort_key="review_status",
        ),
        "updated_at",
    ]
    list_filter = ["review_status", "live", "touchpoint", "language", "departments"]
    search_fields = ["title", "what_happened", "customer_words", "outcome"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("submitted_by", read_only=True),
                    FieldPanel("review_status", read_only=True),
                ],
                heading=gettext_lazy("Review"),
            ),
            FieldPanel("title"),
            FieldPanel("what_happened"),
            FieldPanel("customer_words"),
            FieldPanel("outcome"),
            MultiFieldPanel(
                [FieldPanel("customer_may_be_named"), FieldPanel("customer_name")],
                heading=gettext_lazy("Customer"),
                help_text=gettext_lazy(
                    "The name is shown on the portal only when the customer agreed to be named."
                ),
            ),
            FieldPanel("touchpoint"),
            FieldPanel("departments"),
            FieldPanel("tags"),
            FieldPanel("language"),
            FieldPanel("image"),
        ],
        base_form_class=StoryAdminForm,
    )

    def get_queryset(self, request):
        return Story.objects.select_related("submitted_by", "touchpoint")


register_snippet(StoryViewSet)


# --- the portal's places -----------------------------------------------------------------


def _story_item(story: Story, *, reveal: bool, **shown) -> Item:
    return Item(
        text=story.title if reveal else mask_identifiers(story.title),
        url=reverse("stories:story_detail", args=[story.pk]),
        **shown,
    )


@hooks.register(HOOK)
def latest_stories_section(*, user, profile) -> Section:
    reveal = rules.is_cx(user)
    return Section(
        key="stories",
        title=_("Latest stories"),
        items=[_story_item(story, reveal=reveal) for story in latest_published()],
        empty=_("No customer success stories have been published yet."),
        order=40,
        url=reverse("stories:story_list"),
    )


def _with_status(story: Story, *, reveal: bool) -> Item:
    return _story_item(
        story,
        reveal=reveal,
        badge=story.get_review_status_display(),
        tone=STATUS_BADGES.get(story.review_status, "neutral"),
    )


@hooks.register(HOOK)
def my_recent_stories_section(*, user, profile) -> Section:
    """What I shared lately and where it stands (on the home page and in Slack's App Home)."""
    reveal = rules.is_cx(user)
    stories = stories_filed_by(user=user, limit=HOME_LIMIT)
    return Section(
        key="my_stories",
        title=_("My stories"),
        items=[_with_status(story, reveal=reveal) for story in stories],
        empty=_("You have not shared a customer success story yet."),
        order=42,
        url=reverse("profile") + "#profile-my_stories",
    )


@hooks.register(PROFILE_HOOK)
def my_stories_section(*, user, profile) -> Section:
    reveal = rules.is_cx(user)
    return Section(
        key="my_stories",
        title=_("Stories I shared"),
        items=[_with_status(story, reveal=reveal) for story in stories_filed_by(user=user)],
        empty=_("You have not shared a customer success story yet."),
        order=20,
    )


@hooks.register(ACTION_HOOK)
def share_a_story_action(*, user) -> Action:
    return Action(
        key="story",
        label=_("Share a story"),
        url=reverse("stories:story_new"),
        slack_action_id=SLACK_OPEN_STORY,
        order=10,
        primary=True,
    )


@hooks.register(NAV_HOOK)
def stories_nav(*, user) -> NavItem:
    return NavItem(key="stories", label=_("Stories"), url=reverse("stories:story_list"), order=40)
