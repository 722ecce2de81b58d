"""What a quiz refuses: no right answer, two right in a one-answer question, a pass mark above
100%, more questions asked than the bank holds; a customer voice names exactly one source."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from onboarding.blocks import CustomerVoiceBlock, QuestionBlock, QuizBlock

REFUSED = (StructBlockValidationError, ValidationError)


def _question(kind="single", *rights):
    return {
        "question": "Who removes the cause?",
        "kind": kind,
        "answers": [
            {"text": text, "correct": text in rights, "explanation": ""}
            for text in ("The CX team", "The team that owns it", "Nobody")
        ],
        "lesson_anchor": "",
    }


@pytest.mark.parametrize(
    ("kind", "rights"),
    [("single", ()), ("single", ("The CX team", "Nobody")), ("multiple", ())],
    ids=["no right answer", "two right in a one-answer question", "none right in several"],
)
def test_a_question_needs_its_right_answers(kind, rights):
    block = QuestionBlock()
    with pytest.raises(REFUSED):
        block.clean(block.to_python(_question(kind, *rights)))


def test_a_good_question_passes():
    block = QuestionBlock()
    assert block.clean(block.to_python(_question("single", "The team that owns it")))
    assert block.clean(block.to_python(_question("multiple", "The CX team", "Nobody")))


def _quiz(**fields):
    value = {
        "title": "Systemic or individual?",
        "questions": [_question("single", "The team that owns it")] * 2,
        "ask": None,
        "pass_mark": 80,
        "retries": 3,
    }
    value.update(fields)
    return value


@pytest.mark.parametrize(
    "fields",
    [{"pass_mark": 101}, {"pass_mark": 0}, {"ask": 3}, {"retries": 0}],
    ids=["pass mark above 100%", "pass mark of 0", "more asked than the bank", "no attempt"],
)
def test_a_quiz_refuses_what_cannot_be_passed(fields):
    block = QuizBlock()
    with pytest.raises(REFUSED):
        block.clean(block.to_python(_quiz(**fields)))


def test_a_good_quiz_passes():
    block = QuizBlock()
    assert block.clean(block.to_python(_quiz(ask=1, pass_mark=100)))


@pytest.mark.django_db
def test_a_customer_voice_names_one_source():
    block = CustomerVoiceBlock()
    empty = block.to_python({"story": None, "concern": None, "feedback": None, "lesson": ""})
    with pytest.raises(REFUSED):
        block.clean(empty)
