"""Reads for customer success stories: the published list, one story, home and profile places.

What a reader sees of a story's free text depends on who they are: email addresses and phone
numbers are masked for everyone but the CX team (stories.rules.is_cx). `shown_story` computes
that once per story so templates only print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils.text import Truncator
from wagtail.images import get_image_model
from wagtail.search.backends import get_search_backend

from portal import fragments, lookups
from portal.models import Department
from stories import masking, rules
from stories.models import Story, StoryTag, StoryThanks

TOUCHPOINT = "ambassadors.Touchpoint"  # named, not imported (DESIGN.md, "Rooms and doors")
THUMBNAIL = "fill-480x270"
DETAIL_IMAGE = "max-960x720"
PAGE_SIZE = 20
EXCERPT_WORDS = 40
HOME_LIMIT = 5
PROFILE_LIMIT = 20


# --- what a reader sees ------------------------------------------------------------------


@dataclass(frozen=True)
class ShownStory:
    """A story's text as this reader may read it."""

    title: str
    what_happened: str
    excerpt: str
    customer_words: str
    outcome: str
    customer_name: str
    review_comment: str


def shown_story(story: Story, *, reveal_identifiers: bool) -> ShownStory:
    def shown(text: str) -> str:
        return text if reveal_identifiers else masking.mask_identifiers(text)

    what_happened = shown(story.what_happened)
    return ShownStory(
        title=shown(story.title),
        what_happened=what_happened,
        excerpt=Truncator(what_happened).words(EXCERPT_WORDS),
        customer_words=shown(story.customer_words),
        outcome=shown(story.outcome),
        # Without the customer's agreement no name is shown, to anyone.
        customer_name=story.shown_customer_name,
        review_comment=shown(story.review_comment),
    )


def attach_shown(stories, *, reveal_identifiers: bool) -> None:
    """Give each story its `shown` text (no query)."""
    for story in stories:
        story.shown = shown_story(story, reveal_identifiers=reveal_identifiers)


def search_terms(q: str, *, reveal_identifiers: bool) -> str:
    """The search as it may be run: those who see identifiers masked cannot search for them
    either (finding a story by an email address would tell them it is in there)."""
    q = " ".join((q or "").split())
    if not reveal_identifiers:
        q = masking.PHONE.sub(" ", masking.EMAIL.sub(" ", q))
    return " ".join(q.split())


# --- the published list ------------------------------------------------------------------


@dataclass(frozen=True)
class FilterOptions:
    """Choices for the filing form and the list's filters."""

    departments: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    department_choices: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    touchpoints: list[tuple[str, str]] = field(default_factory=list)  # (slug, label)
    touchpoint_choices: list[tuple[int, str]] = field(default_factory=list)  # (id, label)
    touchpoint_ids: dict[str, int] = field(default_factory=dict)  # slug -> id
    tags: list[tuple[str, str]] = field(default_factory=list)  # (slug, name), on live stories


# What the story forms and filters offer (departments, touchpoints and the tags on live
# stories) and the latest stories on the home page: kept in the shared cache until one of
# them, or a story, is saved (its publication included).
STORIES = lookups.register(
    "stories",
    models=("portal.Department", TOUCHPOINT, "taggit.Tag", "stories.StoryTag", "stories.Story"),
)


def story_options(*, with_tags: bool = False) -> FilterOptions:
    """Every department and touchpoint (and the tags on live stories), kept in the shared
    cache (portal/lookups.py); two or three queries when read anew."""
    return lookups.remembered(
        STORIES.name, f"options:{with_tags:d}", lambda: _story_options(with_tags=with_tags)
    )


def _story_options(*, with_tags: bool) -> FilterOptions:
    touchpoint_model = Story._meta.get_field("touchpoint").related_model
    touchpoints = list(touchpoint_model.objects.order_by("order", "name"))
    departments = list(Department.objects.order_by("name").values_list("pk", "slug", "name"))
    tags: list[tuple[str, str]] = []
    if with_tags:
        tag_model = Story.tags.through.tag_model()
        # One index probe per tag; a DISTINCT over every live story's tags read them all
        # (bench/README.md, "What grows with the data").
        on_live_story = StoryTag.objects.filter(tag=OuterRef("pk"), content_object__live=True)
        tags = list(
            tag_model.objects.filter(Exists(on_live_story))
            .order_by("name")
            .values_list("slug", "name")
        )
    return FilterOptions(
        departments=[(slug, name) for _pk, slug, name in departments],
        department_choices=[(pk, name) for pk, _slug, name in departments],
        touchpoints=[(touchpoint.slug, touchpoint.label) for touchpoint in touchpoints],
        touchpoint_choices=[(touchpoint.pk, touchpoint.label) for touchpoint in touchpoints],
        touchpoint_ids={touchpoint.slug: touchpoint.pk for touchpoint in touchpoints},
        tags=tags,
    )


