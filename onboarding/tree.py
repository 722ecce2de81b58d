"""Onboarding's place in the page tree: a "My onboarding" index under every language's home
page, which HR and the CX team build and publish themselves (approved by one another in the
"Onboarding review" workflow, not by Leadership as the principles are). Made after every
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
BUILDERS = (groups.HR, groups.CX_TEAM)
# They draft and submit; approving in "Onboarding review" publishes (Wagtail's group approval
# needs no publish permission), so nothing goes live without a second pair of eyes.
PAGE_PERMISSIONS = ("add_page", "change_page")


@transaction.atomic
def onboarding_tree_ensure() -> dict[str, OnboardingIndexPage]:
    indexes = index_pages_ensure(OnboardingIndexPage, slug=INDEX_SLUG, title=_("My onboarding"))
    builders = list(Group.objects.filter(name__in=BUILDERS))
    if not indexes or not builders:
        return indexes
    task, _created = GroupApprovalTask.objects.get_or_create(name=WORKFLOW_NAME)
    task.groups.set(builders)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    # WorkflowTask hangs from the workflow by a ParentalKey: saved directly, not through it.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )
    for index in indexes.values():
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
        for group in builders:
            for permission in permissions:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=index, permission=permission
                )
    return indexes


def onboarding_tree_after_migrate(**kwargs) -> None:
    onboarding_tree_ensure()
