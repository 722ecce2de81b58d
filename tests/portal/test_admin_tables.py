"""Wagtail's admin table drawn in Python (portal/admin_tables.py): the same HTML as Wagtail's
templates draw, and the cells that draw themselves."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest
from django.template import Context
from django.test import RequestFactory
from django.utils import translation
from wagtail.admin.ui.tables import Column, Table

from portal.admin_tables import (
    CountColumn,
    DayColumn,
    PlainTable,
    TextColumn,
    count,
    urls_with_id,
)
from portal.ui import day


def _same(html: str) -> str:
    """HTML with the template engine's indentation taken out."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return html.replace(" />", "/>").replace(" >", ">").strip()


COLUMNS = [
    Column("name", label="Name <b>", sort_key="name"),
    Column("team", label="Team", sort_key="team", classname="team"),
    Column("note", label="Note"),
    Column("size", label="Size", width="10%"),
]
ROWS = [
    SimpleNamespace(name="Ada <script>", team="Support", note="", size=3),
    SimpleNamespace(name="Grace", team="Sales & more", note="Top", size=1200),
]


@pytest.mark.parametrize("ordering", ["name", "-name", "team", None])
def test_the_table_is_wagtails_own_markup(ordering):
    request = RequestFactory().get("/admin/report/", {"q": "x y", "p": "3", "ordering": "name"})
    context = Context({"request": request})
    kwargs = {"base_url": "/admin/report/", "ordering": ordering, "caption": "People"}
    wagtails = Table(COLUMNS, ROWS, **kwargs).render_html(context)
    ours = PlainTable(COLUMNS, ROWS, **kwargs).render_html(context)
    assert _same(ours) == _same(wagtails)
    assert "&lt;script&gt;" in ours and "<script>" not in ours
    assert "p=3" not in ours  # sorting goes back to the first page, as Wagtail's does


def test_a_table_with_no_rows_nor_widths_is_still_wagtails():
    request = RequestFactory().get("/admin/report/")
    context = Context({"request": request})
    columns = [Column("name", label="Name")]
    wagtails = Table(columns, [], base_url="/r/").render_html(context)
    assert _same(PlainTable(columns, [], base_url="/r/").render_html(context)) == _same(wagtails)


def test_cells_that_draw_themselves_are_escaped_and_localised():
    request = RequestFactory().get("/admin/report/")
    row = SimpleNamespace(title="<b>bold</b>", total=1234, none=None, on=datetime.date(2026, 3, 9))
    columns = [
        TextColumn("title"),
        CountColumn("total"),
        CountColumn("none"),
        DayColumn("on"),
        DayColumn("never", accessor="none", classname="quiet"),
    ]
    html = PlainTable(columns, [row]).render_html(Context({"request": request}))
    assert "<td>&lt;b&gt;bold&lt;/b&gt;</td>" in html
    assert "<td>1,234</td>" in html
    assert "<td></td>" in html and '<td class="quiet"></td>' in html
    assert "<td>March 9, 2026</td>" in html
    with translation.override("ko"):
        assert day(datetime.date(2026, 3, 9)) == "2026년 3월 9일"
        assert day(datetime.date(2026, 3, 9)) != day(datetime.date(2026, 3, 10))


def test_counts_and_days():
    assert [count(0), count(999), count(-999), count(1000), count(None)] == [
        "0",
        "999",
        "-999",
        "1,000",
        "",
    ]
    moment = datetime.datetime(2026, 3, 9, 23, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        from django.utils import timezone

        with timezone.override("Asia/Seoul"):
            assert day(moment) == "March 10, 2026"  # the day where the reader is
    assert day(None) == ""


def test_a_url_with_an_id_is_the_one_reverse_gives():
    from django.urls import reverse

    learner, nudge = urls_with_id("onboarding_learner"), urls_with_id("onboarding_nudge")
    assert learner(42) == reverse("onboarding_learner", args=[42])
    assert nudge(7) == reverse("onboarding_nudge", args=[7])
    assert learner("9") == reverse("onboarding_learner", args=[9])
