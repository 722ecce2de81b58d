"""Principles made as the admin makes them: pages under each language's index, published."""

from __future__ import annotations

import json

from wagtail.models import Locale

from portal.principles.pages import PrinciplePage
from portal.principles.tree import principles_tree_ensure


def question(text: str = "Who answers a customer's complaint?", right: int = 1) -> str:
    choices = ["Whoever has time", "The person who decides", "Nobody"]
    return json.dumps(
        [
            {
                "type": "question",
                "value": {
                    "question": text,
                    "choices": [
                        {"text": choice, "correct": index == right}
                        for index, choice in enumerate(choices)
                    ],
                    "explanation": "Read 'Why it matters' again.",
                },
            }
        ]
    )


def principle(
    title: str = "Help clients succeed",
    statement: str = "We measure ourselves by our clients' success.",
    *,
    slug: str | None = None,
    publish: bool = True,
    user=None,
    with_question: bool = False,
    departments=(),
    groups=(),
    body: str = "",
) -> PrinciplePage:
    index = principles_tree_ensure()["en"]
    page = PrinciplePage(
        title=title,
        slug=slug or title.lower().replace(" ", "-")[:50],
        statement=statement,
        why_it_matters="Clients who succeed stay with us.",
        audience_everyone=not (departments or groups),
        body=json.dumps([{"type": "paragraph", "value": f"<p>{body}</p>"}]) if body else "[]",
        question=question() if with_question else "[]",
        live=False,
    )
    index.add_child(instance=page)
    page.audience_departments.set(departments)
    page.audience_groups.set(groups)
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    return PrinciplePage.objects.get(pk=page.pk)


def republish(page: PrinciplePage, *, material: bool, user=None, **changes) -> PrinciplePage:
    page = PrinciplePage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.material_change = material
    page.save_revision(user=user).publish(user=user)
    return PrinciplePage.objects.get(pk=page.pk)


def translate(page: PrinciplePage, language: str = "ko", *, publish: bool = True, **fields):
    principles_tree_ensure()
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.material_change = False
    revision = copy.save_revision()
    if publish:
        revision.publish()
    return PrinciplePage.objects.get(pk=copy.pk)
