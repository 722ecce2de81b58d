"""Customer success stories on the web: the published list, filing, a story's page, thanks.

Thin: the selectors read, the services write and validate. Sign-in is the middleware's.
Who sees what: published stories, everyone; a story under review, its submitter and the CX
team only (404 for others); emails and phone numbers in the text, the CX team only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import fragments
from portal.selectors import viewer_profile
from stories import rules
from stories.forms.story import StoryEditForm, StoryFilterForm, StoryForm, initial_from
from stories.selectors import FRAGMENTS
from stories.selectors.story import (
    PAGE_SIZE,
    attach_shown,
    card_key,
    prepare_cards,
    published_stories,
    search_terms,
    shown_story,
    story_for_viewer,
    story_options,
)
from stories.services.story import EDITABLE, story_resubmit, story_submit, story_thank


@require_http_methods(["GET", "HEAD"])
def story_list(request: HttpRequest) -> HttpResponse:
    options = story_options(with_tags=True)
    form = StoryFilterForm(request.GET or None, options=options)
    chosen = form.filters()
    reveal = rules.is_cx(request.user)
    stories = published_stories(
        department=chosen.get("department", ""),
        touchpoint_id=options.touchpoint_ids.get(chosen.get("touchpoint", "")),
        tag=chosen.get("tag", ""),
        language=chosen.get("language", ""),
        q=search_terms(chosen.get("q", ""), reveal_identifiers=reveal),
    )
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stories/story_list.html",
        {
            "form": form,
            "page": page,
            "cards": story_cards(list(page.object_list), reveal_identifiers=reveal),
            "filtered": bool(chosen),
        },
    )


def story_cards(stories: list, *, reveal_identifiers: bool) -> list[SafeString]:
    """Each story's card, drawn once per version, language and time zone, and for the CX team
    (who read identifiers) apart from everyone else."""
    generation = fragments.generation(FRAGMENTS)
    prefix = f"story-card:{generation}:{fragments.reader()}:{reveal_identifiers:d}"

    def draw(missing: list) -> list[str]:
        prepare_cards(missing)
        attach_shown(missing, reveal_identifiers=reveal_identifiers)
        return [render_to_string("stories/story_card.html", {"story": s}) for s in missing]

    return fragments.cached(stories, key=lambda story: f"{prefix}:{card_key(story)}", render=draw)


def _file_form(request: HttpRequest, form_class, **kwargs):
    return form_class(
        request.POST or None, request.FILES or None, options=story_options(), **kwargs
    )


@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    profile = viewer_profile(user=request.user)
    initial = {
        "language": translation.get_language() or "",
        "department_ids": [profile.department_id] if profile and profile.department_id else [],
    }
    form = _file_form(request, StoryForm, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            story = story_submit(user=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Thanks — the CX team will review it."))
            return redirect("stories:story_detail", story_id=story.pk)
    if request.method == "POST":
        form.note_dropped_file(request.FILES)
    return render(request, "stories/story_form.html", _form_context(form, story=None))


def _form_context(form, *, story) -> dict:
    # Without touchpoints nobody can file: the page says who adds them.
    return {"form": form, "story": story, "has_touchpoints": form.has_touchpoints}


def _visible_story(request: HttpRequest, story_id: int):
    story = story_for_viewer(story_id=story_id, user=request.user)
    if story is None:
        raise Http404
    return story


@require_http_methods(["GET", "HEAD"])
def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _visible_story(request, story_id)
    is_submitter = story.submitted_by_id == request.user.pk
    is_cx = rules.is_cx(request.user)
    story.shown = shown_story(story, reveal_identifiers=is_cx)
    return render(
        request,
        "stories/story_detail.html",
        {
            "story": story,
            "is_submitter": is_submitter,
            # The CX team reviews and corrects stories in the admin.
            "admin_url": reverse("wagtailsnippets_stories_story:edit", args=[story.pk])
            if is_cx
            else None,
            "may_thank": story.live and not is_submitter,
            "may_edit": is_submitter and story.review_status in EDITABLE,
        },
    )


@require_POST
def story_thank_view(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _visible_story(request, story_id)
    try:
        thanked = story_thank(user=request.user, story=story)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if thanked:
            messages.success(request, _("You said thanks for this story."))
        else:
            messages.info(request, _("You had already said thanks for this story."))
    return redirect("stories:story_detail", story_id=story.pk)


@require_http_methods(["GET", "POST"])
def story_edit(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _visible_story(request, story_id)
    if story.submitted_by_id != request.user.pk:
        raise PermissionDenied
    if story.review_status not in EDITABLE:
        messages.info(
            request,
            _("This story is with the CX team: you can change it when they ask for changes."),
        )
        return redirect("stories:story_detail", story_id=story.pk)
    form = _file_form(
        request, StoryEditForm, initial=initial_from(story), has_image=bool(story.image_id)
    )
    if request.method == "POST" and form.is_valid():
        try:
            story_resubmit(user=request.user, story=story, **form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Thanks — the CX team will review your changes."))
            return redirect("stories:story_detail", story_id=story.pk)
    if request.method == "POST":
        form.note_dropped_file(request.FILES)
    story.shown = shown_story(story, reveal_identifiers=rules.is_cx(request.user))
    return render(request, "stories/story_form.html", _form_context(form, story=story))


urlpatterns = [
    path("stories/", story_list, name="story_list"),
    path("stories/new/", story_new, name="story_new"),
    path("stories/<int:story_id>/", story_detail, name="story_detail"),
    path("stories/<int:story_id>/thanks/", story_thank_view, name="story_thank"),
    path("stories/<int:story_id>/edit/", story_edit, name="story_edit"),
]
