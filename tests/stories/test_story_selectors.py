"""stories.selectors.story: what each reader sees, the published list's filters and search, who
may open a story, and the home and profile lists."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ambassadors.models import Touchpoint
from portal.models import Department
from stories.models import Story
from stories.selectors import story as selectors
from tests.factories import DepartmentFactory
from tests.stories.test_story_services import approve, request_changes, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def touchpoint(db):
    return Touchpoint.objects.get_or_create(slug="support", defaults={"name": "Support"})[0]


def titles(queryset) -> set[str]:
    return {story.title for story in queryset}


def test_shown_story_masks_unless_revealed(ambassador, touchpoint, department):
    story = submit(
        ambassador,
        touchpoint,
        department,
        title="Call 010-1234-5678",
        what_happened="Mail jane@example.com",
        customer_words="+44 20 7946 0958",
        outcome="Done",
        customer_name="Jane",
        customer_may_be_named=True,
    )
    shown = selectors.shown_story(story, reveal_identifiers=False)
    assert "010-1234-5678" not in shown.title
    assert "jane@example.com" not in shown.what_happened
    assert "7946" not in shown.customer_words
    assert shown.customer_name == "Jane"
    revealed = selectors.shown_story(story, reveal_identifiers=True)
    assert revealed.title == "Call 010-1234-5678"
    assert revealed.what_happened == "Mail jane@example.com"


def test_shown_story_never_names_a_customer_without_agreement(ambassador, touchpoint, department):
    story = submit(ambassador, touchpoint, department)
    story.customer_name = "Typed by hand in the database"
    assert selectors.shown_story(story, reveal_identifiers=True).customer_name == ""


def test_the_excerpt_is_short(ambassador, touchpoint, department):
    story = submit(ambassador, touchpoint, department, what_happened="word " * 100)
    excerpt = selectors.shown_story(story, reveal_identifiers=False).excerpt
    assert len(excerpt.split()) == selectors.EXCERPT_WORDS
    assert excerpt.endswith("…")


@pytest.mark.parametrize(
    ("typed", "reveal", "searched"),
    [
        ("refund  gateway", False, "refund gateway"),
        ("jane@example.com refund", False, "refund"),
        ("010-1234-5678", False, ""),
        ("jane@example.com refund", True, "jane@example.com refund"),
        ("", False, ""),
    ],
)
def test_search_terms(typed, reveal, searched):
    assert selectors.search_terms(typed, reveal_identifiers=reveal) == searched


def test_options_list_departments_touchpoints_and_tags_on_live_stories(
    ambassador, cx_lead, touchpoint, department
):
    approve(submit(ambassador, touchpoint, department, tags=["refund"]), cx_lead)
    submit(ambassador, touchpoint, department, title="Draft", tags=["secret-draft-tag"])
    options = selectors.story_options(with_tags=True)
    assert options.departments == [("support", "Customer Support")]
    assert options.department_choices == [(department.pk, "Customer Support")]
    assert options.touchpoints == [("support", "Support")]
    assert options.touchpoint_ids == {"support": touchpoint.pk}
    assert options.tags == [("refund", "refund")]
    assert selectors.story_options().tags == []


def test_touchpoints_are_named_in_the_readers_language(touchpoint):
    from django.utils import translation

    touchpoint.name_ko = "지원"
    touchpoint.save()
    with translation.override("ko"):
        assert selectors.story_options().touchpoints == [("support", "지원")]


def test_published_stories_newest_first_with_counts(
    ambassador, new_hire, hr, cx_lead, touchpoint, department
):
    from stories.services.story import story_thank

    older = approve(submit(ambassador, touchpoint, department, title="Older"), cx_lead)
    newer = approve(submit(ambassador, touchpoint, department, title="Newer"), cx_lead)
    submit(ambassador, touchpoint, department, title="Not yet")
    story_thank(user=new_hire, story=older)
    story_thank(user=hr, story=older)
    stories = list(selectors.published_stories())
    assert [story.title for story in stories] == ["Newer", "Older"]
    assert {story.title: story.thanks_count for story in stories} == {"Newer": 0, "Older": 2}
    assert newer.pk == stories[0].pk


def test_published_stories_filters_and_search_combine(ambassador, cx_lead, touchpoint, department):
    sales = DepartmentFactory(name="Sales", slug="sales")
    billing = Touchpoint.objects.create(name="Billing", slug="billing")
    approve(
        submit(ambassador, touchpoint, department, title="Gateway fixed", tags=["gateway"]),
        cx_lead,
    )
    approve(
        submit(
            ambassador,
            billing,
            sales,
            title="Gateway refund",
            tags=["gateway", "refund"],
            language="ko",
        ),
        cx_lead,
    )
    approve(submit(ambassador, billing, sales, title="Birthday call", tags=["care"]), cx_lead)

    assert titles(selectors.published_stories(q="gateway")) == {"Gateway fixed", "Gateway refund"}
    assert titles(selectors.published_stories(q="gateway", department="sales")) == {
        "Gateway refund"
    }
    assert titles(selectors.published_stories(q="gateway", tag="refund")) == {"Gateway refund"}
    assert titles(selectors.published_stories(q="gateway", touchpoint_id=touchpoint.pk)) == {
        "Gateway fixed"
    }
    assert titles(selectors.published_stories(q="gateway", language="ko")) == {"Gateway refund"}
    assert titles(selectors.published_stories(department="sales", tag="care")) == {"Birthday call"}
    assert titles(selectors.published_stories(q="birthday", department="support")) == set()


def test_a_story_in_two_departments_is_listed_once(ambassador, cx_lead, touchpoint, department):
    sales = DepartmentFactory(name="Sales", slug="sales")
    approve(
        submit(ambassador, touchpoint, department, department_ids=[department.pk, sales.pk]),
        cx_lead,
    )
    assert len(list(selectors.published_stories())) == 1
    assert len(list(selectors.published_stories(department="sales"))) == 1
    (story,) = selectors.published_stories(q="refund")
    assert [d.name for d in story.departments.all()] == ["Customer Support", "Sales"]


def test_who_may_open_a_story(ambassador, new_hire, cx_lead, touchpoint, department):
    draft = submit(ambassador, touchpoint, department)
    assert selectors.story_for_viewer(story_id=draft.pk, user=ambassador).pk == draft.pk
    assert selectors.story_for_viewer(story_id=draft.pk, user=cx_lead).pk == draft.pk
    assert selectors.story_for_viewer(story_id=draft.pk, user=new_hire) is None
    assert selectors.story_for_viewer(story_id=999999, user=cx_lead) is None
    live = approve(draft, cx_lead)
    found = selectors.story_for_viewer(story_id=live.pk, user=new_hire)
    assert found.pk == live.pk and found.thanked is False and found.thanks_count == 0


def test_latest_published_and_my_stories(ambassador, new_hire, cx_lead, touchpoint, department):
    for number in range(7):
        approve(submit(ambassador, touchpoint, department, title=f"Story {number}"), cx_lead)
    sent_back, _task_state = request_changes(
        submit(ambassador, touchpoint, department, title="Sent back"), cx_lead
    )
    latest = selectors.latest_published()
    assert [story.title for story in latest] == [f"Story {n}" for n in (6, 5, 4, 3, 2)]
    mine = selectors.stories_filed_by(user=ambassador)
    assert mine[0].pk == sent_back.pk
    assert mine[0].review_status == Story.ReviewStatus.CHANGES_REQUESTED
    assert len(mine) == 8
    assert selectors.stories_filed_by(user=new_hire) == []
    assert selectors.stories_filed_by(user=AnonymousUser()) == []


def test_departments_list_in_name_order(ambassador, cx_lead, touchpoint, department):
    DepartmentFactory(name="Alpha", slug="alpha")
    expected = list(Department.objects.order_by("name").values_list("name", flat=True))
    assert [name for _slug, name in selectors.story_options().departments] == expected
    assert expected[0] == "Alpha"


def test_filter_options_are_kept_until_a_story_or_a_tag_changes(
    kept_lookups, ambassador, cx_lead, touchpoint, department, django_assert_num_queries
):
    story_options = selectors.story_options
    approve(submit(ambassador, touchpoint, department, tags=["refund"]), cx_lead)
    kept_lookups.commit()
    assert [name for _slug, name in story_options(with_tags=True).tags] == ["refund"]
    with django_assert_num_queries(0):
        assert [name for _slug, name in story_options(with_tags=True).tags] == ["refund"]
    approve(
        submit(ambassador, touchpoint, department, title="Delivered early", tags=["speed"]), cx_lead
    )
    kept_lookups.commit()
    assert [name for _slug, name in story_options(with_tags=True).tags] == ["refund", "speed"]
    touchpoint.name = "Checkout"
    touchpoint.save()
    kept_lookups.commit()
    assert "Checkout" in [label for _slug, label in story_options().touchpoints]


def test_the_latest_stories_are_kept_until_a_story_is_published(
    kept_lookups, ambassador, cx_lead, touchpoint, department, django_assert_num_queries
):
    first = approve(submit(ambassador, touchpoint, department, title="First"), cx_lead)
    kept_lookups.commit()
    assert [story.pk for story in selectors.latest_published()] == [first.pk]
    with django_assert_num_queries(0):
        assert [story.title for story in selectors.latest_published()] == ["First"]
    second = approve(submit(ambassador, touchpoint, department, title="Second"), cx_lead)
    kept_lookups.commit()
    assert [story.pk for story in selectors.latest_published()] == [second.pk, first.pk]