def _thanks_count():
    counted = (
        StoryThanks.objects.filter(story=OuterRef("pk"))
        .order_by()
        .values("story")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _matching(queryset: QuerySet[Story], q: str) -> QuerySet[Story]:
    """The stories of `queryset` that match the search, most relevant first.

    Wagtail's search filters only on FilterFields (live, language, touchpoint), so the caller
    searches first and filters on departments and tags afterwards. The database backends
    (SQLite, PostgreSQL, MySQL) answer with a queryset, which keeps that one SQL query; another
    backend's results are materialised as ids.
    """
    results = get_search_backend().search(q, queryset)
    if hasattr(results, "get_queryset"):
        return results.get_queryset()
    ids = [story.pk for story in results]
    return queryset.filter(pk__in=ids).order_by("-first_published_at", "-pk")


def published_stories(
    *,
    department: str = "",
    touchpoint_id: int | None = None,
    tag: str = "",
    language: str = "",
    q: str = "",
) -> QuerySet[Story]:
    """Live stories, newest first (most relevant first when searching), with their touchpoint
    and thanks counted; `prepare_cards` reads the rest a card draws, for the cards not cached.

    `department` and `tag` are slugs; `q` is run through Wagtail search as given (see
    `search_terms`). Costs a fixed number of queries per page, whatever it holds.
    """
    stories = Story.objects.filter(live=True)
    if language:
        stories = stories.filter(language=language)
    if touchpoint_id:
        stories = stories.filter(touchpoint_id=touchpoint_id)
    stories = _matching(stories, q) if q else stories.order_by("-first_published_at", "-pk")
    if department:
        stories = stories.filter(departments__slug=department)
    if tag:
        stories = stories.filter(tags__slug=tag)
    return stories.select_related("touchpoint").annotate(thanks_count=_thanks_count())


def card_key(story: Story) -> str:
    """What a story's card shows, as a key: every field of the row it draws (a new revision
    published, a thanks, an edit made any other way), and the revision, which brings the
    departments and tags."""
    return f"{story.pk}:" + fragments.digest(
        story.live_revision_id,
        story.thanks_count,
        story.title,
        story.what_happened,
        story.customer_words,
        story.customer_name,
        story.customer_may_be_named,
        story.language,
        story.first_published_at,
        story.image_id,
        story.touchpoint_id,
    )


def prepare_cards(stories: list[Story]) -> None:
    """Read what the cards of these stories draw beyond the list's query: their departments,
    tags and thumbnail (three queries, four with a thumbnail to draw)."""
    images = get_image_model().objects.prefetch_renditions(THUMBNAIL)
    prefetch_related_objects(
        stories,
        Prefetch("departments", queryset=Department.objects.order_by("name")),
        "tags",
        Prefetch("image", queryset=images),
    )


# --- one story ---------------------------------------------------------------------------


def may_view(user, story: Story) -> bool:
    """Live stories: everyone signed in. Others: their submitter and the CX team."""
    return story.live or story.submitted_by_id == user.pk or rules.is_cx(user)


def story_for_viewer(*, story_id: int, user) -> Story | None:
    """The story with what its page needs, or None when this person may not see it."""
    images = get_image_model().objects.prefetch_renditions(DETAIL_IMAGE)
    story = (
        Story.objects.filter(pk=story_id)
        .select_related("touchpoint", "submitted_by")
        .prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("name")),
            "tags",
            Prefetch("image", queryset=images),
        )
        .annotate(
            thanks_count=_thanks_count(),
            thanked=Exists(StoryThanks.objects.filter(story=OuterRef("pk"), user_id=user.pk)),
        )
        .first()
    )
    if story is None or not may_view(user, story):
        return None
    return story


# --- home and profile --------------------------------------------------------------------


def latest_published(*, limit: int = HOME_LIMIT) -> list[Story]:
    """The newest published stories, titles only (one query when not kept)."""
    return lookups.remembered(
        STORIES.name,
        f"latest:{limit}",
        lambda: list(
            Story.objects.filter(live=True)
            .order_by("-first_published_at", "-pk")
            .only("pk", "title")[:limit]
        ),
    )


def stories_filed_by(*, user, limit: int = PROFILE_LIMIT) -> list[Story]:
    """What this person filed, newest first, with where each stands (one query)."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    return list(
        Story.objects.filter(submitted_by_id=user.pk)
        .order_by("-created_at", "-pk")
        .only("pk", "title", "review_status", "live", "created_at")[:limit]
    )
