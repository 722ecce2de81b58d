"""Onboarding's index in every language, built and published by HR and the CX team."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

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


def test_the_cx_team_writes_programmes_and_hr_reviews_them(
    hr, cx_lead, new_hire, ambassador, leader
):
    genesis = programme()
    rights = genesis.permissions_for_user(cx_lead)
    assert rights.can_edit() and rights.can_add_subpage()
    # HR may not edit programmes unless also in the CX team (Wagtail lets a reviewer into
    # the editor of a page waiting for their review, as approvers must be); either approves.
    assert not genesis.permissions_for_user(hr).can_edit()
    assert not genesis.permissions_for_user(hr).can_add_subpage()
    genesis.get_workflow().start(genesis, cx_lead)
    task = genesis.get_workflow().tasks.get().specific
    for reviewer in (hr, cx_lead):
        assert "approve" in [name for name, _label, _modal in task.get_actions(genesis, reviewer)]
    for learner in (new_hire, ambassador):
        assert not genesis.permissions_for_user(learner).can_edit()
    assert not task.get_actions(genesis, new_hire)
    hr.groups.add(Group.objects.get(name="CX team"))
    hr = type(hr).objects.get(pk=hr.pk)
    assert genesis.permissions_for_user(hr).can_edit()
    assert genesis.get_workflow().name == WORKFLOW_NAME
