"""The design system's tags: `{% load portal_ui %}` for charts, tables, paging and navigation.

The simpler components are plain includes (templates/components/*.html); these need Python
to compute their geometry or their links (portal/ui.py).
"""

from __future__ import annotations

import uuid

from django import template
from django.http import QueryDict
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

from portal import fragments, ui

register = template.Library()


def _query(context) -> QueryDict:
    request = context.get("request")
    return request.GET if request is not None else QueryDict()


@register.inclusion_tag("components/chart.html")
def bar_chart(data, title="", empty=None, unit=""):
    return _chart(data, "bar", title, empty, unit)


@register.inclusion_tag("components/chart.html")
def line_chart(data, title="", empty=None, unit=""):
    return _chart(data, "line", title, empty, unit)


def _chart(data, kind, title, empty, unit) -> dict:
    return {
        # Ids tie each SVG to its title; a page may draw several charts.
        "chart_id": f"chart-{uuid.uuid4().hex[:8]}",
        "chart": ui.chart(data or [], kind=kind),
        "title": title,
        "unit": unit,
        "empty": empty if empty is not None else _("No data to show yet."),
    }


@register.inclusion_tag("components/table.html", takes_context=True)
def data_table(context, columns, rows, sort="", page=None, caption="", empty=None):
    """A table of `rows` (each a list of cells in the order of `columns`).

    Sortable columns link to `?sort=key` / `?sort=-key` keeping the other parameters; the
    view reads the order back with `ui.sort_param`.
    """
    query = _query(context)
    return {
        "headers": ui.table_headers(columns, query, sort),
        "rows": [_table_row(context, columns, row) for row in rows],
        "page": page,
        **(ui.pager(page, query) if page is not None else {}),
        "caption": caption,
        "empty": empty if empty is not None else _("Nothing to show."),
    }


def _table_row(context, columns, row) -> SafeString:
    """One row's HTML. Drawn here rather than by a loop in the template: a page of twenty
    rows is two hundred cells, each costing the template engine more than its own query."""
    cells = []
    for cell, column in zip(row, columns, strict=True):
        # Each cell knows its column, so numbers line up right under a right-aligned header.
        start = '<td class="numeric">' if column.numeric else "<td>"
        text = cell if isinstance(cell, SafeData) else render_value_in_context(cell, context)
        cells.append(f"{start}{text}</td>")
    return mark_safe(f"<tr>{''.join(cells)}</tr>")  # noqa: S308 - each cell escaped as {{ }}


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(context, page):
    return {"page": page, **ui.pager(page, _query(context))}


@register.inclusion_tag("components/nav.html", takes_context=True)
def main_nav(context):
    request = context.get("request")
    user = context.get("user")
    if request is None or user is None:
        return {"links": []}
    return {"links": ui.nav_items(user=user, path=request.path)}


@register.simple_tag
def filter_fields(form):
    """A filter form's fields (components/field.html each), drawn once for every reader who
    sees the same fields, choices and values in the same language: a list's filters, with
    their options, cost more to draw than the rest of the page (bench/README.md). A form with
    errors is drawn each time."""

    def draw(_forms):
        return [render_to_string("components/fields.html", {"form": form})]

    if form.is_bound and form.errors:
        return draw([form])[0]
    key = fragments.digest(
        type(form).__module__,
        type(form).__qualname__,
        fragments.reader(),
        [_field_state(field) for field in form],
    )
    return fragments.cached([form], key=lambda _form: f"fields:{key}", render=draw)[0]


def _field_state(field) -> tuple:
    """All a field draws from: its label, help, value, widget attributes and choices."""
    choices = getattr(field.field, "choices", None)
    return (
        field.name,
        str(field.label),
        str(field.help_text),
        field.field.required,
        field.value(),
        sorted((str(k), str(v)) for k, v in field.field.widget.attrs.items()),
        None if choices is None else [(str(value), str(label)) for value, label in choices],
    )
