"""Tags for Wagtail's admin templates: `{% load portal_admin %}`.

Two pieces of every Wagtail listing are drawn as Wagtail draws them and remembered: the
filters (`{% admin_filters filters %}`, in the place of Wagtail's
`wagtailadmin/shared/headers/_filters.html`) and the page links
(`{% admin_pagination %}`, in the place of `wagtailadmin/shared/pagination_nav.html`); the
project's templates of those names (templates/wagtailadmin/shared/) stand in for Wagtail's
and draw Wagtail's own when they have not drawn the same before.

A drilldown of three filters through Wagtail's field templates costs a report about 2 ms, and
its page links half a millisecond: as much as the report's main query (bench/README.md).
Drawn once per process and per what they show (language, choices, values chosen, page,
pages, query), they cost a dictionary look-up. Kept in the process: the key names everything
the drawing shows, so a kept drawing is never of the wrong thing, and a deploy starts new
processes. Filters are kept only when their filter set says its form is drawn the same for
the same choices and values (`remember_drawn = True`, as
onboarding.admin_views.LearnerFilterSet) and its choices are plain lists, not read from the
database when drawn. `kept` serves Wagtail's keyboard shortcuts dialog too (portal/admin_tags.py).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

import wagtail
from django import template
from django.template import engines
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django_filters.fields import ChoiceIterator

register = template.Library()

WAGTAIL_FILTERS = "wagtailadmin/shared/headers/_filters.html"
WAGTAIL_PAGINATION = "wagtailadmin/shared/pagination_nav.html"
KEPT_AT_MOST = 2048
_drawn: dict[str, str] = {}


@functools.cache
def wagtails_template(name: str):
    """Wagtail's own template of this name, the one this project's template of that name
    stands in for."""
    engine = engines["django"].engine
    _ours, origin = engine.find_template(name)
    found, _origin = engine.find_template(name, skip=[origin])
    return found


def drawing_key(*parts) -> str:
    """A key for a drawing that shows these parts, in the reader's language, by this Wagtail."""
    text = "\x1f".join(map(repr, (*parts, get_language(), wagtail.__version__)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def kept(key: str | None, draw: Callable[[], str]) -> SafeString:
    """What `draw()` drew for `key` (None: drawn, not kept)."""
    if key is not None and key in _drawn:
        return SafeString(_drawn[key])
    drawn = draw()
    if key is not None:
        if len(_drawn) >= KEPT_AT_MOST:
            _drawn.clear()
        _drawn[key] = drawn
    return SafeString(drawn)  # Wagtail's own template's output


def filters_key(filters) -> str | None:
    """What the drawing of these filters depends on, or None when it is not to be kept."""
    if not getattr(filters, "remember_drawn", False):
        return None
    parts = [type(filters).__module__, type(filters).__qualname__]
    for field in filters.form:
        choices = getattr(field.field, "choices", ())
        if isinstance(choices, ChoiceIterator) and isinstance(choices.choices, (list, tuple)):
            choices = list(choices)  # django-filter's wrapper of a plain list
        if not isinstance(choices, (list, tuple)):
            return None  # choices read from the database when drawn: not known beforehand
        parts.append((field.html_name, str(field.label), choices, field.value(), field.errors))
    return drawing_key(WAGTAIL_FILTERS, *parts)


@register.simple_tag(takes_context=True)
def admin_filters(context, filters):
    return kept(
        filters_key(filters),
        lambda: wagtails_template(WAGTAIL_FILTERS).render(context.new({"filters": filters})),
    )


def pagination_key(context) -> str | None:
    """What Wagtail's page links show: the page and the pages, the listing's URL and query,
    how many items there are. None when the context is not a paginated listing's."""
    items = context.get("items")
    paginator = getattr(items, "paginator", None)
    request = context.get("request")
    if paginator is None or request is None:
        return None
    pages = context.get("elided_page_range")
    if pages is not None:
        pages = list(pages)
        context["elided_page_range"] = pages  # a generator, read once for the key
    return drawing_key(
        WAGTAIL_PAGINATION,
        get_script_prefix(),
        context.get("linkurl"),
        sorted(request.GET.lists()),
        items.number,
        paginator.num_pages,
        pages,
        # Wagtail's paginator says how many items there are; Django's (some choosers) does not.
        str(getattr(paginator, "items_count_label", "")),
    )


@register.simple_tag(takes_context=True)
def admin_pagination(context):
    key = pagination_key(context)
    return kept(key, lambda: wagtails_template(WAGTAIL_PAGINATION).render(context))
