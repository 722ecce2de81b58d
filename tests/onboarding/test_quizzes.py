"""Quizzes: the pass mark, the random draw, attempts and their limit (HR told), an answer
sent twice counted once, nobody answering another's attempt, and when a module is complete."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from onboarding.models import Enrolment, ModuleProgress, QuizAttempt
from onboarding.services import (
    grade,
    module_complete_check,
    onboarding_enrol,
    quiz_blocks,
    quiz_open,
    quiz_submit,
)
from portal.models import OutboxMessage, Profile
from portal.principles.models import Principle
from portal.principles.services import principle_acknowledge
from tests.onboarding.helpers import module, programme
from tests.portal.principles.helpers import principle

pytestmark = pytest.mark.django_db


def question(text: str, right: int = 1, kind: str = "single", anchor: str = "") -> dict:
    return {
        "question": text,
        "kind": kind,
        "answers": [
            {"text": f"{text} answer {i}", "correct": i == right, "explanation": f"Because {i}."}
            for i in range(3)
        ],
        "lesson_anchor": anchor,
    }


def quiz(*questions, ask=None, pass_mark=100, retries=2) -> dict:
    return {
        "type": "quiz",
        "value": {
            "title": "Systemic or individual?",
            "questions": list(questions),
            "ask": ask,
            "pass_mark": pass_mark,
            "retries": retries,
        },
    }


LESSON = {"type": "paragraph", "value": "<p>Systemic problems come back: remove the cause.</p>"}


@pytest.fixture
def learner(new_hire):
    Profile.objects.filter(user=new_hire).update(start_date=timezone.localdate())
    return new_hire


def _module(*body):
    genesis = programme()
    return genesis, module(genesis, "Remove the cause", body=body)


def test_grading_counts_a_question_when_exactly_its_right_answers_are_chosen():
    questions = [question("A"), question("B", kind="multiple")]
    questions[1]["answers"][2]["correct"] = True  # B: answers 1 and 2
    assert grade(questions, [[1], [1, 2]]) == 100
    assert grade(questions, [[1], [1]]) == 50
    assert grade(questions, [[0], [0, 1, 2]]) == 0


def test_questions_are_drawn_from_the_bank(learner):
    _g, page = _module(quiz(*[question(f"Q{n}") for n in range(5)], ask=2))
    [block] = quiz_blocks(page)
    state = quiz_open(user=learner, module=page, block=block)
    drawn = [q["question"] for q in state.open_attempt.questions]
    assert len(drawn) == 2 and set(drawn) <= {f"Q{n}" for n in range(5)}
    # Opening again is the same attempt, not a new draw.
    assert quiz_open(user=learner, module=page, block=block).open_attempt == state.open_attempt


def test_pass_mark_retries_and_hr_told_after_the_last(learner, hr):
    _g, page = _module(LESSON, quiz(question("Q1"), question("Q2"), pass_mark=100, retries=2))
    [block] = quiz_blocks(page)
    first = quiz_open(user=learner, module=page, block=block).open_attempt
    failed = quiz_submit(user=learner, token=first.token, answers=[[1], [0]])
    assert (failed.score, failed.passed) == (50, False)
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:").exists()
    second = quiz_open(user=learner, module=page, block=block).open_attempt
    assert second.number == 2
    quiz_submit(user=learner, token=second.token, answers=[[0], [0]])
    state = quiz_open(user=learner, module=page, block=block)
    assert state.exhausted and state.open_attempt is None
    [told] = OutboxMessage.objects.filter(idempotency_key__startswith="onboarding:out-of-attempts")
    assert told.channel == hr.email and "Systemic or individual?" in told.text
    assert QuizAttempt.objects.filter(user=learner).count() == 2  # every attempt kept


def test_an_answer_sent_twice_counts_once(learner):
    _g, page = _module(quiz(question("Q1")))
    [block] = quiz_blocks(page)
    attempt = quiz_open(user=learner, module=page, block=block).open_attempt
    quiz_submit(user=learner, token=attempt.token, answers=[[0]])
    again = quiz_submit(user=learner, token=attempt.token, answers=[[1]])
    assert (again.score, again.answers) == (0, [[0]])
    assert QuizAttempt.objects.filter(user=learner, submitted_at__isnull=False).count() == 1


def test_nobody_answers_or_opens_another_persons_attempt(client, learner, ambassador):
    _g, page = _module(quiz(question("Q1")))
    [block] = quiz_blocks(page)
    attempt = quiz_open(user=learner, module=page, block=block).open_attempt
    with pytest.raises(PermissionDenied):
        quiz_submit(user=ambassador, token=attempt.token, answers=[[1]])
    client.force_login(ambassador)
    response = client.post(page.url, {"token": str(attempt.token), "q0": "1"})
    assert response.status_code == 403
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_the_page_takes_the_quiz_and_a_wrong_answer_points_to_its_lesson(client, learner):
    genesis, page = _module(LESSON, quiz(question("Q1", anchor="remove the cause"), retries=3))
    onboarding_enrol(user=learner, programme=genesis)
    client.force_login(learner)
    html = client.get(page.url).content.decode()
    assert "Q1 answer 0" in html and "Attempt 1 of 3." in html
    token = QuizAttempt.objects.get(user=learner).token
    wrong = client.post(page.url, {"token": str(token), "q0": "0"})
    assert wrong.status_code == 302
    html = client.get(page.url).content.decode()
    assert "Attempt 1: 0%. Not passed yet." in html
    assert "Because 0." in html
    [lesson] = [b for b in page.body if b.block_type == "paragraph"]
    assert f'href="#block-{lesson.id}"' in html and "Read again: remove the cause" in html
    token = QuizAttempt.objects.get(user=learner, number=2).token
    client.post(page.url, {"token": str(token), "q0": "1"})
    html = client.get(page.url).content.decode()
    assert "You passed with 100% on attempt 2." in html
    assert ModuleProgress.objects.get(enrolment__user=learner).completed_at is not None
    # Its only module done, the programme is complete.
    assert Enrolment.objects.get(user=learner).completed_at is not None


def test_a_module_is_complete_only_with_its_quizzes_passed_and_principles_acknowledged(learner):
    help_clients = principle()
    genesis, page = _module(
        {"type": "principle", "value": {"principle": help_clients.pk}}, quiz(question("Q1"))
    )
    onboarding_enrol(user=learner, programme=genesis)
    [block] = quiz_blocks(page)
    attempt = quiz_open(user=learner, module=page, block=block).open_attempt
    quiz_submit(user=learner, token=attempt.token, answers=[[1]])
    progress = ModuleProgress.objects.get(enrolment__user=learner)
    assert progress.completed_at is None  # the principle is not acknowledged yet
    state = Principle.objects.get(translation_key=help_clients.translation_key)
    principle_acknowledge(user=learner, principle=state, version=1)
    assert module_complete_check(user=learner, module=page)
    progress.refresh_from_db()
    assert progress.completed_at is not None


def test_an_edit_after_an_attempt_changes_neither_it_nor_a_completion(learner):
    genesis, page = _module(quiz(question("Q1")))
    onboarding_enrol(user=learner, programme=genesis)
    [block] = quiz_blocks(page)
    attempt = quiz_open(user=learner, module=page, block=block).open_attempt
    quiz_submit(user=learner, token=attempt.token, answers=[[1]])
    done_at = ModuleProgress.objects.get(enrolment__user=learner).completed_at
    assert done_at is not None
    page.body = [("quiz", block.block.to_python(quiz(question("A new question"))["value"]))]
    page.save_revision().publish()
    attempt.refresh_from_db()
    assert attempt.questions[0]["question"] == "Q1" and attempt.passed
    assert ModuleProgress.objects.get(enrolment__user=learner).completed_at == done_at


@override_settings(DEBUG=False)
def test_bad_answers_get_a_clear_error_and_lose_nothing(client, learner):
    _g, page = _module(quiz(question("Q1"), question("Q2")))
    [block] = quiz_blocks(page)
    attempt = quiz_open(user=learner, module=page, block=block).open_attempt
    client.force_login(learner)
    client.raise_request_exception = False
    # One question unanswered, one answer not among the choices: the page again, with errors
    # where they were made and the other answer kept; the attempt is not used up.
    response = client.post(page.url, {"token": str(attempt.token), "q0": "1", "q1": "9"})
    assert response.status_code == 400
    form = response.context["quizzes"][block.id]["form"]
    assert form.errors["q1"] and form["q0"].value() == "1"
    assert b"q1" in response.content
    for token in ("", "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        assert client.post(page.url, {"token": token, "q0": "1"}).status_code == 403
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
