"""What a principle's blocks refuse: a check question without one right answer among two or
more, an example story not published; and how the example story is shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from ambassadors.models import Touchpoint
from portal.principles.blocks import CheckQuestionBlock, ExampleStoryBlock, check_question
from portal.principles.pages import PrinciplePage
from stories.models import Story

pytestmark = pytest.mark.django_db


def _question(*answers):
    block = CheckQuestionBlock()
    return block, block.to_python(
        {
            "question": "Who answers?",
            "choices": [{"text": text, "correct": right} for text, right in answers],
            "explanation": "",
        }
    )


@pytest.mark.parametrize(
    "answers",
    [
        [("Only one", True)],
        [("A", False), ("B", False)],
        [("A", True), ("B", True), ("C", False)],
    ],
    ids=["one answer", "none right", "two right"],
)
def test_a_check_question_needs_two_answers_and_exactly_one_right(answers):
    block, value = _question(*answers)
    with pytest.raises((StructBlockValidationError, ValidationError)):
        block.clean(value)


def test_a_good_check_question_is_read_back_with_its_right_answer():
    block, value = _question(("A", False), ("B", True), ("C", False))
    assert block.clean(value)
    stream = PrinciplePage(question=[("question", value)]).question
    assert check_question(stream) == {
        "question": "Who answers?",
        "choices": ["A", "B", "C"],
        "right": 1,
        "explanation": "",
    }


def _story(user, *, live: bool) -> Story:
    touchpoint = Touchpoint.objects.create(name="Billing", slug="billing")
    return Story.objects.create(
        title="A refund <b>at once</b>",
        what_happened="We refunded the double charge in an hour.",
        customer_words="I expected a fight.",
        outcome="They stayed.",
        touchpoint=touchpoint,
        language="en",
        submitted_by=user,
        live=live,
        review_status=Story.ReviewStatus.PUBLISHED if live else Story.ReviewStatus.DRAFT,
    )


def test_an_example_story_must_be_published(new_hire):
    block = ExampleStoryBlock()
    draft = _story(new_hire, live=False)
    with pytest.raises((StructBlockValidationError, ValidationError)):
        block.clean(block.to_python({"story": draft.pk, "why": ""}))
    Story.objects.filter(pk=draft.pk).update(live=True)
    assert block.clean(block.to_python({"story": draft.pk, "why": "It shows it."}))


def test_an_example_story_is_shown_with_its_words_escaped(client, new_hire):
    import json

    from tests.portal.principles.helpers import principle

    story = _story(new_hire, live=True)
    page = principle()
    page.body = json.dumps(
        [{"type": "example_story", "value": {"story": story.pk, "why": "Money back <i>now</i>."}}]
    )
    page.save_revision().publish()
    client.force_login(new_hire)
    html = client.get("/principles/help-clients-succeed/").content.decode()
    assert "A refund &lt;b&gt;at once&lt;/b&gt;" in html
    assert "Money back &lt;i&gt;now&lt;/i&gt;." in html
    assert story.get_absolute_url() in html
