"""Onboarding's place in the page tree: a "My onboarding" index under every language's home
page. The CX team writes the programmes and modules; HR or the CX team approves them in the
"Onboarding review" workflow (not Leadership, as for the principles), which publishes them.
HR reviews but does not edit, unless its member is in the CX team too. Made after every
migrate, as the principles' tree is."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from onboarding.pages import OnboardingIndexPage
from portal import groups
from portal.principles.tree import index_pages_ensure

INDEX_SLUG = "onboarding"
WORKFLOW_NAME = "Onboarding review"
REVIEWERS = (groups.HR, groups.CX_TEAM)
WRITERS = (groups.CX_TEAM,)
# Writers draft and submit; approving in "Onboarding review" publishes (Wagtail's group
# approval needs no publish permission), so nothing goes live without a second pair of eyes.
PAGE_PERMISSIONS = ("add_page", "change_page")


@transaction.atomic
def onboarding_tree_ensure() -> dict[str, OnboardingIndexPage]:
    indexes = index_pages_ensure(OnboardingIndexPage, slug=INDEX_SLUG, title=_("My onboarding"))
    reviewers = list(Group.objects.filter(name__in=REVIEWERS))
    if not indexes or not reviewers:
        return indexes
    task, _created = GroupApprovalTask.objects.get_or_create(name=WORKFLOW_NAME)
    task.groups.set(reviewers)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    # WorkflowTask hangs from the workflow by a ParentalKey: saved directly, not through it.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )
    writers = [group for group in reviewers if group.name in WRITERS]
    for index in indexes.values():
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
        # HR wrote programmes before it only reviewed them: what it was granted goes.
        GroupPagePermission.objects.filter(page=index).exclude(group__in=writers).delete()
        for group in writers:
            for permission in permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=index, permission=permission
                )
    return indexes


def onboarding_tree_after_migrate(**kwargs) -> None:
    onboarding_tree_ensure()
