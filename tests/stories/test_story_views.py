"""The story pages: the list (filters, search, pagination, query counts), filing and editing
(errors beside fields, values kept), a story's page (masking, customer name, thanks), escaping,
and the home, profile and menu places."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import WorkflowState
from wagtail.search.backends import get_search_backend

from ambassadors.models import Touchpoint
from portal.auth import rights_of
from portal.home import HOOK, PROFILE_HOOK, sections_for
from portal.ui import nav_items
from stories.models import Story, StoryTag, StoryThanks
from stories.services import story as services
from tests.factories import DepartmentFactory, UserFactory
from tests.stories.test_story_services import (
    approve,
    png,
    request_changes,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def touchpoint(db):
    return Touchpoint.objects.get_or_create(slug="support", defaults={"name": "Support"})[0]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


LIST = reverse("stories:story_list")
NEW = reverse("stories:story_new")


def detail(story) -> str:
    return reverse("stories:story_detail", args=[story.pk])


def published(user, touchpoint, department, cx_lead, **overrides) -> Story:
    return approve(submit(user, touchpoint, department, **overrides), cx_lead)


def form_data(touchpoint, department, **overrides) -> dict:
    data = {
        "title": "A refund with no questions asked",
        "what_happened": "Charged twice; refunded the same hour.",
        "customer_words": "I got my money back before my coffee.",
        "outcome": "They renewed for two years.",
        "touchpoint_id": str(touchpoint.pk),
        "department_ids": [str(department.pk)],
        "tags": "refund, trust",
        "language": "en",
        "customer_name": "",
    }
    data.update(overrides)
    return data


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_published_stories_only(
    client, new_hire, ambassador, cx_lead, touchpoint, department
):
    published(ambassador, touchpoint, department, cx_lead, title="Published one")
    submit(ambassador, touchpoint, department, title="Still in review")
    client.force_login(new_hire)
    body = client.get(LIST).content.decode()
    assert "Published one" in body
    assert "Still in review" not in body
    assert "1 story" in body


def test_an_empty_list_says_what_to_do(client, new_hire):
    client.force_login(new_hire)
    body = client.get(LIST).content.decode()
    assert "No customer success stories have been published yet." in body
    assert f'href="{NEW}"' in body


def test_filters_combine_and_keep_their_values(
    client, new_hire, ambassador, cx_lead, touchpoint, department
):
    billing_desk = Touchpoint.objects.create(name="Billing", slug="billing")
    sales = DepartmentFactory(name="Sales", slug="sales")
    published(ambassador, touchpoint, department, cx_lead, title="Support refund", tags=["refund"])
    published(
        ambassador,
        billing_desk,
        sales,
        cx_lead,
        title="Billing refund",
        tags=["refund"],
        language="ko",
    )
    published(ambassador, touchpoint, sales, cx_lead, title="Sales onboarding", tags=["onboard"])
    client.force_login(new_hire)

    def titles(**params):
        response = client.get(LIST, params)
        return {story.title for story in response.context["page"]}

    assert titles() == {"Support refund", "Billing refund", "Sales onboarding"}
    assert titles(tag="refund") == {"Support refund", "Billing refund"}
    assert titles(tag="refund", department="sales") == {"Billing refund"}
    assert titles(touchpoint="support") == {"Support refund", "Sales onboarding"}
    assert titles(language="ko") == {"Billing refund"}
    assert titles(department="sales", touchpoint="support") == {"Sales onboarding"}

    body = client.get(LIST, {"department": "sales", "tag": "refund"}).content.decode()
    assert '<option value="sales" selected>' in body
    assert '<option value="refund" selected>' in body


def test_search_goes_through_wagtail_search_and_combines_with_filters(
    client, new_hire, ambassador, cx_lead, touchpoint, department
):
    sales = DepartmentFactory(name="Sales", slug="sales")
    published(
        ambassador, touchpoint, department, cx_lead, title="Gateway outage handled", tags=["x"]
    )
    published(ambassador, touchpoint, sales, cx_lead, title="Gateway rescue in Sales", tags=["x"])
    published(ambassador, touchpoint, sales, cx_lead, title="A birthday call", tags=["y"])
    client.force_login(new_hire)

    def titles(**params):
        return {story.title for story in client.get(LIST, params).context["page"]}

    assert titles(q="gateway") == {"Gateway outage handled", "Gateway rescue in Sales"}
    assert titles(q="gateway", department="sales") == {"Gateway rescue in Sales"}
    assert titles(q="gateway", tag="y") == set()
    assert titles(q="birthday", touchpoint="support", language="en") == {"A birthday call"}
    body = client.get(LIST, {"q": "nothing-like-this"}).content.decode()
    assert "No published story matches these filters." in body
    assert 'value="nothing-like-this"' in body


def test_people_outside_the_cx_team_cannot_search_for_identifiers(
    client, new_hire, cx_lead, ambassador, touchpoint, department
):
    published(
        ambassador,
        touchpoint,
        department,
        cx_lead,
        what_happened="Jane wrote from jane.doe@example.com about her refund.",
    )
    client.force_login(new_hire)
    assert len(client.get(LIST, {"q": "jane.doe@example.com"}).context["page"]) == 1
    # The address was dropped from the search: it is "everything", not "the one with it".
    published(ambassador, touchpoint, department, cx_lead, title="Unrelated")
    assert len(client.get(LIST, {"q": "jane.doe@example.com"}).context["page"]) == 2


def test_an_unknown_filter_value_is_said_and_not_applied(
    client, new_hire, ambassador, cx_lead, touchpoint, department
):
    published(ambassador, touchpoint, department, cx_lead)
    client.force_login(new_hire)
    response = client.get(LIST, {"department": "nowhere"})
    assert response.status_code == 200
    assert len(response.context["page"]) == 1
    assert "Select a valid choice" in response.content.decode()


def test_the_list_pages_twenty_at_a_time(client, new_hire, ambassador, touchpoint, department):
    _make_published(25, ambassador, touchpoint, department)
    assert Story.objects.filter(live=True).count() == 25
    client.force_login(new_hire)
    first = client.get(LIST)
    assert len(first.context["page"]) == 20
    assert 'class="pagination"' in first.content.decode()
    second = client.get(LIST, {"page": 2, "tag": "bulk"})
    assert len(second.context["page"]) == 5
    assert "tag=bulk" in second.content.decode()  # the pages keep the filters


def _make_published(count, user, touchpoint, department, *, images=0) -> None:
    """Published stories in bulk: the first few through the services (with images), the rest
    written straight to the tables, as a fixture (saving each one through the review would
    take minutes at 200)."""
    through = min(count, 3)
    now = timezone.now()
    rows = Story.objects.bulk_create(
        Story(
            title=f"Bulk story {number}",
            what_happened=f"What happened in bulk story {number}.",
            customer_words="Thank you!",
            outcome="Happy customer.",
            touchpoint=touchpoint,
            language="en",
            submitted_by=user,
            live=True,
            review_status=Story.ReviewStatus.PUBLISHED,
            first_published_at=now - datetime.timedelta(minutes=count - number),
        )
        for number in range(through, count)
    )
    bulk_tag = Tag.objects.get_or_create(name="bulk", slug="bulk")[0]
    StoryTag.objects.bulk_create(StoryTag(content_object=row, tag=bulk_tag) for row in rows)
    Story.departments.through.objects.bulk_create(
        Story.departments.through(story_id=row.pk, department_id=department.pk) for row in rows
    )
    get_search_backend().add_bulk(Story, rows)
    # The newest few, on the first page, go through filing and publishing (with images).
    for number in range(through):
        story = submit(
            user,
            touchpoint,
            department,
            title=f"Bulk story {number}",
            tags=["bulk", f"t{number}"],
            image=png(f"p{number}.png") if number < images else None,
        )
        story.save_revision(user=user).publish(user=None, skip_permission_checks=True)


# Session, user, CX check; touchpoints, departments, tags for the filters; count, page,
# departments, tags, images, renditions; the base template's site settings and menu (4).
LIST_QUERIES = 16


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_costs_the_same_queries_at_10_and_200_stories(
    client,
    new_hire,
    ambassador,
    touchpoint,
    department,
    media,
    count,
    settings,
    django_assert_max_num_queries,
):
    # Wagtail writes each rendition it serves to the "renditions" cache (its own advice: a
    # dedicated local cache); on the database cache that would be queries per image.
    settings.CACHES = {
        **settings.CACHES,
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    _make_published(count, ambassador, touchpoint, department, images=3)
    StoryThanks.objects.bulk_create(
        StoryThanks(story=story, user=new_hire) for story in Story.objects.all()[:5]
    )
    client.force_login(new_hire)
    client.get(LIST)  # renditions are made once, on first view
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"]) == min(count, 20)
    assert sum(1 for story in response.context["page"] if story.image) == 3
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST, {"q": "bulk", "tag": "bulk", "department": "support"})
    assert len(response.context["page"]) == min(count, 20)


# --- filing ------------------------------------------------------------------------------


def test_filing_from_the_web_redirects_with_thanks(client, ambassador, touchpoint, department):
    client.force_login(ambassador)
    response = client.post(NEW, form_data(touchpoint, department), follow=True)
    story = Story.objects.get()
    assert response.redirect_chain[-1][0] == detail(story)
    body = response.content.decode()
    assert "Thanks — the CX team will review it." in body
    assert "In review" in body
    assert story.review_status == Story.ReviewStatus.IN_REVIEW
    assert sorted(tag.name for tag in story.tags.all()) == ["refund", "trust"]


def test_the_form_starts_with_my_department_and_language(client, ambassador, department):
    client.force_login(ambassador)
    form = client.get(NEW).context["form"]
    assert form.initial["department_ids"] == [department.pk]
    assert form.initial["language"] == "en"


def test_errors_show_beside_the_fields_and_what_was_typed_is_kept(
    client, ambassador, touchpoint, department
):
    client.force_login(ambassador)
    data = form_data(touchpoint, department, title="", customer_name="Jane Doe")
    response = client.post(NEW, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == ["Give the story a title."]
    assert "agreed to be named" in form.errors["customer_name"][0]
    body = response.content.decode()
    assert 'id="id_title_error"' in body
    assert "Charged twice; refunded the same hour." in body
    assert 'value="Jane Doe"' in body
    assert 'value="refund, trust"' in body
    assert not Story.objects.exists()


def test_a_bad_image_is_refused_and_must_be_chosen_again(
    client, ambassador, touchpoint, department, media, settings
):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2 * 1024
    client.force_login(ambassador)
    data = form_data(touchpoint, department, image=png(padding=4 * 1024))
    response = client.post(NEW, data)
    errors = response.context["form"].errors["image"]
    assert any("too big" in error for error in errors)
    assert any("Choose the image again" in error for error in errors)
    assert 'value="A refund with no questions asked"' in response.content.decode()
    assert not Story.objects.exists()


def test_an_image_is_shown_on_the_story(client, ambassador, touchpoint, department, media):
    client.force_login(ambassador)
    client.post(NEW, form_data(touchpoint, department, image=png()))
    story = Story.objects.get()
    assert story.image is not None
    body = client.get(detail(story)).content.decode()
    assert 'class="story-image"' in body


def test_a_double_submit_files_one_story(client, ambassador, touchpoint, department):
    client.force_login(ambassador)
    client.post(NEW, form_data(touchpoint, department))
    client.post(NEW, form_data(touchpoint, department))
    assert Story.objects.count() == 1


# --- a story's page ------------------------------------------------------------------------


def test_identifiers_are_masked_for_everyone_but_the_cx_team(
    client, new_hire, ambassador, cx_lead, touchpoint, department
):
    story = published(
        ambassador,
        touchpoint,
        department,
        cx_lead,
        what_happened="She wrote from jane.doe@example.com and called +82 10-1234-5678.",
        customer_words="연락처 010-9876-5432로 전화 주세요",
    )
    client.force_login(new_hire)
    body = client.get(detail(story)).content.decode()
    list_body = client.get(LIST).content.decode()
    for text in (body, list_body):
        assert "jane.doe@example.com" not in text
        assert "10-1234-5678" not in text
        assert "010-9876-5432" not in text
        assert "[email hidden]" in text

    client.force_login(cx_lead)
    body = client.get(detail(story)).content.decode()
    assert "jane.doe@example.com" in body
    assert "010-9876-5432" in body


def test_the_submitter_sees_their_own_text_masked_too_but_edits_it_whole(
    client, ambassador, cx_lead, touchpoint, department
):
    story = submit(ambassador, touchpoint, department, outcome="Call 010-1234-5678 back.")
    request_changes(story, cx_lead)
    client.force_login(ambassador)
    assert "010-1234-5678" not in client.get(detail(story)).content.decode()
    edit = client.get(reverse("stories:story_edit", args=[story.pk])).content.decode()
    assert "Call 010-1234-5678 back." in edit


def test_the_customer_is_named_only_when_they_agreed(
    client, new_hire, ambassador, cx_lead, touchpoint, department
):
    named = published(
        ambassador,
        touchpoint,
        department,
        cx_lead,
        customer_name="Northlight Studio",
        customer_may_be_named=True,
    )
    client.force_login(new_hire)
    assert "Northlight Studio" in client.get(detail(named)).content.decode()
    assert "Northlight Studio" in client.get(LIST).content.decode()

    # Even a name typed into the database by hand is not shown without the agreement.
    Story.objects.filter(pk=named.pk).update(customer_may_be_named=False)
    assert "Northlight Studio" not in client.get(detail(named)).content.decode()
    assert "Northlight Studio" not in client.get(LIST).content.decode()


def test_thanks_once_per_person_with_the_count_shown(
    client, new_hire, hr, ambassador, cx_lead, touchpoint, department
):
    story = published(ambassador, touchpoint, department, cx_lead)
    thank = reverse("stories:story_thank", args=[story.pk])
    client.force_login(new_hire)
    body = client.get(detail(story)).content.decode()
    assert "Say thanks" in body
    assert "Nobody has said thanks yet: be the first." in body

    response = client.post(thank, follow=True)
    body = response.content.decode()
    assert "You said thanks for this story." in body
    assert "1 person said thanks" in body
    assert "Say thanks</button>" not in body

    client.post(thank)
    assert StoryThanks.objects.filter(story=story).count() == 1

    client.force_login(hr)
    client.post(thank)
    assert "2 people said thanks" in client.get(detail(story)).content.decode()


def test_a_card_is_drawn_again_when_what_it_shows_changes(
    client, new_hire, hr, ambassador, cx_lead, touchpoint, department
):
    """Cards are kept once drawn (portal/fragments.py): each change must still show."""
    story = published(ambassador, touchpoint, department, cx_lead, tags=["refund"])
    client.force_login(new_hire)

    def card() -> str:
        body = client.get(LIST).content.decode()
        return body[body.index('<ul class="story-cards">') :]

    assert "0 thanks" in card()
    services.story_thank(user=hr, story=story)
    assert "1 thanks" in card()
    department.name = "Customer Care"
    department.save()
    assert "Customer Care" in card()
    touchpoint.name = "Help desk"
    touchpoint.save()
    assert "Help desk" in card()
    Tag.objects.filter(slug="refund").update(name="refunds")  # no signal: a new revision does it
    Tag.objects.get(slug="refund").save()
    assert ">refunds<" in card()
    Story.objects.filter(pk=story.pk).update(title="Retitled by hand")
    assert "Retitled by hand" in card()
    client.post("/language/", {"language": "ko", "next": LIST})
    assert "감사 1" in card()  # each language its own card


def test_the_submitter_sees_the_count_but_no_button(
    client, ambassador, cx_lead, touchpoint, department
):
    story = published(ambassador, touchpoint, department, cx_lead)
    client.force_login(ambassador)
    body = client.get(detail(story)).content.decode()
    assert "Say thanks</button>" not in body
    assert "you cannot thank your own" in body
    response = client.post(reverse("stories:story_thank", args=[story.pk]), follow=True)
    assert "You cannot thank your own story." in response.content.decode()
    assert not StoryThanks.objects.exists()


def test_changes_requested_show_the_comment_and_the_way_to_resubmit(
    client, ambassador, cx_lead, touchpoint, department
):
    story = submit(ambassador, touchpoint, department)
    request_changes(story, cx_lead, comment="Name the plan <b>please</b>.")
    edit_url = reverse("stories:story_edit", args=[story.pk])
    client.force_login(ambassador)
    body = client.get(detail(story)).content.decode()
    assert "The CX team asks for changes" in body
    assert "Name the plan &lt;b&gt;please&lt;/b&gt;." in body
    assert f'href="{edit_url}"' in body

    response = client.post(
        edit_url, form_data(touchpoint, department, title="Renamed"), follow=True
    )
    assert "Thanks — the CX team will review your changes." in response.content.decode()
    story = Story.objects.get(pk=story.pk)
    assert story.title == "Renamed"
    assert story.review_status == Story.ReviewStatus.IN_REVIEW
    assert story.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_a_story_in_review_cannot_be_edited_yet(client, ambassador, touchpoint, department):
    story = submit(ambassador, touchpoint, department)
    client.force_login(ambassador)
    response = client.get(reverse("stories:story_edit", args=[story.pk]), follow=True)
    assert response.redirect_chain[-1][0] == detail(story)
    assert "you can change it when they ask for changes" in response.content.decode()


def test_edit_errors_are_shown_and_keep_the_values(
    client, ambassador, cx_lead, touchpoint, department
):
    story = submit(ambassador, touchpoint, department)
    request_changes(story, cx_lead)
    client.force_login(ambassador)
    response = client.post(
        reverse("stories:story_edit", args=[story.pk]),
        form_data(touchpoint, department, outcome="", title="Kept title"),
    )
    assert response.context["form"].errors["outcome"]
    assert 'value="Kept title"' in response.content.decode()
    assert Story.objects.get(pk=story.pk).review_status == Story.ReviewStatus.CHANGES_REQUESTED


# --- escaping ----------------------------------------------------------------------------

NASTY = "<script>alert(1)</script> <!channel> <@U123ABC>"


def test_user_text_is_escaped_on_every_page(
    client, new_hire, ambassador, cx_lead, touchpoint, department
):
    story = published(
        ambassador,
        touchpoint,
        department,
        cx_lead,
        title=NASTY,
        what_happened=NASTY,
        customer_words=NASTY,
        outcome=NASTY,
        tags=["<b>tag</b>"],
        customer_name=NASTY,
        customer_may_be_named=True,
    )
    client.force_login(new_hire)
    pages = [detail(story), LIST, "/", reverse("profile")]
    client.force_login(ambassador)
    pages_as_submitter = [reverse("profile")]
    for url in pages:
        client.force_login(new_hire)
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body, url
        assert "<b>tag</b>" not in body, url
    for url in pages_as_submitter:
        client.force_login(ambassador)
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    client.force_login(new_hire)
    body = client.get(detail(story)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt; &lt;@U123ABC&gt;" in body


# --- home, profile, menu -----------------------------------------------------------------


def test_home_lists_the_five_latest_stories(client, new_hire, ambassador, touchpoint, department):
    _make_published(7, ambassador, touchpoint, department)
    client.force_login(new_hire)
    body = client.get("/").content.decode()
    assert "Latest stories" in body
    for shown in (0, 1, 2, 6, 5):
        assert f">Bulk story {shown}<" in body
    for older in (4, 3):
        assert f">Bulk story {older}<" not in body
    assert f'href="{LIST}"' in body


def test_home_section_queries_do_not_grow_with_items(
    new_hire, ambassador, touchpoint, department, django_assert_max_num_queries
):
    _make_published(6, ambassador, touchpoint, department)
    hook = _hook(HOOK, "latest_stories_section")
    rights_of(new_hire)  # read once per request (by the navigation), they decide the masking
    with django_assert_max_num_queries(1):
        section = hook(user=new_hire, profile=None)
    assert section.key == "stories" and section.order == 40 and len(section.items) == 5


def test_home_section_masks_titles(new_hire, ambassador, cx_lead, touchpoint, department):
    published(ambassador, touchpoint, department, cx_lead, title="Call 010-1234-5678")
    section = _hook(HOOK, "latest_stories_section")(user=new_hire, profile=None)
    assert "010-1234-5678" not in str(section.items[0])


def test_home_section_has_an_honest_empty_state(new_hire):
    sections = {s.key: s for s in sections_for(user=new_hire, profile=None)}
    assert sections["stories"].items == []
    assert sections["stories"].empty == "No customer success stories have been published yet."


def test_profile_lists_my_stories_and_where_they_stand(
    client, ambassador, cx_lead, touchpoint, department, django_assert_max_num_queries
):
    approve(submit(ambassador, touchpoint, department, title="Mine published"), cx_lead)
    request_changes(submit(ambassador, touchpoint, department, title="Mine to fix"), cx_lead)
    submit(ambassador, touchpoint, department, title="Mine in review")
    submit(cx_lead, touchpoint, department, title="Someone else's")
    hook = _hook(PROFILE_HOOK, "my_stories_section")
    rights_of(ambassador)  # read once per request (by the navigation), they decide the masking
    with django_assert_max_num_queries(1):
        section = hook(user=ambassador, profile=None)
    assert section.key == "my_stories"
    client.force_login(ambassador)
    body = client.get(reverse("profile")).content.decode()
    assert "Mine published" in body and "Published" in body
    assert "Mine to fix" in body and "Changes requested" in body
    assert "Mine in review" in body and "In review" in body
    assert "Someone else&#x27;s" not in body


def test_profile_says_when_i_have_shared_nothing(client, new_hire):
    client.force_login(new_hire)
    body = client.get(reverse("profile")).content.decode()
    assert "You have not shared a customer success story yet." in body


def test_the_menu_has_stories_without_querying(new_hire, django_assert_num_queries):
    new_hire._stories_is_cx = False
    hook = _hook("register_nav_item", "stories_nav")
    with django_assert_num_queries(0):
        item = hook(user=new_hire)
    assert item.url == LIST
    links = nav_items(user=UserFactory(email="menu@example.com"), path=LIST)
    assert any(link["item"].key == "stories" and link["current"] for link in links)


def _hook(name: str, function_name: str):
    from wagtail import hooks

    (found,) = [fn for fn in hooks.get_hooks(name) if fn.__name__ == function_name]
    return found


def test_the_form_carries_the_services_arguments():
    import inspect

    from stories.forms.story import SERVICE_ARGUMENTS, StoryForm
    from stories.selectors.story import FilterOptions

    # Everything but who files it and the Slack message it came from (set from Slack only).
    parameters = set(inspect.signature(services.story_submit).parameters) - {"user", "source_url"}
    assert set(SERVICE_ARGUMENTS) == parameters
    assert parameters <= set(StoryForm(options=FilterOptions()).fields)


def test_without_touchpoints_the_form_says_who_adds_them(client, new_hire):
    client.force_login(new_hire)
    body = client.get(NEW).content.decode()
    assert "Ask the CX team to add touchpoints in the admin." in body


def test_the_cx_team_gets_a_link_to_review_in_the_admin(
    client, new_hire, ambassador, cx_lead, touchpoint, department
):
    story = submit(ambassador, touchpoint, department)
    admin_url = reverse("wagtailsnippets_stories_story:edit", args=[story.pk])
    client.force_login(cx_lead)
    assert admin_url in client.get(detail(story)).content.decode()
    client.force_login(ambassador)
    assert admin_url not in client.get(detail(story)).content.decode()
