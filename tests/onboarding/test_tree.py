"""Onboarding's index in every language, built and published by HR and the CX team."""

from __future__ import annotations

import pytest

from onboarding.pages import OnboardingIndexPage
from onboarding.tree import WORKFLOW_NAME, onboarding_tree_ensure
from tests.onboarding.helpers import programme

pytestmark = pytest.mark.django_db


def test_every_language_has_the_index_reviewed_by_hr_and_cx():
    indexes = onboarding_tree_ensure()
    assert set(indexes) == {"en", "ko"}
    assert indexes["en"].translation_key == indexes["ko"].translation_key
    assert indexes["en"].title == "My onboarding" and indexes["ko"].title != "My onboarding"
    assert OnboardingIndexPage.objects.count() == 2
    assert onboarding_tree_ensure()["en"].pk == indexes["en"].pk  # made once
    workflow = indexes["en"].get_workflow()
    assert workflow.name == WORKFLOW_NAME
    [task] = workflow.tasks.all()
    assert {g.name for g in task.specific.groups.all()} == {"HR", "CX team"}


def test_hr_and_the_cx_team_build_programmes_and_others_do_not(hr, cx_lead, new_hire, ambassador):
    genesis = programme()
    genesis.get_workflow().start(genesis, hr)
    task = genesis.get_workflow().tasks.get().specific
    for builder in (hr, cx_lead):
        rights = genesis.permissions_for_user(builder)
        assert rights.can_edit() and rights.can_add_subpage()
        # Publishing is approving in "Onboarding review": either group may.
        assert "approve" in [name for name, _label, _modal in task.get_actions(genesis, builder)]
    for learner in (new_hire, ambassador):
        assert not genesis.permissions_for_user(learner).can_edit()
    assert genesis.get_workflow().name == WORKFLOW_NAME
