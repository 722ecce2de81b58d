"""The principles' place in the page tree, in every language: made after every migrate.

The English home page is the site's root (migration 0004); each other language gets a
translation of it, and each home page a principles index. The "Leadership approval" workflow
(migration 0010) is assigned to every home page, so every page under them is published
through it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy
from wagtail.models import Locale, Page, Workflow, WorkflowPage

from portal.principles.pages import PrinciplesIndexPage

WORKFLOW_NAME = "Leadership approval"
INDEX_SLUG = "principles"


def _publish(page: Page) -> None:
    page.save_revision().publish()


def home_pages_ensure() -> dict[str, Page]:
    """Every content language's home page (translations of the default one, published), each
    under the "Leadership approval" workflow; {} on a database just flushed."""
    from portal.models import HomePage

    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    home = HomePage.objects.filter(depth=2, locale=default).first() if default else None
    if home is None:  # a database just flushed, or a tree someone else built
        return {}
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    homes = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locale, _created = Locale.objects.get_or_create(language_code=code)
        local_home = home.get_translation_or_none(locale)
        if local_home is None:
            local_home = home.copy_for_translation(locale)
            _publish(local_home)
        if workflow is not None:
            WorkflowPage.objects.get_or_create(page=local_home, defaults={"workflow": workflow})
        homes[code] = local_home
    return homes


@transaction.atomic
def index_pages_ensure(page_class, *, slug: str, title) -> dict[str, Page]:
    """One `page_class` index under every language's home page, the translations of one
    another (one translation key), titled `title` (lazy) in each language; by language."""
    indexes: dict[str, Page] = {}
    for code, local_home in home_pages_ensure().items():
        index = page_class.objects.child_of(local_home).filter(locale=local_home.locale).first()
        if index is None:
            with translation.override(code):
                index = page_class(title=str(title), slug=slug, locale=local_home.locale)
            source = indexes.get(settings.LANGUAGE_CODE)
            if source is not None:
                index.translation_key = source.translation_key
            local_home.add_child(instance=index)
            _publish(index)
        indexes[code] = index
    return indexes


def principles_tree_ensure() -> dict[str, PrinciplesIndexPage]:
    """Every language's home page and principles index; returns the index per language."""
    return index_pages_ensure(
        PrinciplesIndexPage, slug=INDEX_SLUG, title=gettext_lazy("Our CX principles")
    )


def principles_tree_after_migrate(**kwargs) -> None:
    principles_tree_ensure()
