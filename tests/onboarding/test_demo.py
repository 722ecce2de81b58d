"""The demo's Genesis: five modules in both languages with quizzes, learners at every stage."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from onboarding.demo import MODULES
from onboarding.models import Enrolment, QuizAttempt
from onboarding.pages import ModulePage, ProgrammePage

pytestmark = pytest.mark.django_db


def test_genesis_and_its_learners(settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    call_command("demo")  # idempotent
    genesis = ProgrammePage.objects.get(slug="genesis", locale__language_code="en")
    modules = ModulePage.objects.child_of(genesis).live()
    assert modules.count() == len(MODULES) == 5
    for page in modules:
        assert [b.block_type for b in page.body].count("quiz") == 1
        korean = ModulePage.objects.get(
            translation_key=page.translation_key, locale__language_code="ko"
        )
        assert korean.live and korean.title != page.title
    principles = [b for m in modules for b in m.body if b.block_type == "principle"]
    assert len(principles) == 2
    enrolments = {e.user.email: e for e in Enrolment.objects.select_related("user")}
    assert set(enrolments) >= {
        "newhire@demo.example",
        "jiho.yoon@demo.example",
        "sakura.ito@demo.example",
        "isla.evans@demo.example",
    }
    assert enrolments["isla.evans@demo.example"].completed_at is not None
    failed = QuizAttempt.objects.filter(user__email="sakura.ito@demo.example", passed=False)
    assert failed.count() == 2
    assert enrolments["jiho.yoon@demo.example"].completed_at is None
    # The dashboard's story: Sakura (failed twice) riskiest, Jiho far behind, the new hire on
    # track with nothing overdue, Isla done.
    from django.utils import timezone

    today = timezone.localdate()
    assert enrolments["newhire@demo.example"].next_due_on >= today
    assert enrolments["jiho.yoon@demo.example"].next_due_on < today
    assert enrolments["sakura.ito@demo.example"].failed_attempts == 2
    output = capsys.readouterr().out
    assert "Onboarding: Genesis, 5 modules" in output
    assert "A manager's view of onboarding: sign in as" in output
