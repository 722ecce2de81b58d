"""Programmes and modules made as the admin makes them, published."""

from __future__ import annotations

import json

from onboarding.pages import ModulePage, OnboardingIndexPage, ProgrammePage
from portal.models import HomePage


def onboarding_index() -> OnboardingIndexPage:
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    index = OnboardingIndexPage.objects.child_of(home).first()
    if index is None:
        index = OnboardingIndexPage(title="My onboarding", slug="onboarding")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def programme(title: str = "Genesis", *, departments=(), groups=()) -> ProgrammePage:
    page = ProgrammePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        audience_everyone=not (departments or groups),
    )
    onboarding_index().add_child(instance=page)
    page.audience_departments.set(departments)
    page.audience_groups.set(groups)
    page.save_revision().publish()
    return ProgrammePage.objects.get(pk=page.pk)


def module(parent: ProgrammePage, title: str, *, due_day: int = 3, body=()) -> ModulePage:
    page = ModulePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        due_day=due_day,
        body=json.dumps(list(body)),
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return ModulePage.objects.get(pk=page.pk)
