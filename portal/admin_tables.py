"""Wagtail's admin table drawn in Python: the same markup as `wagtailadmin/tables/table.html`
and `column_header.html`, without the template engine.

A report page of twenty rows and eleven columns goes through the template engine some 260
times (a component tag per cell, an attrs include per row, a header template per column):
7 ms of the onboarding dashboard's 44, more than all of its queries but one
(bench/README.md). Wagtail offers no lighter table, so this one writes the same HTML with
`format_html`. Cells are still each column's own `render_cell_html`: the columns below draw
themselves without templates too (a page of Wagtail's cell templates costs more than a
report's queries); Wagtail's own columns keep their templates, and a column with a header
template of its own keeps it.
"""

from __future__ import annotations

import functools
import html

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import QueryDict
from django.template import Context
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from wagtail.admin.ui.tables import BaseColumn, Column, NumberColumn, Table

from portal.ui import day, query_with

DEFAULT_HEADER = BaseColumn.header_template_name


def count(value: int | None) -> str:
    """A count as Wagtail's number cell writes it (intcomma; under a thousand, its digits)."""
    if value is None:
        return ""
    if isinstance(value, int) and -1000 < value < 1000:
        return str(value)
    return intcomma(value)


@functools.lru_cache(maxsize=256)
def _url_around_id(name: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    marker = 2_147_483_647
    before, after = reverse(name, args=[marker], urlconf=urlconf).split(str(marker))
    return before, after


def urls_with_id(name: str):
    """`reverse(name, args=[pk])`, escaped for HTML, as a function of `pk` for a URL whose one
    argument is a whole number: resolved once per process, the script prefix and URLconf read
    once per call of this, not for every row of a table."""
    before, after = _url_around_id(name, get_script_prefix(), get_urlconf())
    before, after = html.escape(before), html.escape(after)
    return lambda pk: f"{before}{int(pk)}{after}"


def text(value) -> str:
    """`conditional_escape` for the text of a cell, without Django's lazy-string wrapper
    around it (a page's cells call it hundreds of times)."""
    if isinstance(value, SafeData):
        return value
    return html.escape(str(value))


def _td(classname: str | None, content) -> SafeString:
    if classname:
        return SafeString(f'<td class="{text(classname)}">{text(content)}</td>')
    return SafeString(f"<td>{text(content)}</td>")


class FastValue:
    """`get_value` by a plain attribute when the accessor is one (Wagtail's splits the
    accessor at dots and tries each part, for every cell)."""

    def get_value(self, instance):
        accessor = self.accessor
        if isinstance(accessor, str) and "." not in accessor:
            return getattr(instance, accessor, None)
        return super().get_value(instance)


class CountColumn(FastValue, NumberColumn):
    """A number cell drawn as Wagtail's cell.html draws it, without the template engine."""

    def render_cell_html(self, instance, parent_context):
        return _td(self.classname, count(self.get_value(instance)))


class TextColumn(FastValue, Column):
    """A text cell, escaped, without the template engine."""

    def render_cell_html(self, instance, parent_context):
        return _td(self.classname, self.get_value(instance) or "")


class DayColumn(FastValue, Column):
    """A date cell without the template engine (Wagtail's date cell draws a relative date with
    a tooltip through three templates): the day, in the reader's time zone and format."""

    def render_cell_html(self, instance, parent_context):
        return _td(self.classname, day(self.get_value(instance)))


def attrs_html(attrs: dict) -> SafeString:
    """` name="value"` for each attribute, as `wagtailadmin/shared/attrs.html` writes them
    (True: the name alone; False: left out)."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return mark_safe("".join(parts))  # noqa: S308 - each part is format_html's


class PlainTable(Table):
    """`Table`, drawn without templates (see the module's docstring)."""

    def header_html(self, column, context) -> SafeString:
        if column.header_template_name != DEFAULT_HEADER:
            return column.render_header_html(context)
        opening = format_html('<th class="{}">', column.classname) if column.classname else "<th>"
        if not column.sort_key:
            return format_html("{}{}</th>", mark_safe(opening), column.label)  # noqa: S308
        request = context.get("request")
        query = request.GET if request is not None else QueryDict()
        if self.ordering == column.sort_key:
            ordering, title, icon = (
                "-" + column.sort_key,
                column.descending_title_text or self.get_descending_title_text(column),
                "icon icon-arrow-up-after teal label",
            )
        else:
            ordering = column.sort_key
            title = column.ascending_title_text or self.get_ascending_title_text(column)
            icon = (
                "icon icon-arrow-down-after teal label"
                if self.ordering == "-" + column.sort_key
                else "icon icon-arrow-down-after label"
            )
        return format_html(
            '{}<a href="{}{}"{} class="{}">{}</a></th>',
            mark_safe(opening),  # noqa: S308 - made by format_html above
            self.base_url or "",
            # As Wagtail's {% querystring %}: back to the first page, sorted this way.
            query_with(query, p=None, ordering=ordering),
            format_html(' title="{}"', title) if title else "",
            icon,
            column.label,
        )

    def render_html(self, parent_context=None):
        if parent_context is None:
            parent_context = Context()
        elif isinstance(parent_context, dict):
            parent_context = Context(parent_context)
        request = parent_context.get("request")
        columns = list(self.columns.values())
        with parent_context.push(table=self, request=request):
            caption = self.get_caption()
            widths = (
                format_html_join(
                    "",
                    "<col{}/>",
                    ((format_html(' width="{}" ', c.width) if c.width else " ",) for c in columns),
                )
                if self.has_column_widths()
                else ""
            )
            header_class = (
                format_html(' class="{}"', self.header_row_classname)
                if self.header_row_classname
                else ""
            )
            headers = mark_safe(  # noqa: S308 - each is format_html's or a template's
                "".join(self.header_html(column, parent_context) for column in columns)
            )
            rows = []
            for row in self.rows:
                parent_context["row"] = row
                # Each cell is its column's HTML, escaped there; the row's attributes by
                # attrs_html.
                cells = "".join(
                    column.render_cell_html(row.instance, parent_context) for column in columns
                )
                attrs = row.attrs
                rows.append(f"<tr{attrs_html(attrs) if attrs else ''}>{cells}</tr>")
            return format_html(
                "<table{}>{}{}<thead><tr{}>{}</tr></thead><tbody>{}</tbody></table>",
                attrs_html(self.attrs),
                format_html('<caption class="w-sr-only">{}</caption>', caption) if caption else "",
                widths,
                header_class,
                headers,
                SafeString("".join(rows)),
            )
