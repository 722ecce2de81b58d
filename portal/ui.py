"""The design system's arithmetic: sorting and paging links, chart geometry, the main navigation.

The templates under templates/components/ draw; this module only computes, so that what a page
shows can be tested without a browser and nothing on a page needs a script or an inline style.

A feature adds a link to the main navigation with the Wagtail hook `register_nav_item`:

    @hooks.register("register_nav_item")
    def stories_nav(*, user):
        return NavItem(key="stories", label=_("Stories"), url=reverse("stories"), order=40)

It returns None to show nothing to this person. It runs on every page, so it must not query.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail import hooks

NAV_HOOK = "register_nav_item"
SORT = "sort"
PAGE = "page"


# --- navigation -------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    order: int = 50


def nav_items(*, user, path: str) -> list[dict[str, Any]]:
    """The main navigation for this person, each link marked current when the page is its own."""
    if not user.is_authenticated:
        return []
    items = [
        NavItem(key="home", label=_("Home"), url="/", order=0),
        NavItem(key="profile", label=_("My profile"), url=reverse("profile"), order=10),
    ]
    items += [item for hook in hooks.get_hooks(NAV_HOOK) if (item := hook(user=user))]
    if user.has_perm("wagtailadmin.access_admin"):
        items.append(
            NavItem(key="admin", label=_("Admin"), url=reverse("wagtailadmin_home"), order=1000)
        )
    items.sort(key=lambda item: (item.order, item.key))
    return [{"item": item, "current": _is_current(item.url, path)} for item in items]


def _is_current(url: str, path: str) -> bool:
    # Home is current only on itself, or every page would be "in" it.
    return path == url if url == "/" else path.startswith(url)


# --- sorting and paging ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sortable: bool = False
    numeric: bool = False


def sort_param(request: HttpRequest, allowed: Iterable[str], default: str = "") -> str:
    """The `?sort=` the page may order by ("name" or "-name"), else the default.

    Only listed keys pass: the value goes into `order_by`, and an unknown one would be a 500
    (or a way to sort by a field the page does not show).
    """
    value = request.GET.get(SORT, "")
    return value if value.lstrip("-") in set(allowed) and value else default


@functools.lru_cache(maxsize=4096)
def _day(value: datetime.date, language: str | None) -> str:
    return date_format(value, "DATE_FORMAT")


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A date (a moment: its day in the reader's time zone) as the reader's language writes
    it; remembered, as a page shows the same few days many times."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return _day(value, get_language())


def query_with(query: QueryDict | Mapping[str, Any], **changes: Any) -> str:
    """The query string with some parameters changed (None removes one), the others kept."""
    params = query.copy() if isinstance(query, QueryDict) else QueryDict(mutable=True)
    if not isinstance(query, QueryDict):
        for key, value in query.items():
            params[key] = value
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def table_headers(columns: Sequence[Column], query: QueryDict, current: str) -> list[dict]:
    """Each column's header: its sort link (toggling direction) and aria-sort.

    A new order starts again at page one: page 7 of another order shows other rows.
    """
    headers = []
    for column in columns:
        state = None
        if column.sortable and current.lstrip("-") == column.key:
            state = "descending" if current.startswith("-") else "ascending"
        url = None
        if column.sortable:
            target = f"-{column.key}" if state == "ascending" else column.key
            url = query_with(query, **{SORT: target, PAGE: None})
        headers.append({"column": column, "url": url, "aria_sort": state})
    return headers


def page_links(page, query: QueryDict, *, around: int = 2) -> list[dict]:
    """Links to the pages near this one and to the ends, with gaps marked by None."""
    count = page.paginator.num_pages
    wanted = {1, count, *range(page.number - around, page.number + around + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= count)
    links: list[dict] = []
    previous = 0
    for number in numbers:
        if number - previous > 1:
            links.append({"gap": True})
        links.append(
            {
                "number": number,
                "url": query_with(query, page=number),
                "current": number == page.number,
            }
        )
        previous = number
    return links


def pager(page, query: QueryDict) -> dict[str, Any]:
    """What pagination.html draws for a Django Paginator page."""
    return {
        "links": page_links(page, query),
        "previous_url": query_with(query, page=page.previous_page_number())
        if page.has_previous()
        else None,
        "next_url": query_with(query, page=page.next_page_number()) if page.has_next() else None,
    }


# --- charts ------------------------------------------------------------------------------

WIDTH = 560
HEIGHT = 260
LEFT = 48  # room for the value axis's labels
RIGHT = 12
TOP = 12
BOTTOM = 36  # room for the category labels
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high (1, 2, 2.5 or 5 times a power of ten apart)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step / 2:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def _number(value: float) -> str:
    return f"{value:g}"


def chart(data: Iterable[Sequence[Any]], *, kind: str) -> dict[str, Any]:
    """Everything an SVG bar or line chart needs, in the SVG's own coordinates.

    Values may be negative (an NPS is); the axis then starts below zero and bars grow from
    zero either way.
    """
    points = [(str(label), float(value)) for label, value in data]
    if not points:
        return {"empty": True, "points": []}
    values = [value for _label, value in points]
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values))
    low, high = ticks[0], ticks[-1]

    def y(value: float) -> float:
        return round(TOP + PLOT_H * (high - value) / (high - low), 2)

    slot = PLOT_W / len(points)
    zero = y(0)
    items = []
    for index, (label, value) in enumerate(points):
        centre = round(LEFT + slot * (index + 0.5), 2)
        top = min(y(value), zero)
        items.append(
            {
                "label": label,
                "value": _number(value),
                "x": round(LEFT + slot * index + slot * 0.15, 2),
                "width": round(slot * 0.7, 2),
                "y": top,
                "height": round(abs(zero - y(value)), 2),
                "cx": centre,
                "cy": y(value),
                "negative": value < 0,
            }
        )
    return {
        "empty": False,
        "kind": kind,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "plot_bottom": TOP + PLOT_H,
        "label_y": HEIGHT - BOTTOM + 20,
        "zero": zero,
        "ticks": [{"value": _number(tick), "y": y(tick)} for tick in ticks],
        "points": items,
        "polyline": " ".join(f"{item['cx']},{item['cy']}" for item in items),
    }
