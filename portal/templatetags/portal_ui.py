"""The design system's tags: `{% load portal_ui %}` for charts, tables, paging and navigation.

The simpler components are plain includes (templates/components/*.html); these need Python
to compute their geometry or their links (portal/ui.py).
"""

from __future__ import annotations

import uuid

from django import template
from django.http import QueryDict
from django.utils.translation import gettext as _

from portal import ui

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
        # Each cell knows its column, so numbers line up right under a right-aligned header.
        "rows": [
            [
                {"value": cell, "numeric": column.numeric}
                for cell, column in zip(row, columns, strict=True)
            ]
            for row in rows
        ],
        "page": page,
        **(ui.pager(page, query) if page is not None else {}),
        "caption": caption,
        "empty": empty if empty is not None else _("Nothing to show."),
    }


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
