"""A module remembers where its learner stopped reading: a block of its body, posted to its own
page (onboarding.js), a quiz submitted counting as reached; the learner is offered to continue
from there."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from onboarding.models import ModuleProgress, QuizAttempt
from onboarding.services import module_stop, onboarding_enrol
from tests.onboarding.helpers import module, onboarding_index, programme
from tests.onboarding.test_quizzes import question, quiz

pytestmark = pytest.mark.django_db

CONTINUE = "Continue where you stopped"


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


@pytest.fixture
def lesson(new_hire):
    """A module of three lessons and a quiz, the new hire enrolled in it."""
    genesis = programme()
    page = module(
        genesis,
        "Our history",
        body=[paragraph("One"), paragraph("Two"), paragraph("Three"), quiz(question("Q1"))],
    )
    onboarding_enrol(user=new_hire, programme=genesis)
    return page


def ids(page) -> list[str]:
    return [block.id for block in page.body]


def stopped_at(user) -> str:
    return ModuleProgress.objects.get(enrolment__user=user).stopped_at


def test_the_block_reached_is_saved(client, new_hire, lesson):
    client.force_login(new_hire)
    response = client.post(lesson.url, {"stopped_at": ids(lesson)[2]})
    assert response.status_code == 204
    assert stopped_at(new_hire) == ids(lesson)[2]


def test_an_unknown_block_is_refused_without_an_error_page(client, new_hire, lesson):
    client.force_login(new_hire)
    for bad in ("not-a-block", "", "<script>"):
        response = client.post(lesson.url, {"stopped_at": bad})
        assert response.status_code == 400
        assert response.content == b""
    assert stopped_at(new_hire) == ""
    with pytest.raises(ValidationError):
        module_stop(user=new_hire, module=lesson, block_id="not-a-block")


def test_someone_not_enrolled_saves_nothing(client, new_hire, ambassador, lesson):
    client.force_login(ambassador)
    response = client.post(lesson.url, {"stopped_at": ids(lesson)[1]})
    assert response.status_code == 403
    assert response.content == b""
    with pytest.raises(PermissionDenied):
        module_stop(user=ambassador, module=lesson, block_id=ids(lesson)[1])
    assert not ModuleProgress.objects.filter(enrolment__user=ambassador).exists()
    assert stopped_at(new_hire) == ""


def test_signed_out_saves_nothing(client, new_hire, lesson):
    response = client.post(lesson.url, {"stopped_at": ids(lesson)[1]})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert stopped_at(new_hire) == ""


def test_a_block_of_another_module_is_refused(client, new_hire, lesson):
    other = module(lesson.get_parent().specific, "The guarantee", body=[paragraph("Else")])
    client.force_login(new_hire)
    assert client.post(lesson.url, {"stopped_at": ids(other)[0]}).status_code == 400
    assert stopped_at(new_hire) == ""


def test_submitting_a_quiz_counts_as_reaching_it(client, new_hire, lesson):
    client.force_login(new_hire)
    client.get(lesson.url)  # opens the attempt
    token = QuizAttempt.objects.get(user=new_hire).token
    quiz_id = ids(lesson)[3]
    response = client.post(lesson.url, {"token": str(token), "q0": "1"})
    assert response.status_code == 302  # the quiz path as before
    assert response["Location"].endswith(f"#quiz-{quiz_id}")
    assert QuizAttempt.objects.get(user=new_hire).passed
    assert stopped_at(new_hire) == quiz_id


def test_every_block_has_an_anchor_and_the_page_says_where_to_post(client, new_hire, lesson):
    client.force_login(new_hire)
    html = client.get(lesson.url).content.decode()
    for block_id in ids(lesson):
        assert f'id="block-{block_id}" data-block-id="{block_id}"' in html
    assert f'id="quiz-{ids(lesson)[3]}"' in html  # the quiz's own anchor stays
    assert f'data-stopped-url="{lesson.url}"' in html and "data-csrf-token=" in html
    assert "onboarding/onboarding.js" in html
    assert CONTINUE not in html  # nowhere stopped yet


def test_nobody_but_an_enrolled_learner_is_asked_where_they_stopped(client, ambassador, lesson):
    client.force_login(ambassador)
    html = client.get(lesson.url).content.decode()
    assert "data-stopped-url" not in html and CONTINUE not in html


def test_the_learner_is_offered_to_continue_where_they_stopped(client, new_hire, lesson):
    third = ids(lesson)[2]
    client.force_login(new_hire)
    client.post(lesson.url, {"stopped_at": third})
    html = client.get(lesson.url).content.decode()
    assert f'<a class="button button-secondary" href="#block-{third}">{CONTINUE}</a>' in html
    assert f'data-stopped-at="{third}"' in html


def test_no_continue_link_at_the_first_block_or_one_removed_since(client, new_hire, lesson):
    client.force_login(new_hire)
    client.post(lesson.url, {"stopped_at": ids(lesson)[0]})
    assert CONTINUE not in client.get(lesson.url).content.decode()
    ModuleProgress.objects.filter(enrolment__user=new_hire).update(stopped_at="gone")
    assert CONTINUE not in client.get(lesson.url).content.decode()


def test_my_onboarding_and_the_home_page_link_to_where_they_stopped(client, new_hire, lesson):
    block_id = ids(lesson)[1]
    client.force_login(new_hire)
    html = client.get(onboarding_index().url).content.decode()
    assert f'href="{lesson.url}"' in html  # not stopped anywhere: the module's top
    client.post(lesson.url, {"stopped_at": block_id})
    html = client.get(onboarding_index().url).content.decode()
    assert f'href="{lesson.url}#block-{block_id}"' in html
    html = client.get("/").content.decode()
    assert f'href="{lesson.url}#block-{block_id}"' in html


def test_a_done_module_still_records_where_they_stopped(client, new_hire, lesson):
    ModuleProgress.objects.filter(enrolment__user=new_hire).update(completed_at=timezone.now())
    client.force_login(new_hire)
    assert client.post(lesson.url, {"stopped_at": ids(lesson)[1]}).status_code == 204
    assert stopped_at(new_hire) == ids(lesson)[1]
