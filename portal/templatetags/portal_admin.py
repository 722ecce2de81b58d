"""Tags for Wagtail's admin templates: `{% load portal_admin %}`.

`{% admin_filters filters %}` draws a listing's filters as Wagtail's
`wagtailadmin/shared/headers/_filters.html` does (templates/wagtailadmin/shared/headers/ puts
it in that template's place), remembering what it drew when the filter set says its form is
drawn the same for the same choices and values (`remember_drawn = True`, as
onboarding.admin_views.LearnerFilterSet). A drilldown of three filters through Wagtail's field
templates costs a report about 2 ms, as much as its main query (bench/README.md); drawn once
per process, language, choices and values chosen, it costs a dictionary look-up. Kept in the
process: the key names everything the form shows, so a kept drawing is never of the wrong
thing, and a deploy starts new processes.
"""

from __future__ import annotations

import functools
import hashlib

import wagtail
from django import template
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_filters.fields import ChoiceIterator

register = template.Library()

WAGTAIL_FILTERS = "wagtailadmin/shared/headers/_filters.html"
KEPT_AT_MOST = 1024
_drawn: dict[str, str] = {}


@functools.cache
def wagtails_filters_template():
    """Wagtail's own `_filters.html`, the one this project's template of that name stands in
    for."""
    engine = engines["django"].engine
    _ours, origin = engine.find_template(WAGTAIL_FILTERS)
    found, _origin = engine.find_template(WAGTAIL_FILTERS, skip=[origin])
    return found


def drawing_key(filters) -> str | None:
    """What the drawing of these filters depends on, or None when it is not to be kept."""
    if not getattr(filters, "remember_drawn", False):
        return None
    parts = [
        type(filters).__module__,
        type(filters).__qualname__,
        get_language(),
        wagtail.__version__,
    ]
    for field in filters.form:
        choices = getattr(field.field, "choices", ())
        if isinstance(choices, ChoiceIterator) and isinstance(choices.choices, (list, tuple)):
            choices = list(choices)  # django-filter's wrapper of a plain list
        if not isinstance(choices, (list, tuple)):
            return None  # choices read from the database when drawn: not known beforehand
        parts.append(
            repr((field.html_name, str(field.label), choices, field.value(), field.errors))
        )
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


@register.simple_tag(takes_context=True)
def admin_filters(context, filters):
    key = drawing_key(filters)
    if key is not None and key in _drawn:
        return mark_safe(_drawn[key])  # noqa: S308 (Wagtail's own template's output)
    drawn = wagtails_filters_template().render(context.new({"filters": filters}))
    if key is not None:
        if len(_drawn) >= KEPT_AT_MOST:
            _drawn.clear()
        _drawn[key] = drawn
    return mark_safe(drawn)  # noqa: S308 (as above)
